"""Migrations run up, down and up again, and match the models, on every backend."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from app.config import database_url
from app.models.database import make_engine
from app.services.migrations import check, downgrade, upgrade
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
