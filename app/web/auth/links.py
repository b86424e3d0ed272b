"""Pages opened from an e-mail: "forgot your password?", a reset link, an invitation link.

The links carry their token in the query string, which access logs leave out (``ctsat serve``
logs the path only), so that a working link is never written to a log."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.services import account_links, second_factor, security_log
from app.services.account_links import LinkInvalid
from app.services.accounts import MIN_PASSWORD, AccountRefused
from app.web import sessions
from app.web.account.forms import InvitationAcceptForm, NewPasswordForm, role_labels, show_refusal
from app.web.account.second_factor import begin_session
from app.web.auth.blueprint import blueprint
from app.web.auth.forms import ForgotPasswordForm
from app.web.database import db
from app.web.extensions import limiter
from app.web.mail import send_message


def _limit() -> str:
    return str(current_app.config["LOGIN_RATE_LIMIT"])


def _link_gone() -> ResponseReturnValue:
    return render_template("auth/link_gone.html"), 410


@blueprint.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"])
def forgot_password() -> ResponseReturnValue:
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        database = db()
        minutes = current_app.config["PASSWORD_RESET_MINUTES"]
        found = account_links.request_reset(database, form.email.data or "", minutes)
        if found is not None:
            user, token = found
            security_log.record(database, "password_reset_requested", user=user, address=request.remote_addr or "")
            link = url_for(".reset_password", token=token, _external=True)
            send_message(user.email, user.language, "password_reset", name=user.name, link=link, minutes=minutes)
        database.commit()
        # The same answer whether or not the address has an account.
        return render_template("auth/reset_sent.html", email=form.email.data, minutes=minutes)
    status = 400 if request.method == "POST" else 200
    return render_template("auth/forgot_password.html", form=form), status


@blueprint.route("/reset-password", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"])
def reset_password() -> ResponseReturnValue:
    token = request.args.get("token", "")
    database = db()
    try:
        account_links.open_reset(database, token)
    except LinkInvalid:
        return _link_gone()
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            user = account_links.complete_reset(database, token, form.new_password.data or "")
        except LinkInvalid:
            return _link_gone()
        except AccountRefused as error:
            show_refusal(form, error)
        else:
            security_log.record(database, "password_reset", user=user, address=request.remote_addr or "")
            database.commit()
            send_message(
                user.email,
                user.language,
                "password_changed",
                name=user.name,
                link=url_for("auth.forgot_password", _external=True),
            )
            if current_user.is_authenticated:
                sessions.end()
            flash(_("Your password is changed and every session of yours has ended. Sign in with the new one."), "info")
            return redirect(url_for(".login"))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/reset_password.html", form=form, min_password=MIN_PASSWORD), status


@blueprint.route("/invitation", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"])
def accept_invitation() -> ResponseReturnValue:
    token = request.args.get("token", "")
    database = db()
    try:
        invitation = account_links.open_invitation(database, token)
    except LinkInvalid:
        return _link_gone()
    form = InvitationAcceptForm()
    if not form.is_submitted():
        form.name.data = invitation.name
    if form.validate_on_submit():
        try:
            user = account_links.accept(database, token, form.name.data or "", form.new_password.data or "")
        except LinkInvalid:
            return _link_gone()
        except AccountRefused as error:
            show_refusal(form, error)
        else:
            security_log.record(database, "invitation_accepted", user=user, address=request.remote_addr or "")
            database.commit()
            begin_session(user)
            flash(_("Welcome to CTSAT, %(name)s: your account is ready.", name=user.name), "info")
            if second_factor.required_for(user, current_app.config["REQUIRE_SECOND_FACTOR"]):
                return redirect(url_for("account.second_factor"))
            return redirect(url_for("main.home"))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "auth/accept_invitation.html",
        form=form,
        invitation=invitation,
        role_label=role_labels().get(invitation.role, invitation.role),
        min_password=MIN_PASSWORD,
        needs_second_factor=invitation.role in second_factor.REQUIRED_ROLES
        or current_app.config["REQUIRE_SECOND_FACTOR"] == "all",
    ), status
