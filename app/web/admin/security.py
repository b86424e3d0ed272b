"""Administrators' security pages: password reset links and second-factor resets for users, the
security event log, failed background tasks, and (with no SMTP server) the e-mail outbox."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import TaskFailure, User
from app.services import account_links, administration, second_factor, security_log
from app.web.admin.blueprint import blueprint
from app.web.admin.forms import ResetPasswordForm
from app.web.database import db
from app.web.mail import send_message

OUTBOX_SHOWN = 100
# The secret part of single-use links (reset, invitation, workshop registration): an administrator
# who read it could become that person, so the outbox page shows the link without it.
LINK_SECRETS = re.compile(r"(?P<keep>[?&]token=|/workshops/confirm/)[^\s&]+")


def record_account_change(session: Session, user: User, before: tuple[Any, ...]) -> None:
    role, country, active, email = before
    if (user.role, user.country_code) != (role, country):
        security_log.record(
            session,
            "role_changed",
            user=user,
            actor=current_user,
            before=[role, country],
            after=[user.role, user.country_code],
        )
    if (user.active, user.email) != (active, email):
        security_log.record(session, "account_changed", user=user, actor=current_user, active=user.active)


@blueprint.post("/users/<int:user_id>/reset-password")
def reset_password(user_id: int) -> ResponseReturnValue:
    """E-mail the user a reset link (CSRFProtect has checked the form's token before the view runs)."""
    session = db()
    user = administration.get_account(session, current_user, user_id)
    minutes = current_app.config["PASSWORD_RESET_MINUTES"]
    found = account_links.request_reset(session, user.email, minutes)
    if found is None:
        flash(_("%(name)s is deactivated: activate the account first.", name=user.name), "error")
        return redirect(url_for(".edit_user", user_id=user.id))
    security_log.record(session, "password_reset_requested", user=user, actor=current_user)
    session.commit()
    link = url_for("auth.reset_password", token=found[1], _external=True)
    send_message(user.email, user.language, "password_reset", name=user.name, link=link, minutes=minutes)
    flash(_("A password reset link is sent to %(email)s.", email=user.email), "info")
    return redirect(url_for(".edit_user", user_id=user.id))


@blueprint.post("/users/<int:user_id>/reset-second-factor")
def reset_second_factor(user_id: int) -> ResponseReturnValue:
    if not ResetPasswordForm().validate_on_submit():
        abort(400)
    session = db()
    user = administration.get_account(session, current_user, user_id)
    second_factor.remove(user)
    security_log.record(session, "second_factor_reset", user=user, actor=current_user)
    session.commit()
    flash(
        _("The second factor of %(name)s is reset: they set up a new one at their next sign-in.", name=user.name),
        "info",
    )
    return redirect(url_for(".edit_user", user_id=user.id))


@blueprint.get("/security")
def security_events() -> ResponseReturnValue:
    kind = request.args.get("kind", "")
    email = request.args.get("email", "")[:254]
    days = request.args.get("days", "")
    if kind and kind not in security_log.KINDS:
        abort(400)
    since = None
    if days:
        if not (days.isascii() and days.isdigit() and 0 < int(days) <= 3650):
            abort(400)
        since = datetime.now(UTC) - timedelta(days=int(days))
    query = security_log.EventQuery(kind or None, email, since)
    events = security_log.events(db(), query)
    ids = {event.user_id for event in events} | {event.actor_id for event in events}
    names = {user.id: user.name for user in db().scalars(select(User).where(User.id.in_(ids - {None})))}
    return render_template(
        "admin/security.html", events=events, names=names, kinds=security_log.KINDS, kind=kind, email=email, days=days
    )


@blueprint.get("/tasks")
def tasks() -> ResponseReturnValue:
    failures = db().scalars(select(TaskFailure).order_by(TaskFailure.id.desc()).limit(100))
    return render_template("admin/tasks.html", failures=list(failures))


def outbox_shown() -> bool:
    return bool(current_app.config["SHOW_OUTBOX"] and not current_app.config["SMTP_URL"])


def _outbox() -> Path:
    return Path(current_app.config["INSTANCE_PATH"]) / "mail"


def _read(path: Path) -> EmailMessage:
    message: EmailMessage = message_from_bytes(path.read_bytes(), policy=default)
    return message


@blueprint.get("/outbox")
def outbox() -> ResponseReturnValue:
    """The newest e-mails written to instance/mail/ (development and the demo: no SMTP server)."""
    if not outbox_shown():
        abort(404)
    folder = _outbox()
    paths = sorted(folder.glob("*.eml"), reverse=True)[:OUTBOX_SHOWN] if folder.exists() else []
    messages = [(path.stem, _read(path)) for path in paths]
    return render_template("admin/outbox.html", messages=messages, folder=folder)


@blueprint.get("/outbox/<name>")
def outbox_message(name: str) -> ResponseReturnValue:
    if not outbox_shown() or not all(c.isalnum() or c in "-T" for c in name) or len(name) > 80:
        abort(404)
    path = _outbox() / f"{name}.eml"
    if not path.is_file():
        abort(404)
    message = _read(path)
    body = message.get_body(("plain",))
    text = body.get_content() if body is not None else ""
    return render_template("admin/outbox_message.html", message=message, text=outbox_text_hidden(text))


def outbox_text_hidden(text: str) -> str:
    """The e-mail's text with every link secret replaced by an ellipsis (the file keeps it)."""
    return LINK_SECRETS.sub(lambda found: found.group("keep") + "…", text)
