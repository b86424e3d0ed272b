"""Counters shared by every worker and server: rate limits per address and sign-in failures per account.

Kept in the database (not in process memory) so that two gunicorn workers, or two servers behind
a load balancer, count the same tries. Times are seconds since the epoch, so that the expiry
arithmetic is the same plain SQL on SQLite and PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import Float, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class ThrottleCounter(Base):
    __tablename__ = "throttle_counters"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)
    expires_at: Mapped[float] = mapped_column(Float, index=True)
    updated_at: Mapped[float] = mapped_column(Float)
