"""Scores restricted to a workshop's measures: the same rules, over the measures in scope only."""

from __future__ import annotations

import pytest

from app.core.gaps import find_gaps
from app.core.questionnaire import Questionnaire
from app.core.scoring import restrict_scores, score_assessment
from tests.unit.test_scoring import answers


def test_the_overall_score_counts_only_the_measures_in_scope(mini: Questionnaire) -> None:
    full = score_assessment(mini, answers(PROS_2_1=4, PROS_2_2=4))
    assert full.overall == 25.0  # prosecution (0 + 100) / 2, protection 0, overall their mean
    scoped = restrict_scores(mini, full, ["PROS-2"])
    assert scoped.overall == 100.0
    assert scoped.overall_band == "established"
    assert scoped.completeness == 1.0
    assert list(scoped.pillars) == ["prosecution"]
    assert list(scoped.measures) == ["PROS-2"]
    assert set(scoped.items) == {"PROS-2.1", "PROS-2.2"}


def test_a_pillar_is_recomputed_from_its_measures_in_scope_with_their_weights(mini: Questionnaire) -> None:
    full = score_assessment(mini, answers(PROS_1_1=4, PROS_1_2=4, PROS_1_3=4, PROS_2_1=2, PROT_1_1=4))
    scoped = restrict_scores(mini, full, ["PROS-1", "PROT-1"])
    assert scoped.pillars["prosecution"].score == 100.0
    assert scoped.pillars["prosecution"].applicable == 3
    assert scoped.pillars["protection"].score == full.pillars["protection"].score
    assert scoped.overall == pytest.approx((100.0 + full.measures["PROT-1"].score) / 2, abs=0.05)  # type: ignore[operator]


def test_completeness_is_the_share_of_in_scope_items_answered(mini: Questionnaire) -> None:
    full = score_assessment(mini, answers(PROT_1_1=1, PROT_1_2="dk"))
    scoped = restrict_scores(mini, full, ["PROT-1"])
    protection = scoped.pillars["protection"]
    assert protection.answered == 2
    assert (protection.answered, protection.applicable) == (
        full.measures["PROT-1"].answered,
        full.measures["PROT-1"].applicable,
    )
    assert scoped.completeness == pytest.approx(protection.answered / protection.applicable, abs=0.001)
    assert full.completeness < scoped.completeness


def test_a_critical_item_out_of_scope_caps_nothing(mini: Questionnaire) -> None:
    full = score_assessment(mini, answers(PROS_1_1=1, PROS_2_1=4, PROS_2_2=4))
    assert full.pillars["prosecution"].capped_by == ("PROS-1.1",)
    scoped = restrict_scores(mini, full, ["PROS-2"])
    assert scoped.pillars["prosecution"].capped_by == ()
    assert scoped.pillars["prosecution"].band == "established"


def test_a_critical_item_in_scope_still_caps_its_pillar(mini: Questionnaire) -> None:
    full = score_assessment(mini, answers(PROS_1_1=2, PROS_1_2=4, PROS_1_3=4))
    scoped = restrict_scores(mini, full, ["PROS-1"])
    assert scoped.pillars["prosecution"].capped_by == ("PROS-1.1",)
    assert scoped.pillars["prosecution"].band == "emerging"


def test_gaps_of_restricted_scores_lie_in_scope(mini: Questionnaire) -> None:
    full = score_assessment(mini, answers(PROS_1_1=1, PROS_2_1=1, PROT_1_1=1))
    scoped = restrict_scores(mini, full, ["PROT-1"])
    assert {gap.measure_id for gap in find_gaps(mini, scoped)} == {"PROT-1"}


def test_the_whole_questionnaire_as_scope_changes_nothing(mini: Questionnaire) -> None:
    full = score_assessment(mini, answers(PROS_1_1=2, PROS_2_1=3, PROT_1_2=4))
    assert restrict_scores(mini, full, list(mini.measures)) == full
    assert restrict_scores(mini, full, []) is full


def test_an_unknown_measure_is_refused(mini: Questionnaire) -> None:
    with pytest.raises(ValueError, match="NOPE-1"):
        restrict_scores(mini, score_assessment(mini, answers()), ["NOPE-1"])
