"""An admitted participant reads the workshop's sharing terms and accepts them before anything else."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.errors import NotFound
from app.core.workshop_terms import WORDING
from app.models import Workshop
from app.services.workshops import accept_terms
from app.web.database import db
from app.web.workshops.blueprint import blueprint


def terms_page(workshop: Workshop, country_name: str) -> ResponseReturnValue:
    """The terms and an Accept button (a plain form: works without JavaScript)."""
    wording = WORDING[workshop.sharing_terms]
    return render_template("workshops/terms.html", workshop=workshop, wording=wording, country_name=country_name)


@blueprint.post("/workshops/<int:workshop_id>/terms")
@login_required
def accept(workshop_id: int) -> ResponseReturnValue:
    """Only an admitted participant of the workshop may accept (anyone else: 404)."""
    session = db()
    workshop = session.get(Workshop, workshop_id)
    if workshop is None:
        raise NotFound("no such workshop")
    accept_terms(session, current_user, workshop)
    session.commit()
    flash(_("You accepted the workshop's sharing terms."), "info")
    return redirect(url_for(".board_page", workshop_id=workshop.id))
