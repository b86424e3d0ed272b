"""Roles and country scope: the permission checks every view and service uses."""

from __future__ import annotations

from typing import Any

from sqlalchemy import BindParameter, ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import object_session

from app.models import Assessment, User, WorkshopAssessment, WorkshopParticipant

COUNTRY_ROLES = frozenset({"official", "coordinator"})
# Only a "participant" account reaches an assessment through a workshop: officials and
# coordinators already see their own country's, and editors, facilitators and admins never
# answer for a country, whatever rows a join form may once have written.
PARTICIPANT_ROLE = "participant"


def _admitted_for(assessment_id: Any, user_id: Any, country_code: Any) -> Select[Any]:
    """An admitted participant row of this user, in the workshop of this assessment, for its country,
    who accepted the workshop's sharing terms."""
    return (
        select(WorkshopParticipant.id)
        .join(WorkshopAssessment, WorkshopAssessment.workshop_id == WorkshopParticipant.workshop_id)
        .where(
            WorkshopAssessment.assessment_id == assessment_id,
            WorkshopParticipant.user_id == user_id,
            WorkshopParticipant.country_code == country_code,
            WorkshopParticipant.status == "admitted",
            WorkshopParticipant.terms_accepted_at.is_not(None),  # the workshop's sharing terms accepted
        )
    )


def is_workshop_participant(user: User, assessment: Assessment) -> bool:
    """Whether the user is a participant admitted to this assessment's workshop for its country."""
    session = object_session(assessment)
    if session is None or not user.active or user.role != PARTICIPANT_ROLE:
        return False
    query = _admitted_for(assessment.id, user.id, assessment.country_code)
    return session.scalar(query.limit(1)) is not None


def can_view_assessment(user: User, assessment: Assessment) -> bool:
    """Country officials and coordinators see their own country's assessments; admins see all;
    a workshop participant sees the workshop assessment of the country they joined for."""
    if not user.active:
        return False
    if user.role == "admin":
        return True
    if user.role in COUNTRY_ROLES and user.country_code == assessment.country_code:
        return True
    return is_workshop_participant(user, assessment)


def can_answer(user: User, assessment: Assessment) -> bool:
    """Answers change only while the assessment is a draft, by its own country's people
    (or, for a workshop assessment, by the workshop's participants for that country)."""
    if assessment.status != "draft" or not user.active:
        return False
    if user.role in COUNTRY_ROLES and user.country_code == assessment.country_code:
        return True
    return is_workshop_participant(user, assessment)


def may_answer_now(
    user_id: int | BindParameter[int],
    assessment_id: int | BindParameter[int],
    generation: int | BindParameter[int],
) -> ColumnElement[bool]:
    """``can_answer`` as one SQL condition, for statements that check it as they write, with the
    session's generation (a session ended elsewhere writes nothing).

    The autosave puts it in the WHERE clause of its single UPDATE, so a save needs no
    reload of the user or the assessment. tests/integration/test_answer_permission.py holds the
    two forms to the same answers.
    """
    participant = _admitted_for(Assessment.id, User.id, Assessment.country_code)
    allowed = (
        select(Assessment.id)
        .join(User, User.id == user_id)
        .where(Assessment.id == assessment_id, Assessment.status == "draft", User.active)
        .where(User.session_generation == generation)
        .where(
            or_(
                # One equality per role, not IN (...): an IN list is an "expanding" parameter, and
                # SQLAlchemy renders the statement's SQL again at every execution for it.
                and_(or_(*(User.role == role for role in COUNTRY_ROLES)), User.country_code == Assessment.country_code),
                and_(User.role == PARTICIPANT_ROLE, participant.exists()),
            )
        )
    )
    return allowed.exists()


def of_assessment_country() -> ColumnElement[bool]:
    """SQL: the ``User`` row is an active official or coordinator of the ``Assessment`` row's country.

    Assignments outlive a move to another country or role: whatever lists or e-mails a person's
    assignments joins both rows and keeps this condition, so nobody is told another country's work.
    """
    return and_(User.active.is_(True), User.role.in_(COUNTRY_ROLES), User.country_code == Assessment.country_code)


def can_start_assessment(user: User, country_code: str) -> bool:
    return user.active and (user.role == "admin" or (user.role == "coordinator" and user.country_code == country_code))


def can_manage(user: User, assessment: Assessment) -> bool:
    """Coordinators run their own country's cycles (start, assign, review, finalise); admins any."""
    return user.active and (
        user.role == "admin" or (user.role == "coordinator" and user.country_code == assessment.country_code)
    )
