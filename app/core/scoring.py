"""Scores, completeness, bands and critical caps (PRODUCT.md, "Scoring").

Arithmetic is exact (fractions) so that invariants such as "scaling all
weights changes nothing" hold to the last digit; scores are rounded only when
they leave this module.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from app.core.answers import AssessmentInput
from app.core.questionnaire import YES_NO_LEVELS, Band, Item, Questionnaire

ItemState = Literal["answered", "dont_know", "unanswered", "hidden", "not_applicable", "excluded", "referenced"]
COUNTED: frozenset[str] = frozenset({"answered", "dont_know", "unanswered", "hidden"})


@dataclass(frozen=True)
class ItemResult:
    item_id: str
    measure_id: str
    pillar_id: str
    state: ItemState
    level: int | None
    weight: int
    critical: bool
    target: int
    determined: bool

    @property
    def counted(self) -> bool:
        """Applicable and scored: part of the measure's denominator."""
        return self.state in COUNTED

    @property
    def effective_level(self) -> int:
        """What the score counts: not shown to be in place is not in place."""
        return self.level if self.state == "answered" and self.level is not None else 0


@dataclass(frozen=True)
class MeasureResult:
    measure_id: str
    pillar_id: str
    score: float | None
    band: str | None
    completeness: float
    answered: int
    applicable: int
    exact: Fraction | None


@dataclass(frozen=True)
class PillarResult:
    pillar_id: str
    score: float | None
    band: str | None
    score_band: str | None
    capped_by: tuple[str, ...]
    completeness: float
    answered: int
    applicable: int
    exact: Fraction | None


@dataclass(frozen=True)
class Scores:
    questionnaire: str
    overall: float | None
    overall_band: str | None
    completeness: float
    pillars: dict[str, PillarResult]
    measures: dict[str, MeasureResult]
    items: dict[str, ItemResult]
    exact_overall: Fraction | None


def band_for(questionnaire: Questionnaire, score: Fraction | None) -> Band | None:
    if score is None:
        return None
    for band in questionnaire.scoring.bands:
        if band.min <= score < band.max:
            return band
    return max(questionnaire.scoring.bands, key=lambda band: band.max)


def _target(item: Item, measure_id: str, questionnaire: Questionnaire, data: AssessmentInput) -> int:
    return (
        data.item_targets.get(item.id) or data.measure_targets.get(measure_id) or questionnaire.scoring.default_target
    )


def _excluded_by_na(item: Item, questionnaire: Questionnaire, data: AssessmentInput) -> bool:
    """Not applicable on an item also removes everything that depends on it."""
    current: Item | None = item
    while current is not None:
        answer = data.answers.get(current.id)
        if answer is not None and answer.not_applicable:
            return True
        current = questionnaire.items.get(current.show_if.item) if current.show_if else None
    return False


class _StateFinder:
    """Works out each item's state once, following ``show_if`` chains."""

    def __init__(self, questionnaire: Questionnaire, data: AssessmentInput) -> None:
        self.questionnaire = questionnaire
        self.data = data
        self.memo: dict[str, tuple[ItemState, bool]] = {}

    def state(self, item: Item) -> tuple[ItemState, bool]:
        """The item's state and whether it is determined (counts as complete)."""
        if item.id not in self.memo:
            self.memo[item.id] = self._find(item)
        return self.memo[item.id]

    def _find(self, item: Item) -> tuple[ItemState, bool]:
        data = self.data
        if item.same_as is not None:
            # Asked and scored once, under the item it refers to (never counted twice).
            return "referenced", True
        if item.applies_to and data.roles and not data.roles.intersection(item.applies_to):
            return "excluded", False
        if _excluded_by_na(item, self.questionnaire, data):
            return "not_applicable", False
        shown = self._shown(item)
        if shown is not True:
            return "hidden", shown is False
        answer = data.answers.get(item.id)
        if answer is None or (answer.level is None and not answer.dont_know):
            return "unanswered", False
        return ("dont_know", True) if answer.dont_know else ("answered", True)

    def _shown(self, item: Item) -> bool | None:
        """True if shown, False if its condition is unmet, None while its parent is unanswered."""
        if item.show_if is None:
            return True
        parent = self.questionnaire.items[item.show_if.item]
        state, determined = self.state(parent)
        if state == "excluded":
            return True
        if state != "answered":
            return False if determined else None
        wanted = item.show_if.at_least
        threshold = YES_NO_LEVELS[wanted] if isinstance(wanted, str) else wanted
        level = self.data.answers[parent.id].level
        return level is not None and level >= threshold


def _item_results(questionnaire: Questionnaire, data: AssessmentInput) -> dict[str, ItemResult]:
    finder = _StateFinder(questionnaire, data)
    results = {}
    for pillar in questionnaire.pillars:
        for measure in pillar.measures:
            for item in measure.items:
                if not item.scored:
                    continue
                state, determined = finder.state(item)
                answer = data.answers.get(item.id)
                level = answer.level if answer is not None and state == "answered" else None
                results[item.id] = ItemResult(
                    item.id,
                    measure.id,
                    pillar.id,
                    state,
                    level,
                    item.weight,
                    item.critical,
                    _target(item, measure.id, questionnaire, data),
                    determined,
                )
    return results


