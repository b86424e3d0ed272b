"""The editorial record: every change to the knowledge base, and country updates awaiting review."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Created, IntPk, length_checks

EDIT_SOURCES = ("web", "update", "load", "import")  # web and update are edits made in the app
UPDATE_STATUSES = ("pending", "approved", "rejected")


class ContentEdit(Base):
    """One change to a knowledge-base entry (``kind`` is its library file name, e.g. "resources")."""

    __tablename__ = "content_edits"
    __table_args__ = (Index("ix_content_edits_kind_key", "kind", "key"),)

    id: Mapped[IntPk]
    kind: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(120))
    source: Mapped[str] = mapped_column(String(10))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any]]
    created_at: Mapped[Created]


class CountryUpdate(Base):
    """A coordinator's proposed additions to their country's profile, and the editor's decision."""

    __tablename__ = "country_updates"
    __table_args__ = length_checks("country_updates")

    id: Mapped[IntPk]
    country_code: Mapped[str] = mapped_column(ForeignKey("countries.code"), index=True)
    submitted_by: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    proposal: Mapped[dict[str, Any]]
    comment: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[Created]
    reviewed_at: Mapped[datetime | None]
