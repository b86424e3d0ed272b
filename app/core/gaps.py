"""Gaps (below target, by priority), data gaps (don't know) and strengths."""

from __future__ import annotations

from dataclasses import dataclass

from app.core.questionnaire import Questionnaire
from app.core.scoring import ItemResult, Scores


@dataclass(frozen=True)
class Gap:
    item_id: str
    measure_id: str
    pillar_id: str
    level: int
    target: int
    weight: int
    critical: bool
    priority: int


def priority_of(item: ItemResult, level: int) -> int:
    """weight × (target − level), doubled for critical items."""
    base = item.weight * max(item.target - level, 0)
    return base * 2 if item.critical else base


def _order(questionnaire: Questionnaire) -> dict[str, int]:
    return {item_id: index for index, item_id in enumerate(questionnaire.items)}


def find_gaps(questionnaire: Questionnaire, scores: Scores) -> list[Gap]:
    """Answered items below their target, highest priority first (then questionnaire order)."""
    order = _order(questionnaire)
    gaps = [
        Gap(
            item.item_id,
            item.measure_id,
            item.pillar_id,
            item.level,
            item.target,
            item.weight,
            item.critical,
            priority_of(item, item.level),
        )
        for item in scores.items.values()
        if item.state == "answered" and item.level is not None and item.level < item.target
    ]
    return sorted(gaps, key=lambda gap: (-gap.priority, order[gap.item_id]))


def find_data_gaps(scores: Scores) -> list[str]:
    """Items answered "don't know": scored as not in place and listed apart."""
    return [item.item_id for item in scores.items.values() if item.state == "dont_know"]


def find_unanswered(scores: Scores) -> list[str]:
    return [item.item_id for item in scores.items.values() if item.state == "unanswered"]


def find_strengths(questionnaire: Questionnaire, scores: Scores) -> list[str]:
    """Items at or above the strength level: what the country can share with peers."""
    threshold = questionnaire.scoring.strength_level
    strong = [
        item
        for item in scores.items.values()
        if item.state == "answered" and item.level is not None and item.level >= threshold
    ]
    return [item.item_id for item in sorted(strong, key=lambda item: (-(item.level or 0), -item.weight))]
