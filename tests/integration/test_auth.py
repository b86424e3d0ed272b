"""Signing in and out, with CSRF and a rate limit."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from app.web.extensions import limiter
from tests.conftest import PASSWORD, csrf_token, login


def test_a_user_signs_in_and_lands_on_the_home_page(client: FlaskClient, make_user: Any) -> None:
    user = make_user("official", "THA")
    response = login(client, user.email)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert user.name in client.get("/").get_data(as_text=True)


def test_email_is_matched_without_regard_to_case_or_spaces(client: FlaskClient, make_user: Any) -> None:
    user = make_user("official", "THA")
    assert login(client, f"  {user.email.upper()} ").status_code == 302


def test_a_wrong_password_gets_a_clear_message(client: FlaskClient, make_user: Any) -> None:
    user = make_user("official", "THA")
    response = login(client, user.email, "wrong password here")
    assert response.status_code == 401
    assert "The email or password is not right" in response.get_data(as_text=True)


def test_an_unknown_email_gets_the_same_message(client: FlaskClient) -> None:
    response = login(client, "nobody@test.example")
    assert response.status_code == 401
    assert "The email or password is not right" in response.get_data(as_text=True)


def test_a_deactivated_user_cannot_sign_in(client: FlaskClient, make_user: Any, session: Any) -> None:
    user = make_user("official", "THA")
    user.active = False
    session.commit()
    assert login(client, user.email).status_code == 401


def test_login_without_csrf_token_is_refused(client: FlaskClient, make_user: Any) -> None:
    user = make_user("official", "THA")
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "Reload the page" in response.get_data(as_text=True)


def test_logout_needs_a_post_with_csrf(client: FlaskClient, make_user: Any) -> None:
    login(client, make_user("official", "THA").email)
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    token = csrf_token(client.get("/").get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/assessments/new").headers["Location"].startswith("/login")


def test_pages_need_a_signed_in_user(client: FlaskClient) -> None:
    assert client.get("/assessments/1").status_code == 302


def test_login_never_redirects_to_another_site(client: FlaskClient, make_user: Any) -> None:
    user = make_user("official", "THA")
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login?next=//evil.example/x", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.headers["Location"] == "/"


def test_login_attempts_are_rate_limited(app: Flask, client: FlaskClient) -> None:
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    with app.app_context():
        limiter.reset()
    responses = [login(client, "someone@test.example", "wrong password") for _ in range(4)]
    assert [response.status_code for response in responses] == [401, 401, 401, 429]
    assert "Too many attempts" in responses[-1].get_data(as_text=True)
