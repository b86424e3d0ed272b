"""The country's action plan, drafted from gaps: list, add, edit, reorder, delete."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.questionnaire import Questionnaire, localise
from app.models import Action, Assessment, Country
from app.services.assessments import questionnaire_of, results_of
from app.services.plans import (
    DIRECTIONS,
    ActionError,
    add_action,
    can_edit_plan,
    can_update_action_status,
    delete_action,
    gaps_to_plan,
    get_action,
    move_action,
    open_plan,
    plan_of,
    plan_progress,
    update_action,
    update_action_status,
)
from app.web.database import db
from app.web.errors import describe, error_response
from app.web.plans.forms import ActionForm, StatusForm, status_labels

blueprint = Blueprint("plans", __name__, url_prefix="/assessments")


def _language() -> str:
    return str(get_locale() or "en").split("_")[0]


def _read_only() -> ResponseReturnValue:
    return error_response(
        403,
        _(
            "Only your country's officials and coordinator can change the action plan, "
            "and only until the assessment is final."
        ),
    )


def _to_plan(assessment: Assessment, action: Action | None = None) -> ResponseReturnValue:
    anchor = f"action-{action.id}" if action is not None else None
    return redirect(url_for(".index", assessment_id=assessment.id, _anchor=anchor))


@blueprint.get("/<int:assessment_id>/plan")
@login_required
def index(assessment_id: int) -> ResponseReturnValue:
    session = db()
    assessment = open_plan(session, current_user, assessment_id)
    actions = plan_of(session, assessment.id)
    return render_template(
        "plans/index.html",
        assessment=assessment,
        questionnaire=questionnaire_of(session, assessment),
        country=session.get(Country, assessment.country_code),
        actions=actions,
        progress=plan_progress(session, assessment, actions),
        gaps=gaps_to_plan(results_of(session, assessment, guidance_gaps=0).gaps, actions),
        editable=can_edit_plan(current_user, assessment),
        status_editable=can_update_action_status(current_user, assessment),
        statuses=status_labels(),
    )


def _prefill(questionnaire: Questionnaire, item_id: str | None) -> dict[str, Any] | None:
    """Form values for an action that closes the gap on ``item_id``; None if there is no such item."""
    if not item_id:
        return {}
    item = questionnaire.items.get(item_id)
    if item is None:
        return None
    question = localise(item.question, _language()).rstrip(" ?")
    return {
        "title": _("Put in place: %(what)s", what=question),
        "measure_id": questionnaire.measure_of_item[item_id],
        "item_ids": [item_id],
    }


def _render_form(
    assessment: Assessment, form: ActionForm, action: Action | None, status: int, refreshed: bool = False
) -> ResponseReturnValue:
    return render_template(
        "plans/form.html",
        assessment=assessment,
        form=form,
        action=action,
        questionnaire=form.questionnaire,
        refreshed=refreshed,
    ), status


def _save(form: ActionForm, assessment: Assessment, action: Action | None) -> ResponseReturnValue:
    """Validate and save a posted action form; re-show it with the user's values when it is wrong."""
    if "show_items" in request.form:
        return _render_form(assessment, form, action, 200, refreshed=True)
    if form.validate_on_submit():
        session = db()
        try:
            if action is None:
                action = add_action(session, current_user, assessment, form.draft())
                flash(_("The action was added at the end of the plan."), "info")
            else:
                update_action(session, current_user, assessment, action, form.draft())
                flash(_("The action was saved."), "info")
        except ActionError as error:
            session.rollback()
            getattr(form, error.field).errors = [describe(error)]
        else:
            session.commit()
            return _to_plan(assessment, action)
    return _render_form(assessment, form, action, 400)


@blueprint.route("/<int:assessment_id>/plan/new", methods=["GET", "POST"])
@login_required
def new(assessment_id: int) -> ResponseReturnValue:
    session = db()
    assessment = open_plan(session, current_user, assessment_id)
    if not can_edit_plan(current_user, assessment):
        return _read_only()
    questionnaire = questionnaire_of(session, assessment)
    if request.method == "POST":
        return _save(ActionForm(questionnaire, _language()), assessment, None)
    prefill = _prefill(questionnaire, request.args.get("item"))
    if prefill is None:
        return error_response(400, _("There is no item %(item)s in this questionnaire.", item=request.args["item"]))
    return _render_form(assessment, ActionForm(questionnaire, _language(), data=prefill), None, 200)


@blueprint.route("/<int:assessment_id>/plan/<int:action_id>/edit", methods=["GET", "POST"])
@login_required
def edit(assessment_id: int, action_id: int) -> ResponseReturnValue:
    session = db()
    assessment = open_plan(session, current_user, assessment_id)
    action = get_action(session, assessment, action_id)
    if can_edit_plan(current_user, assessment):
        form = ActionForm(questionnaire_of(session, assessment), _language(), obj=action)
        if request.method == "POST":
            return _save(form, assessment, action)
        return _render_form(assessment, form, action, 200)
    if not can_update_action_status(current_user, assessment):
        return _read_only()
    return _edit_status(assessment, action)


def _edit_status(assessment: Assessment, action: Action) -> ResponseReturnValue:
    """A final cycle's plan: only the status of an action changes, to track progress."""
    form = StatusForm(obj=action)
    status = 200
    if form.validate_on_submit():
        session = db()
        update_action_status(session, current_user, assessment, action, form.status.data)
        session.commit()
        flash(_("The status was updated."), "info")
        return _to_plan(assessment, action)
    if request.method == "POST":
        status = 400
    questionnaire = questionnaire_of(db(), assessment)
    return render_template(
        "plans/status.html",
        assessment=assessment,
        action=action,
        form=form,
        questionnaire=questionnaire,
        statuses=status_labels(),
    ), status


@blueprint.post("/<int:assessment_id>/plan/<int:action_id>/move")
@login_required
def move(assessment_id: int, action_id: int) -> ResponseReturnValue:
    session = db()
    assessment = open_plan(session, current_user, assessment_id)
    action = get_action(session, assessment, action_id)
    if not can_edit_plan(current_user, assessment):
        return _read_only()
    direction = request.form.get("direction", "")
    if direction not in DIRECTIONS:
        return error_response(400, _("Move an action up or down."))
    if move_action(session, current_user, assessment, action, direction):
        session.commit()
    return _to_plan(assessment, action)


@blueprint.route("/<int:assessment_id>/plan/<int:action_id>/delete", methods=["GET", "POST"])
@login_required
def delete(assessment_id: int, action_id: int) -> ResponseReturnValue:
    session = db()
    assessment = open_plan(session, current_user, assessment_id)
    action = get_action(session, assessment, action_id)
    if not can_edit_plan(current_user, assessment):
        return _read_only()
    if request.method == "POST":
        title = action.title
        delete_action(session, current_user, assessment, action)
        session.commit()
        flash(_("The action “%(title)s” was deleted.", title=title), "info")
        return _to_plan(assessment)
    return render_template(
        "plans/delete.html",
        assessment=assessment,
        action=action,
        questionnaire=questionnaire_of(session, assessment),
        statuses=status_labels(),
    )
