"""Joining a workshop with its code.

A signed-in official or coordinator joins for the country of their account; a participant account
chooses a country and waits to be admitted. A visitor registers: nothing is created until they
confirm their e-mail address from the link we send, and the page answers the same whether or not
the address has an account (the owner of an existing one gets an e-mail saying so).
"""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.models import Country, Workshop
from app.security import COUNTRY_ROLES, PARTICIPANT_ROLE
from app.services.accounts import MIN_PASSWORD, AccountError
from app.services.workshop_admission import (
    REGISTRATION_DAYS,
    JoinChoice,
    Registration,
    check_new_password,
    check_registration,
    complete_registration,
    email_taken,
    read_registration,
    registration_token,
    request_to_join,
)
from app.services.workshops import WorkshopError, questionnaire_of_workshop, workshop_by_code
from app.web import sessions
from app.web.country_names import country_label
from app.web.database import db
from app.web.errors import as_sentence, describe
from app.web.extensions import limiter
from app.web.mail import send_mail
from app.web.workshops.blueprint import blueprint

ANSWERING_ROLES = (*COUNTRY_ROLES, PARTICIPANT_ROLE)


def _join_limit() -> str:
    return str(current_app.config["LOGIN_RATE_LIMIT"])


def _page(status: int, **context: Any) -> ResponseReturnValue:
    context.setdefault("form", request.form)
    context.setdefault("min_password", MIN_PASSWORD)
    context.setdefault("may_join", not current_user.is_authenticated or current_user.role in ANSWERING_ROLES)
    return render_template("workshops/join.html", **context), status


def _context(session: Any, workshop: Workshop, code: str) -> dict[str, Any]:
    countries = sorted(
        session.scalars(select(Country).filter(Country.code.in_(workshop.invited_countries))), key=country_label
    )
    pillars = questionnaire_of_workshop(session, workshop).pillars
    return {"workshop": workshop, "code": code, "pillars": pillars, "countries": countries}


@blueprint.route("/workshops/join", methods=["GET", "POST"])
@blueprint.route("/workshops/join/<code>", methods=["GET", "POST"])
@limiter.limit(_join_limit, methods=["POST"])
def join_page(code: str = "") -> ResponseReturnValue:
    session = db()
    code = request.form.get("code", request.args.get("code", code))
    if not code:
        return _page(200, workshop=None, code="")
    try:
        workshop = workshop_by_code(session, code)
    except WorkshopError as error:
        return _page(400, workshop=None, code=code, error=as_sentence(describe(error)))
    context = _context(session, workshop, code)
    if request.method == "GET" or "pillar" not in request.form:
        return _page(200, **context)
    choice = JoinChoice(request.form.get("country", ""), request.form.get("agency", ""), request.form.get("pillar", ""))
    if current_user.is_authenticated:
        return _join_signed_in(session, workshop, choice, context)
    return _register(session, workshop, choice, context)


def _join_signed_in(
    session: Any, workshop: Workshop, choice: JoinChoice, context: dict[str, Any]
) -> ResponseReturnValue:
    try:
        with session.begin_nested():
            participant = request_to_join(session, current_user, workshop, choice)
    except WorkshopError as error:
        return _page(
            400 if current_user.role in ANSWERING_ROLES else 403, error=as_sentence(describe(error)), **context
        )
    session.commit()
    if participant.status == "admitted":
        flash(_("Welcome to %(title)s. Answer the measures of your expertise below.", title=workshop.title), "info")
    return redirect(url_for(".board_page", workshop_id=workshop.id))


def _register(session: Any, workshop: Workshop, choice: JoinChoice, context: dict[str, Any]) -> ResponseReturnValue:
    person = {key: request.form.get(key, "") for key in ("name", "email")}
    try:
        registration = check_registration(session, workshop, person, choice)
    except (AccountError, WorkshopError) as error:
        return _page(400, error=as_sentence(describe(error)), **context)
    _send_confirmation(session, workshop, registration)
    return render_template(
        "workshops/check_email.html", workshop=workshop, email=registration.email, days=REGISTRATION_DAYS
    )


def _send_confirmation(session: Any, workshop: Workshop, registration: Registration) -> None:
    """A confirmation link to a new address; to an address with an account, a note saying so."""
    subject = _("Confirm your e-mail to join %(title)s", title=workshop.title)
    if email_taken(session, registration.email):
        link = url_for(".join_page", code=workshop.join_code, _external=True)
        send_mail(registration.email, subject, "registration_exists", title=workshop.title, link=link)
        return
    token = registration_token(current_app.config["SECRET_KEY"], registration)
    link = url_for(".confirm_page", token=token, _external=True)
    context = {"name": registration.name, "title": workshop.title, "link": link, "days": REGISTRATION_DAYS}
    send_mail(registration.email, subject, "confirm_registration", **context)


@blueprint.get("/workshops/confirm/<token>")
def confirm_page(token: str) -> ResponseReturnValue:
    """The link from the e-mail shows a button (a link scanner that follows it creates nothing)."""
    try:
        registration = read_registration(current_app.config["SECRET_KEY"], token)
    except WorkshopError as error:
        return render_template("workshops/confirm.html", error=as_sentence(describe(error)), token=None), 400
    return _confirm_page(200, registration, token)


def _confirm_page(status: int, registration: Registration, token: str, problem: str = "") -> ResponseReturnValue:
    context = {"registration": registration, "token": token, "problem": problem, "min_password": MIN_PASSWORD}
    return render_template("workshops/confirm.html", **context), status


@blueprint.post("/workshops/confirm")
@limiter.limit(_join_limit)
def confirm() -> ResponseReturnValue:
    session = db()
    token = request.form.get("token", "")
    try:
        registration = read_registration(current_app.config["SECRET_KEY"], token)
    except WorkshopError as error:
        return render_template("workshops/confirm.html", error=as_sentence(describe(error)), token=None), 400
    try:
        password_hash = check_new_password(
            registration, request.form.get("password", ""), request.form.get("password_again", "")
        )
        with session.begin_nested():
            user = complete_registration(session, registration, password_hash)
    except (AccountError, WorkshopError) as error:
        return _confirm_page(400, registration, token, as_sentence(describe(error)))
    except IntegrityError:
        user = None  # the same link confirmed twice at once: the first one made the account
    if user is None:
        flash(_("This link was used already: sign in with your e-mail and password."), "info")
        return redirect(url_for("auth.login"))
    session.commit()
    sessions.begin(user)
    return redirect(url_for(".board_page", workshop_id=registration.workshop_id))
