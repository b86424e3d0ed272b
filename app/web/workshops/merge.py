"""Merging a workshop assessment into the country's cycle: the coordinator compares and chooses item by item."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.errors import NotFound, PermissionDenied
from app.core.merge import TAKE
from app.core.numbers import ID_RANGE, is_int
from app.models import Assessment, Country
from app.services.workshop_merge import (
    FINAL,
    NOT_DRAFT,
    OTHER_VERSION,
    WORKSHOP_TARGET,
    MergeDecision,
    MergeError,
    MergeSource,
    apply_merge,
    is_coordinator_of,
    merge_targets,
    merge_view,
    open_source,
    open_target,
)
from app.web.answer_input import parse_version
from app.web.database import db
from app.web.workshops.blueprint import blueprint


def _reason(error: MergeError) -> str:
    messages: dict[str, str] = {
        FINAL: _("This cycle is final: its answers can no longer change. Start the next cycle and merge into that."),
        NOT_DRAFT: _("This cycle is submitted for review: its answers can change only once it is back in draft."),
        OTHER_VERSION: _("This cycle uses another questionnaire version, so its items do not match the workshop's."),
        WORKSHOP_TARGET: _("Choose one of your country's own cycles, not a workshop assessment."),
    }
    return str(messages.get(error.reason) or _("This cycle cannot take the workshop's answers."))


def _target_id(raw: str | None) -> int | None:
    if raw is None or raw == "":
        return None
    if not is_int(raw, *ID_RANGE):
        raise NotFound("no such assessment")
    return int(raw)


def _decisions(item_ids: Any) -> dict[str, MergeDecision]:
    """The choices the form sent (one radio group per differing item, with the versions shown)."""
    decisions = {}
    for item_id in item_ids:
        choice = request.form.get(f"{item_id}-choice")
        if choice is None:
            continue
        decisions[item_id] = MergeDecision(
            choice,
            parse_version(request.form.get(f"{item_id}-workshop-version", ""), item_id),
            parse_version(request.form.get(f"{item_id}-cycle-version", ""), item_id),
        )
    return decisions


def _page(
    session: Any, source: MergeSource, target: Assessment | None, status: int = 200, **context: Any
) -> ResponseReturnValue:
    targets = merge_targets(session, source.assessment)
    view = merge_view(session, source.assessment, target) if target is not None else None
    context.setdefault("choices", {})
    context.setdefault("stale", [])
    return render_template(
        "workshops/merge.html",
        source=source.assessment,
        workshop=source.workshop,
        country=session.get(Country, source.assessment.country_code),
        targets=targets,
        target=target,
        view=view,
        **context,
    ), status


@blueprint.route("/workshops/assessments/<int:assessment_id>/merge", methods=["GET", "POST"])
@login_required
def merge(assessment_id: int) -> ResponseReturnValue:
    session = db()
    source = open_source(session, current_user, assessment_id)
    raw = request.form.get("into") if request.method == "POST" else request.args.get("into")
    target_id = _target_id(raw)
    if target_id is None:
        if request.method == "POST":
            return _page(session, source, None, 400, error=_("Choose the cycle to merge into."))
        targets = merge_targets(session, source.assessment)
        if len(targets) != 1:
            return _page(session, source, None)
        target_id = targets[0].id
    try:
        target = open_target(session, source.assessment, target_id)
    except MergeError as error:
        return _page(session, source, None, 400, error=_reason(error))
    if request.method == "GET":
        return _page(session, source, target, choices=_preferred(session, source, target))
    return _confirm(session, source, target)


def _preferred(session: Any, source: MergeSource, target: Assessment) -> dict[str, str]:
    """With ``?prefer=workshop``, every differing item starts on "take the workshop's answer"."""
    if request.args.get("prefer") != "workshop":
        return {}
    view = merge_view(session, source.assessment, target)
    return {comparison.item_id: TAKE for comparison in view.comparisons if comparison.choosable}


def _confirm(session: Any, source: MergeSource, target: Assessment) -> ResponseReturnValue:
    questionnaire = merge_view(session, source.assessment, target).questionnaire
    decisions = _decisions(questionnaire.items)
    choices = {item_id: decision.choice for item_id, decision in decisions.items()}
    try:
        outcome = apply_merge(session, current_user, source.assessment, target, decisions)
    except ValueError:
        session.rollback()
        return _page(session, source, target, 400, error=_("Choose keep or take for each item."), choices=choices)
    session.commit()
    if outcome.stale:
        kept = {item_id: choice for item_id, choice in choices.items() if item_id not in outcome.stale}
        error = _(
            "%(count)s answer(s) changed since you opened this page, so nothing was merged yet. "
            "They are marked below with their new values; your other choices are kept. Check and merge again.",
            count=len(outcome.stale),
        )
        return _page(session, source, target, 409, error=error, choices=kept, stale=outcome.stale)
    if outcome.taken:
        flash(_("%(count)s workshop answer(s) taken into this cycle.", count=len(outcome.taken)), "info")
    else:
        flash(_("Nothing was taken from the workshop: the cycle's answers are unchanged."), "info")
    return redirect(url_for("assessments.overview", assessment_id=target.id))


@blueprint.app_template_global("workshop_merge_link")
def workshop_merge_link(assessment: Assessment) -> str | None:
    """The merge page's address if the signed-in user can merge this (workshop) assessment, else None."""
    if not current_user.is_authenticated or not is_coordinator_of(current_user, assessment):
        return None
    try:
        open_source(db(), current_user, assessment.id)
    except (NotFound, PermissionDenied):  # not a workshop assessment: no link
        return None
    return url_for("workshops.merge", assessment_id=assessment.id)
