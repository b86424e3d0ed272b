"""Sign-in failures are counted per account in the database (every worker sees them), with a
wait that grows; the answer never tells whether an account exists."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import ThrottleCounter
from app.services import throttle
from tests.conftest import PASSWORD, login


def fail(client: FlaskClient, email: str, times: int) -> list[int]:
    return [login(client, email, "not the password").status_code for _ in range(times)]


def message(response: Any) -> str:
    text = re.sub(r"\s+", " ", response.get_data(as_text=True))
    found = re.search(r"too many failed sign-ins[^<]*", text, re.IGNORECASE)
    return found.group(0) if found else ""


def test_after_five_failures_even_the_right_password_must_wait(client: FlaskClient, make_user: Any) -> None:
    user = make_user("official", "THA")
    assert fail(client, user.email, throttle.FREE_FAILURES) == [401] * throttle.FREE_FAILURES
    refused = login(client, user.email)
    assert refused.status_code == 429
    assert "try again in 1 min" in message(refused)


def test_an_address_without_an_account_gets_the_same_answers(client: FlaskClient, make_user: Any) -> None:
    user = make_user("official", "THA")
    for email in (user.email, "nobody@example.org"):
        assert fail(client, email, throttle.FREE_FAILURES + 1) == [401] * throttle.FREE_FAILURES + [429]
    known, unknown = login(client, user.email), login(client, "nobody@example.org")
    assert (known.status_code, message(known)) == (unknown.status_code, message(unknown))


def test_the_wait_doubles_with_each_further_failure(
    client: FlaskClient, session: Session, make_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = make_user("official", "THA")
    fail(client, user.email, throttle.FREE_FAILURES)
    start = throttle.time.time()
    monkeypatch.setattr(throttle.time, "time", lambda: start + throttle.FIRST_WAIT + 1)
    assert fail(client, user.email, 1) == [401]  # the wait passed: tried, and failed again
    check = throttle.SignInThrottle.for_email(user.email)
    assert throttle.FIRST_WAIT * 2 - 2 <= check.wait(session) <= throttle.FIRST_WAIT * 2


def test_the_right_password_after_the_wait_signs_in_and_clears_the_count(
    client: FlaskClient, session: Session, make_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = make_user("official", "THA")
    fail(client, user.email, throttle.FREE_FAILURES)
    start = throttle.time.time()
    monkeypatch.setattr(throttle.time, "time", lambda: start + throttle.FIRST_WAIT + 1)
    assert login(client, user.email, PASSWORD).status_code == 302
    assert throttle.current(session, throttle.SignInThrottle.for_email(user.email).key) is None


def test_failures_are_counted_in_the_database_not_in_the_worker(app: Flask, session: Session, make_user: Any) -> None:
    user = make_user("official", "THA")
    for _ in range(2):  # two browsers, as if two workers served them
        fail(app.test_client(), user.email, 2)
    row = session.get(ThrottleCounter, throttle.SignInThrottle.for_email(user.email).key, populate_existing=True)
    assert row is not None and row.count == 4


def test_the_per_address_limit_is_kept_in_the_database(app: Flask, session: Session) -> None:
    login(app.test_client(), "someone@example.org", "wrong password")
    keys = session.scalars(select(ThrottleCounter.key)).all()
    assert any(key.startswith("limit/") for key in keys)


def test_two_hits_on_a_counter_add_up_and_an_expired_one_starts_again(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert throttle.hit(session, "test/key", 60) == 1
    assert throttle.hit(session, "test/key", 60) == 2
    start = throttle.time.time()
    monkeypatch.setattr(throttle.time, "time", lambda: start + 61)
    assert throttle.hit(session, "test/key", 60) == 1
