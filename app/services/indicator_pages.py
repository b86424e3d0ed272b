"""What the resource centre shows of the weighted victim identification indicator sets."""

from __future__ import annotations

from app.core.errors import NotFound
from app.core.library import IndicatorSet
from app.services.library_pages import ResourceCentre


def indicator_set(centre: ResourceCentre, set_id: str) -> IndicatorSet:
    found = centre.library.indicator_set_by_id.get(set_id)
    if found is None:
        raise NotFound(f"indicator set {set_id}")
    return found


def indicator_sets(centre: ResourceCentre) -> list[IndicatorSet]:
    """Every set, those with indicators first, then by form of exploitation and audience."""
    return sorted(
        centre.library.indicator_sets,
        key=lambda found: (not found.dimensions, found.audience, found.exploitation),
    )
