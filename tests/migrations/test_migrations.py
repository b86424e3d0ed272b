"""Migrations run up, down and up again, and match the models, on every backend."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from app.models.database import make_engine
from app.services.migrations import check, downgrade, upgrade
from config import database_url
from tests.conftest import BACKENDS, postgres_url


@pytest.fixture(params=BACKENDS)
def empty_database(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A database of its own, so that going down to nothing disturbs no other test."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    monkeypatch.setenv("DATABASE_URL", postgres_url() or "")
    url = make_url(database_url())
    name = f"{url.database}_migrations"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_upgrade_downgrade_upgrade_leaves_the_full_schema(empty_database: str) -> None:
    upgrade(empty_database)
    created = tables(empty_database)
    assert {"users", "countries", "assessments", "answers", "answer_changes", "questionnaire_versions"} <= created
    downgrade(empty_database)
    assert tables(empty_database) == set()
    upgrade(empty_database)
    assert tables(empty_database) == created


def test_the_models_have_no_changes_missing_from_the_migrations(empty_database: str) -> None:
    upgrade(empty_database)
    check(empty_database)


def test_an_assignments_official_becomes_its_first_assignee_and_back(empty_database: str) -> None:
    upgrade(empty_database, "0007")
    engine = make_engine(empty_database)
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO countries (code, name, kind, profile, updated_at)"
                    " VALUES ('THA', 'Thailand', 'state', '{}', CURRENT_TIMESTAMP)"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO users (id, email, name, password_hash, role, country_code, language, active,"
                    " created_at)"
                    " VALUES (5, 'a@x.example', 'A', 'x', 'official', 'THA', 'en', true, CURRENT_TIMESTAMP)"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO assessments (id, country_code, questionnaire_id, questionnaire_version, title, roles,"
                    " status, sharing, revision, created_at, updated_at) VALUES (1, 'THA',"
                    " 'q', '1', 't', '[]', 'draft', 'private', 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO assignments (id, assessment_id, measure_id, user_id, status, created_at, updated_at)"
                    " VALUES (3, 1, 'PROS-1', 5, 'assigned', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                )
            )
        upgrade(empty_database, "0010")
        with engine.connect() as connection:
            assert connection.execute(text("SELECT assignment_id, user_id FROM assignment_assignees")).all() == [(3, 5)]
        downgrade(empty_database, "0007")
        with engine.connect() as connection:
            assert connection.execute(text("SELECT id, user_id FROM assignments")).all() == [(3, 5)]
    finally:
        engine.dispose()
