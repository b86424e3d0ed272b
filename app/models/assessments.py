"""Assessments, their answers and the history of every change to an answer."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Created, IntPk, ShortText, Updated, length_checks, utcnow

STATUSES = ("draft", "submitted", "final")
SHARING = ("private", "peers", "workshop")
ASSIGNMENT_STATUSES = ("assigned", "submitted", "returned", "accepted")
ACTION_STATUSES = ("planned", "in_progress", "done", "delayed", "dropped")


class Assessment(Base):
    __tablename__ = "assessments"

    id: Mapped[IntPk]
    country_code: Mapped[str] = mapped_column(ForeignKey("countries.code"), index=True)
    questionnaire_id: Mapped[str] = mapped_column(String(60))
    questionnaire_version: Mapped[str] = mapped_column(String(20))
    title: Mapped[ShortText]
    roles: Mapped[list[str]] = mapped_column(default=list)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    sharing: Mapped[str] = mapped_column(String(20), default="private")
    revision: Mapped[int] = mapped_column(default=0)
    targets: Mapped[dict[str, Any]] = mapped_column(default=dict)
    confidentiality: Mapped[str] = mapped_column(String(60), default="Confidential")
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id", ondelete="SET NULL"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[Created]
    updated_at: Mapped[Updated]
    submitted_at: Mapped[datetime | None]
    finalised_at: Mapped[datetime | None]
    # Why it was finalised below the questionnaire's completeness threshold (printed in reports).
    final_reason: Mapped[str] = mapped_column(Text, default="", server_default="")


class Answer(Base):
    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("assessment_id", "item_id"), *length_checks("answers"))

    id: Mapped[IntPk]
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(30))
    level: Mapped[int | None]
    value: Mapped[str | None] = mapped_column(Text)
    dont_know: Mapped[bool] = mapped_column(default=False)
    not_applicable: Mapped[bool] = mapped_column(default=False)
    reason: Mapped[str] = mapped_column(Text, default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class AnswerChange(Base):
    """One change to one answer: who, when, the values before and after."""

    __tablename__ = "answer_changes"

    id: Mapped[IntPk]
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[str] = mapped_column(String(30))
    version: Mapped[int]
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any]]
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[Created]


class Assignment(Base):
    """A measure given to one or more officials (often of different agencies) to answer, by a due date."""

    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("assessment_id", "measure_id"),)

    id: Mapped[IntPk]
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    measure_id: Mapped[str] = mapped_column(String(20))
    due_date: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(20), default="assigned")
    assigned_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[Created]
    updated_at: Mapped[Updated]


class AssignmentAssignee(Base):
    """One person an assignment is given to (an assignment has one or more)."""

    __tablename__ = "assignment_assignees"

    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)


class EvidenceFile(Base):
    """A document attached to an answer (law, SOP, MOU, statistics), stored outside the web root.

    ``storage_key`` names the file in the evidence store (``instance/evidence/`` by default);
    ``kind`` is the type found in the file's content, never the name the browser gave.
    """

    __tablename__ = "evidence_files"

    id: Mapped[IntPk]
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[str] = mapped_column(String(30))
    filename: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(10))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(100), unique=True)
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[Created]


class ReviewNote(Base):
    """A reviewer's note on a measure, e.g. when sending it back."""

    __tablename__ = "review_notes"
    __table_args__ = length_checks("review_notes")

    id: Mapped[IntPk]
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    measure_id: Mapped[str | None] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20), default="comment")
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[Created]


class Action(Base):
    """One action of the country's action plan, drafted from gaps."""

    __tablename__ = "actions"
    __table_args__ = length_checks("actions")

    id: Mapped[IntPk]
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(Text)
    measure_id: Mapped[str | None] = mapped_column(String(20))
    item_ids: Mapped[list[str]] = mapped_column(default=list)
    lead_agency: Mapped[str] = mapped_column(String(200), default="")
    partners: Mapped[str] = mapped_column(Text, default="")
    start: Mapped[date | None]
    end: Mapped[date | None]
    budget: Mapped[str] = mapped_column(String(200), default="")
    indicator: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="planned")
    carried_from_id: Mapped[int | None] = mapped_column(ForeignKey("actions.id", ondelete="SET NULL"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[Created]
    updated_at: Mapped[Updated]
