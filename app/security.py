"""Roles and country scope: the permission checks every view and service uses."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import object_session

from app.models import Assessment, User, WorkshopAssessment, WorkshopParticipant

COUNTRY_ROLES = frozenset({"official", "coordinator"})


def is_workshop_participant(user: User, assessment: Assessment) -> bool:
    """Whether the user joined the workshop this assessment belongs to, for its country."""
    session = object_session(assessment)
    if session is None or not user.active:
        return False
    query = (
        select(WorkshopParticipant.id)
        .join(WorkshopAssessment, WorkshopAssessment.workshop_id == WorkshopParticipant.workshop_id)
        .filter(
            WorkshopAssessment.assessment_id == assessment.id,
            WorkshopParticipant.user_id == user.id,
            WorkshopParticipant.country_code == assessment.country_code,
        )
    )
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


def can_start_assessment(user: User, country_code: str) -> bool:
    return user.active and (user.role == "admin" or (user.role == "coordinator" and user.country_code == country_code))


def can_manage(user: User, assessment: Assessment) -> bool:
    """Coordinators run their own country's cycles (start, assign, review, finalise); admins any."""
    return user.active and (
        user.role == "admin" or (user.role == "coordinator" and user.country_code == assessment.country_code)
    )
