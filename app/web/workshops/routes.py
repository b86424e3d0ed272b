"""Facilitator pages: list, set up, edit, join code, and the live board (HTML and JSON).

Importing this module registers every workshops view (join, groups, evaluation too).
"""

from __future__ import annotations

from typing import Any

from flask import Response, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app.core.errors import N_, NotFound, PermissionDenied
from app.core.workshop_terms import TERMS, WORDING
from app.models import Country, QuestionnaireVersion, Workshop
from app.services.catalog import get_library, get_questionnaire, latest_questionnaire
from app.services.workshop_admission import waiting
from app.services.workshop_board import board, fingerprint
from app.services.workshop_evaluation import DEFAULT_QUESTIONS, questions_as_text
from app.services.workshop_groups import groups_of, strategies_of
from app.services.workshops import (
    CODE_DAYS,
    WorkshopError,
    awaiting_terms,
    create_workshop,
    joined_workshops,
    manage_workshop,
    open_workshop,
    participant_of,
    questionnaire_of_workshop,
    renew_code,
    require_facilitator,
    revoke_code,
    terms_accepted_by_anyone,
    update_workshop,
    workshops_of,
)
from app.web.country_names import country_label, names_by_code
from app.web.database import db
from app.web.errors import describe
from app.web.workshops import admission, evaluation, groups, join, merge, projector, report  # noqa: F401 - registers views
from app.web.workshops.blueprint import blueprint
from app.web.workshops.board_view import board_charts
from app.web.workshops.forms import EVALUATION_FIELD, settings_from_form
from app.web.workshops.terms import terms_page

__all__ = ["blueprint"]


@blueprint.get("/workshops")
@login_required
def index() -> ResponseReturnValue:
    session = db()
    if current_user.role not in ("facilitator", "admin"):
        joined = joined_workshops(session, current_user)
        if not joined:
            raise PermissionDenied(N_("Only facilitators run workshops. To take part, use your join code."))
        return render_template("workshops/index.html", rows=joined, facilitator=False)
    rows = [(workshop, None) for workshop in workshops_of(session, current_user)]
    return render_template("workshops/index.html", rows=rows, facilitator=True)


def _choices(session: Any) -> dict[str, Any]:
    countries = sorted(session.scalars(select(Country).filter_by(kind="state")), key=country_label)
    versions = list(session.scalars(select(QuestionnaireVersion).order_by(QuestionnaireVersion.loaded_at.desc())))
    return {"countries": countries, "versions": versions}


def _form_page(status: int = 200, **context: Any) -> ResponseReturnValue:
    return render_template("workshops/form.html", terms_list=TERMS, terms_wording=WORDING, **context), status


@blueprint.route("/workshops/new", methods=["GET", "POST"])
@login_required
def new() -> ResponseReturnValue:
    session = db()
    require_facilitator(current_user)
    questionnaire = latest_questionnaire(session)
    if request.method == "POST":
        chosen = request.form.get("questionnaire", questionnaire.key)
        questionnaire_id, _sep, version = chosen.partition("@")
        questionnaire = get_questionnaire(session, questionnaire_id, version)
        try:
            workshop = create_workshop(session, current_user, questionnaire, settings_from_form())
        except WorkshopError as error:
            session.rollback()
            return _form_page(
                400, error=describe(error), form=request.form, questionnaire=questionnaire, **_choices(session)
            )
        session.commit()
        flash(_("The workshop is ready. Give participants the join code."), "info")
        return redirect(url_for(".board_page", workshop_id=workshop.id))
    form = {"code_days": str(CODE_DAYS), EVALUATION_FIELD: questions_as_text(list(DEFAULT_QUESTIONS))}
    return _form_page(form=form, questionnaire=questionnaire, **_choices(session))


def _form_of(workshop: Any) -> dict[str, Any]:
    return {
        "title": workshop.title,
        "starts_on": workshop.starts_on.isoformat() if workshop.starts_on else "",
        "ends_on": workshop.ends_on.isoformat() if workshop.ends_on else "",
        "venue": workshop.venue,
        "online": "1" if workshop.online else "",
        "code_days": str(CODE_DAYS),
        EVALUATION_FIELD: questions_as_text(workshop.evaluation_questions),
        "sharing_terms": workshop.sharing_terms,
    }


