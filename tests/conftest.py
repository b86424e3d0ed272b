"""Shared fixtures: the test content, an app per backend, a database rolled back after each test.

Integration tests run against SQLite, and also against PostgreSQL when DATABASE_URL
points at one (CI sets it), through the ``backend`` parameter.
"""

from __future__ import annotations

import os
import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, Engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from app.core.library import Library
from app.core.loader import load_library, load_questionnaire
from app.core.questionnaire import Questionnaire
from app.models import User
from app.models.database import make_engine
from app.services.accounts import create_user
from app.services.catalog import forget_cached
from app.services.content import load_content
from app.services.migrations import upgrade
from app.services.second_factor import REQUIRED_ROLES, current_code, new_secret
from app.web.extensions import limiter
from app.web.factory import create_app

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_CONTENT = ROOT / "tests" / "fixtures" / "content"
PASSWORD = "correct horse battery"


def postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgresql", "postgres://")) else None


BACKENDS = ["sqlite"] + (["postgresql"] if postgres_url() else [])


@pytest.fixture(scope="session")
def mini_library() -> Library:
    return load_library(FIXTURE_CONTENT / "library")


@pytest.fixture(scope="session")
def mini(mini_library: Library) -> Questionnaire:
    return load_questionnaire(FIXTURE_CONTENT / "mini-1", mini_library)


def _database_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    from config import database_url

    os.environ.setdefault("DATABASE_URL", postgres_url() or "")
    return database_url()


@pytest.fixture(scope="session", params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A migrated database with the test content loaded, once per backend."""
    url = _database_url(request.param, tmp_path_factory)
    engine = make_engine(url)
    if request.param == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    upgrade(url)
    with Session(engine) as session:
        load_content(session, FIXTURE_CONTENT)
    forget_cached()
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    """A connection inside a transaction that is rolled back after the test."""
    with engine.connect() as connection:
        transaction = connection.begin()
        yield connection
        transaction.rollback()


@pytest.fixture
def app(engine: Engine, connection: Connection, tmp_path: Path) -> Iterator[Flask]:
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "DATABASE_URL": str(engine.url.render_as_string(hide_password=False)),
            "INSTANCE_PATH": tmp_path,
            "QUESTIONNAIRES_PATH": FIXTURE_CONTENT,
            "LOGIN_RATE_LIMIT": "1000 per minute",
        }
    )
    app.extensions["ctsat.sessionmaker"] = sessionmaker(
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )
    with app.app_context():
        limiter.reset()  # counts live in the database (rolled back after the test anyway)
    forget_cached()
    yield app
    forget_cached()


@pytest.fixture
def session(app: Flask) -> Iterator[Session]:
    session: Session = app.extensions["ctsat.sessionmaker"]()
    yield session
    session.close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def make_user(session: Session) -> Any:
    """Factory: ``make_user("official", "THA")`` creates and returns a user with PASSWORD."""
    counter = iter(range(1, 10_000))

    def factory(role: str, country: str | None = None, second_factor: bool | None = None, **fields: Any) -> User:
        """Users whose role needs a second factor have one (``second_factor=False``: not yet set up)."""
        email = fields.pop("email", f"{role}{next(counter)}@test.example")
        user = create_user(session, email, f"Test {role}", PASSWORD, role, country, **fields)
        if second_factor if second_factor is not None else role in REQUIRED_ROLES:
            user.totp_secret = new_secret()
        session.commit()
        return user

    return factory


def outbox(app: Flask) -> list[EmailMessage]:
    """The e-mails the app wrote to its outbox (no SMTP server is configured in tests), oldest first."""
    folder = Path(app.config["INSTANCE_PATH"]) / "mail"
    files = sorted(folder.glob("*.eml")) if folder.exists() else []
    return [message_from_bytes(path.read_bytes(), policy=default) for path in files]  # type: ignore[misc]


def csrf_token(html: str) -> str:
    match = (
        re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
        or re.search(r'value="([^"]+)"[^>]*name="csrf_token"', html)
        or re.search(r'<meta name="csrf-token" content="([^"]+)"', html)
    )
    assert match, "the page has no CSRF token"
    return match.group(1)


def login(client: FlaskClient, email: str, password: str = PASSWORD) -> Any:
    """Sign in; where the user has a second factor, answer its step with a fresh code as their app would."""
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": email, "password": password, "csrf_token": token})
    if response.status_code == 302 and response.headers["Location"].endswith("/login/second-factor"):
        code = fresh_code(client.application, email)
        token = csrf_token(client.get("/login/second-factor").get_data(as_text=True))
        response = client.post("/login/second-factor", data={"code": code, "csrf_token": token})
    return response


def fresh_code(app: Flask, email: str) -> str:
    """The user's current TOTP code. Tests sign in far more often than once per 30-second step and
    a code works once, so the step used last is forgotten first (as if 30 seconds had passed)."""
    session: Session = app.extensions["ctsat.sessionmaker"]()
    try:
        user = session.scalars(select(User).filter_by(email=email)).one()
        assert user.totp_secret, f"{email} has no second factor"
        user.totp_last_step = None
        session.commit()
        return current_code(user.totp_secret)
    finally:
        session.close()


def last_mail_to(app: Flask, address: str) -> EmailMessage:
    found = [message for message in outbox(app) if message["To"] == address]
    assert found, f"no e-mail to {address}"
    return found[-1]


def mail_text(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    return str(body.get_content())  # type: ignore[attr-defined]


def link_in(message: EmailMessage, path: str) -> str:
    """The path of the first link in the message's text that starts with ``path``."""
    match = re.search(rf"https?://[^/\s]+({re.escape(path)}\S*)", mail_text(message))
    assert match, f"no {path} link in the e-mail"
    return match.group(1)


@dataclass
class SmtpServer:
    """A real SMTP server (aiosmtpd) on a free local port that keeps what it receives."""

    port: int
    messages: list[EmailMessage]


class _Keep:
    def __init__(self, messages: list[EmailMessage]) -> None:
        self.messages = messages

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        self.messages.append(message_from_bytes(envelope.original_content, policy=default))  # type: ignore[arg-type]
        return "250 OK"


@pytest.fixture
def smtp(app: Flask) -> Iterator[SmtpServer]:
    """The app sends through a real SMTP server for this test."""
    from aiosmtpd.controller import Controller

    from app.services.mail import configure
    from app.web.mail import mail_settings

    messages: list[EmailMessage] = []
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(_Keep(messages), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        app.config["SMTP_URL"] = f"smtp://127.0.0.1:{port}"
        with app.app_context():
            configure(mail_settings())
        yield SmtpServer(port, messages)
    finally:
        controller.stop()
