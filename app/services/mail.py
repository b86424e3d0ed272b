"""Sending e-mail: through SMTP when ``CTSAT_SMTP_URL`` is set, else into an outbox folder.

With no SMTP server configured (the ``make run`` demo, development), each message is written as
one ``.eml`` file in ``instance/mail/``, which any mail program opens, and the log says where.
Messages are sent by a background task (``deliver_mail``), retried when the server fails; the
settings (with the SMTP password) stay in the process and never go into the queue.
"""

from __future__ import annotations

import ipaddress
import logging
import smtplib
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from urllib.parse import unquote, urlsplit

from app.services.queue import huey, logged

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MailSettings:
    sender: str
    outbox: Path
    smtp_url: str = ""  # smtp://user:password@host:587 (STARTTLS) or smtps://… (implicit TLS)


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    text: str
    html: str = ""


_settings: MailSettings | None = None


def configure(settings: MailSettings) -> None:
    """The settings this process sends with (the app factory calls it)."""
    global _settings
    _settings = settings


def compose(settings: MailSettings, mail: Mail) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = settings.sender, mail.to, mail.subject
    message["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2].strip(">") or None)
    message.set_content(mail.text)
    if mail.html:
        message.add_alternative(mail.html, subtype="html")
    return message


def send(settings: MailSettings, mail: Mail) -> None:
    message = compose(settings, mail)
    if settings.smtp_url:
        _send_smtp(settings.smtp_url, message)
        return
    settings.outbox.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = settings.outbox / f"{time.strftime('%Y%m%dT%H%M%S')}-{time.monotonic_ns()}.eml"
    path.write_bytes(bytes(message))
    path.chmod(0o600)
    log.info("No SMTP server is configured (CTSAT_SMTP_URL): the e-mail to %s is in %s", mail.to, path)


@huey.task(retries=5, retry_delay=120, context=True)  # type: ignore[untyped-decorator]  # huey ships no type hints
@logged("mail")
def deliver_mail(mail: Mail) -> None:
    """Send one message with this process's settings (retried 5 times, 2 minutes apart)."""
    if _settings is None:
        raise RuntimeError("mail settings are not configured in this process")
    send(_settings, mail)


def queue_mail(mail: Mail) -> None:
    deliver_mail(mail)


class InsecureMailServer(smtplib.SMTPException):
    """The SMTP server offers no STARTTLS: the password and the messages would cross the network in clear."""


def is_loopback(host: str) -> bool:
    """Whether ``host`` is this machine (a local relay may speak plain SMTP; nothing leaves it)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _send_smtp(url: str, message: EmailMessage, plain_allowed: Callable[[str], bool] = is_loopback) -> None:
    """Send over TLS: implicit (smtps://) or STARTTLS (smtp://). A server without STARTTLS is refused
    unless it runs on this machine, so no password or message travels in clear text."""
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    implicit_tls = parts.scheme == "smtps"
    port = parts.port or (465 if implicit_tls else 587)
    context = ssl.create_default_context()
    smtp: smtplib.SMTP
    if implicit_tls:
        smtp = smtplib.SMTP_SSL(host, port, context=context, timeout=30)
    else:
        smtp = smtplib.SMTP(host, port, timeout=30)
    with smtp:
        smtp.ehlo()
        if not implicit_tls:
            if smtp.has_extn("starttls"):
                smtp.starttls(context=context)
                smtp.ehlo()
            elif not plain_allowed(host):
                raise InsecureMailServer(
                    f"{host}:{port} offers no STARTTLS; use a server that does, or smtps:// (nothing was sent)"
                )
        if parts.username:
            smtp.login(unquote(parts.username), unquote(parts.password or ""))
        smtp.send_message(message)
