"""“Forgot your password?”: a single-use link that expires, the same answer whether or not the
address has an account, and a reset ends every session and tells the owner."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.models import SecurityEvent
from tests.conftest import PASSWORD, csrf_token, last_mail_to, link_in, login, outbox

NEW_PASSWORD = "lantern orbit pickle meadow"


def ask_for_reset(app: Flask, email: str) -> Any:
    visitor = app.test_client()
    token = csrf_token(visitor.get("/forgot-password").get_data(as_text=True))
    return visitor.post("/forgot-password", data={"email": email, "csrf_token": token})


def reset(app: Flask, link: str, password: str = NEW_PASSWORD) -> Any:
    visitor = app.test_client()
    page = visitor.get(link)
    if page.status_code != 200:
        return page
    token = csrf_token(page.get_data(as_text=True))
    return visitor.post(link, data={"new_password": password, "confirm_password": password, "csrf_token": token})


def test_the_sign_in_page_links_to_forgot_password(client: FlaskClient) -> None:
    assert 'href="/forgot-password"' in client.get("/login").get_data(as_text=True)


def test_a_reset_from_the_e_mail_sets_a_new_password(app: Flask, make_user: Any) -> None:
    user = make_user("official", "THA")
    ask_for_reset(app, user.email.upper())
    response = reset(app, link_in(last_mail_to(app, user.email), "/reset-password?"))
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert login(app.test_client(), user.email, NEW_PASSWORD).status_code == 302
    assert login(app.test_client(), user.email, PASSWORD).status_code == 401


def test_the_answer_is_the_same_whether_or_not_the_address_exists(app: Flask, make_user: Any) -> None:
    user = make_user("official", "THA")
    known = ask_for_reset(app, user.email)
    unknown = ask_for_reset(app, "nobody@nowhere.example")
    assert known.status_code == unknown.status_code == 200

    def answer(response: Any, email: str) -> str:
        return response.get_data(as_text=True).replace(email, "EMAIL").split('name="csrf-token"')[0]

    assert "If an account has the address" in known.get_data(as_text=True)
    assert answer(known, user.email).replace(csrf_token(known.get_data(as_text=True)), "") == answer(
        unknown, "nobody@nowhere.example"
    ).replace(csrf_token(unknown.get_data(as_text=True)), "")
    assert [message["To"] for message in outbox(app)] == [user.email]


def test_a_reset_link_works_once(app: Flask, make_user: Any) -> None:
    user = make_user("official", "THA")
    ask_for_reset(app, user.email)
    link = link_in(last_mail_to(app, user.email), "/reset-password?")
    assert reset(app, link).status_code == 302
    again = reset(app, link, "another quite long phrase here")
    assert again.status_code == 410 and "This link does not work any more" in again.get_data(as_text=True)


def test_a_reset_link_expires_after_an_hour(app: Flask, make_user: Any) -> None:
    user = make_user("official", "THA")
    ask_for_reset(app, user.email)
    link = link_in(last_mail_to(app, user.email), "/reset-password?")
    with time_machine.travel(timedelta(minutes=61)):
        assert reset(app, link).status_code == 410
    assert login(app.test_client(), user.email, PASSWORD).status_code == 302


def test_a_newer_link_replaces_the_older_one(app: Flask, make_user: Any) -> None:
    user = make_user("official", "THA")
    ask_for_reset(app, user.email)
    first = link_in(last_mail_to(app, user.email), "/reset-password?")
    ask_for_reset(app, user.email)
    assert reset(app, first).status_code == 410


def test_a_reset_ends_every_session_and_tells_the_owner(app: Flask, session: Session, make_user: Any) -> None:
    user = make_user("official", "THA")
    signed_in = app.test_client()
    login(signed_in, user.email)
    assert signed_in.get("/account/").status_code == 200
    ask_for_reset(app, user.email)
    reset(app, link_in(last_mail_to(app, user.email), "/reset-password?"))
    assert signed_in.get("/account/").status_code == 302
    notice = last_mail_to(app, user.email)
    assert notice["Subject"] == "Your CTSAT password was changed"
    kinds = {event.kind for event in session.query(SecurityEvent).filter_by(user_id=user.id)}
    assert {"password_reset_requested", "password_reset"} <= kinds


def test_a_weak_new_password_is_refused_and_the_link_kept(app: Flask, make_user: Any) -> None:
    user = make_user("official", "THA")
    ask_for_reset(app, user.email)
    link = link_in(last_mail_to(app, user.email), "/reset-password?")
    refused = reset(app, link, "password1234")
    assert refused.status_code == 400 and "too easy to guess" in refused.get_data(as_text=True)
    assert reset(app, link).status_code == 302


def test_an_unknown_token_is_refused(client: FlaskClient) -> None:
    assert client.get("/reset-password?token=not-a-token").status_code == 410
    assert client.get("/invitation?token=" + "x" * 500).status_code == 410
