"""A live CTSAT on a free port with the real content and demo data, and Debian's Chromium.

Chromium is required in CI (CI=true): there a missing browser fails the run. On a
developer's machine without it, these tests are skipped with the command to install it.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from app.models.database import make_engine
from app.services.catalog import forget_cached
from app.services.content import load_content
from app.services.demo import DemoLogin, seed_demo
from app.services.migrations import upgrade
from app.web.factory import create_app

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

    def login_for(self, email_prefix: str) -> DemoLogin:
        return next(login for email, login in self.logins.items() if email.startswith(email_prefix))


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
    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": instance, "SECRET_KEY": "browser-tests"})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveSite(f"http://127.0.0.1:{server.server_port}", {login.email: login for login in logins})
    server.shutdown()
    thread.join(timeout=5)


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
