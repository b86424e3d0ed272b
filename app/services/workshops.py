"""Workshops: set-up by a facilitator, join codes, participants and each country's workshop assessment."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.errors import N_, CtsatError, NotFound, PermissionDenied
from app.core.questionnaire import Questionnaire
from app.core.workshop_terms import DEFAULT_TERMS, TERMS
from app.models import Assessment, Country, User, Workshop, WorkshopAssessment, WorkshopParticipant
from app.models.base import utcnow
from app.security import COUNTRY_ROLES
from app.services.catalog import get_questionnaire
from app.services.workshop_evaluation import DEFAULT_QUESTIONS

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
CODE_LENGTH = 8
CODE_DAYS = 14


class WorkshopError(CtsatError, ValueError):
    """A workshop cannot be set up or joined as asked (a clear message for the user)."""


@dataclass(frozen=True)
class WorkshopSettings:
    title: str
    starts_on: date | None
    ends_on: date | None
    venue: str
    online: bool
    scope_measures: list[str]
    invited_countries: list[str]
    code_days: int = CODE_DAYS
    evaluation_questions: list[dict[str, object]] = field(default_factory=list)
    sharing_terms: str = DEFAULT_TERMS


def is_facilitator(user: User) -> bool:
    return user.active and user.role in ("facilitator", "admin")


def require_facilitator(user: User) -> None:
    if not is_facilitator(user):
        raise PermissionDenied(N_("only a facilitator can run workshops"))


def runs(user: User, workshop: Workshop) -> bool:
    """Admins run every workshop; a facilitator only the ones they created."""
    return user.active and (user.role == "admin" or (user.role == "facilitator" and workshop.facilitator_id == user.id))


def participant_of(session: Session, user: User, workshop: Workshop) -> WorkshopParticipant | None:
    """The user's request to join or place in the workshop, whatever its status."""
    query = select(WorkshopParticipant).filter_by(workshop_id=workshop.id, user_id=user.id)
    return session.scalars(query).one_or_none()


def admitted_participant(session: Session, user: User, workshop: Workshop) -> WorkshopParticipant | None:
    """The user's place in the workshop if the facilitator admitted them, their role may answer
    and they accepted the workshop's sharing terms."""
    participant = awaiting_terms(session, user, workshop)
    if participant is None or participant.terms_accepted_at is None:
        return None
    return participant


def awaiting_terms(session: Session, user: User, workshop: Workshop) -> WorkshopParticipant | None:
    """The user's admitted place in the workshop, whether or not they accepted the terms yet."""
    participant = participant_of(session, user, workshop)
    if participant is None or participant.status != "admitted" or not user.active:
        return None
    if user.role == "participant" or (user.role in COUNTRY_ROLES and user.country_code == participant.country_code):
        return participant
    return None


def accept_terms(session: Session, user: User, workshop: Workshop) -> WorkshopParticipant:
    """An admitted participant accepts the workshop's sharing terms (again: nothing changes)."""
    participant = awaiting_terms(session, user, workshop)
    if participant is None:
        raise NotFound("no such workshop")
    if participant.terms_accepted_at is None:
        participant.terms_accepted_at = utcnow()
        session.flush()
    return participant


def terms_accepted_by_anyone(session: Session, workshop: Workshop) -> bool:
    query = select(WorkshopParticipant.id).filter(
        WorkshopParticipant.workshop_id == workshop.id, WorkshopParticipant.terms_accepted_at.is_not(None)
    )
    return session.scalar(query.limit(1)) is not None


def open_workshop(session: Session, user: User, workshop_id: int) -> tuple[Workshop, WorkshopParticipant | None]:
    """The workshop for its facilitator (participant None) or an admitted participant; else NotFound."""
    workshop = session.get(Workshop, workshop_id)
    if workshop is None:
        raise NotFound("no such workshop")
    if runs(user, workshop):
        return workshop, None
    participant = admitted_participant(session, user, workshop)
    if participant is None:
        raise NotFound("no such workshop")
    return workshop, participant


