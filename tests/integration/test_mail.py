"""E-mail goes through the task queue to a real SMTP server, as plain text with a simple HTML part."""

from __future__ import annotations

from flask import Flask

from app.services.mail import Mail, queue_mail
from tests.conftest import SmtpServer, outbox


def test_a_message_reaches_the_smtp_server_with_sender_recipient_and_subject(app: Flask, smtp: SmtpServer) -> None:
    queue_mail(Mail(to="anong@police.example", subject="Hello", text="Plain words\n"))
    (message,) = smtp.messages
    assert message["To"] == "anong@police.example" and message["Subject"] == "Hello"
    assert message["From"] == app.config["MAIL_FROM"] and message["Message-ID"]
    assert not outbox(app)


def test_a_message_has_a_plain_text_part_and_an_html_part_without_images(app: Flask, smtp: SmtpServer) -> None:
    from app.web.mail import send_message

    with app.test_request_context():
        send_message("anong@police.example", "en", "test_message", base_url="http://ctsat.example")
    (message,) = smtp.messages
    plain, html = message.get_body(("plain",)), message.get_body(("html",))
    assert plain is not None and "http://ctsat.example" in plain.get_content()  # type: ignore[attr-defined]
    assert html is not None
    content = html.get_content()  # type: ignore[attr-defined]
    assert '<a href="http://ctsat.example">http://ctsat.example</a>.' in content
    assert "<img" not in content and "CTSAT test e-mail" in message["Subject"]


def test_without_smtp_each_message_is_one_eml_file_in_the_outbox(app: Flask) -> None:
    queue_mail(Mail(to="a@x.example", subject="One", text="1\n"))
    queue_mail(Mail(to="b@x.example", subject="Two", text="2\n"))
    assert [message["Subject"] for message in outbox(app)] == ["One", "Two"]


def test_links_in_the_text_are_links_in_the_html_part(app: Flask, smtp: SmtpServer) -> None:
    from app.web.mail import as_html

    with app.test_request_context():
        html = as_html("Open https://ctsat.example/x?a=1&b=2 now.\n\n<script>", "Subject")
    assert '<a href="https://ctsat.example/x?a=1&amp;b=2">' in html and "<script>" not in html
