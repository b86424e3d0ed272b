"""Workshops run by a facilitator: participants who join with a code, groups, strategies, evaluation.

Each invited country answers into an Assessment of its own, linked by a WorkshopAssessment row
(a link table rather than a column on ``assessments``: adding a foreign key column there would
make SQLite copy the table, and dropping the old copy cascades to every answer).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Created, IntPk, ShortText, length_checks

GROUP_KINDS = ("pillar", "similar", "custom")
# A join request waits until the facilitator (or the expected-attendee list) confirms the country.
PARTICIPANT_STATUSES = ("pending", "admitted", "declined")


class Workshop(Base):
    __tablename__ = "workshops"
    __table_args__ = length_checks("workshops")

    id: Mapped[IntPk]
    title: Mapped[ShortText]
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    venue: Mapped[str] = mapped_column(String(200), default="")
    online: Mapped[bool] = mapped_column(default=False)
    questionnaire_id: Mapped[str] = mapped_column(String(60))
    questionnaire_version: Mapped[str] = mapped_column(String(20))
    scope_measures: Mapped[list[str]] = mapped_column(default=list)
    invited_countries: Mapped[list[str]] = mapped_column(default=list)
    join_code: Mapped[str] = mapped_column(String(16), unique=True)
    code_expires_at: Mapped[datetime]
    code_revoked: Mapped[bool] = mapped_column(default=False)
    facilitator_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    evaluation_questions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    summary: Mapped[str] = mapped_column(Text, default="", server_default="")  # the facilitator's, for the report
    # What the board, groups and report show (app/core/workshop_terms.py); fixed once accepted.
    sharing_terms: Mapped[str] = mapped_column(String(20), default="private", server_default="private")
    created_at: Mapped[Created]


class WorkshopAssessment(Base):
    """The assessment a country answers during a workshop (one per invited country)."""

    __tablename__ = "workshop_assessments"
    __table_args__ = (UniqueConstraint("workshop_id", "country_code"),)

    id: Mapped[IntPk]
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), unique=True)
    country_code: Mapped[str] = mapped_column(ForeignKey("countries.code"))


class WorkshopParticipant(Base):
    __tablename__ = "workshop_participants"
    __table_args__ = (UniqueConstraint("workshop_id", "user_id"),)

    id: Mapped[IntPk]
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    country_code: Mapped[str] = mapped_column(ForeignKey("countries.code"))
    agency: Mapped[str] = mapped_column(String(200), default="")
    pillar_id: Mapped[str] = mapped_column(String(40))
    joined_at: Mapped[Created]
    status: Mapped[str] = mapped_column(String(20), default="pending", server_default="admitted")
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    terms_accepted_at: Mapped[datetime | None]  # the workshop's sharing terms, accepted once admitted


class ExpectedAttendee(Base):
    """Someone the facilitator expects, for a country: admitted on arrival once their e-mail is confirmed."""

    __tablename__ = "workshop_expected_attendees"
    __table_args__ = (UniqueConstraint("workshop_id", "email"),)

    id: Mapped[IntPk]
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(254))
    country_code: Mapped[str] = mapped_column(ForeignKey("countries.code"))
    created_at: Mapped[Created]


class WorkshopGroup(Base):
    """A pillar group (members: participant ids) or a country group (members: country codes)."""

    __tablename__ = "workshop_groups"

    id: Mapped[IntPk]
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[ShortText]
    pillar_id: Mapped[str | None] = mapped_column(String(40))
    members: Mapped[list[str]] = mapped_column(default=list)


class Strategy(Base):
    __tablename__ = "strategies"
    __table_args__ = length_checks("strategies")

    id: Mapped[IntPk]
    group_id: Mapped[int] = mapped_column(ForeignKey("workshop_groups.id", ondelete="CASCADE"), index=True)
    title: Mapped[ShortText]
    measures: Mapped[list[str]] = mapped_column(default=list)
    actions: Mapped[str] = mapped_column(Text, default="")
    lead: Mapped[str] = mapped_column(String(200), default="")
    resources: Mapped[list[str]] = mapped_column(default=list)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[Created]


class EvaluationResponse(Base):
    __tablename__ = "evaluation_responses"
    __table_args__ = (UniqueConstraint("workshop_id", "participant_id"),)

    id: Mapped[IntPk]
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("workshop_participants.id", ondelete="CASCADE"))
    answers: Mapped[dict[str, Any]]
    submitted_at: Mapped[Created]
