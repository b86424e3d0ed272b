"""The facilitator admits or declines join requests and lists expected attendees; a coordinator
makes participants admitted for their country officials of it."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Country, Workshop, WorkshopParticipant
from app.services.workshop_admission import decide, expected_of, make_official, promotable, set_expected, waiting
from app.services.workshops import WorkshopError, manage_workshop, participants_of
from app.web import notify
from app.web.country_names import names_by_code
from app.web.database import db
from app.web.errors import as_sentence, describe
from app.web.workshops.blueprint import blueprint


def _participants_page(session: Session, workshop: Workshop, status: int = 200, **context: Any) -> ResponseReturnValue:
    expected = expected_of(session, workshop)
    context.setdefault("expected_text", "\n".join(f"{row.email}, {row.country_code}" for row in expected))
    return render_template(
        "workshops/participants.html",
        workshop=workshop,
        waiting=waiting(session, workshop),
        admitted=participants_of(session, workshop),
        declined=participants_of(session, workshop, "declined"),
        expected=expected,
        names=names_by_code(session.scalars(select(Country))),
        **context,
    ), status


@blueprint.get("/workshops/<int:workshop_id>/participants")
@login_required
def participants(workshop_id: int) -> ResponseReturnValue:
    session = db()
    return _participants_page(session, manage_workshop(session, current_user, workshop_id))


@blueprint.post("/workshops/<int:workshop_id>/participants/<int:participant_id>")
@login_required
def decide_participant(workshop_id: int, participant_id: int) -> ResponseReturnValue:
    session = db()
    workshop = manage_workshop(session, current_user, workshop_id)
    admit = request.form.get("decision") == "admit"
    person = decide(session, current_user, workshop, participant_id, admit)
    session.commit()
    if (participant := session.get(WorkshopParticipant, participant_id)) is not None:
        notify.admission_decided(session, workshop, participant)
        session.commit()
    if admit:
        flash(_("%(name)s is admitted.", name=person.name), "info")
    else:
        flash(_("%(name)s is declined: they see nothing of the workshop.", name=person.name), "info")
    return redirect(url_for(".participants", workshop_id=workshop.id))


@blueprint.post("/workshops/<int:workshop_id>/expected")
@login_required
def expected(workshop_id: int) -> ResponseReturnValue:
    session = db()
    workshop = manage_workshop(session, current_user, workshop_id)
    text = request.form.get("expected", "")
    try:
        admitted = set_expected(session, current_user, workshop, text)
    except WorkshopError as error:
        session.rollback()
        return _participants_page(session, workshop, 400, error=as_sentence(describe(error)), expected_text=text)
    session.commit()
    flash(_("The list of expected attendees is saved."), "info")
    if admitted:
        flash(ngettext("%(num)s waiting request was admitted.", "%(num)s waiting requests were admitted.", admitted))
    return redirect(url_for(".participants", workshop_id=workshop.id))


@blueprint.get("/workshops/people")
@login_required
def people() -> ResponseReturnValue:
    """For a coordinator: participants admitted for their country, who may become its officials."""
    session = db()
    country = session.get(Country, current_user.country_code) if current_user.country_code else None
    return render_template("workshops/people.html", people=promotable(session, current_user), country=country)


@blueprint.post("/workshops/people/<int:user_id>")
@login_required
def make_people_official(user_id: int) -> ResponseReturnValue:
    session = db()
    person = make_official(session, current_user, user_id)
    session.commit()
    flash(_("%(name)s is now an official of your country and sees its assessments.", name=person.name), "info")
    return redirect(url_for(".people"))
