"""An assessment's own answers seen through the frameworks governments are rated against.

Items carry ``crosswalk: {tvpa: [...], walk_free: [...]}``; ``library/frameworks.yaml``
describes each code. For every code this groups the linked items with their answers and
works out the same weighted mean and completeness the scores use, over those items only.
It is a view of the answers, never a predicted rating: the frameworks' own ratings use
their own evidence and methods.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from app.core.library import Framework, FrameworkEntry, Library
from app.core.questionnaire import Questionnaire
from app.core.scoring import ItemResult, Scores

FrameworkId = Literal["tvpa", "walk_free"]
FRAMEWORK_IDS: tuple[FrameworkId, ...] = ("tvpa", "walk_free")


@dataclass(frozen=True)
class CrosswalkItem:
    """One linked item: its state as scored (``not_scored`` for number and text items)."""

    item_id: str
    measure_id: str
    state: str
    level: int | None
    counted: bool


@dataclass(frozen=True)
class CrosswalkRow:
    code: str
    entry: FrameworkEntry | None
    items: tuple[CrosswalkItem, ...]
    mean: float | None  # weighted mean of the counted items, 0–100, as in measure scores
    completeness: float  # share of the counted items with an answer (don't know included)
    answered: int
    counted: int


@dataclass(frozen=True)
class FrameworkView:
    framework_id: FrameworkId
    framework: Framework | None
    rows: tuple[CrosswalkRow, ...]

    @property
    def linked_items(self) -> int:
        return len({item.item_id for row in self.rows for item in row.items})


def _item(item_id: str, measure_id: str, result: ItemResult | None) -> CrosswalkItem:
    if result is None:
        return CrosswalkItem(item_id, measure_id, "not_scored", None, False)
    return CrosswalkItem(item_id, measure_id, result.state, result.level, result.counted)


def _row(
    code: str, entry: FrameworkEntry | None, item_ids: list[str], scores: Scores, q: Questionnaire
) -> CrosswalkRow:
    items = tuple(_item(item_id, q.measure_of_item[item_id], scores.items.get(item_id)) for item_id in item_ids)
    counted = [scores.items[item.item_id] for item in items if item.counted]
    weight = sum(Fraction(result.weight) for result in counted)
    mean = None
    if weight:
        total = sum(Fraction(result.effective_level, 4) * 100 * result.weight for result in counted)
        mean = round(float(total / weight), 1)
    answered = sum(1 for result in counted if result.determined)
    completeness = round(answered / len(counted), 4) if counted else 1.0
    return CrosswalkRow(code, entry, items, mean, completeness, answered, len(counted))


def _codes_in_use(questionnaire: Questionnaire, framework_id: FrameworkId) -> dict[str, list[str]]:
    """Code → ids of the items that name it, in questionnaire order."""
    linked: dict[str, list[str]] = {}
    for item in questionnaire.items.values():
        for code in dict.fromkeys(item.crosswalk.get(framework_id, [])):
            linked.setdefault(code, []).append(item.id)
    return linked


def framework_view(
    questionnaire: Questionnaire, library: Library, scores: Scores, framework_id: FrameworkId
) -> FrameworkView:
    """Every described code of the framework in its order (also those no item names), then
    any code items use that the framework file does not describe."""
    framework = library.framework_by_id.get(framework_id)
    linked = _codes_in_use(questionnaire, framework_id)
    entries = list(framework.entries) if framework else []
    described = {entry.code for entry in entries}
    rows = [_row(entry.code, entry, linked.get(entry.code, []), scores, questionnaire) for entry in entries]
    rows += [_row(code, None, ids, scores, questionnaire) for code, ids in linked.items() if code not in described]
    return FrameworkView(framework_id, framework, tuple(rows))


def crosswalk_views(questionnaire: Questionnaire, library: Library, scores: Scores) -> list[FrameworkView]:
    return [framework_view(questionnaire, library, scores, framework_id) for framework_id in FRAMEWORK_IDS]
