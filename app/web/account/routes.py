"""A user's own profile and password."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.models import Country
from app.services import security_log
from app.services.accounts import MIN_PASSWORD, AccountRefused, change_password, end_sessions, update_profile
from app.services.second_factor import has_second_factor, required_for
from app.web import sessions
from app.web.account import notifications as notification_pages  # noqa: F401 - registers its page
from app.web.account import second_factor as second_factor_pages  # noqa: F401 - registers its pages
from app.web.account.blueprint import blueprint
from app.web.account.forms import (
    PasswordForm,
    ProfileForm,
    agency_suggestions,
    language_choices,
    role_labels,
    show_refusal,
)
from app.web.country_names import country_label
from app.web.database import db

__all__ = ["blueprint"]


@blueprint.route("/", methods=["GET", "POST"])
@login_required
def profile() -> ResponseReturnValue:
    languages = current_app.config["LANGUAGES"]
    form = ProfileForm(obj=current_user)
    form.language.choices = language_choices(languages)
    status = 200
    if form.validate_on_submit():
        try:
            update_profile(current_user, form.name.data or "", form.agency.data, form.language.data, languages)
        except AccountRefused as error:
            show_refusal(form, error)
        else:
            db().commit()
            session["language"] = current_user.language
            flash(_("Your profile is saved."), "info")
            return redirect(url_for(".profile"))
    if request.method == "POST":
        status = 400
    country = db().get(Country, current_user.country_code) if current_user.country_code else None
    return render_template(
        "account/profile.html",
        form=form,
        agencies=agency_suggestions(),
        role_label=role_labels().get(current_user.role, current_user.role),
        country_name=country_label(country) if country else None,
        sign_ins=security_log.recent_sign_ins(db(), current_user),
        has_second_factor=has_second_factor(current_user),
        second_factor_required=required_for(current_user, current_app.config["REQUIRE_SECOND_FACTOR"]),
    ), status


@blueprint.route("/password", methods=["GET", "POST"])
@login_required
def password() -> ResponseReturnValue:
    form = PasswordForm()
    status = 200
    if form.validate_on_submit():
        try:
            change_password(current_user, form.current_password.data or "", form.new_password.data or "")
        except AccountRefused as error:
            show_refusal(form, error)
        else:
            security_log.record(db(), "password_changed", user=current_user, address=request.remote_addr or "")
            db().commit()
            sessions.renew(current_user)
            flash(
                _("Your password is changed. Every other session of yours has ended; use the new password next time."),
                "info",
            )
            return redirect(url_for(".profile"))
    if request.method == "POST":
        status = 400
    return render_template("account/password.html", form=form, min_password=MIN_PASSWORD), status


@blueprint.post("/sign-out-everywhere")
@login_required
def sign_out_everywhere() -> ResponseReturnValue:
    """End every session of the user, on every device, this one included."""
    end_sessions(current_user)
    db().commit()
    sessions.end()
    flash(_("You are signed out everywhere: on this device and on every other one."), "info")
    return redirect(url_for("auth.login"))
