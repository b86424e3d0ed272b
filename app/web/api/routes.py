"""JSON API used by the pages themselves (autosave, live progress), with the same checks as the pages.

Session-authenticated; state-changing requests need the CSRF token in the X-CSRFToken header.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, Response, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.core.answers import answer_fields, check_answer
from app.core.errors import AnswerError, ConflictError
from app.core.results import results_as_dict
from app.models import User
from app.models.database import begin_write
from app.services.assessments import (
    core_answer,
    load_answers,
    open_assessment,
    questionnaire_of,
    results_of,
    save_answer,
    scores_of,
    update_answer,
)
from app.services.catalog import get_library, questionnaire_for_autosave
from app.web import sessions
from app.web.answer_input import answer_choice, fingerprint, interface_symbols, parse_fields, parse_version
from app.web.database import db
from app.web.errors import describe

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")


def api_login_required(view: Callable[..., ResponseReturnValue]) -> Callable[..., ResponseReturnValue]:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> ResponseReturnValue:
        if not current_user.is_authenticated:
            return jsonify({"error": _("Sign in first"), "status": 401}), 401
        return view(*args, **kwargs)

    return wrapped


def answer_json(row: Any, people: dict[int, str] | None = None) -> dict[str, Any]:
    fields = answer_fields(row)
    return {
        "item_id": row.item_id,
        "answer": answer_choice(fields),
        "level": row.level,
        "value": row.value,
        "dont_know": row.dont_know,
        "not_applicable": row.not_applicable,
        "reason": row.reason,
        "comment": row.comment,
        "evidence": row.evidence,
        "version": row.version,
        "fingerprint": fingerprint(fields),
        "updated_by": (people or {}).get(row.updated_by or 0),
        "updated_at": row.updated_at.isoformat() if row.updated_at else None,
    }


@blueprint.get("/assessments/<int:assessment_id>")
@api_login_required
def assessment(assessment_id: int) -> ResponseReturnValue:
    session = db()
    found = open_assessment(session, current_user, assessment_id)
    return jsonify(
        {
            "id": found.id,
            "title": found.title,
            "country": found.country_code,
            "questionnaire": {"id": found.questionnaire_id, "version": found.questionnaire_version},
            "profile": found.roles,
            "status": found.status,
            "revision": found.revision,
            "answers": [answer_json(row) for row in load_answers(session, found).values()],
        }
    )


@blueprint.put("/assessments/<int:assessment_id>/answers/<item_id>")
def put_answer(assessment_id: int, item_id: str) -> ResponseReturnValue:
    """Autosave of one answer.

    The common case, a change to an existing answer by someone who may make it, costs one
    statement (``_quick_save``); anything else (a new answer, bad input, a conflict, no
    access, not signed in) takes the full path, which says exactly what is wrong.
    """
    body = request.get_json(silent=True)
    return _quick_save(assessment_id, item_id, body) or _save(assessment_id, item_id, body)


def _quick_save(assessment_id: int, item_id: str, body: Any) -> Response | None:
    """Save without loading the user or the assessment: the UPDATE itself checks the signed-in
    user's scope, the session's generation, the assessment's status and the version. None when
    it did not save."""
    who = sessions.signed_in()
    if not isinstance(body, dict) or who is None:
        return None
    session = db()
    held = questionnaire_for_autosave(session, assessment_id)  # may be older content: the UPDATE checks
    item = held.questionnaire.items.get(item_id) if held else None
    if held is None or item is None or item.type == "number":
        return None  # a number is read in the interface language: the full path knows it
    questionnaire = held.questionnaire
    try:
        fields = parse_fields(item, body)
        version = parse_version(body.get("version"), item_id)
        check_answer(questionnaire, core_answer(item_id, fields))
    except AnswerError:
        return None
    if version == 0:
        return None
    if session.in_transaction():
        session.commit()
    begin_write(session)
    signed_in = (who.user_id, who.generation)
    new_version = update_answer(
        session, signed_in, assessment_id, questionnaire, item_id, fields, version, held.content_token
    )
    if new_version is None:
        session.rollback()
        return None
    session.commit()
    return jsonify({"item_id": item_id, "version": new_version, "fingerprint": fingerprint(fields)})


@api_login_required
def _save(assessment_id: int, item_id: str, body: Any) -> ResponseReturnValue:
    session = db()
    found = open_assessment(session, current_user, assessment_id)
    if not isinstance(body, dict):
        return jsonify({"error": _("Send the answer as a JSON object."), "field": "body", "status": 400}), 400
    item = questionnaire_of(session, found).items.get(item_id)
    if item is None:
        return jsonify({"error": _("No such item in this questionnaire."), "field": "item_id", "status": 404}), 404
    try:
        fields = parse_fields(item, body, interface_symbols())
        version = parse_version(body.get("version"), item_id)
        # Reads are done: end them, and write in a transaction of its own that takes the
        # write lock only for the one statement (see web.database.SHORT_WRITES).
        session.commit()
        begin_write(session)
        new_version = save_answer(session, current_user, found, item_id, fields, version)
    except AnswerError as error:
        session.rollback()
        return jsonify({"error": describe(error), "field": error.field, "status": 400}), 400
    except ConflictError as error:
        session.rollback()
        current = load_answers(session, found).get(item_id)
        people = _names(session, [current.updated_by] if current and current.updated_by else [])
        return jsonify(
            {
                "error": describe(error),
                "status": 409,
                "current": answer_json(current, people) if current else None,
            }
        ), 409
    session.commit()
    return jsonify({"item_id": item_id, "version": new_version, "fingerprint": fingerprint(fields)})


def _names(session: Any, ids: list[int]) -> dict[int, str]:
    return {user_id: user.name for user_id in ids if (user := session.get(User, user_id)) is not None}


@blueprint.get("/assessments/<int:assessment_id>/progress")
@api_login_required
def progress(assessment_id: int) -> ResponseReturnValue:
    session = db()
    found = open_assessment(session, current_user, assessment_id)
    scores = scores_of(session, found)
    return jsonify(
        {
            "overall": {
                "answered": sum(p.answered for p in scores.pillars.values()),
                "applicable": sum(p.applicable for p in scores.pillars.values()),
                "completeness": scores.completeness,
            },
            "measures": {
                key: {"answered": m.answered, "applicable": m.applicable, "score": m.score}
                for key, m in scores.measures.items()
            },
            "hidden": [key for key, item in scores.items.items() if item.state == "hidden"],
        }
    )


@blueprint.get("/assessments/<int:assessment_id>/results")
@api_login_required
def results(assessment_id: int) -> ResponseReturnValue:
    session = db()
    found = open_assessment(session, current_user, assessment_id)
    questionnaire = questionnaire_of(session, found)
    library = get_library(session)
    return jsonify(results_as_dict(results_of(session, found), questionnaire, library))
