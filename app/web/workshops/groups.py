"""Groups: suggest pillar and similar-country groups, adjust them by hand, each group's workspace."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app.core.errors import NotFound
from app.core.numbers import ID_RANGE, int_or
from app.core.workshop_terms import groups_from_results
from app.models import Country
from app.services.catalog import get_library
from app.services.workshop_groups import (
    StrategyInput,
    add_strategy,
    get_group,
    groups_of,
    may_work_in,
    save_group,
    shared_profiles,
    strategies_of,
    suggest_pillar_groups,
    suggest_similar_groups,
    workspace,
)
from app.services.workshops import (
    WorkshopError,
    manage_workshop,
    open_workshop,
    participants_of,
    questionnaire_of_workshop,
    scope_of,
)
from app.web.country_names import names_by_code
from app.web.database import db
from app.web.errors import describe
from app.web.workshops.blueprint import blueprint


def _names(session: Any) -> dict[str, str]:
    return names_by_code(session.scalars(select(Country)))


def _groups_page(session: Any, workshop: Any, status: int = 200, error: str | None = None) -> ResponseReturnValue:
    return render_template(
        "workshops/groups.html",
        workshop=workshop,
        groups=groups_of(session, workshop),
        people={str(p.id): (p, user) for p, user in participants_of(session, workshop)},
        shared=sorted(shared_profiles(session, workshop)),
        similar_allowed=groups_from_results(workshop.sharing_terms),
        names=_names(session),
        error=error,
        form=request.form,
    ), status


@blueprint.get("/workshops/<int:workshop_id>/groups")
@login_required
def groups(workshop_id: int) -> ResponseReturnValue:
    session = db()
    return _groups_page(session, manage_workshop(session, current_user, workshop_id))


@blueprint.post("/workshops/<int:workshop_id>/groups/suggest")
@login_required
def suggest(workshop_id: int) -> ResponseReturnValue:
    session = db()
    workshop = manage_workshop(session, current_user, workshop_id)
    try:
        if request.form.get("kind") == "similar":
            raw = request.form.get("count", "2").strip()
            suggest_similar_groups(session, workshop, int_or(raw, 0, 0, 1000))
        else:
            suggest_pillar_groups(session, workshop)
    except WorkshopError as error:
        session.rollback()
        return _groups_page(session, workshop, 400, describe(error))
    session.commit()
    flash(_("Groups suggested. Adjust them below if needed."), "info")
    return redirect(url_for(".groups", workshop_id=workshop.id))


@blueprint.post("/workshops/<int:workshop_id>/groups/save")
@login_required
def save(workshop_id: int) -> ResponseReturnValue:
    """Create a custom group (no group id) or rename and re-member one; or delete it."""
    session = db()
    workshop = manage_workshop(session, current_user, workshop_id)
    raw_id = request.form.get("group", "")
    group = get_group(session, workshop, int_or(raw_id, 0, *ID_RANGE)) if raw_id.strip() else None
    if group is not None and request.form.get("action") == "delete":
        session.delete(group)
        session.commit()
        flash(_("The group is deleted."), "info")
        return redirect(url_for(".groups", workshop_id=workshop.id))
    try:
        save_group(session, workshop, group, request.form.get("name", ""), request.form.getlist("members"))
    except WorkshopError as error:
        session.rollback()
        return _groups_page(session, workshop, 400, describe(error))
    session.commit()
    flash(_("The group is saved."), "info")
    return redirect(url_for(".groups", workshop_id=workshop.id))


@blueprint.route("/workshops/<int:workshop_id>/groups/<int:group_id>", methods=["GET", "POST"])
@login_required
def group_workspace(workshop_id: int, group_id: int) -> ResponseReturnValue:
    session = db()
    workshop, participant = open_workshop(session, current_user, workshop_id)
    group = get_group(session, workshop, group_id)
    if not may_work_in(session, current_user, workshop, group):
        raise NotFound("no such group")
    error, status = None, 200
    if request.method == "POST":
        data = StrategyInput(
            request.form.get("title", ""),
            request.form.getlist("measures"),
            request.form.get("actions", ""),
            request.form.get("lead", ""),
            request.form.getlist("resources"),
        )
        try:
            add_strategy(session, current_user, workshop, group, data)
        except WorkshopError as problem:
            session.rollback()
            error, status = describe(problem), 400
        else:
            session.commit()
            flash(_("The strategy is recorded."), "info")
            return redirect(url_for(".group_workspace", workshop_id=workshop.id, group_id=group.id))
    questionnaire = questionnaire_of_workshop(session, workshop)
    return render_template(
        "workshops/workspace.html",
        workshop=workshop,
        group=group,
        questionnaire=questionnaire,
        scope=scope_of(workshop, questionnaire),
        space=workspace(session, workshop, group, participant),
        strategies=strategies_of(session, group),
        library=get_library(session),
        names=_names(session),
        error=error,
        form=request.form,
    ), status
