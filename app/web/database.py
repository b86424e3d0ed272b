"""One SQLAlchemy session per request, closed at teardown."""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy.orm import Session

from app.models.database import make_engine, make_sessionmaker


def init_database(app: Flask) -> None:
    url = app.config["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        app.config["INSTANCE_PATH"].mkdir(parents=True, exist_ok=True)
    engine = make_engine(url)
    app.extensions["ctsat.engine"] = engine
    app.extensions["ctsat.sessionmaker"] = make_sessionmaker(engine)
    app.teardown_appcontext(_close_session)


def db() -> Session:
    """The request's session (created on first use)."""
    if "db" not in g:
        g.db = current_app.extensions["ctsat.sessionmaker"]()
    session: Session = g.db
    return session


def _close_session(_error: BaseException | None) -> None:
    session = g.pop("db", None)
    if session is not None:
        session.close()
