"""Scores, completeness, bands, critical caps, gaps, strengths and guidance."""

from __future__ import annotations

import pytest

from app.core.answers import Answer, AssessmentInput, check_answer
from app.core.errors import AnswerError
from app.core.gaps import find_gaps, find_strengths
from app.core.guidance import guidance_for
from app.core.library import Library
from app.core.questionnaire import Questionnaire
from app.core.results import assess
from app.core.scoring import score_assessment


def answers(**levels: int | str) -> AssessmentInput:
    result = {}
    for key, value in levels.items():
        item_id = key.replace("_", "-", 1).replace("_", ".")
        if value == "dk":
            result[item_id] = Answer(item_id, dont_know=True)
        elif value == "na":
            result[item_id] = Answer(item_id, not_applicable=True, reason="not relevant here")
        else:
            assert isinstance(value, int)
            result[item_id] = Answer(item_id, level=value)
    return AssessmentInput(answers=result)


def worked_example() -> Questionnaire:
    """PRODUCT.md's worked example: A (w3, level 2), B (w1, 4), C (w2, N/A), D (w1, unanswered)."""
    return Questionnaire.model_validate(
        {
            "id": "example",
            "version": "1",
            "title": "Example",
            "languages": ["en"],
            "scale": {level: str(level) for level in range(5)},
            "scoring": {
                "bands": [
                    {"id": "low", "label": "Low", "min": 0, "max": 50},
                    {"id": "high", "label": "High", "min": 50, "max": 100},
                ],
                "critical_cap": "low",
            },
            "pillars": [
                {
                    "id": "prevention",
                    "title": "Prevention",
                    "measures": [
                        {
                            "id": "PREV-1",
                            "title": "M",
                            "items": [
                                {"id": "PREV-1.1", "question": "A", "weight": 3},
                                {"id": "PREV-1.2", "question": "B", "weight": 1},
                                {"id": "PREV-1.3", "question": "C", "weight": 2},
                                {"id": "PREV-1.4", "question": "D", "weight": 1},
                            ],
                        }
                    ],
                }
            ],
        }
    )


def test_the_worked_example_scores_50_with_completeness_two_thirds() -> None:
    scores = score_assessment(worked_example(), answers(PREV_1_1=2, PREV_1_2=4, PREV_1_3="na"))
    measure = scores.measures["PREV-1"]
    assert measure.score == 50.0
    assert (measure.answered, measure.applicable) == (2, 3)
    assert measure.completeness == pytest.approx(2 / 3, abs=1e-4)
    assert scores.pillars["prevention"].score == 50.0
    assert scores.overall == 50.0


def test_nothing_answered_scores_zero_not_nothing(mini: Questionnaire) -> None:
    scores = score_assessment(mini, AssessmentInput())
    assert scores.overall == 0.0
    assert scores.completeness == 0.0


def test_dont_know_counts_as_not_in_place_and_as_answered(mini: Questionnaire, mini_library: Library) -> None:
    results = assess(mini, mini_library, answers(PROS_2_1="dk", PROS_2_2=4))
    measure = results.scores.measures["PROS-2"]
    assert measure.score == pytest.approx(100 / 3, abs=0.05)
    assert measure.completeness == 1.0
    assert results.data_gaps == ["PROS-2.1"]
    assert "PROS-2.1" not in [gap.item_id for gap in results.gaps]


def test_not_applicable_needs_a_reason(mini: Questionnaire) -> None:
    with pytest.raises(AnswerError, match="not applicable needs a reason"):
        check_answer(mini, Answer("PROS-1.3", not_applicable=True, reason="  "))


@pytest.mark.parametrize(
    ("item_id", "level", "message"),
    [
        ("PROS-9.9", 1, "no such item"),
        ("PROS-1.3", 5, "out of range"),
        ("PROS-1.1", 3, "out of range"),
    ],
)
def test_answers_that_do_not_fit_their_item_are_refused(
    mini: Questionnaire, item_id: str, level: int, message: str
) -> None:
    with pytest.raises(AnswerError, match=message):
        check_answer(mini, Answer(item_id, level=level))


def test_items_for_other_country_profiles_are_left_out(mini: Questionnaire) -> None:
    data = AssessmentInput(answers=answers(PROT_1_1=4).answers, roles=frozenset({"origin"}))
    measure = score_assessment(mini, data).measures["PROT-1"]
    assert (measure.score, measure.applicable) == (100.0, 1)


def test_a_hidden_follow_up_counts_as_not_in_place_but_complete(mini: Questionnaire) -> None:
    measure = score_assessment(mini, answers(PROS_1_1=0, PROS_1_3=4)).measures["PROS-1"]
    assert measure.applicable == 3
    assert measure.answered == 3
    assert measure.score == pytest.approx(100 / 6, abs=0.05)


