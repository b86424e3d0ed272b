"""Coordinators propose updates to their own country's profile and follow what became of them."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.errors import N_, PermissionDenied
from app.services import country_updates, editorial
from app.web.database import db
from app.web.editor.forms import ProposalForm, show_errors

blueprint = Blueprint("country_updates", __name__)


def _proposal(form: ProposalForm) -> dict[str, Any]:
    """The filled-in sections only (a section with only blanks is left out)."""
    data: dict[str, Any] = {}
    for section in form.SECTIONS:
        values = {name: (value or "").strip() for name, value in getattr(form, section).data.items()}
        entry = {name: value for name, value in values.items() if value}
        if entry:
            data[section] = [entry]
    if (form.coordinating_body.data or "").strip():
        data["coordinating_body"] = form.coordinating_body.data.strip()
    return data


@blueprint.route("/countries/<code>/propose-update", methods=["GET", "POST"])
@login_required
def propose(code: str) -> ResponseReturnValue:
    session = db()
    if not country_updates.can_propose(current_user, code):
        raise PermissionDenied(N_("Only the coordinator of a country can propose updates to its profile."))
    row = editorial.country_row(session, code)
    form = ProposalForm()
    if form.validate_on_submit():
        try:
            country_updates.submit_update(session, current_user, row.code, _proposal(form), form.comment.data)
        except editorial.EntryInvalid as error:
            show_errors(form, error.errors)
        else:
            session.commit()
            flash(_("Sent for review. An editor will check it before it appears on the profile."), "info")
            return redirect(url_for(".mine"))
    return render_template(
        "editor/propose.html", form=form, row=row, profile=editorial.country_profile(row)
    ), 400 if request.method == "POST" else 200


@blueprint.get("/my/country-updates")
@login_required
def mine() -> ResponseReturnValue:
    return render_template("editor/my_updates.html", updates=country_updates.updates_of(db(), current_user))
