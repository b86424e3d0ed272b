"""Compare two cycles of one country, item by item and measure by measure,
also across questionnaire versions through a mapping of item ids.

Items are compared only where both cycles give them a level: an item unanswered (or answered
"don't know", not applicable, or hidden by its parent) in either cycle is counted as not
compared, never read as level 0. Measures and the whole are compared by score, each with its
completeness in both cycles beside it, because a score of a half-answered cycle means less.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from app.core.scoring import ItemResult, Scores


@dataclass(frozen=True)
class Change:
    """One item or measure in both cycles: ``before`` and ``after`` ids and values, and (for
    measures and the whole) the completeness of each cycle."""

    before_id: str
    after_id: str
    before: float | None
    after: float | None
    before_completeness: float | None = None
    after_completeness: float | None = None

    @property
    def delta(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return round(self.after - self.before, 1)


@dataclass(frozen=True)
class NotCompared:
    """Items in both questionnaires that have no level in one cycle or both."""

    unanswered_before: int = 0
    unanswered_after: int = 0
    unanswered_either: int = 0
    other: int = 0  # don't know, not applicable or hidden (in either), answered in both

    @property
    def total(self) -> int:
        return self.unanswered_either + self.other


@dataclass(frozen=True)
class Comparison:
    overall: Change
    measures: tuple[Change, ...]
    items: tuple[Change, ...]  # only items with a level in both cycles
    not_compared: NotCompared = NotCompared()

    @property
    def improved(self) -> tuple[Change, ...]:
        return tuple(change for change in self.items if (change.delta or 0) > 0)

    @property
    def declined(self) -> tuple[Change, ...]:
        return tuple(change for change in self.items if (change.delta or 0) < 0)

    @property
    def unchanged(self) -> tuple[Change, ...]:
        return tuple(change for change in self.items if change.delta == 0)


def _level(item: ItemResult) -> float | None:
    """The item's level if the cycle gives it one (answered on the scale), else None."""
    if item.state != "answered" or item.level is None:
        return None
    return float(item.level)


def _items(before: Scores, after: Scores, mapping: Mapping[str, str]) -> tuple[list[Change], NotCompared]:
    compared: list[Change] = []
    counts = {"before": 0, "after": 0, "either": 0, "other": 0}
    for old_id, old in before.items.items():
        new = after.items.get(mapping.get(old_id, old_id))
        if new is None:
            continue
        old_level, new_level = _level(old), _level(new)
        if old_level is not None and new_level is not None:
            compared.append(Change(old_id, new.item_id, old_level, new_level))
            continue
        gone_before, gone_after = old.state == "unanswered", new.state == "unanswered"
        counts["before"] += gone_before
        counts["after"] += gone_after
        counts["either" if gone_before or gone_after else "other"] += 1
    return compared, NotCompared(counts["before"], counts["after"], counts["either"], counts["other"])


def compare(before: Scores, after: Scores, item_map: Mapping[str, str] | None = None) -> Comparison:
    """``item_map`` maps old item ids to new ones; unmapped ids are taken as unchanged."""
    items, not_compared = _items(before, after, dict(item_map or {}))
    measures = [
        Change(
            measure_id,
            measure_id,
            result.score,
            after.measures[measure_id].score,
            result.completeness,
            after.measures[measure_id].completeness,
        )
        for measure_id, result in before.measures.items()
        if measure_id in after.measures
    ]
    overall = Change("overall", "overall", before.overall, after.overall, before.completeness, after.completeness)
    return Comparison(overall, tuple(measures), tuple(items), not_compared)
