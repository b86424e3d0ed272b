"""Counting tries in the database, so that every worker and server sees the same counts.

``hit`` is one atomic upsert (SQLite and PostgreSQL both have ``INSERT … ON CONFLICT``):
two workers counting the same key at the same moment both land. Flask-Limiter's per-address
limits (``app.web.rate_limits``) and the per-account sign-in throttle below share it.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from sqlalchemy import Table, case, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.models import ThrottleCounter


def hit(session: Session, key: str, window: float, amount: int = 1, *, extend: bool = False) -> int:
    """Add ``amount`` to the counter and return its new value. A counter that has expired starts
    again at ``amount`` for a new ``window`` of seconds; ``extend`` renews the window on each hit."""
    now = time.time()
    table: Table = ThrottleCounter.__table__  # type: ignore[assignment]  # a declared model has a Table
    insert = (postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert)(table)
    expired = table.c.expires_at <= now
    values = insert.values(key=key, count=amount, expires_at=now + window, updated_at=now)
    statement = values.on_conflict_do_update(
        index_elements=[table.c.key],
        set_={
            "count": case((expired, amount), else_=table.c.count + amount),
            "expires_at": now + window if extend else case((expired, now + window), else_=table.c.expires_at),
            "updated_at": now,
        },
    ).returning(table.c.count)
    return int(session.execute(statement).scalar_one())


def current(session: Session, key: str) -> ThrottleCounter | None:
    """The counter if it has not expired."""
    row = session.get(ThrottleCounter, key, populate_existing=True)
    return row if row is not None and row.expires_at > time.time() else None


def forget(session: Session, key: str) -> None:
    session.execute(delete(ThrottleCounter).where(ThrottleCounter.key == key))


def forget_all(session: Session, prefix: str) -> int:
    """Remove every counter whose key starts with ``prefix``; how many were removed."""
    statement = delete(ThrottleCounter).where(ThrottleCounter.key.startswith(prefix, autoescape=True))
    return int(session.execute(statement).rowcount or 0)  # type: ignore[attr-defined]


def forget_expired(session: Session) -> int:
    result = session.execute(delete(ThrottleCounter).where(ThrottleCounter.expires_at <= time.time()))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


# Sign-in failures per account: free tries, then a wait that doubles with each further failure.
FREE_FAILURES = 5
FIRST_WAIT = 60.0
LONGEST_WAIT = 3600.0
FAILURES_KEPT = 24 * 3600.0


@dataclass(frozen=True)
class SignInThrottle:
    """Consecutive failed sign-ins for one e-mail address, whether or not an account has it
    (so the answer never reveals which addresses exist)."""

    key: str

    @classmethod
    def for_email(cls, email: str) -> SignInThrottle:
        digest = hashlib.sha256(email.strip().lower().encode("utf-8", "surrogatepass")).hexdigest()
        return cls(f"sign-in/{digest}")

    def wait(self, session: Session) -> int:
        """Seconds to wait before the next try is even checked (0: try now)."""
        row = current(session, self.key)
        if row is None or row.count < FREE_FAILURES:
            return 0
        delay = min(FIRST_WAIT * 2 ** (row.count - FREE_FAILURES), LONGEST_WAIT)
        return max(0, int(math.ceil(row.updated_at + delay - time.time())))

    def failed(self, session: Session) -> int:
        return hit(session, self.key, FAILURES_KEPT, extend=True)

    def succeeded(self, session: Session) -> None:
        forget(session, self.key)
