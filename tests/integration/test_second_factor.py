"""The second factor: required for admins, editors, facilitators and coordinators (everyone with
the setting), a TOTP code or a one-time recovery code after the password, a code that works once,
and an audited reset by an administrator."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from app.models import SecurityEvent, User
from app.services.second_factor import STEP, check_code, current_code, next_unused_step
from tests.conftest import PASSWORD, csrf_token, login


def password_step(client: FlaskClient, email: str) -> Any:
    token = csrf_token(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})


def code_step(client: FlaskClient, code: str) -> Any:
    token = csrf_token(client.get("/login/second-factor").get_data(as_text=True))
    return client.post("/login/second-factor", data={"code": code, "csrf_token": token})


def enroll(client: FlaskClient) -> list[str]:
    page = client.get("/account/second-factor").get_data(as_text=True)
    assert "<svg" in page and "<img" not in page
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page).group(1)  # type: ignore[union-attr]
    response = client.post(
        "/account/second-factor", data={"code": current_code(secret), "csrf_token": csrf_token(page)}
    )
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    return re.findall(r"<li><code>([0-9a-f]{8}-[0-9a-f]{8})</code></li>", response.get_data(as_text=True))


@pytest.mark.parametrize(
    ("role", "country"), [("admin", None), ("editor", None), ("facilitator", None), ("coordinator", "THA")]
)
def test_these_roles_must_set_up_a_second_factor_before_anything_else(
    client: FlaskClient, make_user: Any, role: str, country: str | None
) -> None:
    user = make_user(role, country, second_factor=False)
    assert password_step(client, user.email).status_code == 302
    for path in ("/", "/account/", "/invitations/"):
        assert client.get(path).headers.get("Location") == "/account/second-factor"
    assert client.get("/api/assessments/1/answers").status_code == 403


def test_an_official_may_sign_in_without_one(client: FlaskClient, make_user: Any) -> None:
    user = make_user("official", "THA")
    password_step(client, user.email)
    assert client.get("/").status_code == 200


def test_the_setting_requires_it_of_everyone(app: Flask, client: FlaskClient, make_user: Any) -> None:
    app.config["REQUIRE_SECOND_FACTOR"] = "all"
    user = make_user("official", "THA")
    password_step(client, user.email)
    assert client.get("/").headers["Location"] == "/account/second-factor"


def test_enrolling_shows_ten_recovery_codes_once_and_then_sign_in_asks_for_a_code(
    app: Flask, client: FlaskClient, session: Session, make_user: Any
) -> None:
    user = make_user("coordinator", "THA", second_factor=False)
    password_step(client, user.email)
    codes = enroll(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/").status_code == 200
    fresh = app.test_client()
    response = password_step(fresh, user.email)
    assert response.headers["Location"] == "/login/second-factor"
    assert fresh.get("/").status_code == 200 and "My work" not in fresh.get("/").get_data(as_text=True)
    session.expire_all()
    assert session.get(User, user.id).recovery_codes  # type: ignore[union-attr]
    assert all(code not in str(session.get(User, user.id).recovery_codes) for code in codes)  # type: ignore[union-attr]


def test_a_wrong_enrolment_code_is_refused(client: FlaskClient, make_user: Any) -> None:
    user = make_user("editor", second_factor=False)
    password_step(client, user.email)
    page = client.get("/account/second-factor").get_data(as_text=True)
    response = client.post("/account/second-factor", data={"code": "000000", "csrf_token": csrf_token(page)})
    assert response.status_code == 400 and "does not match" in response.get_data(as_text=True)


def test_a_current_code_signs_in_and_the_same_code_never_works_twice(
    app: Flask, client: FlaskClient, make_user: Any
) -> None:
    user = make_user("admin")
    password_step(client, user.email)
    code = current_code(user.totp_secret or "")
    response = code_step(client, code)
    assert response.status_code == 302 and client.get("/admin/").status_code == 200
    other = app.test_client()
    password_step(other, user.email)
    refused = code_step(other, code)
    assert refused.status_code == 401 and "was used already" in refused.get_data(as_text=True)
    assert "next code" in refused.get_data(as_text=True)
    assert other.get("/admin/").status_code == 302
    wrong = code_step(other, "000000" if code != "000000" else "111111")
    assert wrong.status_code == 401 and "not right" in wrong.get_data(as_text=True)


def test_a_recovery_code_signs_in_once(app: Flask, client: FlaskClient, make_user: Any) -> None:
    user = make_user("coordinator", "THA", second_factor=False)
    password_step(client, user.email)
    codes = enroll(client)
    first = app.test_client()
    password_step(first, user.email)
    response = code_step(first, codes[0].upper())
    assert response.status_code == 302
    assert "9 are left" in first.get("/").get_data(as_text=True)
    second = app.test_client()
    password_step(second, user.email)
    assert code_step(second, codes[0]).status_code == 401


def test_the_code_step_without_a_password_first_goes_back_to_sign_in(client: FlaskClient) -> None:
    assert client.get("/login/second-factor").headers["Location"] == "/login"


def test_wrong_codes_lock_the_account_for_a_while(client: FlaskClient, session: Session, make_user: Any) -> None:
    user = make_user("admin")
    password_step(client, user.email)
    statuses = [code_step(client, "12345x").status_code for _ in range(7)]
    assert statuses[:5] == [401] * 5 and 429 in statuses
    assert session.query(SecurityEvent).filter_by(user_id=user.id, kind="second_factor_failed").count() >= 5


def test_an_admin_resets_a_lost_second_factor_and_it_is_audited(
    app: Flask, client: FlaskClient, session: Session, make_user: Any
) -> None:
    admin = make_user("admin")
    editor = make_user("editor")
    editors_browser = app.test_client()
    login(editors_browser, editor.email)
    login(client, admin.email)
    page = client.get(f"/admin/users/{editor.id}").get_data(as_text=True)
    response = client.post(f"/admin/users/{editor.id}/reset-second-factor", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302
    session.expire_all()
    assert session.get(User, editor.id).totp_secret is None  # type: ignore[union-attr]
    assert editors_browser.get("/account/").status_code == 302  # their sessions ended
    event = session.query(SecurityEvent).filter_by(kind="second_factor_reset", user_id=editor.id).one()
    assert event.actor_id == admin.id
    password_step(editors_browser, editor.email)
    assert editors_browser.get("/").headers["Location"] == "/account/second-factor"


def test_new_recovery_codes_need_a_current_code(client: FlaskClient, make_user: Any) -> None:
    user = make_user("coordinator", "THA", second_factor=False)
    password_step(client, user.email)
    old = enroll(client)
    page = client.get("/account/second-factor").get_data(as_text=True)
    assert (
        client.post(
            "/account/second-factor/recovery-codes", data={"code": "000000", "csrf_token": csrf_token(page)}
        ).status_code
        == 303
    )
    assert old


def test_the_demo_code_is_never_one_already_used(make_user: Any) -> None:
    """`ctsat demo-code` prints the code of the first unused step: signing in twice within 30 s
    needs the next code, never the one just used."""
    user = make_user("admin")
    now = 1_800_000_015.0
    step = int(now) // STEP
    assert next_unused_step(user, at=now) == step
    user.totp_last_step = step
    assert next_unused_step(user, at=now) == step + 1
    user.totp_last_step = step - 3
    assert next_unused_step(user, at=now) == step


def test_two_sign_ins_racing_with_one_code_cannot_both_get_in(session: Session, make_user: Any) -> None:
    """Both requests read the account before either wrote: the first to record the code's step wins,
    the other is refused (the used step is claimed in one conditional UPDATE, not read-then-write)."""
    user = make_user("admin")
    assert user.totp_last_step is None
    code = current_code(user.totp_secret or "")
    step = int(time.time()) // STEP
    claimed_elsewhere = update(User).where(User.id == user.id).values(totp_last_step=step)
    session.execute(claimed_elsewhere.execution_options(synchronize_session=False))  # the other request
    assert user.totp_last_step is None  # this request's copy has not seen it
    assert not check_code(user, code)
