"""Flask-Limiter's storage in our own database (``RATELIMIT_STORAGE_URI = "ctsat-database://"``).

The limits library keeps counts in process memory unless told otherwise, so two gunicorn
workers each allowed the full limit. This storage counts in the app's database instead (the
``throttle_counters`` table, through ``app.services.throttle``), so every worker and server
shares one count with no extra service; ``redis://…`` works too where Redis is configured.
"""

from __future__ import annotations

import time

from flask import current_app
from limits.storage import Storage
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.services import throttle

PREFIX = "limit/"


def _session() -> Session:
    session: Session = current_app.extensions["ctsat.sessionmaker"]()
    return session


class DatabaseStorage(Storage):
    """The fixed-window operations Flask-Limiter needs, each in a short transaction of its own."""

    STORAGE_SCHEME = ["ctsat-database"]

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        with _session() as session, session.begin():
            return throttle.hit(session, PREFIX + key, expiry, amount)

    def get(self, key: str) -> int:
        with _session() as session:
            row = throttle.current(session, PREFIX + key)
            return row.count if row else 0

    def get_expiry(self, key: str) -> float:
        with _session() as session:
            row = throttle.current(session, PREFIX + key)
            return row.expires_at if row else time.time()

    def check(self) -> bool:
        try:
            with _session() as session:
                throttle.current(session, PREFIX)
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        with _session() as session, session.begin():
            return throttle.forget_all(session, PREFIX)

    def clear(self, key: str) -> None:
        with _session() as session, session.begin():
            throttle.forget(session, PREFIX + key)