def _weighted_mean(pairs: list[tuple[Fraction, Fraction]]) -> Fraction | None:
    total_weight = sum((weight for _, weight in pairs), Fraction(0))
    if total_weight == 0:
        return None
    return sum((value * weight for value, weight in pairs), Fraction(0)) / total_weight


def _rounded(value: Fraction | None) -> float | None:
    return None if value is None else round(float(value), 1)


def _share(done: int, total: int) -> float:
    return round(done / total, 4) if total else 1.0


def _measure_result(
    measure_id: str, pillar_id: str, items: list[ItemResult], questionnaire: Questionnaire
) -> MeasureResult:
    counted = [item for item in items if item.counted]
    exact = _weighted_mean([(Fraction(item.effective_level, 4) * 100, Fraction(item.weight)) for item in counted])
    band = band_for(questionnaire, exact)
    done = sum(1 for item in counted if item.determined)
    return MeasureResult(
        measure_id,
        pillar_id,
        _rounded(exact),
        band.id if band else None,
        _share(done, len(counted)),
        done,
        len(counted),
        exact,
    )


def _lower_band(first: Band | None, cap: Band) -> Band | None:
    if first is None:
        return None
    return first if first.min <= cap.min else cap


def _pillar_result(
    pillar_id: str, measures: list[MeasureResult], items: list[ItemResult], questionnaire: Questionnaire
) -> PillarResult:
    weights = {measure.id: Fraction(measure.weight) for measure in questionnaire.measures.values()}
    exact = _weighted_mean([(m.exact, weights[m.measure_id]) for m in measures if m.exact is not None])
    score_band = band_for(questionnaire, exact)
    rules = questionnaire.scoring
    capped_by = tuple(
        item.item_id for item in items if item.critical and item.counted and item.effective_level < rules.critical_level
    )
    band = _lower_band(score_band, questionnaire.band_by_id(rules.critical_cap)) if capped_by else score_band
    done = sum(m.answered for m in measures)
    total = sum(m.applicable for m in measures)
    return PillarResult(
        pillar_id,
        _rounded(exact),
        band.id if band else None,
        score_band.id if score_band else None,
        capped_by,
        _share(done, total),
        done,
        total,
        exact,
    )


def _overall(
    questionnaire: Questionnaire,
    pillars: dict[str, PillarResult],
    measures: dict[str, MeasureResult],
    items: dict[str, ItemResult],
) -> Scores:
    """The whole assessment's score, band and completeness from its pillars (weighted by the pillars' weights)."""
    weights = {pillar.id: Fraction(pillar.weight) for pillar in questionnaire.pillars}
    exact = _weighted_mean([(p.exact, weights[p.pillar_id]) for p in pillars.values() if p.exact is not None])
    band = band_for(questionnaire, exact)
    done = sum(p.answered for p in pillars.values())
    total = sum(p.applicable for p in pillars.values())
    return Scores(
        questionnaire.key,
        _rounded(exact),
        band.id if band else None,
        _share(done, total),
        pillars,
        measures,
        items,
        exact,
    )


def score_assessment(questionnaire: Questionnaire, data: AssessmentInput) -> Scores:
    """Score every measure, pillar and the whole assessment."""
    items = _item_results(questionnaire, data)
    measures: dict[str, MeasureResult] = {}
    pillars: dict[str, PillarResult] = {}
    for pillar in questionnaire.pillars:
        pillar_items = [result for result in items.values() if result.pillar_id == pillar.id]
        for measure in pillar.measures:
            measure_items = [result for result in pillar_items if result.measure_id == measure.id]
            measures[measure.id] = _measure_result(measure.id, pillar.id, measure_items, questionnaire)
        pillar_measures = [measures[measure.id] for measure in pillar.measures]
        pillars[pillar.id] = _pillar_result(pillar.id, pillar_measures, pillar_items, questionnaire)
    return _overall(questionnaire, pillars, measures, items)


def restrict_scores(questionnaire: Questionnaire, scores: Scores, measure_ids: Iterable[str]) -> Scores:
    """The scores as if the questionnaire held only these measures (a workshop's scope).

    Items and measures outside the scope are left out; each pillar with a measure in scope is
    recomputed from its in-scope measures and items (same weights, same critical cap), the overall
    from those pillars, and completeness counts only the in-scope items. Pillars with no measure in
    scope are left out. An empty scope means the whole questionnaire (scores returned unchanged).
    """
    scope = set(measure_ids)
    if not scope:
        return scores
    unknown = scope - set(questionnaire.measures)
    if unknown:
        raise ValueError(f"unknown measures: {', '.join(sorted(unknown))}")
    items = {item_id: result for item_id, result in scores.items.items() if result.measure_id in scope}
    measures = {m_id: result for m_id, result in scores.measures.items() if m_id in scope}
    pillars: dict[str, PillarResult] = {}
    for pillar in questionnaire.pillars:
        pillar_measures = [measures[measure.id] for measure in pillar.measures if measure.id in scope]
        if not pillar_measures:
            continue
        pillar_items = [result for result in items.values() if result.pillar_id == pillar.id]
        pillars[pillar.id] = _pillar_result(pillar.id, pillar_measures, pillar_items, questionnaire)
    return _overall(questionnaire, pillars, measures, items)
