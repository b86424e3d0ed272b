"""Assessment cycles: start, settings, assign measures, review, status changes, next cycle."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app.core.errors import N_, NotFound, PermissionDenied
from app.core.numbers import int_or
from app.models import Country, QuestionnaireVersion, User
from app.security import can_manage
from app.services.assessments import open_assessment, questionnaire_of, scores_of
from app.services.catalog import get_questionnaire, latest_questionnaire
from app.services.cycles import (
    CONFIDENTIALITY,
    ROLES,
    CycleError,
    CycleSettings,
    assign,
    assignees_of,
    assignments_of,
    change_status,
    mark_ready,
    notes_of,
    officials_of,
    review,
    start_cycle,
    start_next_cycle,
    update_settings,
)
from app.services.finalising import REASON_LIMIT, readiness
from app.services.plans import carry_over
from app.web import notify
from app.web.country_names import country_label
from app.web.database import db
from app.web.errors import describe

blueprint = Blueprint("cycles", __name__, url_prefix="/assessments")


def _settings_from_form(questionnaire: Any) -> CycleSettings:
    targets: dict[str, int] = {}
    for measure_id in questionnaire.measures:
        raw = request.form.get(f"target-{measure_id}", "4")
        targets[measure_id] = int_or(raw, 0, 0, 4)
    return CycleSettings(
        title=request.form.get("title", "").strip(),
        roles=request.form.getlist("roles"),
        confidentiality=request.form.get("confidentiality", ""),
        sharing=request.form.get("sharing", "private"),
        measure_targets=targets,
    )


def _versions(session: Any) -> list[QuestionnaireVersion]:
    return list(session.scalars(select(QuestionnaireVersion).order_by(QuestionnaireVersion.loaded_at.desc())))


def _form_page(template: str, status: int = 200, **context: Any) -> ResponseReturnValue:
    context.setdefault("roles_choices", ROLES)
    context.setdefault("markings", CONFIDENTIALITY)
    return render_template(template, **context), status


@blueprint.route("/new", methods=["GET", "POST"])
@login_required
def new() -> ResponseReturnValue:
    session = db()
    if current_user.role not in ("coordinator", "admin"):
        raise PermissionDenied(N_("Only a country coordinator can start an assessment."))
    countries = sorted(session.scalars(select(Country).filter_by(kind="state")), key=country_label)
    versions = _versions(session)
    questionnaire = latest_questionnaire(session)
    if request.method == "POST":
        chosen = request.form.get("questionnaire", questionnaire.key)
        questionnaire_id, _sep, version = chosen.partition("@")
        questionnaire = get_questionnaire(session, questionnaire_id, version)
        country = current_user.country_code if current_user.role == "coordinator" else request.form.get("country", "")
        settings = _settings_from_form(questionnaire)
        try:
            assessment = start_cycle(session, current_user, country or "", questionnaire, settings)
        except CycleError as error:
            return _form_page(
                "cycles/new.html",
                400,
                error=describe(error),
                form=request.form,
                countries=countries,
                versions=versions,
                questionnaire=questionnaire,
                settings=settings,
            )
        session.commit()
        flash(_("The assessment has started. Assign measures to colleagues, or start answering."), "info")
        return redirect(url_for("assessments.overview", assessment_id=assessment.id))
    defaults = CycleSettings("", list(ROLES), CONFIDENTIALITY[0], "private", {})
    return _form_page(
        "cycles/new.html",
        countries=countries,
        versions=versions,
        questionnaire=questionnaire,
        settings=defaults,
        form={},
    )


@blueprint.route("/<int:assessment_id>/settings", methods=["GET", "POST"])
@login_required
def settings(assessment_id: int) -> ResponseReturnValue:
    session = db()
    assessment = open_assessment(session, current_user, assessment_id)
    if not can_manage(current_user, assessment):
        raise PermissionDenied(N_("Only the country's coordinator can change these settings."))
    questionnaire = questionnaire_of(session, assessment)
    if request.method == "POST":
        chosen = _settings_from_form(questionnaire)
        try:
            update_settings(session, current_user, assessment, questionnaire, chosen)
        except CycleError as error:
            return _form_page(
                "cycles/settings.html",
                400,
                error=describe(error),
                assessment=assessment,
                questionnaire=questionnaire,
                settings=chosen,
            )
        session.commit()
        flash(_("Settings saved."), "info")
        return redirect(url_for(".settings", assessment_id=assessment.id))
    current = CycleSettings(
        assessment.title,
        list(assessment.roles),
        assessment.confidentiality,
        assessment.sharing,
        dict((assessment.targets or {}).get("measures") or {}),
    )
    return _form_page("cycles/settings.html", assessment=assessment, questionnaire=questionnaire, settings=current)


def _due(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        raise CycleError(N_("Write the due date as YYYY-MM-DD.")) from None


def _chosen_people(people: dict[int, User], measure_id: str) -> list[User]:
    chosen = []
    for raw in request.form.getlist(f"user-{measure_id}"):
        if not raw:
            continue  # "Nobody"
        person = people.get(int_or(raw, 0))
        if person is None:
            raise CycleError(N_("Choose officials of this country for %(measure)s."), measure=measure_id)
        if person not in chosen:
            chosen.append(person)
    return chosen


@blueprint.route("/<int:assessment_id>/assignments", methods=["GET", "POST"])
@login_required
def assignments(assessment_id: int) -> ResponseReturnValue:
    session = db()
    assessment = open_assessment(session, current_user, assessment_id)
    if not can_manage(current_user, assessment):
        raise PermissionDenied(N_("Only the country's coordinator can assign measures."))
    questionnaire = questionnaire_of(session, assessment)
    people = {user.id: user for user in officials_of(session, assessment.country_code)}
    error = None
    if request.method == "POST":
        before = notify.assignment_snapshot(session, assessment)
        try:
            for measure_id in questionnaire.measures:
                assign(
                    session,
                    current_user,
                    assessment,
                    measure_id,
                    _chosen_people(people, measure_id),
                    _due(request.form.get(f"due-{measure_id}", "")),
                )
        except CycleError as failure:
            session.rollback()
            error = describe(failure)
        else:
            session.commit()
            notify.assignments_changed(session, assessment, before)
            session.commit()
            flash(_("Assignments saved."), "info")
            return redirect(url_for(".assignments", assessment_id=assessment.id))
    return render_template(
        "cycles/assignments.html",
        assessment=assessment,
        questionnaire=questionnaire,
        people=list(people.values()),
        current=assignments_of(session, assessment),
        assignees=assignees_of(session, assessment),
        error=error,
        form=request.form if error else None,
    ), 400 if error else 200


@blueprint.get("/<int:assessment_id>/review")
@login_required
def review_page(assessment_id: int) -> ResponseReturnValue:
    session = db()
    assessment = open_assessment(session, current_user, assessment_id)
    questionnaire = questionnaire_of(session, assessment)
    return render_template(
        "cycles/review.html",
        assessment=assessment,
        questionnaire=questionnaire,
        assignments=assignments_of(session, assessment),
        assignees=assignees_of(session, assessment),
        notes=notes_of(session, assessment),
        scores=scores_of(session, assessment),
        manager=can_manage(current_user, assessment),
    )


def _back_to(assessment_id: int) -> ResponseReturnValue:
    target = request.form.get("next", "")
    if target.startswith("/assessments/") and "//" not in target:
        return redirect(target)
    return redirect(url_for(".review_page", assessment_id=assessment_id))


@blueprint.post("/<int:assessment_id>/measures/<measure_id>/ready")
@login_required
def ready(assessment_id: int, measure_id: str) -> ResponseReturnValue:
    session = db()
    assessment = open_assessment(session, current_user, assessment_id)
    try:
        mark_ready(session, current_user, assessment, measure_id)
    except CycleError as error:
        flash(describe(error), "error")
        return _back_to(assessment_id)
    session.commit()
    notify.measure_ready(session, assessment, measure_id, current_user)
    session.commit()
    flash(_("%(measure)s is marked ready for review.", measure=measure_id), "info")
    return _back_to(assessment_id)


@blueprint.post("/<int:assessment_id>/measures/<measure_id>/review")
@login_required
def review_measure(assessment_id: int, measure_id: str) -> ResponseReturnValue:
    session = db()
    assessment = open_assessment(session, current_user, assessment_id)
    accept = request.form.get("decision") == "accept"
    try:
        review(session, current_user, assessment, measure_id, accept, request.form.get("note", ""))
    except CycleError as error:
        flash(describe(error), "error")
        return _back_to(assessment_id)
    session.commit()
    notify.measure_reviewed(session, assessment, measure_id, accept)
    session.commit()
    flash(
        _("%(measure)s accepted.", measure=measure_id) if accept else _("%(measure)s sent back.", measure=measure_id),
        "info",
    )
    return _back_to(assessment_id)


CONFIRMED = ("submitted", "final")  # status changes that show what is missing and ask first


def _confirm_page(assessment: Any, target: str, status: int = 200, **context: Any) -> ResponseReturnValue:
    session = db()
    questionnaire = questionnaire_of(session, assessment)
    return render_template(
        "cycles/confirm.html",
        assessment=assessment,
        questionnaire=questionnaire,
        target=target,
        ready=readiness(session, assessment, questionnaire),
        reason_limit=REASON_LIMIT,
        **context,
    ), status


@blueprint.get("/<int:assessment_id>/status/<target>")
@login_required
def confirm_status(assessment_id: int, target: str) -> ResponseReturnValue:
    """Before submitting or finalising: what is missing, and a confirmation (a reason if needed)."""
    assessment = open_assessment(db(), current_user, assessment_id)
    if not can_manage(current_user, assessment):
        raise PermissionDenied(N_("only the country's coordinator can do this"))
    if target not in CONFIRMED:
        raise NotFound("no such status")
    return _confirm_page(assessment, target)


@blueprint.post("/<int:assessment_id>/status")
@login_required
def status(assessment_id: int) -> ResponseReturnValue:
    session = db()
    assessment = open_assessment(session, current_user, assessment_id)
    target = request.form.get("status", "")
    if not can_manage(current_user, assessment):
        raise PermissionDenied(N_("only the country's coordinator can do this"))
    if target in CONFIRMED and request.form.get("confirmed") != "1":
        return redirect(url_for(".confirm_status", assessment_id=assessment_id, target=target), 303)
    reason = request.form.get("reason", "")
    try:
        change_status(session, current_user, assessment, target, request.form.get("note", ""), reason)
    except CycleError as error:
        session.rollback()
        if target in CONFIRMED:
            return _confirm_page(assessment, target, 400, error=describe(error), reason=reason)
        flash(describe(error), "error")
        return _back_to(assessment_id)
    session.commit()
    notify.assessment_status(session, assessment, current_user)
    session.commit()
    messages = {
        "submitted": _("Submitted for review: answers are locked until it returns to draft."),
        "draft": _("Returned to draft: officials can answer again."),
        "final": _("Finalised: the assessment is now read-only."),
    }
    flash(messages.get(target, _("Saved.")), "info")
    return _back_to(assessment_id)


@blueprint.post("/<int:assessment_id>/next")
@login_required
def next_cycle(assessment_id: int) -> ResponseReturnValue:
    session = db()
    previous = open_assessment(session, current_user, assessment_id)
    title = request.form.get("title", "").strip() or _("Next cycle of %(title)s", title=previous.title)
    try:
        new_assessment = start_next_cycle(session, current_user, previous, latest_questionnaire(session), title[:200])
    except CycleError as error:
        flash(describe(error), "error")
        return _back_to(assessment_id)
    _carry_actions(session, new_assessment, previous)
    session.commit()
    flash(_("The next cycle starts from a copy of this one's answers."), "info")
    return redirect(url_for("assessments.overview", assessment_id=new_assessment.id))


def _carry_actions(session: Any, new_assessment: Any, previous: Any) -> None:
    """Unfinished actions of the action plan go on into the next cycle."""
    carry_over(session, current_user, new_assessment, previous)
