"""The baseline for bench/autosave.py: a bare Flask + SQLAlchemy app that saves one answer with a
plain single-row upsert. Same URL shape and JSON as the autosave API, no auth, no CSRF, no history.

On PostgreSQL (bench.autosave --postgres) it is INSERT … ON CONFLICT DO UPDATE there.
It uses the app's own engine setup (SQLite WAL, synchronous=NORMAL, foreign keys, busy timeout,
explicit BEGIN), so only the request handling differs. Serve it with BARE_DATABASE_URL set as
`gunicorn 'bench.bare_app:from_environment()'`; `create_schema(url, answered)` makes its one table.
"""

from __future__ import annotations

import os

from flask import Flask, jsonify, request
from flask.typing import ResponseReturnValue
from sqlalchemy import Column, Engine, Integer, MetaData, String, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import sessionmaker

from app.models.database import make_engine

metadata = MetaData()
answers = Table(
    "answers",
    metadata,
    Column("assessment_id", Integer, primary_key=True),
    Column("item_id", String(30), primary_key=True),
    Column("level", Integer),
    Column("version", Integer, nullable=False),
)


def create_schema(url: str, answered: list[tuple[int, str]]) -> None:
    """The table, with `answered` (assessment id, item id) pairs already at version 1."""
    engine = make_engine(_url(url))
    metadata.create_all(engine)
    with engine.begin() as connection:
        rows = [{"assessment_id": a, "item_id": i, "level": 0, "version": 1} for a, i in answered]
        if rows:
            connection.execute(answers.insert(), rows)
    engine.dispose()


def create_app(engine: Engine) -> Flask:
    app = Flask(__name__)
    sessions = sessionmaker(bind=engine)
    insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert

    @app.put("/api/v1/assessments/<int:assessment_id>/answers/<item_id>")
    def put_answer(assessment_id: int, item_id: str) -> ResponseReturnValue:
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or not str(body.get("answer", "")).isdigit():
            return jsonify({"error": "send {answer, version}", "status": 400}), 400
        level = int(body["answer"])
        statement = (
            insert(answers)
            .values(assessment_id=assessment_id, item_id=item_id, level=level, version=1)
            .on_conflict_do_update(
                index_elements=[answers.c.assessment_id, answers.c.item_id],
                set_={"level": level, "version": answers.c.version + 1},
            )
            .returning(answers.c.version)
        )
        with sessions() as session, session.begin():
            version = session.execute(statement).scalar_one()
        return jsonify({"item_id": item_id, "version": version})

    return app


def from_environment() -> Flask:
    """For gunicorn: `gunicorn 'bench.bare_app:from_environment()'`."""
    return create_app(make_engine(_url(os.environ["BARE_DATABASE_URL"])))


def _url(url: str) -> str:
    """postgresql://… as the app reads it (psycopg 3); SQLite URLs as they are."""
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url
