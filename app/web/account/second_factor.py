"""Setting up the second factor (an authenticator app) and renewing recovery codes.

A user whose role needs one and who has none signs in to a session that opens only this page
(``begin_session`` marks it in the session cookie, ``enforce_second_factor`` checks the mark before
every request without a database read) until they have set it up."""

from __future__ import annotations

from flask import current_app, flash, make_response, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.models import User
from app.services import second_factor as factor
from app.services import security_log
from app.web import sessions
from app.web.account.blueprint import blueprint
from app.web.auth.forms import SecondFactorForm
from app.web.database import db

ENROLLING = "_totp_enrolling"
ENROL_ONLY = "_enrol_only"
# What a signed-in user who still owes a second factor may reach: this page, signing out, assets.
OPEN_WITHOUT_SECOND_FACTOR = frozenset(
    {"account.second_factor", "auth.logout", "static", "main.healthz", "auth.accept_invitation"}
)


def begin_session(user: User) -> None:
    """Sign the user in (``sessions.begin``); a session that owes a second factor opens only its set-up."""
    sessions.begin(user)
    if factor.required_for(user, current_app.config["REQUIRE_SECOND_FACTOR"]) and not factor.has_second_factor(user):
        session[ENROL_ONLY] = True


def enforce_second_factor() -> ResponseReturnValue | None:
    if not session.get(ENROL_ONLY) or request.endpoint in OPEN_WITHOUT_SECOND_FACTOR:
        return None
    if request.path.startswith("/api/"):
        return {"error": _("Set up your second factor first.")}, 403
    return redirect(url_for("account.second_factor"))


def _codes_page(codes: list[str]) -> ResponseReturnValue:
    response = make_response(render_template("account/recovery_codes.html", codes=codes))
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.route("/second-factor", methods=["GET", "POST"])
@login_required
def second_factor() -> ResponseReturnValue:
    form = SecondFactorForm()
    user = current_user
    if factor.has_second_factor(user):
        return render_template("account/second_factor.html", form=form, enrolled=True, required=_required())
    secret = session.get(ENROLLING)
    if not isinstance(secret, str) or len(secret) != 32:
        secret = session[ENROLLING] = factor.new_secret()
    status = 200
    if form.validate_on_submit():
        codes = factor.enroll(user, secret, form.code.data or "")
        if codes is not None:
            security_log.record(db(), "second_factor_enrolled", user=user, address=request.remote_addr or "")
            db().commit()
            session.pop(ENROLLING, None)
            session.pop(ENROL_ONLY, None)
            return _codes_page(codes)
        form.code.errors = [_("That code does not match. Check the app shows CTSAT and enter the code it shows now.")]
        status = 400
    elif request.method == "POST":
        status = 400
    uri = factor.provisioning_uri(user, secret)
    response = make_response(
        render_template(
            "account/second_factor.html",
            form=form,
            enrolled=False,
            required=_required(),
            secret=secret,
            qr=factor.qr_svg(uri, _("QR code for your authenticator app")),
        ),
        status,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _required() -> bool:
    return factor.required_for(current_user, current_app.config["REQUIRE_SECOND_FACTOR"])


@blueprint.post("/second-factor/recovery-codes")
@login_required
def new_recovery_codes() -> ResponseReturnValue:
    """Ten new recovery codes (the old ones stop working), after a current code from the app."""
    form = SecondFactorForm()
    if form.validate_on_submit() and factor.check_code(current_user, form.code.data or ""):
        codes = factor.new_recovery_codes(current_user)
        security_log.record(db(), "recovery_codes_renewed", user=current_user, address=request.remote_addr or "")
        db().commit()
        return _codes_page(codes)
    flash(_("That code is not right, or was used already: no new recovery codes were made."), "error")
    return redirect(url_for(".second_factor")), 303


@blueprint.post("/second-factor/remove")
@login_required
def remove_second_factor() -> ResponseReturnValue:
    """Turn the second factor off, where the role does not need one (after a current code)."""
    form = SecondFactorForm()
    if _required():
        flash(_("Your role needs a second factor: it cannot be turned off."), "error")
        return redirect(url_for(".second_factor")), 303
    if form.validate_on_submit() and factor.check_code(current_user, form.code.data or ""):
        factor.remove(current_user)
        security_log.record(db(), "second_factor_reset", user=current_user, actor=current_user)
        db().commit()
        flash(_("The second factor is off and every session of yours has ended. Sign in again."), "info")
        return redirect(url_for("auth.login"))
    flash(_("That code is not right, or was used already: the second factor stays on."), "error")
    return redirect(url_for(".second_factor")), 303
