"""Assessment use cases: list, open, start, answer (with optimistic locking and
history) and score. Permission checks happen here too, so no caller can forget them."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, String, Table, Update, bindparam, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core.answers import Answer as CoreAnswer
from app.core.answers import AnswerFields, AssessmentInput, check_answer
from app.core.errors import N_, ConflictError, NotFound, PermissionDenied
from app.core.questionnaire import Questionnaire
from app.core.results import Results, assess
from app.core.scoring import Scores, score_assessment
from app.models import Answer, AnswerChange, Assessment, ContentState, User
from app.models.base import utcnow
from app.security import can_answer, can_start_assessment, can_view_assessment, may_answer_now
from app.services.catalog import get_library, get_questionnaire


def visible_assessments(session: Session, user: User) -> list[Assessment]:
    query = select(Assessment).order_by(Assessment.updated_at.desc())
    if user.role != "admin":
        if user.role not in ("official", "coordinator") or not user.country_code:
            return []
        query = query.filter_by(country_code=user.country_code)
    return list(session.scalars(query))


def open_assessment(session: Session, user: User, assessment_id: int) -> Assessment:
    """The assessment if the user may see it; otherwise NotFound (never reveal it exists)."""
    assessment = session.get(Assessment, assessment_id)
    if assessment is None or not can_view_assessment(user, assessment):
        raise NotFound("no such assessment")
    return assessment


def start_assessment(
    session: Session, user: User, country_code: str, questionnaire: Questionnaire, title: str, roles: list[str]
) -> Assessment:
    if not can_start_assessment(user, country_code):
        raise PermissionDenied(N_("only the country's coordinator can start an assessment"))
    assessment = Assessment(
        country_code=country_code,
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        title=title.strip()[:200],
        roles=sorted(set(roles)),
        created_by=user.id,
    )
    session.add(assessment)
    session.flush()
    return assessment


def questionnaire_of(session: Session, assessment: Assessment) -> Questionnaire:
    return get_questionnaire(session, assessment.questionnaire_id, assessment.questionnaire_version)


def load_answers(session: Session, assessment: Assessment) -> dict[str, Answer]:
    """All answers of an assessment in one query."""
    rows = session.scalars(select(Answer).filter_by(assessment_id=assessment.id))
    return {row.item_id: row for row in rows}


def as_core_answer(row: Answer) -> CoreAnswer:
    return CoreAnswer(row.item_id, row.level, row.value, row.dont_know, row.not_applicable, row.reason)


def assessment_input(session: Session, assessment: Assessment) -> AssessmentInput:
    answers = {item_id: as_core_answer(row) for item_id, row in load_answers(session, assessment).items()}
    targets = assessment.targets or {}
    return AssessmentInput(
        answers=answers,
        roles=frozenset(assessment.roles),
        item_targets={key: int(value) for key, value in (targets.get("items") or {}).items()},
        measure_targets={key: int(value) for key, value in (targets.get("measures") or {}).items()},
    )


def results_of(session: Session, assessment: Assessment, guidance_gaps: int | None = None) -> Results:
    """Everything the results show; guidance only for the first ``guidance_gaps`` gaps if given."""
    questionnaire = questionnaire_of(session, assessment)
    data = assessment_input(session, assessment)
    return assess(questionnaire, get_library(session), data, guidance_gaps=guidance_gaps)


_scores: dict[tuple[object, ...], Scores] = {}
SCORES_KEPT = 1024


def scores_of(session: Session, assessment: Assessment) -> Scores:
    """Only the scores (progress pages, peers, comparisons, workshop boards): no gaps, no guidance.

    Scores depend on the answers, whose every change bumps the assessment's revision (a
    database trigger), and on the profile and targets. They are kept in the process under
    that key, so a board that polls ten countries re-scores only those whose answers changed.
    """
    profile = (tuple(sorted(assessment.roles)), json.dumps(assessment.targets or {}, sort_keys=True))
    key = (assessment.id, assessment.created_at, assessment.revision, assessment.questionnaire_version, profile)
    cached = _scores.get(key)
    if cached is None:
        cached = score_assessment(questionnaire_of(session, assessment), assessment_input(session, assessment))
        if len(_scores) >= SCORES_KEPT:
            _scores.clear()
        _scores[key] = cached
    return cached


_ANSWERS: Table = Answer.__table__  # type: ignore[assignment]  # a declared model has a Table


def save_answer(
    session: Session, user: User, assessment: Assessment, item_id: str, fields: AnswerFields, expected_version: int
) -> int:
    """Save one answer if nobody changed it since ``expected_version`` (0 = new); returns the new version.

    One statement writes it: the version check is in its WHERE clause, and database
    triggers record the history row and bump the assessment's revision (migration 0004).
    Raises PermissionDenied, AnswerError (bad input) or ConflictError (stale version).
    """
    if not can_answer(user, assessment):
        raise PermissionDenied(N_("this assessment cannot be changed by you now"))
    questionnaire = questionnaire_of(session, assessment)
    check_answer(questionnaire, core_answer(item_id, fields))
    if expected_version > 0:
        new_version = update_answer(
            session, (user.id, user.session_generation), assessment.id, questionnaire, item_id, fields, expected_version
        )
        if new_version is None:
            raise ConflictError(
                N_("%(item)s was changed by someone else since version %(version)s"),
                item=item_id,
                version=expected_version,
            )
    else:
        try:
            with session.begin_nested():
                session.execute(
                    insert(_ANSWERS).values(
                        assessment_id=assessment.id, item_id=item_id, version=1, **_written(fields, user.id)
                    )
                )
        except IntegrityError:
            raise ConflictError(N_("%(item)s was answered by someone else just now"), item=item_id) from None
        new_version = 1
    _forget_loaded(session, assessment, item_id)
    return new_version


def _update_answer_statement() -> Update:
    """Built once: the autosave runs it with new parameters each time (no per-save SQL building)."""
    columns = _ANSWERS.c
    new_values = {
        name: bindparam(f"new_{name}", type_=columns[name].type) for name in AnswerFields.__dataclass_fields__
    }
    return (
        update(_ANSWERS)
        .where(columns.assessment_id == bindparam("assessment"), columns.item_id == bindparam("item"))
        .where(
            columns.version == bindparam("expected"),
            may_answer_now(bindparam("user"), bindparam("assessment"), bindparam("generation")),
        )
        .where(_answered_on(bindparam("questionnaire"), bindparam("questionnaire_version")))
        .where(_content_unchanged(bindparam("content_token", type_=String())))
        .values(
            version=columns.version + 1,
            updated_by=bindparam("updater", type_=columns.updated_by.type),
            updated_at=bindparam("now", type_=columns.updated_at.type),
            **new_values,
        )
        .returning(columns.version)
    )


def _answered_on(questionnaire_id: BindParameter[str], version: BindParameter[str]) -> ColumnElement[bool]:
    """The assessment is answered on this questionnaire (the one its input was checked against)."""
    same = select(Assessment.id).where(
        Assessment.id == bindparam("assessment"),
        Assessment.questionnaire_id == questionnaire_id,
        Assessment.questionnaire_version == version,
    )
    return same.exists()


def _content_unchanged(token: BindParameter[str]) -> ColumnElement[bool]:
    """The content version is still the one the input was checked under (None: not checked)."""
    same = select(ContentState.id).where(ContentState.id == 1, ContentState.token == token)
    return or_(token.is_(None), same.exists())


_UPDATE_ANSWER = _update_answer_statement()


def update_answer(
    session: Session,
    signed_in: tuple[int, int],
    assessment_id: int,
    questionnaire: Questionnaire,
    item_id: str,
    fields: AnswerFields,
    expected_version: int,
    content_token: str | None = None,
) -> int | None:
    """Change an existing answer in one statement, if the user may answer the assessment now,
    the assessment is answered on ``questionnaire`` (against which ``fields`` passed
    ``check_answer``), the content is still at ``content_token`` (the version ``questionnaire``
    was made under, when given) and nobody changed the answer since ``expected_version``: the
    new version, or None when it wrote nothing. The autosave calls this without loading the
    user or the assessment. ``signed_in`` is the user's id and the generation of their session.
    """
    user_id, generation = signed_in
    parameters = {f"new_{name}": value for name, value in fields.snapshot().items()}
    parameters |= {"assessment": assessment_id, "item": item_id, "expected": expected_version}
    parameters |= {"questionnaire": questionnaire.id, "questionnaire_version": questionnaire.version}
    parameters |= {"content_token": content_token}
    parameters |= {"user": user_id, "generation": generation, "updater": user_id, "now": utcnow()}
    new_version = session.connection().execute(_UPDATE_ANSWER, parameters).scalar_one_or_none()
    return None if new_version is None else int(new_version)


def core_answer(item_id: str, fields: AnswerFields) -> CoreAnswer:
    return CoreAnswer(item_id, fields.level, fields.value, fields.dont_know, fields.not_applicable, fields.reason)


def _written(fields: AnswerFields, user_id: int) -> dict[str, Any]:
    return {**fields.snapshot(), "updated_by": user_id, "updated_at": utcnow()}


def _forget_loaded(session: Session, assessment: Assessment, item_id: str) -> None:
    """Objects the session loaded before the write are stale now (the triggers changed the assessment)."""
    session.expire(assessment, ["revision", "updated_at"])
    for loaded in list(session.identity_map.values()):
        if isinstance(loaded, Answer) and loaded.assessment_id == assessment.id and loaded.item_id == item_id:
            session.expire(loaded)


def answer_history(session: Session, user: User, assessment: Assessment, item_id: str) -> list[AnswerChange]:
    if not can_view_assessment(user, assessment):
        raise NotFound("no such assessment")
    query = select(AnswerChange).filter_by(assessment_id=assessment.id, item_id=item_id).order_by(AnswerChange.version)
    return list(session.scalars(query))