@blueprint.route("/workshops/<int:workshop_id>/edit", methods=["GET", "POST"])
@login_required
def edit(workshop_id: int) -> ResponseReturnValue:
    session = db()
    workshop = manage_workshop(session, current_user, workshop_id)
    questionnaire = questionnaire_of_workshop(session, workshop)
    context = {
        "workshop": workshop,
        "questionnaire": questionnaire,
        "terms_locked": terms_accepted_by_anyone(session, workshop),
        **_choices(session),
    }
    if request.method == "POST":
        try:
            update_workshop(session, current_user, workshop, settings_from_form())
        except WorkshopError as error:
            session.rollback()
            return _form_page(400, error=describe(error), form=request.form, **context)
        session.commit()
        flash(_("The workshop is saved."), "info")
        return redirect(url_for(".board_page", workshop_id=workshop.id))
    form: dict[str, Any] = _form_of(workshop)
    return _form_page(
        form=form, chosen_measures=workshop.scope_measures, chosen_countries=workshop.invited_countries, **context
    )


@blueprint.post("/workshops/<int:workshop_id>/code")
@login_required
def code(workshop_id: int) -> ResponseReturnValue:
    session = db()
    workshop = manage_workshop(session, current_user, workshop_id)
    if request.form.get("action") == "revoke":
        revoke_code(current_user, workshop)
        flash(_("The join code is withdrawn: nobody new can join with it."), "info")
    else:
        renew_code(current_user, workshop)
        flash(_("A new join code is ready; the old one no longer works."), "info")
    session.commit()
    return redirect(url_for(".board_page", workshop_id=workshop.id))


@blueprint.get("/workshops/<int:workshop_id>")
@login_required
def board_page(workshop_id: int) -> ResponseReturnValue:
    session = db()
    try:
        workshop, participant = open_workshop(session, current_user, workshop_id)
    except NotFound:
        return _waiting_page(session, workshop_id)
    questionnaire = questionnaire_of_workshop(session, workshop)
    names = names_by_code(session.scalars(select(Country)))
    data = board(session, workshop, participant)
    strategy_groups = (
        [(group, found) for group in groups_of(session, workshop) if (found := strategies_of(session, group))]
        if participant is None
        else []
    )
    return render_template(
        "workshops/board.html",
        workshop=workshop,
        participant=participant,
        questionnaire=questionnaire,
        data=data,
        charts=board_charts(data, questionnaire, names, "board"),
        wording=WORDING[workshop.sharing_terms],
        strategy_groups=strategy_groups,
        library=get_library(session) if strategy_groups else None,
        names=names,
        waiting_count=len(waiting(session, workshop)) if participant is None else 0,
    )


def _waiting_page(session: Any, workshop_id: int) -> ResponseReturnValue:
    """Someone whose request to join is not admitted sees that, and nothing of any country."""
    workshop = session.get(Workshop, workshop_id)
    request_ = participant_of(session, current_user, workshop) if workshop is not None else None
    if workshop is None or request_ is None:
        raise NotFound("no such workshop")
    country = session.get(Country, request_.country_code)
    country_name = country_label(country) if country else request_.country_code
    if request_.status == "admitted":
        if awaiting_terms(session, current_user, workshop) is None:
            raise NotFound("no such workshop")
        return terms_page(workshop, country_name)
    return render_template("workshops/waiting.html", workshop=workshop, request_=request_, country_name=country_name)


@blueprint.get("/api/v1/workshops/<int:workshop_id>/board")
def board_json(workshop_id: int) -> ResponseReturnValue:
    if not current_user.is_authenticated:
        return jsonify({"error": _("Sign in first"), "status": 401}), 401
    session = db()
    workshop, participant = open_workshop(session, current_user, workshop_id)
    etag = fingerprint(session, workshop, participant)
    if request.if_none_match.contains(etag):
        response = Response(status=304)
    else:
        data = board(session, workshop, participant)
        names = names_by_code(session.scalars(select(Country)))
        data["charts"] = board_charts(data, questionnaire_of_workshop(session, workshop), names, "board")
        response = jsonify(data)
    response.set_etag(etag)
    response.headers["Cache-Control"] = "private, no-cache"
    return response
