"""Fixtures for operations tests: a scratch database of their own per backend (never the shared test one)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import make_url, text

from app.models.database import make_engine
from tests.conftest import BACKENDS, postgres_url


def _postgres_base() -> str:
    from config import database_url

    os.environ.setdefault("DATABASE_URL", postgres_url() or "")
    return database_url()


def scratch_database(backend: str, tmp_path: Path, suffix: str) -> Iterator[str]:
    """A new empty database: a file on SQLite, ``<test database>_<suffix>`` on PostgreSQL (dropped after)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / f'{suffix}.db'}"
        return
    base = make_url(_postgres_base())
    name = f"{base.database}_{suffix}"
    admin = make_engine(base.set(database="postgres").render_as_string(hide_password=False))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)
