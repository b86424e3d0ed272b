"""One action of an action plan, as people write it and as reports show it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class ActionFields:
    """What an action says: what, for which measure and items, who, when, how much, how measured."""

    title: str
    measure_id: str | None = None
    item_ids: tuple[str, ...] = ()
    lead_agency: str = ""
    partners: str = ""
    start: date | None = None
    end: date | None = None
    budget: str = ""
    indicator: str = ""
    status: str = "planned"
