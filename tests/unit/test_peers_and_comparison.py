"""Peers (strengths, spread, similar groups) and comparison of two cycles."""

from __future__ import annotations

import pytest

from app.core.answers import Answer, AssessmentInput
from app.core.comparison import compare
from app.core.peers import group_similar, peer_strengths, similarity, spread
from app.core.questionnaire import Questionnaire
from app.core.scoring import score_assessment


def test_spread_needs_at_least_three_countries() -> None:
    assert spread([40.0, 60.0]) is None
    summary = spread([10.0, 40.0, 60.0, 90.0])
    assert summary is not None
    assert (summary.countries, summary.minimum, summary.median, summary.maximum) == (4, 10.0, 50.0, 90.0)
    assert (summary.lower_quartile, summary.upper_quartile) == (25.0, 75.0)


def test_similarity_is_one_for_identical_profiles_and_zero_for_opposite_ones() -> None:
    assert similarity({"A": 40, "B": 60}, {"A": 40, "B": 60}) == 1.0
    assert similarity({"A": 0}, {"A": 100}) == 0.0
    assert similarity({"A": 0}, {"B": 100}) == 0.0


def test_peer_strengths_name_countries_strong_where_we_have_a_gap() -> None:
    peers = {"PHL": {"PROS-1.1": 4, "PROS-1.2": 1}, "IDN": {"PROS-1.1": 3}, "VNM": {"PROS-1.1": 2}}
    assert peer_strengths(["PROS-1.1", "PROS-1.2"], peers) == {"PROS-1.1": ["IDN", "PHL"], "PROS-1.2": []}


def test_countries_with_similar_gap_profiles_are_grouped_together() -> None:
    profiles = {
        "KHM": {"A": 10, "B": 20},
        "LAO": {"A": 15, "B": 25},
        "MMR": {"A": 12, "B": 18},
        "AUS": {"A": 90, "B": 85},
        "NZL": {"A": 85, "B": 95},
    }
    assert group_similar(profiles, 2) == [["AUS", "NZL"], ["KHM", "LAO", "MMR"]]
    assert group_similar(profiles, 5) == [[code] for code in sorted(profiles)]
    with pytest.raises(ValueError):
        group_similar(profiles, 0)


def test_comparison_shows_what_improved_and_what_fell_back(mini: Questionnaire) -> None:
    before = score_assessment(
        mini, AssessmentInput({"PROS-1.3": Answer("PROS-1.3", 1), "PROS-2.1": Answer("PROS-2.1", 3)})
    )
    after = score_assessment(
        mini, AssessmentInput({"PROS-1.3": Answer("PROS-1.3", 3), "PROS-2.1": Answer("PROS-2.1", 2)})
    )
    comparison = compare(before, after)
    assert [(c.before_id, c.delta) for c in comparison.improved] == [("PROS-1.3", 2.0)]
    assert [(c.before_id, c.delta) for c in comparison.declined] == [("PROS-2.1", -1.0)]
    assert comparison.overall.delta is not None


def test_comparison_follows_an_item_mapping_across_versions(mini: Questionnaire) -> None:
    before = score_assessment(mini, AssessmentInput({"PROS-1.3": Answer("PROS-1.3", 1)}))
    after = score_assessment(mini, AssessmentInput({"PROS-2.2": Answer("PROS-2.2", 4)}))
    changes = {c.before_id: c for c in compare(before, after, {"PROS-1.3": "PROS-2.2"}).items}
    assert (changes["PROS-1.3"].after_id, changes["PROS-1.3"].delta) == ("PROS-2.2", 3.0)


def test_only_items_with_a_level_in_both_cycles_are_compared(mini: Questionnaire) -> None:
    before = score_assessment(mini, AssessmentInput({"PROS-1.3": Answer("PROS-1.3", 1)}))
    after = score_assessment(
        mini, AssessmentInput({"PROS-1.3": Answer("PROS-1.3", 2), "PROS-2.1": Answer("PROS-2.1", 4)})
    )
    comparison = compare(before, after)
    assert [change.before_id for change in comparison.items] == ["PROS-1.3"]
    assert [change.before_id for change in comparison.improved] == ["PROS-1.3"]


def test_items_unanswered_in_either_cycle_are_counted_as_not_compared(mini: Questionnaire) -> None:
    before = score_assessment(
        mini, AssessmentInput({"PROS-1.3": Answer("PROS-1.3", 1), "PROS-2.2": Answer("PROS-2.2", dont_know=True)})
    )
    after = score_assessment(
        mini,
        AssessmentInput(
            {
                "PROS-1.3": Answer("PROS-1.3", 2),
                "PROS-2.1": Answer("PROS-2.1", 4),
                "PROS-2.2": Answer("PROS-2.2", 3),
            }
        ),
    )
    counted = [item for item in before.items.values() if item.state == "unanswered"]
    missing = compare(before, after).not_compared
    assert missing.unanswered_before == len(counted)
    assert missing.unanswered_either == len(counted)  # PROS-2.1 among them: answered only now
    hidden = [item for item in before.items.values() if item.state == "hidden"]
    assert missing.other == 1 + len(hidden)  # PROS-2.2: don't know before; hidden children
    assert missing.total == len(counted) + 1 + len(hidden)


def test_measures_and_the_whole_are_compared_with_their_completeness(mini: Questionnaire) -> None:
    before = score_assessment(mini, AssessmentInput({"PROS-1.3": Answer("PROS-1.3", 1)}))
    after = score_assessment(mini, AssessmentInput({"PROS-1.3": Answer("PROS-1.3", 2)}))
    comparison = compare(before, after)
    measure = next(change for change in comparison.measures if change.after_id == "PROS-1")
    assert measure.before_completeness == before.measures["PROS-1"].completeness > 0
    assert (comparison.overall.before_completeness, comparison.overall.after_completeness) == (
        before.completeness,
        after.completeness,
    )
