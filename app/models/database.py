"""Engine and sessions: SQLite (WAL, foreign keys) by default, PostgreSQL via DATABASE_URL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin, so
    # that savepoints and rollbacks behave as on PostgreSQL.
    connection.isolation_level = None
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    # "IMMEDIATE" takes the write lock at BEGIN (waiting up to busy_timeout for it), so a
    # transaction that reads before it writes cannot fail with SQLITE_BUSY_SNAPSHOT when
    # another process wrote in between. Requests that change data ask for it.
    mode = connection.get_execution_options().get(WRITE_OPTION)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if mode else "BEGIN")


WRITE_OPTION = "ctsat_write"


def begin_write(session: Session) -> None:
    """Start the session's next transaction as a writing one (on SQLite: BEGIN IMMEDIATE).

    Call before the first statement of a unit of work that will write.
    """
    session.connection(execution_options={WRITE_OPTION: True})


def create_private_sqlite_file(database: str) -> None:
    """The SQLite file readable by its owner only (0600), in a folder of its own made private (0700).

    SQLite gives its -wal and -shm files the database file's permissions.
    """
    path = Path(database)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not path.exists():
        path.touch(mode=0o600)
        path.chmod(0o600)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        database = make_url(url).database
        if database and database != ":memory:":
            create_private_sqlite_file(database)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)