def manage_workshop(session: Session, user: User, workshop_id: int) -> Workshop:
    """Facilitator-only pages: a participant gets 403, anyone else 404."""
    workshop, participant = open_workshop(session, user, workshop_id)
    if participant is not None:
        raise PermissionDenied(N_("only the workshop's facilitator can do this"))
    return workshop


def workshops_of(session: Session, user: User) -> list[Workshop]:
    require_facilitator(user)
    query = select(Workshop).order_by(Workshop.starts_on.desc(), Workshop.id.desc())
    if user.role != "admin":
        query = query.filter_by(facilitator_id=user.id)
    return list(session.scalars(query))


def joined_workshops(session: Session, user: User) -> list[tuple[Workshop, WorkshopParticipant]]:
    """The workshops the user asked to join, with their request (pending, admitted or declined)."""
    query = (
        select(Workshop, WorkshopParticipant).join(WorkshopParticipant).filter(WorkshopParticipant.user_id == user.id)
    )
    return [(workshop, participant) for workshop, participant in session.execute(query.order_by(Workshop.id.desc()))]


def _check(session: Session, settings: WorkshopSettings, questionnaire: Questionnaire) -> None:
    if not settings.title.strip():
        raise WorkshopError(N_("the title is required"))
    if len(settings.title.strip()) > 200:
        raise WorkshopError(N_("the title is longer than 200 characters"))
    if settings.starts_on and settings.ends_on and settings.ends_on < settings.starts_on:
        raise WorkshopError(N_("the workshop cannot end before it starts"))
    if not settings.online and not settings.venue.strip():
        raise WorkshopError(N_("give a venue, or mark the workshop as online"))
    unknown = [measure for measure in settings.scope_measures if measure not in questionnaire.measures]
    if unknown:
        raise WorkshopError(N_("unknown measures: %(measures)s"), measures=", ".join(unknown))
    if not settings.invited_countries:
        raise WorkshopError(N_("invite at least one country"))
    known = set(session.scalars(select(Country.code).filter(Country.code.in_(settings.invited_countries))))
    if known != set(settings.invited_countries):
        raise WorkshopError(N_("choose the invited countries from the list"))
    if not 1 <= settings.code_days <= 90:
        raise WorkshopError(N_("the join code can be valid for 1 to 90 days"))
    if settings.sharing_terms not in TERMS:
        raise WorkshopError(N_("choose the workshop's sharing terms"))


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def create_workshop(session: Session, user: User, questionnaire: Questionnaire, settings: WorkshopSettings) -> Workshop:
    require_facilitator(user)
    _check(session, settings, questionnaire)
    workshop = Workshop(
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        join_code=new_code(),
        code_expires_at=utcnow() + timedelta(days=settings.code_days),
        facilitator_id=user.id,
        evaluation_questions=settings.evaluation_questions or list(DEFAULT_QUESTIONS),
    )
    _apply(workshop, settings)
    session.add(workshop)
    session.flush()
    _open_country_assessments(session, user, workshop, questionnaire)
    return workshop


def _apply(workshop: Workshop, settings: WorkshopSettings) -> None:
    workshop.title = settings.title.strip()
    workshop.starts_on, workshop.ends_on = settings.starts_on, settings.ends_on
    workshop.venue, workshop.online = settings.venue.strip()[:200], settings.online
    workshop.scope_measures = list(settings.scope_measures)
    workshop.invited_countries = sorted(set(settings.invited_countries))
    workshop.sharing_terms = settings.sharing_terms
    if settings.evaluation_questions:
        workshop.evaluation_questions = list(settings.evaluation_questions)


