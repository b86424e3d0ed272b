"""Joining a workshop with its code: signed-in users pick country, agency and pillar; visitors register."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_user
from sqlalchemy import select

from app.core.errors import N_
from app.models import Country, User
from app.services.accounts import MIN_PASSWORD, AccountError, create_user
from app.services.workshops import JoinChoice, WorkshopError, join, questionnaire_of_workshop, workshop_by_code
from app.web.database import db
from app.web.errors import describe
from app.web.extensions import limiter
from app.web.workshops.blueprint import blueprint


def _join_limit() -> str:
    return str(current_app.config["LOGIN_RATE_LIMIT"])


def _page(status: int, **context: Any) -> ResponseReturnValue:
    context.setdefault("form", request.form)
    context.setdefault("min_password", MIN_PASSWORD)
    return render_template("workshops/join.html", **context), status


def _register(session: Any, choice: JoinChoice) -> User:
    """A new official of the chosen country; AccountError or WorkshopError with a clear message."""
    password = request.form.get("password", "")
    if password != request.form.get("password_again", ""):
        raise AccountError(N_("the two passwords are not the same"))
    name = " ".join(request.form.get("name", "").split())
    if not name:
        raise AccountError(N_("your name is required"))
    return create_user(
        session, request.form.get("email", ""), name, password, "official", choice.country_code, choice.agency or None
    )


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
        return _page(400, workshop=None, code=code, error=describe(error))
    questionnaire = questionnaire_of_workshop(session, workshop)
    countries = list(session.scalars(select(Country).filter(Country.code.in_(workshop.invited_countries))))
    context = {"workshop": workshop, "code": code, "pillars": questionnaire.pillars, "countries": countries}
    if request.method == "GET" or "country" not in request.form:
        return _page(200, **context)
    choice = JoinChoice(request.form.get("country", ""), request.form.get("agency", ""), request.form.get("pillar", ""))
    try:
        with session.begin_nested():
            user = current_user if current_user.is_authenticated else _register(session, choice)
            join(session, user, workshop, choice)
    except (WorkshopError, AccountError) as error:
        return _page(400, error=describe(error), **context)
    session.commit()
    if not current_user.is_authenticated:
        login_user(user)
    flash(_("Welcome to %(title)s. Answer the measures of your expertise below.", title=workshop.title), "info")
    return redirect(url_for(".board_page", workshop_id=workshop.id))
