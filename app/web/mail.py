"""E-mail from the web layer: text and simple HTML from templates, in the reader's language,
handed to the background queue (``app.services.mail.deliver_mail``)."""

from __future__ import annotations

import re
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape

from app.services.mail import Mail, MailSettings, queue_mail
from app.web.translation_state import is_draft

_URL = re.compile(r"https?://[^\s<>\"]*[^\s<>\".,;:!?)]")


def mail_settings() -> MailSettings:
    config = current_app.config
    return MailSettings(
        sender=config["MAIL_FROM"], outbox=config["INSTANCE_PATH"] / "mail", smtp_url=config["SMTP_URL"]
    )


def as_html(text: str, subject: str) -> str:
    """The plain text as a simple HTML part: paragraphs, links made clickable, no images."""
    paragraphs = []
    for block in text.strip().split("\n\n"):
        escaped = str(escape(block.strip()))
        linked = _URL.sub(lambda match: f'<a href="{match.group(0)}">{match.group(0)}</a>', escaped)
        paragraphs.append(Markup(linked.replace("\n", "<br>\n")))
    return render_template("emails/message.html", subject=subject, paragraphs=paragraphs)


def send_mail(to: str, subject: str, template: str, **context: Any) -> None:
    """Send ``emails/<template>.txt`` rendered with ``context`` (links must be absolute: ``_external=True``)."""
    text = render_template(f"emails/{template}.txt", **context)
    queue_mail(Mail(to=to, subject=subject, text=text, html=as_html(text, subject)))


def render_message(template: str, **context: Any) -> tuple[str, str]:
    """``emails/<template>.txt`` in the current locale as (subject, text): its first line is the
    subject, the rest the text."""
    rendered = render_template(f"emails/{template}.txt", **context)
    subject, _newline, text = rendered.strip().partition("\n")
    return subject.strip(), text.strip() + "\n"


def with_draft_line(text: str) -> str:
    """The text, ending with the draft-translation line where the current language is a draft."""
    if not is_draft(str(get_locale())):
        return text
    line = str(_("This translation is a draft: a native-speaking reviewer has not yet approved it."))
    return f"{text}\n{line}\n"


def send_message(to: str, language: str | None, template: str, **context: Any) -> None:
    """Send ``emails/<template>.txt`` in ``language`` (see :func:`render_message`)."""
    with force_locale(language or current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject, text = render_message(template, **context)
        text = with_draft_line(text)
        html = as_html(text, subject)
    queue_mail(Mail(to=to, subject=subject, text=text, html=html))
