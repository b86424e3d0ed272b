"""People who sign in, with their role and country."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Created, IntPk, ShortText

ROLES = ("official", "coordinator", "facilitator", "editor", "admin", "participant")
# A participant joined a workshop with its code: they answer only that workshop's assessment for
# the country the facilitator admitted them for, and never see a national cycle.


class User(Base):
    __tablename__ = "users"

    id: Mapped[IntPk]
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[ShortText]
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    country_code: Mapped[str | None] = mapped_column(ForeignKey("countries.code"), index=True)
    agency: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(10), default="en")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[Created]
    last_login_at: Mapped[datetime | None]
    # Every session carries the generation it began in; raising it ends them all, on every
    # worker and server (sign-out, password change, deactivation, role or country change).
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")
    # Second factor: a TOTP secret (base32), the last time step a code was accepted (a code works
    # once), and the SHA-256 hashes of the unused one-time recovery codes.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None]
    recovery_codes: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    # Per kind of notification: "immediate", "digest" or "off" (missing: immediate).
    notification_settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default="{}")

    # Flask-Login's protocol, kept here so the web layer needs no wrapper class.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)
