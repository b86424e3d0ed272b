"""Sessions end for real: sign-out, password change, deactivation, role change, "sign out
everywhere", idle time and lifetime. A copy of the session cookie kept elsewhere stops working."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.core.answers import AnswerFields
from app.models import Assessment, User
from app.services.assessments import save_answer
from app.services.catalog import get_questionnaire
from app.services.cycles import CycleSettings, start_cycle
from app.web import sessions
from tests.conftest import PASSWORD, csrf_token, login


@pytest.fixture
def draft(session: Session, make_user: Any) -> Assessment:
    settings = CycleSettings("Thailand 2026", [], "Confidential", "private", {})
    coordinator = make_user("coordinator", "THA")
    assessment = start_cycle(session, coordinator, "THA", get_questionnaire(session, "mini", "1"), settings)
    session.commit()
    return assessment


def copy_of(app: Flask, client: FlaskClient) -> FlaskClient:
    """Another browser holding a copy of this client's session cookie."""
    other = app.test_client()
    cookie = client.get_cookie("session")
    assert cookie is not None
    other.set_cookie("session", cookie.value)
    return other


def autosave(client: FlaskClient, assessment: Assessment, version: int) -> Any:
    token = csrf_token(client.get("/login").get_data(as_text=True))
    url = f"/api/v1/assessments/{assessment.id}/answers/PROS-1.3"
    return client.put(url, json={"answer": "3", "version": version}, headers={"X-CSRFToken": token})


def signed_in(client: FlaskClient, assessment: Assessment) -> bool:
    return client.get(f"/api/v1/assessments/{assessment.id}").status_code == 200


def test_a_copied_cookie_stops_working_after_sign_out(
    app: Flask, client: FlaskClient, session: Session, make_user: Any, draft: Assessment
) -> None:
    official = make_user("official", "THA")
    save_answer(session, official, draft, "PROS-1.3", AnswerFields(level=1), 0)
    session.commit()
    login(client, official.email)
    stolen = copy_of(app, client)
    assert signed_in(stolen, draft)
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/").get_data(as_text=True))})
    assert not signed_in(stolen, draft)
    assert autosave(stolen, draft, 1).status_code == 401  # the one-statement autosave refuses it too
    assert stolen.get("/").status_code == 200 and "Your assessments" not in stolen.get("/").get_data(as_text=True)


def test_sign_out_ends_the_other_sessions_of_the_user_too(app: Flask, make_user: Any, draft: Assessment) -> None:
    official = make_user("official", "THA")
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, official.email)
    login(phone, official.email)
    laptop.post("/logout", data={"csrf_token": csrf_token(laptop.get("/").get_data(as_text=True))})
    assert not signed_in(phone, draft)


def test_a_password_change_ends_every_other_session_but_keeps_this_one(
    app: Flask, make_user: Any, draft: Assessment
) -> None:
    official = make_user("official", "THA")
    here, elsewhere = app.test_client(), app.test_client()
    login(here, official.email)
    login(elsewhere, official.email)
    token = csrf_token(here.get("/account/password").get_data(as_text=True))
    new = "a brand new passphrase"
    data = {"csrf_token": token, "current_password": PASSWORD, "new_password": new, "confirm_password": new}
    assert here.post("/account/password", data=data).status_code == 302
    assert signed_in(here, draft)
    assert not signed_in(elsewhere, draft)


def test_sign_out_everywhere_ends_every_session(app: Flask, make_user: Any, draft: Assessment) -> None:
    official = make_user("official", "THA")
    here, elsewhere = app.test_client(), app.test_client()
    login(here, official.email)
    login(elsewhere, official.email)
    token = csrf_token(here.get("/account/").get_data(as_text=True))
    assert here.post("/account/sign-out-everywhere", data={"csrf_token": token}).status_code == 302
    assert not signed_in(here, draft) and not signed_in(elsewhere, draft)


def test_a_role_or_country_change_by_an_administrator_ends_the_users_sessions(
    app: Flask, session: Session, make_user: Any, draft: Assessment
) -> None:
    official = make_user("official", "THA")
    client = app.test_client()
    login(client, official.email)
    admin = app.test_client()
    login(admin, make_user("admin").email)
    page = admin.get(f"/admin/users/{official.id}").get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "email": official.email, "name": official.name, "role": "official"}
    data |= {"country_code": "PHL", "agency": "", "language": "en", "active": "y"}
    assert admin.post(f"/admin/users/{official.id}", data=data).status_code == 302
    session.refresh(official)
    assert official.country_code == "PHL"
    assert not signed_in(client, draft)


def test_a_session_ends_after_the_idle_time(
    app: Flask, client: FlaskClient, make_user: Any, draft: Assessment, monkeypatch: pytest.MonkeyPatch
) -> None:
    login(client, make_user("official", "THA").email)
    now = sessions.time.time()
    monkeypatch.setattr(sessions.time, "time", lambda: now + app.config["SESSION_IDLE_SECONDS"] - 30)
    assert signed_in(client, draft)  # used just before the idle time ran out: the clock starts again
    monkeypatch.setattr(sessions.time, "time", lambda: now + 2 * app.config["SESSION_IDLE_SECONDS"] - 60)
    assert signed_in(client, draft)
    monkeypatch.setattr(sessions.time, "time", lambda: now + 3 * app.config["SESSION_IDLE_SECONDS"])
    assert not signed_in(client, draft)
    assert "Your session has ended" in client.get("/login").get_data(as_text=True)


def test_a_session_ends_after_its_lifetime_however_busy(
    app: Flask, client: FlaskClient, make_user: Any, draft: Assessment, monkeypatch: pytest.MonkeyPatch
) -> None:
    login(client, make_user("official", "THA").email)
    now = sessions.time.time()
    step = app.config["SESSION_IDLE_SECONDS"] // 2
    moment = now
    while moment + step < now + app.config["SESSION_LIFETIME_SECONDS"]:
        moment += step
        monkeypatch.setattr(sessions.time, "time", lambda at=moment: at)
        assert signed_in(client, draft)
    monkeypatch.setattr(sessions.time, "time", lambda: now + app.config["SESSION_LIFETIME_SECONDS"] + 1)
    assert not signed_in(client, draft)


def test_a_signed_in_user_keeps_their_language_but_nothing_else_across_sign_in(
    client: FlaskClient, make_user: Any
) -> None:
    with client.session_transaction() as cookie:
        cookie["language"], cookie["leftover"] = "en", "from before"
    login(client, make_user("official", "THA").email)
    with client.session_transaction() as cookie:
        assert cookie.get("language") == "en" and "leftover" not in cookie


def test_the_generation_is_raised_by_sign_out(client: FlaskClient, session: Session, make_user: Any) -> None:
    official = make_user("official", "THA")
    before = official.session_generation
    login(client, official.email)
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/").get_data(as_text=True))})
    session.expire_all()
    assert session.get(User, official.id).session_generation == before + 1  # type: ignore[union-attr]


def test_a_remember_me_cookie_does_not_open_a_session(app: Flask, make_user: Any, draft: Assessment) -> None:
    """CTSAT never sets one; a remember cookie signed with the app's own key still opens nothing,
    since it carries no session generation."""
    from flask_login.utils import encode_cookie

    official = make_user("official", "THA")
    client = app.test_client()
    with app.test_request_context():
        client.set_cookie("remember_token", encode_cookie(str(official.id)))
    assert not signed_in(client, draft)
