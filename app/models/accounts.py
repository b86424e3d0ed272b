"""Invitations, password resets, security events, notifications and failed background tasks."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Created, IntPk, ShortText


class Invitation(Base):
    """An e-mail with a single-use link where the invited person sets their own password.

    Only the SHA-256 of the link's token is stored, so the database alone opens nothing."""

    __tablename__ = "invitations"

    id: Mapped[IntPk]
    email: Mapped[str] = mapped_column(String(254), index=True)
    name: Mapped[ShortText]
    role: Mapped[str] = mapped_column(String(20))
    country_code: Mapped[str | None] = mapped_column(ForeignKey("countries.code"))
    agency: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(10), default="en")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[Created]
    sent_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class PasswordReset(Base):
    """A single-use, expiring link to set a new password (only the token's SHA-256 is kept)."""

    __tablename__ = "password_resets"

    id: Mapped[IntPk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[Created]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class SecurityEvent(Base):
    """Sign-ins, failures, lock-outs, second-factor changes, invitations, role changes, resets."""

    __tablename__ = "security_events"

    id: Mapped[IntPk]
    at: Mapped[Created]
    kind: Mapped[str] = mapped_column(String(40), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    email: Mapped[str] = mapped_column(String(254), default="")
    address: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Notification(Base):
    """One notice to one person, at most once per (user, kind, key): the record that it was sent
    (``sent_at``), or waiting for the daily digest (``sent_at`` empty)."""

    __tablename__ = "notifications"
    __table_args__ = (UniqueConstraint("user_id", "kind", "key"),)

    id: Mapped[IntPk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    key: Mapped[str] = mapped_column(String(100))
    subject: Mapped[str] = mapped_column(String(300), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[Created]
    sent_at: Mapped[datetime | None]


class TaskFailure(Base):
    """A background task that failed (retried or given up), for administrators to see."""

    __tablename__ = "task_failures"

    id: Mapped[IntPk]
    at: Mapped[Created]
    task: Mapped[str] = mapped_column(String(200))
    task_id: Mapped[str] = mapped_column(String(64))
    error: Mapped[str] = mapped_column(Text)
    retries_left: Mapped[int] = mapped_column(default=0)
