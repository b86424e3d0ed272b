"""A live CTSAT on a free port with the real content and demo data, and Debian's Chromium.

Chromium is required in CI (CI=true): there a missing browser fails the run. On a
developer's machine without it, these tests are skipped with the command to install it.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.models.database import make_engine
from app.services.catalog import forget_cached
from app.services.content import load_content
from app.services.demo import DemoLogin, seed_demo
from app.services.migrations import upgrade
from app.services.second_factor import current_code

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM_PATH"), shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@dataclass(frozen=True)
class LiveSite:
    url: str
    logins: dict[str, DemoLogin]
    instance: Path

    def last_mail_to(self, address: str) -> str:
        """The text of the newest e-mail to ``address`` in the outbox (no SMTP server in tests)."""
        for path in sorted((self.instance / "mail").glob("*.eml"), reverse=True):
            message = message_from_bytes(path.read_bytes(), policy=default)
            if message["To"] == address:
                return str(message.get_body(("plain",)).get_content())  # type: ignore[union-attr]
        raise AssertionError(f"no e-mail to {address}")

    def login_for(self, email_prefix: str) -> DemoLogin:
        return next(login for email, login in self.logins.items() if email.startswith(email_prefix))

    def second_factor_code(self, email: str, secret: str | None = None) -> str:
        """The current code of the user's authenticator app (the demo keeps demo users' secrets).

        The suite signs in far more often than once per 30-second step and a code works once, so
        the step used last is forgotten first, as if the user had waited for the next code."""
        engine = make_engine(f"sqlite:///{self.instance / 'ctsat.db'}")
        try:
            with engine.begin() as connection:
                stored = connection.execute(
                    text("SELECT totp_secret FROM users WHERE email = :email"), {"email": email}
                ).scalar_one()
                connection.execute(
                    text("UPDATE users SET totp_last_step = NULL WHERE email = :email"), {"email": email}
                )
        finally:
            engine.dispose()
        return current_code(secret or stored)


SITES: list[LiveSite] = []  # the running site, for helpers that take only a page (sign_in)


@pytest.fixture(scope="session")
def live_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSite]:
    instance = tmp_path_factory.mktemp("live")
    url = f"sqlite:///{instance / 'ctsat.db'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        load_content(session, ROOT / "questionnaires")
        logins = seed_demo(session, instance / "demo-logins.txt")
    engine.dispose()
    forget_cached()
    port = free_port()
    server = start_gunicorn(port, url, instance)
    try:
        site = LiveSite(f"http://127.0.0.1:{port}", {login.email: login for login in logins}, instance)
        SITES.append(site)
        yield site
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=15)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_gunicorn(port: int, url: str, instance: Path) -> subprocess.Popen[bytes]:
    """The app as `make run` serves it: gunicorn with two workers, in its own process group.

    (Werkzeug's development server leaves a static file open when a browser drops the
    connection mid-response, which surfaces as a ResourceWarning in a random later test.)
    """
    environment = {
        **os.environ,
        "DATABASE_URL": url,
        "CTSAT_INSTANCE": str(instance),
        "SECRET_KEY": "browser-tests",
        # The suite signs in far more often than a person: keep the limit out of its way.
        "CTSAT_LOGIN_RATE_LIMIT": "600 per minute",
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), "--workers", "2", "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"],
        cwd=ROOT,
        env=environment,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    os.killpg(server.pid, signal.SIGTERM)
    raise RuntimeError("gunicorn did not start for the browser tests")


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    path = chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing in CI: .ci/run must install Debian's chromium package")
        pytest.skip("Chromium is not installed (apt-get install chromium); CI runs these tests")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Browser, live_site: LiveSite) -> Iterator[Page]:
    context = chromium.new_context(base_url=live_site.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
