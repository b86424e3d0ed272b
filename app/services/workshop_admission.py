"""Who answers for which country in a workshop.

A join code only lets someone *ask*: the country a person answers for is confirmed by someone who
knows them. Officials and coordinators join for the country of their account; a participant
account (made by registering with the code, after confirming its e-mail) waits until the
facilitator admits it, or is admitted on arrival when the facilitator listed its e-mail as an
expected attendee for that country. Editors, facilitators and administrators never answer for a
country. A coordinator may later make a participant an official of their own country.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import ColumnElement, delete, exists, select
from sqlalchemy.orm import Session

from app.core.errors import N_, NotFound, PermissionDenied
from app.models import ExpectedAttendee, User, Workshop, WorkshopParticipant
from app.models.base import utcnow
from app.security import COUNTRY_ROLES, PARTICIPANT_ROLE
from app.services.accounts import (
    MIN_PASSWORD,
    NAME_MAX,
    PASSWORD_PROBLEMS,
    AccountError,
    end_sessions,
    hash_password,
    normalise_email,
    password_problem,
    valid_email,
)
from app.services.workshops import WorkshopError, participant_of, questionnaire_of_workshop, runs

AGENCY_MAX = 200
REGISTRATION_DAYS = 2
EXPECTED_MAX = 500


@dataclass(frozen=True)
class JoinChoice:
    country_code: str
    agency: str
    pillar_id: str


def _checked_choice(session: Session, workshop: Workshop, choice: JoinChoice) -> JoinChoice:
    if choice.country_code not in workshop.invited_countries:
        raise WorkshopError(N_("choose one of the invited countries"))
    if choice.pillar_id not in {pillar.id for pillar in questionnaire_of_workshop(session, workshop).pillars}:
        raise WorkshopError(N_("choose your pillar of expertise"))
    agency = " ".join(choice.agency.split())
    if len(agency) > AGENCY_MAX:
        raise WorkshopError(N_("the agency is longer than %(count)s characters"), count=AGENCY_MAX)
    return JoinChoice(choice.country_code, agency, choice.pillar_id)


def is_expected(session: Session, workshop: Workshop, email: str, country_code: str) -> bool:
    query = select(ExpectedAttendee.id).filter_by(
        workshop_id=workshop.id, email=normalise_email(email), country_code=country_code
    )
    return session.scalar(query.limit(1)) is not None


def _arrival_status(session: Session, user: User, workshop: Workshop, country_code: str) -> str:
    """Officials come for the country of their account; a participant whose (confirmed) e-mail the
    facilitator expects for that country is let in; anyone else waits for the facilitator."""
    if user.role in COUNTRY_ROLES or is_expected(session, workshop, user.email, country_code):
        return "admitted"
    return "pending"


def request_to_join(session: Session, user: User, workshop: Workshop, choice: JoinChoice) -> WorkshopParticipant:
    """Ask to take part (or change one's agency and pillar); the request's status says what follows."""
    if not user.active or user.role not in (*COUNTRY_ROLES, PARTICIPANT_ROLE):
        raise WorkshopError(
            N_(
                "editors, facilitators and administrators do not answer for a country: to take part,"
                " register with the join code under another e-mail address"
            )
        )
    if user.role in COUNTRY_ROLES:
        if user.country_code not in workshop.invited_countries:
            raise WorkshopError(N_("your country is not invited to this workshop"))
        choice = JoinChoice(str(user.country_code), choice.agency, choice.pillar_id)
    choice = _checked_choice(session, workshop, choice)
    participant = participant_of(session, user, workshop)
    if participant is not None and participant.status == "declined":
        raise WorkshopError(N_("the facilitator declined your request to join this workshop"))
    if participant is None or participant.country_code != choice.country_code or participant.status != "admitted":
        status = _arrival_status(session, user, workshop, choice.country_code)
    else:
        status = participant.status
    if participant is None:
        participant = WorkshopParticipant(workshop_id=workshop.id, user_id=user.id)
        session.add(participant)
    if participant.country_code != choice.country_code:
        participant.terms_accepted_at = None  # a new place: the terms are read and accepted for it
    participant.country_code, participant.agency = choice.country_code, choice.agency
    participant.pillar_id, participant.status = choice.pillar_id, status
    session.flush()
    return participant


def decide(session: Session, facilitator: User, workshop: Workshop, participant_id: int, admit: bool) -> User:
    """The facilitator admits or declines a request (or takes back an admission); the person is returned."""
    if not runs(facilitator, workshop):
        raise PermissionDenied(N_("only the workshop's facilitator can admit participants"))
    participant = session.get(WorkshopParticipant, participant_id)
    if participant is None or participant.workshop_id != workshop.id:
        raise NotFound("no such participant")
    participant.status = "admitted" if admit else "declined"
    participant.decided_by, participant.decided_at = facilitator.id, utcnow()
    session.flush()
    person = session.get(User, participant.user_id)
    assert person is not None  # a foreign key
    return person


_SEPARATOR = re.compile(r"[,;\t ]+")


def parse_expected(workshop: Workshop, text: str) -> list[tuple[str, str]]:
    """Lines of "e-mail, country code" (comma, semicolon, tab or space between); WorkshopError naming the line."""
    found: dict[str, str] = {}
    lines = [line.strip() for line in text.splitlines()]
    if sum(1 for line in lines if line) > EXPECTED_MAX:
        raise WorkshopError(N_("list at most %(count)s expected attendees"), count=EXPECTED_MAX)
    for number, line in enumerate(lines, start=1):
        if not line:
            continue
        parts = [part for part in _SEPARATOR.split(line) if part]
        email = normalise_email(parts[0]) if parts else ""
        country = parts[1].upper() if len(parts) == 2 else ""
        if not valid_email(email) or not country:
            raise WorkshopError(
                N_("line %(line)s: write an e-mail address and a country code, e.g. name@ministry.go.th, THA"),
                line=number,
            )
        if country not in workshop.invited_countries:
            raise WorkshopError(
                N_("line %(line)s: %(country)s is not an invited country"), line=number, country=country
            )
        found[email] = country
    return sorted(found.items())


def set_expected(session: Session, facilitator: User, workshop: Workshop, text: str) -> int:
    """Replace the expected attendees; requests already waiting from them (same country) are admitted.
    Returns how many waiting requests were admitted."""
    if not runs(facilitator, workshop):
        raise PermissionDenied(N_("only the workshop's facilitator can change the expected attendees"))
    attendees = parse_expected(workshop, text)
    session.execute(delete(ExpectedAttendee).where(ExpectedAttendee.workshop_id == workshop.id))
    session.add_all(ExpectedAttendee(workshop_id=workshop.id, email=e, country_code=c) for e, c in attendees)
    session.flush()
    admitted = 0
    for participant, user in waiting(session, workshop):
        if user.role == PARTICIPANT_ROLE and is_expected(session, workshop, user.email, participant.country_code):
            participant.status, participant.decided_by, participant.decided_at = "admitted", facilitator.id, utcnow()
            admitted += 1
    session.flush()
    return admitted


def expected_of(session: Session, workshop: Workshop) -> list[ExpectedAttendee]:
    query = select(ExpectedAttendee).filter_by(workshop_id=workshop.id).order_by(ExpectedAttendee.country_code)
    return list(session.scalars(query.order_by(ExpectedAttendee.email)))


def waiting(session: Session, workshop: Workshop) -> list[tuple[WorkshopParticipant, User]]:
    query = (
        select(WorkshopParticipant, User)
        .join(User, User.id == WorkshopParticipant.user_id)
        .filter(WorkshopParticipant.workshop_id == workshop.id, WorkshopParticipant.status == "pending")
        .order_by(WorkshopParticipant.joined_at)
    )
    return [(participant, user) for participant, user in session.execute(query)]


# Registering with a join code: the account exists only once its e-mail is confirmed.


@dataclass(frozen=True)
class Registration:
    """What a visitor typed on the join page, carried (signed, not secret) in the confirmation
    link. The password is chosen on the page that link opens, so no secret travels by e-mail."""

    workshop_id: int
    name: str
    email: str
    country_code: str
    agency: str
    pillar_id: str


def check_registration(
    session: Session, workshop: Workshop, person: dict[str, str], choice: JoinChoice
) -> Registration:
    """The registration if everything typed is acceptable (``person``: name, email); else
    AccountError or WorkshopError naming what to fix."""
    choice = _checked_choice(session, workshop, choice)
    name = " ".join(person.get("name", "").split())
    if not name:
        raise AccountError(N_("your name is required"))
    if len(name) > NAME_MAX:
        raise AccountError(N_("your name is longer than %(count)s characters"), count=NAME_MAX)
    email = normalise_email(person.get("email", ""))
    if not valid_email(email):
        raise AccountError(N_("enter an e-mail address like name@ministry.gov"))
    return Registration(workshop.id, name, email, choice.country_code, choice.agency, choice.pillar_id)


def check_new_password(registration: Registration, password: str, again: str) -> str:
    """The password's hash if it is acceptable and typed twice the same; else AccountError."""
    if password != again:
        raise AccountError(N_("the two passwords are not the same"))
    if problem := password_problem(password, registration.email, registration.name):
        raise AccountError(PASSWORD_PROBLEMS[problem], count=MIN_PASSWORD)
    return hash_password(password)


def email_taken(session: Session, email: str) -> bool:
    return session.scalar(select(exists().where(User.email == normalise_email(email)))) is True


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="ctsat-workshop-registration")


