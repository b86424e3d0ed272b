"""E-mail from the web layer: the text comes from a template in the reader's language."""

from __future__ import annotations

from typing import Any

from flask import current_app, render_template

from app.services.mail import Mail, MailSettings, send


def mail_settings() -> MailSettings:
    config = current_app.config
    return MailSettings(
        sender=config["MAIL_FROM"], outbox=config["INSTANCE_PATH"] / "mail", smtp_url=config["SMTP_URL"]
    )


def send_mail(to: str, subject: str, template: str, **context: Any) -> None:
    """Send ``emails/<template>.txt`` rendered with ``context`` (links must be absolute: ``_external=True``)."""
    send(mail_settings(), Mail(to=to, subject=subject, text=render_template(f"emails/{template}.txt", **context)))
