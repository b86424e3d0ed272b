"""One SQLAlchemy session per request, closed at teardown."""

from __future__ import annotations

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy.orm import Session

from app.models.database import begin_write, make_engine, make_sessionmaker


def init_database(app: Flask) -> None:
    url = app.config["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        app.config["INSTANCE_PATH"].mkdir(mode=0o700, parents=True, exist_ok=True)
    engine = make_engine(url)
    app.extensions["ctsat.engine"] = engine
    app.extensions["ctsat.sessionmaker"] = make_sessionmaker(engine)
    app.teardown_appcontext(_close_session)


READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Views that read first, commit, then write in a short transaction of their own: the
# write lock is held for one statement instead of the whole request (autosave).
SHORT_WRITES = frozenset({"api.put_answer"})


def db() -> Session:
    """The request's session (created on first use).

    A request that may change data runs as a writing transaction from its first
    statement, so that concurrent requests wait for each other instead of failing.
    """
    if "db" not in g:
        session = current_app.extensions["ctsat.sessionmaker"]()
        if has_request_context() and request.method not in READ_METHODS and request.endpoint not in SHORT_WRITES:
            begin_write(session)
        g.db = session
    found: Session = g.db
    return found


def _close_session(_error: BaseException | None) -> None:
    session = g.pop("db", None)
    if session is not None:
        session.close()