def registration_token(secret: str, registration: Registration) -> str:
    return _serializer(secret).dumps(asdict(registration))


def read_registration(secret: str, token: str) -> Registration:
    try:
        data = _serializer(secret).loads(token, max_age=REGISTRATION_DAYS * 24 * 3600)
    except SignatureExpired:
        raise WorkshopError(N_("this link has expired: join again with the workshop's code")) from None
    except BadSignature:
        raise WorkshopError(N_("this link is not valid: copy the whole link from the e-mail")) from None
    return Registration(**data)


def complete_registration(session: Session, registration: Registration, password_hash: str) -> User | None:
    """Create the participant account and its join request; None if the e-mail has an account already
    (the link was used before)."""
    if email_taken(session, registration.email):
        return None
    workshop = session.get(Workshop, registration.workshop_id)
    if workshop is None:
        raise WorkshopError(N_("this workshop no longer exists"))
    user = User(
        email=registration.email,
        name=registration.name,
        password_hash=password_hash,
        role=PARTICIPANT_ROLE,
        agency=registration.agency or None,
    )
    session.add(user)
    session.flush()
    request_to_join(
        session, user, workshop, JoinChoice(registration.country_code, registration.agency, registration.pillar_id)
    )
    return user


# A coordinator makes a participant an official of their own country.


def _admitted_for_country(country_code: str | None) -> ColumnElement[bool]:
    return exists().where(
        WorkshopParticipant.user_id == User.id,
        WorkshopParticipant.status == "admitted",
        WorkshopParticipant.country_code == country_code,
    )


def promotable(session: Session, coordinator: User) -> list[User]:
    """Participants admitted to some workshop for the coordinator's country."""
    if not (coordinator.active and coordinator.role == "coordinator" and coordinator.country_code):
        raise PermissionDenied(N_("only a country coordinator can make participants officials of their country"))
    query = select(User).where(
        User.role == PARTICIPANT_ROLE, User.active, _admitted_for_country(coordinator.country_code)
    )
    return list(session.scalars(query.order_by(User.name)))


def make_official(session: Session, coordinator: User, user_id: int) -> User:
    person = next((user for user in promotable(session, coordinator) if user.id == user_id), None)
    if person is None:
        raise NotFound("no such participant")
    person.role, person.country_code = "official", coordinator.country_code
    end_sessions(person)  # what they may see changed: they sign in again as an official
    session.flush()
    return person
