"""An assessment's answers grouped by the TVPA minimum standards and Walk Free milestones (a view, not a rating)."""

from __future__ import annotations

from typing import Any

import pytest

from app.core.answers import Answer, AssessmentInput
from app.core.crosswalk import crosswalk_views, framework_view
from app.core.library import Library
from app.core.questionnaire import Questionnaire
from app.core.scoring import score_assessment

CROSSWALK = {
    "PROS-1.1": {"tvpa": ["ms-1"], "walk_free": ["milestone-2"]},
    "PROS-1.3": {"tvpa": ["ms-1", "ms-3"]},
    "PROT-1.1": {"tvpa": ["c-2"], "walk_free": ["milestone-1"]},
    "PROT-1.2": {"tvpa": ["c-2"]},
    "PROT-1.3": {"tvpa": ["c-2"]},
    "PROS-2.1": {"tvpa": ["c-99"]},
}
FRAMEWORKS = [
    {
        "id": "tvpa",
        "title": "TVPA",
        "entries": [
            {"code": "ms-1", "label": "Prohibit and punish"},
            {"code": "ms-3", "label": "Penalties that deter"},
            {"code": "ms-4", "label": "Serious and sustained efforts"},
            {"code": "c-2", "label": "Protection"},
        ],
    },
    {"id": "walk_free", "title": "Walk Free", "entries": [{"code": "milestone-1", "label": "Survivors"}]},
]


@pytest.fixture(scope="module")
def linked(mini: Questionnaire) -> Questionnaire:
    data = mini.model_dump()
    for pillar in data["pillars"]:
        for measure in pillar["measures"]:
            for item in measure["items"]:
                item["crosswalk"] = CROSSWALK.get(item["id"], {})
    return Questionnaire.model_validate(data)


@pytest.fixture(scope="module")
def library(mini_library: Library) -> Library:
    return Library.model_validate({**mini_library.model_dump(), "frameworks": FRAMEWORKS})


def view(questionnaire: Questionnaire, library: Library, framework: Any, **levels: Any) -> dict[str, Any]:
    answers = {}
    for item_id, value in levels.items():
        item_id = item_id.replace("_", "-", 1).replace("_", ".")
        answers[item_id] = Answer(item_id, dont_know=True) if value == "dk" else Answer(item_id, level=value)
    data = AssessmentInput(answers=answers, roles=frozenset({"origin"}))
    found = framework_view(questionnaire, library, score_assessment(questionnaire, data), framework)
    return {row.code: row for row in found.rows}


def test_each_code_lists_the_items_that_name_it_in_questionnaire_order(linked: Questionnaire, library: Library) -> None:
    rows = view(linked, library, "tvpa")
    assert [item.item_id for item in rows["ms-1"].items] == ["PROS-1.1", "PROS-1.3"]
    assert [item.item_id for item in rows["ms-3"].items] == ["PROS-1.3"]


def test_the_mean_is_the_weighted_mean_of_the_linked_items_as_in_measure_scores(
    linked: Questionnaire, library: Library
) -> None:
    # PROS-1.1 (weight 3) yes = 4, PROS-1.3 (weight 1) level 2: (100 * 3 + 50 * 1) / 4 = 87.5
    row = view(linked, library, "tvpa", PROS_1_1=4, PROS_1_3=2)["ms-1"]
    assert row.mean == 87.5 and row.completeness == 1.0 and (row.answered, row.counted) == (2, 2)


def test_unanswered_and_dont_know_count_as_not_in_place_and_only_answers_count_as_complete(
    linked: Questionnaire, library: Library
) -> None:
    row = view(linked, library, "tvpa", PROS_1_3="dk")["ms-1"]
    assert row.mean == 0.0
    assert (row.answered, row.counted, row.completeness) == (1, 2, 0.5)
    assert [item.state for item in row.items] == ["unanswered", "dont_know"]


def test_items_that_do_not_apply_or_are_not_scored_are_listed_but_not_counted(
    linked: Questionnaire, library: Library
) -> None:
    row = view(linked, library, "tvpa", PROT_1_1=3)["c-2"]
    states = {item.item_id: item.state for item in row.items}
    assert states == {"PROT-1.1": "answered", "PROT-1.2": "excluded", "PROT-1.3": "not_scored"}
    assert row.counted == 1 and row.mean == 75.0


def test_a_described_code_no_item_names_is_shown_empty(linked: Questionnaire, library: Library) -> None:
    row = view(linked, library, "tvpa")["ms-4"]
    assert row.items == () and row.mean is None and row.entry is not None


def test_codes_follow_the_framework_file_and_undescribed_codes_come_last(
    linked: Questionnaire, library: Library
) -> None:
    codes = list(view(linked, library, "tvpa"))
    assert codes == ["ms-1", "ms-3", "ms-4", "c-2", "c-99"]
    assert view(linked, library, "tvpa")["c-99"].entry is None


def test_both_frameworks_are_viewed_even_without_a_frameworks_file(
    linked: Questionnaire, mini_library: Library
) -> None:
    views = crosswalk_views(linked, mini_library, score_assessment(linked, AssessmentInput()))
    assert [found.framework_id for found in views] == ["tvpa", "walk_free"]
    assert views[1].framework is None and {row.code for row in views[1].rows} == {"milestone-1", "milestone-2"}
    assert views[0].linked_items == 6
