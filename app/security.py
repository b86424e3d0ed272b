"""Roles and country scope: the permission checks every view and service uses."""

from __future__ import annotations

from app.models import Assessment, User

COUNTRY_ROLES = frozenset({"official", "coordinator"})


def can_view_assessment(user: User, assessment: Assessment) -> bool:
    """Country officials and coordinators see their own country's assessments; admins see all."""
    if not user.active:
        return False
    if user.role == "admin":
        return True
    return user.role in COUNTRY_ROLES and user.country_code == assessment.country_code


def can_answer(user: User, assessment: Assessment) -> bool:
    """Answers change only while the assessment is a draft, by its own country's people."""
    return (
        assessment.status == "draft"
        and user.active
        and user.role in COUNTRY_ROLES
        and user.country_code == assessment.country_code
    )


def can_start_assessment(user: User, country_code: str) -> bool:
    return user.active and (user.role == "admin" or (user.role == "coordinator" and user.country_code == country_code))


def can_manage(user: User, assessment: Assessment) -> bool:
    """Coordinators run their own country's cycles (start, assign, review, finalise); admins any."""
    return user.active and (
        user.role == "admin" or (user.role == "coordinator" and user.country_code == assessment.country_code)
    )
