"""Single-use links (password resets, invitations) seen from outside: a link is only as good as the
account and the person behind it are now, and nobody but its addressee reads it in the app."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.services import administration
from app.services.administration import UserFields
from tests.conftest import csrf_token, last_mail_to, link_in, login
from tests.integration.test_password_reset import ask_for_reset


def test_a_reset_link_to_the_old_address_stops_working_when_the_address_changes(
    app: Flask, session: Session, make_user: Any
) -> None:
    """Whoever still reads the old mailbox (a former colleague, a lost account) cannot take the account."""
    user = make_user("official", "THA", email="old.address@test.example")
    ask_for_reset(app, "old.address@test.example")
    link = link_in(last_mail_to(app, "old.address@test.example"), "/reset-password?")
    fields = UserFields("new.address@test.example", user.name, "official", "THA", None, "en")
    administration.update_account(session, make_user("admin"), user.id, fields, app.config["LANGUAGES"])
    session.commit()
    assert app.test_client().get(link).status_code == 410


def test_a_reset_link_stops_working_once_the_password_is_changed_another_way(
    app: Flask, client: FlaskClient, make_user: Any
) -> None:
    user = make_user("official", "THA")
    ask_for_reset(app, user.email)
    link = link_in(last_mail_to(app, user.email), "/reset-password?")
    login(client, user.email)
    page = client.get("/account/password").get_data(as_text=True)
    new = "lantern orbit pickle meadow"
    data = {"current_password": "correct horse battery", "new_password": new, "confirm_password": new}
    assert client.post("/account/password", data={**data, "csrf_token": csrf_token(page)}).status_code in (200, 302)
    assert app.test_client().get(link).status_code == 410
