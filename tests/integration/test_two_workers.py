"""Two gunicorn workers in two processes (two servers of one worker each, on one database, so
that which worker answers is certain, not left to the kernel): a session ended on one is ended on
the other, and sign-in tries are counted across both (per account and per address).
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.models.database import make_engine
from app.services import throttle
from app.services.accounts import create_user
from app.services.content import load_content
from app.services.migrations import upgrade
from tests.browser.conftest import free_port
from tests.conftest import BACKENDS, FIXTURE_CONTENT, PASSWORD, ROOT, postgres_url

EMAIL = "official@workers.example"
LIMIT = 12


@dataclass
class Server:
    url: str


def _database(backend: str, tmp_path: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'workers.db'}"
        return
    from sqlalchemy.engine import make_url

    base = make_url(os.environ.get("DATABASE_URL") and _pg())
    name = f"{base.database}_workers"
    admin = make_engine(base.set(database="postgres").render_as_string(hide_password=False))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield base.set(database=name).render_as_string(hide_password=False)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _pg() -> str:
    from config import database_url

    os.environ.setdefault("DATABASE_URL", postgres_url() or "")
    return database_url()


@pytest.fixture(params=BACKENDS)
def servers(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Server, Server]]:
    for url in _database(request.param, tmp_path):
        upgrade(url)
        engine = make_engine(url)
        with Session(engine) as session:
            load_content(session, FIXTURE_CONTENT)
            create_user(session, EMAIL, "Two Workers", PASSWORD, "official", "THA")
            session.commit()
        engine.dispose()
        for first in _serve(url, tmp_path):
            for second in _serve(url, tmp_path):
                yield first, second


def _serve(url: str, instance: Path) -> Iterator[Server]:
    port = free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": url,
        "CTSAT_INSTANCE": str(instance),
        "CTSAT_QUESTIONNAIRES": str(FIXTURE_CONTENT),
        "SECRET_KEY": "two-workers",
        "CTSAT_LOGIN_RATE_LIMIT": f"{LIMIT} per minute",
    }
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "--workers",
        "1",
        "--bind",
        f"127.0.0.1:{port}",
        "wsgi:app",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=environment, start_new_session=True, stderr=subprocess.DEVNULL)
    try:
        _wait_until_up(port)
        yield Server(f"http://127.0.0.1:{port}")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)


def _wait_until_up(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


class Browser:
    """A cookie jar and a CSRF token, over a new connection per request (so either worker answers)."""

    def __init__(self, server: Server, jar: http.cookiejar.CookieJar | None = None) -> None:
        self.server = server  # the one it talks to; ``on`` switches
        self.jar = jar if jar is not None else http.cookiejar.CookieJar()
        no_redirects = type("NoRedirects", (urllib.request.HTTPRedirectHandler,), {"redirect_request": lambda *a: None})
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), no_redirects)

    def open(self, path: str, form: dict[str, str] | None = None) -> tuple[int, str]:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        try:
            with self.opener.open(self.server.url + path, data=data, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def token(self, path: str = "/login") -> str:
        found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', self.open(path)[1])
        assert found, "the page has a CSRF token"
        return found.group(1)

    def sign_in(self, password: str = PASSWORD) -> int:
        return self.open("/login", {"csrf_token": self.token(), "email": EMAIL, "password": password})[0]


def copy_of(browser: Browser, server: Server) -> Browser:
    """Another browser, talking to ``server``, with a copy of this one's cookies."""
    jar = http.cookiejar.CookieJar()
    for cookie in browser.jar:
        jar.set_cookie(cookie)
    return Browser(server, jar)


def test_a_session_ended_on_one_worker_is_ended_on_the_other(servers: tuple[Server, Server]) -> None:
    one, other = servers
    browser = Browser(one)
    assert browser.sign_in() == 302
    stolen = copy_of(browser, other)
    assert stolen.open("/account/")[0] == 200
    assert browser.open("/logout", {"csrf_token": browser.token("/account/")})[0] == 302
    assert stolen.open("/account/")[0] == 302  # sent to sign in
    assert copy_of(browser, one).open("/account/")[0] == 302


def test_sign_in_failures_are_counted_across_workers(servers: tuple[Server, Server]) -> None:
    one, other = servers
    failures = [Browser(server).sign_in("not the password") for server in (one, other, one, other, one)]
    assert failures == [401] * throttle.FREE_FAILURES
    assert [Browser(server).sign_in() for server in (other, one)] == [429, 429]  # even the right password waits


def test_the_per_address_limit_holds_across_workers(servers: tuple[Server, Server]) -> None:
    browsers = [Browser(server) for server in servers]
    tokens = [browser.token() for browser in browsers]
    tries = [
        browsers[i % 2].open("/login", {"csrf_token": tokens[i % 2], "email": f"n{i}@example.org", "password": "x"})[0]
        for i in range(LIMIT + 2)
    ]
    assert tries[:LIMIT] == [401] * LIMIT  # a different address each time: only the per-address limit counts
    assert tries[LIMIT:] == [429] * 2
