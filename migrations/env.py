"""Alembic environment: the URL comes from the app's configuration (DATABASE_URL)."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import Engine, event

from app.models import Base
from app.models.database import make_engine
from config import database_url

config = context.config
target_metadata = Base.metadata


# Full-text structures that migrations create by hand and the models do not describe:
# SQLite's FTS5 tables (and their shadow tables), PostgreSQL's generated tsvector column and
# its GIN and pg_trgm indexes (see migrations/versions/*_0003_search_documents.py and 0017_search_speed.py).
SEARCH_TABLE_PREFIXES = ("search_words", "search_trigrams")
SEARCH_COLUMNS = {"search_vector", "short_grams"}
SEARCH_INDEXES = {
    "ix_search_documents_search_vector",
    "ix_search_documents_title_trgm",
    "ix_search_documents_text_trgm",
    "ix_search_documents_short_grams",
}


def include_name(name: str | None, type_: str, _parents: object) -> bool:
    return not (type_ == "table" and name is not None and name.startswith(SEARCH_TABLE_PREFIXES))


def include_object(_object: object, name: str | None, type_: str, reflected: bool, _compare_to: object) -> bool:
    if not reflected:
        return True
    if type_ == "table":
        return not (name or "").startswith(SEARCH_TABLE_PREFIXES)
    if type_ == "column":
        return name not in SEARCH_COLUMNS
    if type_ == "index":
        return name not in SEARCH_INDEXES
    return True


def _url() -> str:
    return config.attributes.get("url") or config.get_main_option("sqlalchemy.url") or database_url()


def run_migrations_offline() -> None:
    context.configure(
        url=_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        include_name=include_name,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(_url())
    _without_foreign_keys(engine)
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


def _without_foreign_keys(engine: Engine) -> None:
    """On SQLite, migrate with foreign keys off: a batch migration copies a table and drops the old
    one, and with foreign keys on, dropping it deletes the rows of every table that references it
    ON DELETE CASCADE (a workshop's groups, participants and assessments)."""
    if engine.dialect.name != "sqlite":
        return

    def foreign_keys_off(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA foreign_keys=OFF")

    event.listen(engine, "connect", foreign_keys_off)


def _run(connection: object) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        include_name=include_name,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
