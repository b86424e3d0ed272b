"""Comparing workshop and cycle answers, and what a merge takes (pure core, no database)."""

from __future__ import annotations

import pytest

from app.core.answers import AnswerFields
from app.core.merge import CONFLICT, KEEP, NEW, SAME, TAKE, compare_answers, items_to_take, only_in_cycle

ITEMS = ["A.1", "A.2", "A.3", "A.4", "A.5"]
WORKSHOP = {
    "A.1": AnswerFields(level=3),
    "A.2": AnswerFields(level=2, comment="seen in the field"),
    "A.3": AnswerFields(not_applicable=True, reason="no coastline"),
    "A.5": AnswerFields(),  # an answer that was cleared
}
CYCLE = {"A.1": AnswerFields(level=3), "A.2": AnswerFields(level=2), "A.4": AnswerFields(dont_know=True)}


def test_each_item_the_workshop_answered_is_same_new_or_conflict_in_questionnaire_order() -> None:
    states = [(c.item_id, c.state) for c in compare_answers(ITEMS, WORKSHOP, CYCLE)]
    assert states == [("A.1", SAME), ("A.2", CONFLICT), ("A.3", NEW)]


def test_a_different_comment_alone_is_a_conflict() -> None:
    [comparison] = compare_answers(["A.2"], WORKSHOP, CYCLE)
    assert comparison.state == CONFLICT and comparison.cycle == AnswerFields(level=2)


def test_new_items_are_taken_and_conflicts_kept_by_default() -> None:
    defaults = {c.item_id: c.default for c in compare_answers(ITEMS, WORKSHOP, CYCLE) if c.choosable}
    assert defaults == {"A.2": KEEP, "A.3": TAKE}


def test_only_chosen_differing_items_are_taken() -> None:
    comparisons = compare_answers(ITEMS, WORKSHOP, CYCLE)
    assert items_to_take(comparisons, {"A.1": TAKE, "A.2": TAKE, "A.3": KEEP}) == ["A.2"]
    assert items_to_take(comparisons, {}) == [], "an item the coordinator was not shown is never taken"


def test_a_choice_other_than_keep_or_take_is_refused() -> None:
    with pytest.raises(ValueError, match="keep or take"):
        items_to_take(compare_answers(ITEMS, WORKSHOP, CYCLE), {"A.3": "merge"})


def test_items_only_in_the_cycle_are_counted_and_left_alone() -> None:
    assert only_in_cycle(ITEMS, WORKSHOP, CYCLE) == 1
