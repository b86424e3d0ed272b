"""Sign in (password, then the second factor where the user has one) and sign out."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.models import User
from app.services import second_factor, security_log
from app.services.accounts import TooManyFailures, authenticate, end_sessions
from app.services.throttle import SignInThrottle
from app.web import sessions
from app.web.account.second_factor import begin_session
from app.web.auth import links  # noqa: F401 - registers the reset and invitation pages
from app.web.auth.blueprint import blueprint
from app.web.auth.forms import LoginForm, SecondFactorForm
from app.web.database import db
from app.web.errors import as_sentence, describe
from app.web.extensions import limiter

__all__ = ["blueprint"]

PENDING = "_second_factor"  # who gave the right password and still owes a code
PENDING_SECONDS = 300


def _login_limit() -> str:
    return str(current_app.config["LOGIN_RATE_LIMIT"])


def _safe_next(target: str | None) -> str:
    """Only same-site paths: never redirect a user to another site after login."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("main.home")


def address() -> str:
    return request.remote_addr or ""


@blueprint.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    sessions.tell_if_ended()
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        database = db()
        email = form.email.data or ""
        try:
            user = authenticate(database, email, form.password.data or "")
        except TooManyFailures as error:
            owner = security_log.account_of(database, email)
            security_log.record(database, "locked_out", user=owner, email=email, address=address())
            database.commit()
            flash(as_sentence(describe(error)), "error")
            return render_template("auth/login.html", form=form), 429
        if user is None:
            owner = security_log.account_of(database, email)
            security_log.record(database, "sign_in_failed", user=owner, email=email, address=address())
        database.commit()  # a failure is counted too
        if user is not None:
            return _after_password(user)
        flash(_("The email or password is not right. Check both and try again."), "error")
        status = 401
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


def _after_password(user: User) -> ResponseReturnValue:
    target = _safe_next(request.args.get("next"))
    if second_factor.has_second_factor(user):
        session[PENDING] = {
            "user": user.id,
            "generation": user.session_generation,
            "at": int(time.time()),
            "next": target,
        }
        return redirect(url_for(".second_factor_step"))
    security_log.record(db(), "sign_in", user=user, address=address(), second_factor="none")
    db().commit()
    begin_session(user)
    return redirect(target)


def _pending_user() -> tuple[User, str] | None:
    pending = session.get(PENDING)
    if not isinstance(pending, dict) or not isinstance(pending.get("user"), int):
        return None
    if not isinstance(pending.get("at"), int) or time.time() - pending["at"] > PENDING_SECONDS:
        return None
    user = db().get(User, pending["user"])
    if user is None or not user.active or user.session_generation != pending.get("generation"):
        return None
    return user, _safe_next(pending.get("next"))


@blueprint.route("/login/second-factor", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def second_factor_step() -> ResponseReturnValue:
    found = _pending_user()
    if found is None:
        session.pop(PENDING, None)
        flash(_("Sign in with your email and password first."), "info")
        return redirect(url_for(".login"))
    user, target = found
    form = SecondFactorForm()
    status = 200
    if form.validate_on_submit():
        database = db()
        throttle = SignInThrottle.for_email(user.email)
        if wait := throttle.wait(database):
            flash(describe(TooManyFailures(wait)), "error")
            return render_template("auth/second_factor.html", form=form), 429
        code = (form.code.data or "").strip()
        by_code = second_factor.check_code(user, code)
        by_recovery = not by_code and second_factor.use_recovery_code(user, code)
        if by_code or by_recovery:
            throttle.succeeded(database)
            method = "totp" if by_code else "recovery_code"
            security_log.record(database, "sign_in", user=user, address=address(), second_factor=method)
            if by_recovery:
                security_log.record(database, "recovery_code_used", user=user, address=address())
            database.commit()
            session.pop(PENDING, None)
            begin_session(user)
            if by_recovery:
                left = len(user.recovery_codes or [])
                flash(
                    ngettext(
                        "You signed in with a recovery code: %(num)s is left. Make new ones on your account page.",
                        "You signed in with a recovery code: %(num)s are left. Make new ones on your account page.",
                        left,
                    ),
                    "info",
                )
            return redirect(target)
        throttle.failed(database)
        security_log.record(database, "second_factor_failed", user=user, address=address())
        database.commit()
        if second_factor.code_was_used(user, code):
            flash(_("That code was used already. Enter the next code your app shows (within 30 seconds)."), "error")
        else:
            flash(_("That code is not right. Enter the code your app shows now."), "error")
        status = 401
    elif request.method == "POST":
        status = 400
    return render_template("auth/second_factor.html", form=form), status


@blueprint.post("/logout")
def logout() -> ResponseReturnValue:
    """Sign out: every session of the user ends, here and on every other device, worker and server."""
    if current_user.is_authenticated:
        end_sessions(current_user)
        db().commit()
    sessions.end()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))
