"""Sign in and sign out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.services.accounts import TooManyFailures, authenticate, end_sessions
from app.web import sessions
from app.web.auth.forms import LoginForm
from app.web.database import db
from app.web.errors import as_sentence, describe
from app.web.extensions import limiter

blueprint = Blueprint("auth", __name__)


def _login_limit() -> str:
    return str(current_app.config["LOGIN_RATE_LIMIT"])


def _safe_next(target: str | None) -> str:
    """Only same-site paths: never redirect a user to another site after login."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("main.home")


@blueprint.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    sessions.tell_if_ended()
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        session = db()
        try:
            user = authenticate(session, form.email.data or "", form.password.data or "")
        except TooManyFailures as error:
            flash(as_sentence(describe(error)), "error")
            return render_template("auth/login.html", form=form), 429
        session.commit()  # a failure is counted too
        if user is not None:
            sessions.begin(user)
            return redirect(_safe_next(request.args.get("next")))
        flash(_("The email or password is not right. Check both and try again."), "error")
        status = 401
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@blueprint.post("/logout")
def logout() -> ResponseReturnValue:
    """Sign out: every session of the user ends, here and on every other device, worker and server."""
    if current_user.is_authenticated:
        end_sessions(current_user)
        db().commit()
    sessions.end()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))
