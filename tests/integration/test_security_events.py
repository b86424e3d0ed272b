"""Security events are recorded and administrators filter them; each person sees their own recent
sign-ins; failed background tasks and (without SMTP) the outbox are shown to administrators."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.models import SecurityEvent, TaskFailure
from app.services.mail import Mail, queue_mail
from app.web import tasks
from tests.conftest import csrf_token, login


def kinds(session: Session, **where: Any) -> list[str]:
    session.expire_all()
    return [event.kind for event in session.query(SecurityEvent).filter_by(**where).order_by(SecurityEvent.id)]


def test_sign_ins_failures_and_lock_outs_are_recorded(app: Flask, session: Session, make_user: Any) -> None:
    user = make_user("official", "THA")
    for _ in range(6):
        login(app.test_client(), user.email, "not the password at all")
    login(app.test_client(), "nobody@nowhere.example", "whatever it is")
    recorded = kinds(session, email=user.email)
    assert recorded.count("sign_in_failed") == 5 and "locked_out" in recorded
    assert kinds(session, email="nobody@nowhere.example") == ["sign_in_failed"]


def test_a_role_change_is_recorded_with_who_made_it(client: FlaskClient, session: Session, make_user: Any) -> None:
    admin = make_user("admin")
    user = make_user("official", "THA")
    login(client, admin.email)
    page = client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    fields = {
        "email": user.email,
        "name": user.name,
        "role": "coordinator",
        "country_code": "THA",
        "agency": "",
        "language": "en",
        "active": "y",
        "csrf_token": csrf_token(page),
    }
    assert client.post(f"/admin/users/{user.id}", data=fields).status_code == 302
    event = session.query(SecurityEvent).filter_by(kind="role_changed", user_id=user.id).one()
    assert event.actor_id == admin.id and event.detail == {
        "before": ["official", "THA"],
        "after": ["coordinator", "THA"],
    }


def test_administrators_filter_the_log_by_kind_and_address(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    user = make_user("official", "THA", email="anong@police.example")
    login(client.application.test_client(), user.email, "wrong password here")
    login(client, make_user("admin").email)
    page = client.get("/admin/security?kind=sign_in_failed&email=ANONG").get_data(as_text=True)
    assert "anong@police.example" in page and "sign in failed" in page
    page = client.get("/admin/security?kind=sign_in&email=anong").get_data(as_text=True)
    assert "No event matches." in page
    assert client.get("/admin/security?kind=nonsense").status_code == 400
    assert client.get("/admin/security?days=²").status_code == 400


def test_the_account_page_shows_the_users_own_recent_sign_ins(client: FlaskClient, make_user: Any) -> None:
    user = make_user("official", "THA")
    login(client.application.test_client(), user.email, "wrong password here")
    login(client, user.email)
    page = client.get("/account/").get_data(as_text=True)
    assert "Your recent sign-ins" in page and "Signed in" in page and "Wrong password" in page


@pytest.fixture
def bound(app: Flask) -> Iterator[None]:
    tasks.bind_app(app)
    try:
        yield
    finally:
        tasks._app = None


def test_a_failed_task_is_shown_to_administrators(
    app: Flask, client: FlaskClient, session: Session, make_user: Any, bound: None
) -> None:
    from app.services.mail import MailSettings, configure

    configure(MailSettings(sender="ctsat@x.example", outbox=app.config["INSTANCE_PATH"], smtp_url="smtp://127.0.0.1:9"))
    try:
        queue_mail(Mail(to="a@x.example", subject="Will fail", text="x\n"))
    finally:
        from app.web.mail import mail_settings

        with app.app_context():
            configure(mail_settings())
    failure = session.query(TaskFailure).one()
    assert failure.task.endswith("deliver_mail") and "ConnectionRefusedError" in failure.error
    assert failure.retries_left == 5  # it will be tried again
    login(client, make_user("admin").email)
    assert "ConnectionRefusedError" in client.get("/admin/tasks").get_data(as_text=True)


def test_administrators_read_the_outbox_when_no_smtp_server_is_set(client: FlaskClient, make_user: Any) -> None:
    queue_mail(Mail(to="anong@police.example", subject="Outbox subject", text="Body text\n"))
    login(client, make_user("admin").email)
    listing = client.get("/admin/outbox").get_data(as_text=True)
    assert "Outbox subject" in listing
    name = listing.split('href="/admin/outbox/')[1].split('"')[0]
    assert "Body text" in client.get(f"/admin/outbox/{name}").get_data(as_text=True)
    assert client.get("/admin/outbox/..%2Fsecret_key").status_code == 404
