"""Answering one measure: what the page shows, and saving a whole measure form
(the no-JavaScript path; the autosave API saves one item at a time)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from app.core.answers import AnswerFields, answer_fields
from app.core.errors import AnswerError, ConflictError, NotFound
from app.core.questionnaire import Item, Measure, Questionnaire
from app.core.scoring import Scores, score_assessment
from app.models import Answer, Assessment, User
from app.services.assessments import assessment_input, load_answers, questionnaire_of, save_answer


@dataclass(frozen=True)
class ItemView:
    item: Item
    answer: Answer | None
    shown: bool
    depth: int


@dataclass(frozen=True)
class MeasureView:
    questionnaire: Questionnaire
    measure: Measure
    items: list[ItemView]
    excluded: int
    scores: Scores


@dataclass
class MeasureSave:
    saved: list[str] = field(default_factory=list)
    conflicts: dict[str, Answer] = field(default_factory=dict)
    errors: dict[str, AnswerError] = field(default_factory=dict)


def _depth(item: Item, questionnaire: Questionnaire) -> int:
    depth, current = 0, item
    while current.parent and current.parent in questionnaire.items and depth < 5:
        depth, current = depth + 1, questionnaire.items[current.parent]
    return depth


def measure_view(session: Session, assessment: Assessment, measure_id: str) -> MeasureView:
    questionnaire = questionnaire_of(session, assessment)
    measure = questionnaire.measures.get(measure_id)
    if measure is None:
        raise NotFound(f"no measure {measure_id}")
    answers = load_answers(session, assessment)
    data = assessment_input(session, assessment)
    scores = score_assessment(questionnaire, data)
    roles = set(assessment.roles)
    views, excluded = [], 0
    for item in measure.items:
        if item.applies_to and roles and not roles.intersection(item.applies_to):
            excluded += 1
            continue
        state = scores.items[item.id].state if item.id in scores.items else "answered"
        views.append(ItemView(item, answers.get(item.id), state != "hidden", _depth(item, questionnaire)))
    return MeasureView(questionnaire, measure, views, excluded, scores)


def _same(row: Answer | None, fields: AnswerFields) -> bool:
    return answer_fields(row) == fields


def save_measure(
    session: Session, user: User, assessment: Assessment, submitted: Mapping[str, tuple[AnswerFields, int]]
) -> MeasureSave:
    """Save every item whose submitted value differs from the stored one.

    An item changed by someone else since the form was opened is not saved: it is
    returned as a conflict with the stored answer, and the user's value is kept by
    the caller to show beside it.
    """
    result = MeasureSave()
    answers = load_answers(session, assessment)
    for item_id, (fields, version) in submitted.items():
        row = answers.get(item_id)
        if _same(row, fields):
            continue
        try:
            save_answer(session, user, assessment, item_id, fields, version)
        except ConflictError:
            session.expire_all()
            current = load_answers(session, assessment).get(item_id)
            if current is not None:
                result.conflicts[item_id] = current
        except AnswerError as error:
            result.errors[item_id] = error
        else:
            result.saved.append(item_id)
    return result
