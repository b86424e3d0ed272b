"""Is this server ready for traffic? The database answers, its schema is at the migrations' head,
and the task queue (when one is configured) answers. Used by ``/readyz`` and ``ctsat doctor``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.services.migrations import alembic_config

QueueCheck = Callable[[], str | None]  # None when the queue answers, else what is wrong


@dataclass(frozen=True)
class Readiness:
    checks: dict[str, str] = field(default_factory=dict)  # name → "ok" or what is wrong

    @property
    def ready(self) -> bool:
        return all(value == "ok" for value in self.checks.values())


@cache
def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config("sqlite://"))


@cache
def migration_heads() -> frozenset[str]:
    """The head revisions of the migrations shipped with this code (read once per process)."""
    return frozenset(_scripts().get_heads())


@cache
def known_revisions() -> frozenset[str]:
    return frozenset(script.revision for script in _scripts().walk_revisions())


def schema_revisions(session: Session) -> frozenset[str]:
    return frozenset(row[0] for row in session.execute(text("SELECT version_num FROM alembic_version")))


def redis_check(url: str) -> QueueCheck:
    """A check that pings Redis at ``url`` (the queue's storage when REDIS_URL is set)."""

    def ping() -> str | None:
        import redis

        try:
            redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
        except redis.RedisError as error:
            return f"Redis does not answer ({type(error).__name__})"
        return None

    return ping


def readiness(session: Session, queue: QueueCheck | None = None) -> Readiness:
    checks: dict[str, str] = {}
    try:
        session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as error:  # noqa: BLE001 - any failure means "not ready"
        session.rollback()
        checks["database"] = f"unreachable ({type(error).__name__})"
    if checks["database"] == "ok":
        try:
            revisions = schema_revisions(session)
        except Exception:  # noqa: BLE001 - no alembic_version table: never migrated
            session.rollback()
            revisions = frozenset()
        wanted = migration_heads()
        checks["migrations"] = "ok" if revisions == wanted else "behind: run `ctsat db-upgrade`"
        if revisions - known_revisions():
            checks["migrations"] = "the database is newer than this code"
    if queue is not None:
        problem = queue()
        checks["queue"] = "ok" if problem is None else problem
    return Readiness(checks)
