"""Loaded questionnaire versions and knowledge-base entries.

A questionnaire version is stored whole, as loaded, so that an assessment is
always scored against the version it was answered on, whatever the files say now.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Created, IntPk, ShortText, Updated


class QuestionnaireVersion(Base):
    __tablename__ = "questionnaire_versions"
    __table_args__ = (UniqueConstraint("questionnaire_id", "version"),)

    id: Mapped[IntPk]
    questionnaire_id: Mapped[str] = mapped_column(String(60))
    version: Mapped[str] = mapped_column(String(20))
    title: Mapped[ShortText]
    checksum: Mapped[str] = mapped_column(String(64))
    content: Mapped[dict[str, Any]]
    loaded_at: Mapped[Created]


class LibraryEntry(Base):
    """One resource, practice, challenge, principle, instrument or tag."""

    __tablename__ = "library_entries"
    __table_args__ = (UniqueConstraint("kind", "key"),)

    id: Mapped[IntPk]
    kind: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(120))
    data: Mapped[dict[str, Any]]
    updated_at: Mapped[Updated]
