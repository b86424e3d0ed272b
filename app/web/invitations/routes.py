"""Invitations: administrators invite anyone, coordinators invite officials of their own country;
pending ones can be resent (a new link) or withdrawn."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.errors import N_, PermissionDenied
from app.models import Invitation, User
from app.services import account_links, administration, security_log
from app.services.accounts import AccountRefused
from app.services.administration import UserFields
from app.services.second_factor import REQUIRED_ROLES
from app.web.account.forms import agency_suggestions, language_choices, role_labels, show_refusal
from app.web.admin.forms import UserForm
from app.web.country_names import reader_language
from app.web.database import db
from app.web.mail import send_message

blueprint = Blueprint("invitations", __name__, url_prefix="/invitations")


@blueprint.before_request
@login_required
def inviters_only() -> ResponseReturnValue | None:
    if not account_links.may_invite_anyone(current_user):
        raise PermissionDenied(N_("Only administrators and country coordinators can invite people."))
    return None


def _form() -> UserForm:
    form = UserForm()
    roles = role_labels()
    if current_user.role == "admin":
        form.role.choices = list(roles.items())
        form.country_code.choices = [
            ("", _("No country")),
            *administration.country_names(db(), reader_language()).items(),
        ]
    else:
        form.role.choices = [("official", roles["official"])]
        names = administration.country_names(db(), reader_language())
        form.country_code.choices = [(current_user.country_code, names.get(current_user.country_code, ""))]
    form.language.choices = language_choices(current_app.config["LANGUAGES"])
    if not form.is_submitted():
        form.language.data = current_app.config["BABEL_DEFAULT_LOCALE"]
        if current_user.role != "admin":
            form.role.data, form.country_code.data = "official", current_user.country_code
    return form


def send_invitation(invitation: Invitation, token: str, inviter: User) -> None:
    days = current_app.config["INVITATION_DAYS"]
    with_factor = invitation.role in REQUIRED_ROLES or current_app.config["REQUIRE_SECOND_FACTOR"] == "all"
    from flask_babel import force_locale

    with force_locale(invitation.language):
        role = role_labels().get(invitation.role, invitation.role)
    send_message(
        invitation.email,
        invitation.language,
        "invitation",
        name=invitation.name,
        inviter=inviter.name,
        role=role,
        days=days,
        second_factor=with_factor,
        link=url_for("auth.accept_invitation", token=token, _external=True),
    )


@blueprint.route("/", methods=["GET", "POST"])
def index() -> ResponseReturnValue:
    session = db()
    form = _form()
    status = 200
    if form.validate_on_submit():
        fields = UserFields(
            email=form.email.data or "",
            name=form.name.data or "",
            role=form.role.data or "",
            country_code=form.country_code.data or None,
            agency=form.agency.data,
            language=form.language.data or "",
        )
        try:
            invitation, token = account_links.invite(
                session, current_user, fields, current_app.config["LANGUAGES"], current_app.config["INVITATION_DAYS"]
            )
        except AccountRefused as error:
            show_refusal(form, error)
        else:
            security_log.record(
                session, "invitation_sent", actor=current_user, email=invitation.email, role=invitation.role
            )
            session.commit()
            send_invitation(invitation, token, current_user)
            flash(_("Invitation sent to %(email)s.", email=invitation.email), "info")
            return redirect(url_for(".index"))
    if request.method == "POST":
        status = 400
    return render_template(
        "invitations/index.html",
        form=form,
        pending=account_links.visible_invitations(session, current_user),
        roles=role_labels(),
        countries=administration.country_names(session, reader_language()),
        agencies=agency_suggestions(),
    ), status


@blueprint.post("/<int:invitation_id>/resend")
def resend(invitation_id: int) -> ResponseReturnValue:
    session = db()
    days = current_app.config["INVITATION_DAYS"]
    invitation, token = account_links.resend(session, current_user, invitation_id, days)
    security_log.record(session, "invitation_resent", actor=current_user, email=invitation.email)
    session.commit()
    send_invitation(invitation, token, current_user)
    flash(
        _(
            "The invitation to %(email)s is sent again with a new link; the old link no longer works.",
            email=invitation.email,
        ),
        "info",
    )
    return redirect(url_for(".index"))


@blueprint.post("/<int:invitation_id>/withdraw")
def withdraw(invitation_id: int) -> ResponseReturnValue:
    session = db()
    invitation = account_links.withdraw(session, current_user, invitation_id)
    security_log.record(session, "invitation_withdrawn", actor=current_user, email=invitation.email)
    session.commit()
    flash(_("The invitation to %(email)s is withdrawn: its link no longer works.", email=invitation.email), "info")
    return redirect(url_for(".index"))
