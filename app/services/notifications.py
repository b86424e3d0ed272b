"""Who is told what: the kinds of notification, each person's choices (at once, in a daily digest,
or not at all), one record per (person, kind, key) so that nothing is sent twice, the reminders
that are due, and each person's open work ("My work").

The web layer words and sends the e-mails (``app.web.notify``); this module decides.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.models import Assessment, Assignment, AssignmentAssignee, Invitation, Notification, ReviewNote, User
from app.models.base import utcnow
from app.security import of_assessment_country

KINDS = (
    "assigned",
    "due_soon",
    "overdue",
    "sent_back",
    "review_waiting",
    "assessment_status",
    "country_update",
    "workshop_admission",
)
TIMINGS = ("immediate", "digest", "off")
DUE_SOON_DAYS = 3
OPEN_STATUSES = ("assigned", "returned")


def timing(user: User, kind: str) -> str:
    chosen = (user.notification_settings or {}).get(kind)
    return chosen if chosen in TIMINGS else "immediate"


def set_timings(user: User, choices: dict[str, str]) -> None:
    """Keep the valid choices; unknown kinds or timings are ignored (the form only offers valid ones)."""
    user.notification_settings = {kind: value for kind, value in choices.items() if kind in KINDS and value in TIMINGS}


def claim(session: Session, user: User, kind: str, key: str) -> Notification | None:
    """A new record for this notice, or None if this person was told already."""
    existing = session.scalar(select(Notification.id).filter_by(user_id=user.id, kind=kind, key=key[:100]))
    if existing is not None:
        return None
    row = Notification(user_id=user.id, kind=kind, key=key[:100])
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:  # another worker told them a moment ago
        return None
    return row


def mark_sent(row: Notification) -> None:
    row.sent_at = utcnow()


def is_overdue(assignment: Assignment, today: date) -> bool:
    return assignment.status in OPEN_STATUSES and assignment.due_date is not None and assignment.due_date < today


def reminders_due(session: Session, today: date) -> list[tuple[str, Assignment, Assessment, User]]:
    """("due_soon" | "overdue", assignment, assessment, assignee) for open assignments of draft
    assessments due within DUE_SOON_DAYS days or past due (already-told ones are skipped by ``claim``)."""
    rows = session.execute(
        select(Assignment, Assessment, User)
        .join(Assessment, Assessment.id == Assignment.assessment_id)
        .join(AssignmentAssignee, AssignmentAssignee.assignment_id == Assignment.id)
        .join(User, User.id == AssignmentAssignee.user_id)
        .where(
            Assessment.status == "draft",
            Assignment.status.in_(OPEN_STATUSES),
            Assignment.due_date.is_not(None),
            of_assessment_country(),
        )
    )
    due = []
    for assignment, assessment, user in rows:
        days = (assignment.due_date - today).days if assignment.due_date else None
        if days is None:
            continue
        if days < 0:
            due.append(("overdue", assignment, assessment, user))
        elif days <= DUE_SOON_DAYS:
            due.append(("due_soon", assignment, assessment, user))
    return due


def waiting_digests(session: Session) -> dict[int, list[Notification]]:
    """Notices kept for the daily digest, by person, oldest first."""
    rows = session.scalars(
        select(Notification).where(Notification.sent_at.is_(None), Notification.text != "").order_by(Notification.id)
    )
    grouped: dict[int, list[Notification]] = {}
    for row in rows:
        grouped.setdefault(row.user_id, []).append(row)
    return grouped


def country_people(
    session: Session, country_code: str, roles: tuple[str, ...] = ("official", "coordinator")
) -> list[User]:
    query = select(User).where(User.country_code == country_code, User.role.in_(roles), User.active.is_(True))
    return list(session.scalars(query.order_by(User.id)))


def assignees_of(session: Session, assignment: Assignment) -> list[User]:
    """Everyone the assignment is given to (two agencies often share a measure) who is still of its country."""
    query = (
        select(User)
        .join(AssignmentAssignee, AssignmentAssignee.user_id == User.id)
        .join(Assignment, Assignment.id == AssignmentAssignee.assignment_id)
        .join(Assessment, Assessment.id == Assignment.assessment_id)
        .where(AssignmentAssignee.assignment_id == assignment.id, of_assessment_country())
    )
    return list(session.scalars(query.order_by(User.id)))


def latest_send_back(session: Session, assessment_id: int, measure_id: str) -> ReviewNote | None:
    return session.scalars(
        select(ReviewNote)
        .filter_by(assessment_id=assessment_id, measure_id=measure_id, kind="send_back")
        .order_by(ReviewNote.id.desc())
        .limit(1)
    ).first()


# My work


@dataclass
class WorkItem:
    assignment: Assignment
    assessment: Assessment
    overdue: bool
    note: ReviewNote | None = None


@dataclass
class MyWork:
    assignments: list[WorkItem] = field(default_factory=list)
    sent_back: list[WorkItem] = field(default_factory=list)
    reviews: list[WorkItem] = field(default_factory=list)
    invitations: list[Invitation] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.assignments or self.sent_back or self.reviews or self.invitations)


def my_work(session: Session, user: User, today: date, invitations: list[Invitation]) -> MyWork:
    """The user's open assignments (overdue first, then by due date), those sent back with the
    reviewer's note, measures waiting for their review (coordinators), and pending invitations."""
    work = MyWork(invitations=invitations)
    mine = session.execute(
        select(Assignment, Assessment)
        .join(Assessment, Assessment.id == Assignment.assessment_id)
        .join(AssignmentAssignee, AssignmentAssignee.assignment_id == Assignment.id)
        .join(User, User.id == AssignmentAssignee.user_id)
        .where(AssignmentAssignee.user_id == user.id, Assessment.status == "draft", of_assessment_country())
        .where(Assignment.status.in_(OPEN_STATUSES))
    )
    for assignment, assessment in mine:
        item = WorkItem(assignment, assessment, is_overdue(assignment, today))
        if assignment.status == "returned":
            item.note = latest_send_back(session, assessment.id, assignment.measure_id)
            work.sent_back.append(item)
        work.assignments.append(item)
    work.assignments.sort(key=lambda item: (not item.overdue, item.assignment.due_date or date.max))
    if user.role == "coordinator" and user.country_code:
        waiting = session.execute(
            select(Assignment, Assessment)
            .join(Assessment, Assessment.id == Assignment.assessment_id)
            .where(
                Assessment.country_code == user.country_code,
                Assessment.status == "draft",
                Assignment.status == "submitted",
            )
            .order_by(Assignment.updated_at)
        )
        work.reviews = [WorkItem(assignment, assessment, False) for assignment, assessment in waiting]
    return work