def test_not_applicable_on_a_parent_removes_its_follow_ups(mini: Questionnaire) -> None:
    measure = score_assessment(mini, answers(PROS_1_1="na", PROS_1_2=4, PROS_1_3=2)).measures["PROS-1"]
    assert (measure.applicable, measure.score) == (1, 50.0)


def test_an_unmet_critical_item_caps_the_pillar_band_and_says_which(mini: Questionnaire) -> None:
    scores = score_assessment(
        mini, answers(PROS_1_1=4, PROS_1_2=4, PROS_1_3=4, PROS_2_1=4, PROS_2_2=4, PROT_1_1=2, PROT_1_2=4)
    )
    protection = scores.pillars["protection"]
    assert protection.score == 70.0
    assert protection.score_band == "developing"
    assert protection.band == "emerging"
    assert protection.capped_by == ("PROT-1.1",)
    assert scores.pillars["prosecution"].band == "established"


def test_gaps_come_in_priority_order_with_critical_items_doubled(mini: Questionnaire) -> None:
    scores = score_assessment(mini, answers(PROS_1_1=2, PROS_1_2=1, PROS_1_3=3, PROS_2_1=3))
    gaps = find_gaps(mini, scores)
    assert [(gap.item_id, gap.priority) for gap in gaps] == [
        ("PROS-1.1", 12),
        ("PROS-1.2", 6),
        ("PROS-2.1", 2),
        ("PROS-1.3", 1),
    ]


def test_country_targets_change_what_counts_as_a_gap(mini: Questionnaire) -> None:
    data = AssessmentInput(answers=answers(PROS_1_3=3).answers, item_targets={"PROS-1.3": 3})
    assert find_gaps(mini, score_assessment(mini, data)) == []


def test_strengths_are_items_at_level_three_or_more(mini: Questionnaire) -> None:
    scores = score_assessment(mini, answers(PROS_1_3=3, PROS_2_1=4, PROS_2_2=2))
    assert find_strengths(mini, scores) == ["PROS-2.1", "PROS-1.3"]


def test_guidance_puts_explicit_links_first_then_shared_topics(mini: Questionnaire, mini_library: Library) -> None:
    guidance = guidance_for(mini.items["PROS-1.1"], 0, mini, mini_library)
    ids = [match.id for match in guidance.resources]
    assert ids[0] == "trafficking-protocol"
    assert guidance.resources[0].explicit
    assert "penalties-guide" in ids
    assert "policy-guide-identification" not in ids
    assert guidance.next_level == 2


def test_guidance_describes_the_next_level(mini: Questionnaire, mini_library: Library) -> None:
    guidance = guidance_for(mini.items["PROT-1.1"], 2, mini, mini_library)
    assert guidance.next_level == 3
    assert guidance.next_level_text == {"en": "Used by most frontline agencies."}
    assert [match.id for match in guidance.practices] == ["one-stop-centre"]


def test_results_list_the_challenges_that_gap_items_address(mini: Questionnaire, mini_library: Library) -> None:
    results = assess(mini, mini_library, answers(PROS_1_1=0))
    assert results.challenges == ["weak-laws"]


def test_an_item_that_refers_to_another_is_scored_once_under_that_item() -> None:
    questionnaire = Questionnaire.model_validate(
        {
            "id": "ref",
            "version": "1",
            "title": "Reference",
            "languages": ["en"],
            "scale": {level: str(level) for level in range(5)},
            "scoring": {"bands": [{"id": "all", "label": "All", "min": 0, "max": 100}], "critical_cap": "all"},
            "pillars": [
                {
                    "id": "p",
                    "title": "P",
                    "measures": [
                        {"id": "PREV-1", "title": "A", "items": [{"id": "PREV-1.1", "question": "Hotline?"}]},
                        {
                            "id": "PROT-1",
                            "title": "B",
                            "items": [
                                {"id": "PROT-1.1", "question": "Shelter?"},
                                {"id": "PROT-1.2", "question": "Hotline?", "same_as": "PREV-1.1", "weight": 3},
                            ],
                        },
                    ],
                }
            ],
        }
    )
    data = AssessmentInput(answers={"PREV-1.1": Answer("PREV-1.1", level=4), "PROT-1.1": Answer("PROT-1.1", level=2)})
    scores = score_assessment(questionnaire, data)
    assert scores.items["PROT-1.2"].state == "referenced"
    assert scores.measures["PROT-1"].score == 50.0
    assert scores.measures["PROT-1"].completeness == 1.0
    assert scores.measures["PREV-1"].score == 100.0


def test_guidance_says_where_in_a_linked_resource_to_look(mini: Questionnaire, mini_library: Library) -> None:
    item = mini.items["PROS-1.1"].model_copy(update={"resource_parts": {"trafficking-protocol": "art. 5, p. 2"}})
    guidance = guidance_for(item, 0, mini, mini_library)
    first = guidance.resources[0]
    assert (first.id, first.part) == ("trafficking-protocol", "art. 5, p. 2")
    assert all(match.part is None for match in guidance.resources[1:])
