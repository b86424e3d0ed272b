"""Compare two cycles of one country, item by item and measure by measure,
also across questionnaire versions through a mapping of item ids."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from app.core.scoring import Scores


@dataclass(frozen=True)
class Change:
    """One item or measure in both cycles: ``before`` and ``after`` ids and values."""

    before_id: str
    after_id: str
    before: float | None
    after: float | None

    @property
    def delta(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return round(self.after - self.before, 1)


@dataclass(frozen=True)
class Comparison:
    overall: Change
    measures: tuple[Change, ...]
    items: tuple[Change, ...]

    @property
    def improved(self) -> tuple[Change, ...]:
        return tuple(change for change in self.items if (change.delta or 0) > 0)

    @property
    def declined(self) -> tuple[Change, ...]:
        return tuple(change for change in self.items if (change.delta or 0) < 0)


def _level(scores: Scores, item_id: str) -> float | None:
    item = scores.items.get(item_id)
    if item is None or not item.counted:
        return None
    return float(item.effective_level)


def compare(before: Scores, after: Scores, item_map: Mapping[str, str] | None = None) -> Comparison:
    """``item_map`` maps old item ids to new ones; unmapped ids are taken as unchanged."""
    mapping = dict(item_map or {})
    items = []
    for old_id in before.items:
        new_id = mapping.get(old_id, old_id)
        if new_id in after.items:
            items.append(Change(old_id, new_id, _level(before, old_id), _level(after, new_id)))
    measures = [
        Change(measure_id, measure_id, result.score, after.measures[measure_id].score)
        for measure_id, result in before.measures.items()
        if measure_id in after.measures
    ]
    overall = Change("overall", "overall", before.overall, after.overall)
    return Comparison(overall, tuple(measures), tuple(items))
