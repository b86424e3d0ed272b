"""A user's own account: profile (name, agency, language) and password change."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.models import User
from app.services.accounts import MIN_PASSWORD
from tests.conftest import PASSWORD, csrf_token, login

NEW_PASSWORD = "a brand new passphrase"


def signed_in(client: FlaskClient, make_user: Any, role: str = "official", country: str | None = "THA") -> User:
    user: User = make_user(role, country)
    login(client, user.email)
    return user


def post_form(client: FlaskClient, url: str, **fields: Any) -> Any:
    token = csrf_token(client.get(url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **fields})


def stored(session: Session, user_id: int) -> User:
    session.expire_all()
    user = session.get(User, user_id)
    assert user is not None
    return user


def signs_in(app: Flask, email: str, password: str) -> bool:
    return login(app.test_client(), email, password).status_code == 302


def test_account_pages_need_a_signed_in_user(client: FlaskClient) -> None:
    for url in ("/account/", "/account/password"):
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_every_role_can_open_its_account_page(client: FlaskClient, make_user: Any) -> None:
    user = signed_in(client, make_user, "facilitator", None)
    page = client.get("/account/").get_data(as_text=True)
    assert user.email in page and "Facilitator" in page
    assert '<select id="language" name="language"' in page and '<option selected value="en">English</option>' in page


def test_a_profile_update_persists(client: FlaskClient, session: Session, make_user: Any) -> None:
    user = signed_in(client, make_user)
    response = post_form(
        client, "/account/", name="Anong  Srisuk", agency="Department of Social Welfare", language="en"
    )
    assert response.status_code == 302
    assert "Your profile is saved." in client.get("/account/").get_data(as_text=True)
    changed = stored(session, user.id)
    assert (changed.name, changed.agency, changed.language) == ("Anong Srisuk", "Department of Social Welfare", "en")


def test_a_blank_name_is_refused_and_the_agency_typed_is_kept(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    user = signed_in(client, make_user)
    response = post_form(client, "/account/", name="  ", agency="Immigration Bureau", language="en")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter your name." in page and 'value="Immigration Bureau"' in page
    assert stored(session, user.id).name == "Test official"


def test_an_unknown_language_is_refused(client: FlaskClient, session: Session, make_user: Any) -> None:
    user = signed_in(client, make_user)
    response = post_form(client, "/account/", name="Anong", agency="", language="xx")
    assert response.status_code == 400
    assert stored(session, user.id).language == "en"


def test_a_profile_update_needs_the_csrf_token(client: FlaskClient, session: Session, make_user: Any) -> None:
    user = signed_in(client, make_user)
    response = client.post("/account/", data={"name": "Forged", "agency": "", "language": "en"})
    assert response.status_code == 400
    assert stored(session, user.id).name == "Test official"


def test_a_password_change_keeps_the_user_signed_in_and_the_new_password_works(
    app: Flask, client: FlaskClient, make_user: Any
) -> None:
    user = signed_in(client, make_user)
    response = post_form(
        client,
        "/account/password",
        current_password=PASSWORD,
        new_password=NEW_PASSWORD,
        confirm_password=NEW_PASSWORD,
    )
    assert response.status_code == 302
    page = client.get("/account/")
    assert page.status_code == 200 and "Your password is changed." in page.get_data(as_text=True)
    assert signs_in(app, user.email, NEW_PASSWORD)
    assert not signs_in(app, user.email, PASSWORD)


def test_a_wrong_current_password_is_refused_clearly(app: Flask, client: FlaskClient, make_user: Any) -> None:
    user = signed_in(client, make_user)
    response = post_form(
        client,
        "/account/password",
        current_password="not my password",
        new_password=NEW_PASSWORD,
        confirm_password=NEW_PASSWORD,
    )
    assert response.status_code == 400
    assert "This is not your current password." in response.get_data(as_text=True)
    assert signs_in(app, user.email, PASSWORD)


def test_the_new_password_must_be_typed_the_same_twice(app: Flask, client: FlaskClient, make_user: Any) -> None:
    user = signed_in(client, make_user)
    response = post_form(
        client,
        "/account/password",
        current_password=PASSWORD,
        new_password=NEW_PASSWORD,
        confirm_password=NEW_PASSWORD + "!",
    )
    assert response.status_code == 400
    assert "The two new passwords are not the same." in response.get_data(as_text=True)
    assert signs_in(app, user.email, PASSWORD)


def test_the_new_password_needs_the_minimum_length(app: Flask, client: FlaskClient, make_user: Any) -> None:
    user = signed_in(client, make_user)
    short = "x" * (MIN_PASSWORD - 1)
    response = post_form(
        client, "/account/password", current_password=PASSWORD, new_password=short, confirm_password=short
    )
    assert response.status_code == 400
    assert f"between {MIN_PASSWORD} and 200 characters" in response.get_data(as_text=True)
    assert signs_in(app, user.email, PASSWORD)


def test_a_password_change_needs_the_csrf_token(app: Flask, client: FlaskClient, make_user: Any) -> None:
    user = signed_in(client, make_user)
    data = {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}
    assert client.post("/account/password", data=data).status_code == 400
    assert signs_in(app, user.email, PASSWORD)
