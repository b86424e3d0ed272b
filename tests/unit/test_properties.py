"""Invariants of scoring, checked on generated questionnaires and answers (hypothesis)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.answers import Answer, AssessmentInput
from app.core.questionnaire import Item, Questionnaire
from app.core.scoring import Scores, score_assessment

PILLARS = ["governance", "prevention", "protection", "prosecution"]
BANDS = [
    {"id": "absent", "label": "A", "min": 0, "max": 20},
    {"id": "initial", "label": "I", "min": 20, "max": 40},
    {"id": "emerging", "label": "E", "min": 40, "max": 60},
    {"id": "developing", "label": "D", "min": 60, "max": 80},
    {"id": "established", "label": "S", "min": 80, "max": 100},
]


@st.composite
def questionnaires(draw: st.DrawFn) -> Questionnaire:
    pillars = []
    earlier: list[tuple[str, str]] = []
    for p_index in range(draw(st.integers(1, 3))):
        measures = []
        for m_index in range(draw(st.integers(1, 3))):
            measure_id = f"PX-{p_index * 10 + m_index + 1}"
            items: list[dict[str, Any]] = []
            for i_index in range(draw(st.integers(1, 4))):
                item: dict[str, Any] = {
                    "id": f"{measure_id}.{i_index + 1}",
                    "question": "q",
                    "type": draw(st.sampled_from(["maturity", "maturity", "yes_no"])),
                    "weight": draw(st.integers(1, 3)),
                    "critical": draw(st.booleans()),
                    "applies_to": draw(st.sampled_from([[], [], ["origin"], ["destination"]])),
                }
                if earlier and draw(st.booleans()):
                    parent_id, parent_type = draw(st.sampled_from(earlier))
                    at_least = (
                        draw(st.sampled_from(["partial", "yes"]))
                        if parent_type == "yes_no"
                        else draw(st.integers(1, 4))
                    )
                    item["show_if"] = {"item": parent_id, "at_least": at_least}
                earlier.append((item["id"], item["type"]))
                items.append(item)
            measures.append({"id": measure_id, "title": "m", "weight": draw(st.integers(1, 3)), "items": items})
        pillars.append({"id": PILLARS[p_index], "title": "p", "measures": measures})
    return Questionnaire.model_validate(
        {
            "id": "generated",
            "version": "1",
            "title": "t",
            "languages": ["en"],
            "scale": {level: "s" for level in range(5)},
            "scoring": {"bands": BANDS, "critical_cap": "emerging"},
            "pillars": pillars,
        }
    )


def allowed_levels(item: Item) -> list[int]:
    return [0, 2, 4] if item.type == "yes_no" else [0, 1, 2, 3, 4]


@st.composite
def assessed(draw: st.DrawFn) -> tuple[Questionnaire, AssessmentInput]:
    questionnaire = draw(questionnaires())
    answers = {}
    for item in questionnaire.items.values():
        kind = draw(st.sampled_from(["level", "level", "level", "none", "dk", "na"]))
        if kind == "level":
            answers[item.id] = Answer(item.id, level=draw(st.sampled_from(allowed_levels(item))))
        elif kind == "dk":
            answers[item.id] = Answer(item.id, dont_know=True)
        elif kind == "na":
            answers[item.id] = Answer(item.id, not_applicable=True, reason="r")
    roles = frozenset(draw(st.sets(st.sampled_from(["origin", "transit", "destination"]))))
    return questionnaire, AssessmentInput(answers=answers, roles=roles)


def all_scores(scores: Scores) -> dict[str, Fraction | None]:
    values: dict[str, Fraction | None] = {f"m:{k}": v.exact for k, v in scores.measures.items()}
    values.update({f"p:{k}": v.exact for k, v in scores.pillars.items()})
    values["overall"] = scores.exact_overall
    return values


@settings(max_examples=200, deadline=None)
@given(assessed())
def test_every_score_is_between_0_and_100(case: tuple[Questionnaire, AssessmentInput]) -> None:
    scores = score_assessment(*case)
    for value in all_scores(scores).values():
        assert value is None or 0 <= value <= 100
    for value in [m.score for m in scores.measures.values()] + [scores.overall]:
        assert value is None or 0.0 <= value <= 100.0


@settings(max_examples=200, deadline=None)
@given(assessed(), st.data())
def test_raising_any_answer_never_lowers_any_score(
    case: tuple[Questionnaire, AssessmentInput], data: st.DataObject
) -> None:
    questionnaire, before = case
    raisable = [a for a in before.answers.values() if a.level is not None and a.level < 4]
    if not raisable:
        return
    answer = data.draw(st.sampled_from(raisable))
    higher = [level for level in allowed_levels(questionnaire.items[answer.item_id]) if level > (answer.level or 0)]
    raised = dict(before.answers)
    raised[answer.item_id] = Answer(answer.item_id, level=data.draw(st.sampled_from(higher)))
    after = AssessmentInput(answers=raised, roles=before.roles)
    old, new = all_scores(score_assessment(questionnaire, before)), all_scores(score_assessment(questionnaire, after))
    for key, value in old.items():
        assert value is None or (new[key] is not None and new[key] >= value), key


@settings(max_examples=200, deadline=None)
@given(assessed(), st.data())
def test_not_applicable_equals_removing_the_item(
    case: tuple[Questionnaire, AssessmentInput], data: st.DataObject
) -> None:
    questionnaire, before = case
    removable = [
        item
        for item in questionnaire.items.values()
        if item.id not in questionnaire.children
        and len(questionnaire.measures[questionnaire.measure_of_item[item.id]].items) > 1
    ]
    if not removable:
        return
    item = data.draw(st.sampled_from(removable))
    with_na = dict(before.answers)
    with_na[item.id] = Answer(item.id, not_applicable=True, reason="does not apply")
    content = questionnaire.model_dump()
    for pillar in content["pillars"]:
        for measure in pillar["measures"]:
            measure["items"] = [i for i in measure["items"] if i["id"] != item.id]
    smaller = Questionnaire.model_validate(content)
    without = {key: value for key, value in before.answers.items() if key != item.id}
    marked = score_assessment(questionnaire, AssessmentInput(answers=with_na, roles=before.roles))
    removed = score_assessment(smaller, AssessmentInput(answers=without, roles=before.roles))
    assert all_scores(marked) == all_scores(removed)
    assert marked.completeness == removed.completeness


@settings(max_examples=150, deadline=None)
@given(assessed(), st.integers(2, 50))
def test_multiplying_all_weights_by_a_constant_changes_nothing(
    case: tuple[Questionnaire, AssessmentInput], factor: int
) -> None:
    questionnaire, data = case
    content = questionnaire.model_dump()
    for pillar in content["pillars"]:
        pillar["weight"] *= factor
        for measure in pillar["measures"]:
            measure["weight"] *= factor
            for item in measure["items"]:
                item["weight"] *= factor
    scaled = _rebuild_without_limits(content)
    assert all_scores(score_assessment(questionnaire, data)) == all_scores(score_assessment(scaled, data))


def _rebuild_without_limits(content: dict[str, Any]) -> Questionnaire:
    """Weights outside the file's 1–3 range are fine for this property: build without validation limits."""
    base = Questionnaire.model_validate(
        {
            **content,
            "pillars": [
                {
                    **p,
                    "weight": 1,
                    "measures": [
                        {**m, "weight": 1, "items": [{**i, "weight": 1} for i in m["items"]]} for m in p["measures"]
                    ],
                }
                for p in content["pillars"]
            ],
        }
    )
    pillars = []
    for pillar, raw_pillar in zip(base.pillars, content["pillars"], strict=True):
        measures = []
        for measure, raw_measure in zip(pillar.measures, raw_pillar["measures"], strict=True):
            items = [
                item.model_copy(update={"weight": raw["weight"]})
                for item, raw in zip(measure.items, raw_measure["items"], strict=True)
            ]
            measures.append(measure.model_copy(update={"weight": raw_measure["weight"], "items": items}))
        pillars.append(pillar.model_copy(update={"weight": raw_pillar["weight"], "measures": measures}))
    return base.model_copy(update={"pillars": pillars})


@settings(max_examples=200, deadline=None)
@given(assessed())
def test_an_unmet_critical_item_always_caps_its_pillar(case: tuple[Questionnaire, AssessmentInput]) -> None:
    questionnaire, data = case
    scores = score_assessment(questionnaire, data)
    cap = questionnaire.band_by_id(questionnaire.scoring.critical_cap)
    for item in scores.items.values():
        if item.critical and item.counted and item.effective_level < questionnaire.scoring.critical_level:
            pillar = scores.pillars[item.pillar_id]
            assert item.item_id in pillar.capped_by
            assert pillar.band is not None
            assert questionnaire.band_by_id(pillar.band).min <= cap.min