def update_workshop(session: Session, user: User, workshop: Workshop, settings: WorkshopSettings) -> None:
    if not runs(user, workshop):
        raise PermissionDenied(N_("only the workshop's facilitator can change it"))
    questionnaire = questionnaire_of_workshop(session, workshop)
    _check(session, settings, questionnaire)
    if settings.sharing_terms != workshop.sharing_terms and terms_accepted_by_anyone(session, workshop):
        # Participants answered under the terms they accepted: changing them would show their
        # country's results in a way they did not agree to.
        raise WorkshopError(N_("participants have accepted the sharing terms: they can no longer be changed"))
    _apply(workshop, settings)
    session.flush()
    _open_country_assessments(session, user, workshop, questionnaire)


def questionnaire_of_workshop(session: Session, workshop: Workshop) -> Questionnaire:
    return get_questionnaire(session, workshop.questionnaire_id, workshop.questionnaire_version)


def scope_of(workshop: Workshop, questionnaire: Questionnaire) -> list[str]:
    """The measures in scope, in questionnaire order (all of them when none was chosen)."""
    chosen = set(workshop.scope_measures or [])
    return [measure for measure in questionnaire.measures if not chosen or measure in chosen]


def _open_country_assessments(session: Session, user: User, workshop: Workshop, questionnaire: Questionnaire) -> None:
    """One workshop assessment per invited country (created by the facilitator, recorded as such)."""
    existing = set(workshop_assessments(session, workshop))
    for code in workshop.invited_countries:
        if code in existing:
            continue
        assessment = Assessment(
            country_code=code,
            questionnaire_id=questionnaire.id,
            questionnaire_version=questionnaire.version,
            title=f"{workshop.title} (workshop)"[:200],
            roles=[],
            created_by=user.id,
        )
        session.add(assessment)
        session.flush()
        session.add(WorkshopAssessment(workshop_id=workshop.id, assessment_id=assessment.id, country_code=code))
    session.flush()


def workshop_assessments(session: Session, workshop: Workshop) -> dict[str, Assessment]:
    """Country code → the workshop assessment of that country, in one query."""
    query = (
        select(WorkshopAssessment.country_code, Assessment)
        .join(Assessment, Assessment.id == WorkshopAssessment.assessment_id)
        .filter(WorkshopAssessment.workshop_id == workshop.id)
    )
    return {code: assessment for code, assessment in session.execute(query)}


def participants_of(
    session: Session, workshop: Workshop, status: str = "admitted"
) -> list[tuple[WorkshopParticipant, User]]:
    """The workshop's participants (by default the admitted ones) and their accounts."""
    query = (
        select(WorkshopParticipant, User)
        .join(User, User.id == WorkshopParticipant.user_id)
        .filter(WorkshopParticipant.workshop_id == workshop.id, WorkshopParticipant.status == status)
        .order_by(WorkshopParticipant.country_code, User.name)
    )
    return [(participant, user) for participant, user in session.execute(query)]


def renew_code(user: User, workshop: Workshop, days: int = CODE_DAYS) -> None:
    if not runs(user, workshop):
        raise PermissionDenied(N_("only the workshop's facilitator can change its code"))
    workshop.join_code = new_code()
    workshop.code_expires_at = utcnow() + timedelta(days=days)
    workshop.code_revoked = False


def revoke_code(user: User, workshop: Workshop) -> None:
    if not runs(user, workshop):
        raise PermissionDenied(N_("only the workshop's facilitator can change its code"))
    workshop.code_revoked = True


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


def workshop_by_code(session: Session, code: str) -> Workshop:
    """The workshop whose code this is, if it can still be used; else WorkshopError."""
    cleaned = "".join(code.split()).upper()
    workshop = session.scalars(select(Workshop).filter_by(join_code=cleaned)).one_or_none() if cleaned else None
    if workshop is None:
        raise WorkshopError(N_("this join code is not known: check it with your facilitator"))
    if workshop.code_revoked:
        raise WorkshopError(N_("this join code has been withdrawn: ask your facilitator for a new one"))
    if _aware(workshop.code_expires_at) < utcnow():
        raise WorkshopError(N_("this join code has expired: ask your facilitator for a new one"))
    return workshop
