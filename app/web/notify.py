"""Notification e-mails: each in the recipient's language, with a link to where the work is.

The calls are here, in one place, so that views add one line each:
``notify.assignments_changed``, ``notify.measure_ready``, ``notify.measure_reviewed``,
``notify.assessment_status``, ``notify.country_update_decided``, ``notify.admission_decided``;
the periodic tasks call ``send_reminders`` and ``send_digests``.
"""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.countries import country_label
from app.models import (
    Assessment,
    Assignment,
    AssignmentAssignee,
    Country,
    CountryUpdate,
    User,
    Workshop,
    WorkshopParticipant,
)
from app.services import notifications
from app.services.mail import Mail, queue_mail
from app.web.mail import as_html, with_draft_line


def _country_name(session: Session, code: str | None, reader: User) -> str:
    """The country's name in the language ``reader``'s mail is written in."""
    country = session.get(Country, code) if code else None
    language = reader.language or current_app.config["BABEL_DEFAULT_LOCALE"]
    return country_label(country.code, country.name, language) if country else (code or "")


def tell(session: Session, user: User, kind: str, key: str, template: str, **context: Any) -> bool:
    """Tell ``user`` once per (kind, key): at once, in the daily digest, or not (their choice).
    Returns whether a notice was recorded. The caller commits."""
    if not user.active:
        return False
    row = notifications.claim(session, user, kind, key)
    if row is None:
        return False
    choice = notifications.timing(user, kind)
    if choice == "off":
        notifications.mark_sent(row)
        return True
    with force_locale(user.language or current_app.config["BABEL_DEFAULT_LOCALE"]):
        rendered = render_template(f"emails/{template}.txt", name=user.name, **context)
        subject, _, text = rendered.strip().partition("\n")
        row.subject, row.text = subject.strip()[:300], text.strip() + "\n"
        text = with_draft_line(row.text)  # the notice kept for the digest has none: the digest ends with it
        html = as_html(text, row.subject) if choice == "immediate" else ""
    if choice == "immediate":
        queue_mail(Mail(to=user.email, subject=row.subject, text=text, html=html))
        notifications.mark_sent(row)
    return True


def _measure_link(assignment: Assignment) -> str:
    return url_for(
        "assessments.measure", assessment_id=assignment.assessment_id, measure_id=assignment.measure_id, _external=True
    )


def assignment_snapshot(session: Session, assessment: Assessment) -> set[tuple[str, int, date | None]]:
    """Who has which measure by when, before a change (for ``assignments_changed``)."""
    rows = session.execute(
        select(Assignment.measure_id, AssignmentAssignee.user_id, Assignment.due_date)
        .join(AssignmentAssignee, AssignmentAssignee.assignment_id == Assignment.id)
        .filter(Assignment.assessment_id == assessment.id)
    )
    return {(measure_id, user_id, due) for measure_id, user_id, due in rows}


def assignments_changed(session: Session, assessment: Assessment, before: set[tuple[str, int, date | None]]) -> None:
    """Tell each person a measure was newly given to (or given a new due date)."""
    rows = session.execute(
        select(Assignment, User)
        .join(AssignmentAssignee, AssignmentAssignee.assignment_id == Assignment.id)
        .join(User, User.id == AssignmentAssignee.user_id)
        .filter(Assignment.assessment_id == assessment.id)
    )
    for assignment, user in rows:
        if (assignment.measure_id, user.id, assignment.due_date) in before:
            continue
        tell(
            session,
            user,
            "assigned",
            f"a{assignment.id}:{user.id}:{assignment.due_date}",
            "assigned",
            measure=assignment.measure_id,
            title=assessment.title,
            due=assignment.due_date,
            link=_measure_link(assignment),
        )


def measure_ready(session: Session, assessment: Assessment, measure_id: str, by: User) -> None:
    """Tell the country's coordinators a measure waits for their review."""
    link = url_for("cycles.review_page", assessment_id=assessment.id, _external=True)
    for coordinator in notifications.country_people(session, assessment.country_code, ("coordinator",)):
        if coordinator.id == by.id:
            continue
        key = f"{assessment.id}:{measure_id}:{int(time.time())}"
        tell(
            session,
            coordinator,
            "review_waiting",
            key,
            "review_waiting",
            measure=measure_id,
            title=assessment.title,
            by=by.name,
            link=link,
        )


def measure_reviewed(session: Session, assessment: Assessment, measure_id: str, accepted: bool) -> None:
    """Tell the assignee their measure was sent back, with the reviewer's note."""
    if accepted:
        return
    assignment = session.scalars(
        select(Assignment).filter_by(assessment_id=assessment.id, measure_id=measure_id)
    ).first()
    note = notifications.latest_send_back(session, assessment.id, measure_id)
    if assignment is None or note is None:
        return
    for user in notifications.assignees_of(session, assignment):
        tell(
            session,
            user,
            "sent_back",
            f"note{note.id}",
            "sent_back",
            measure=measure_id,
            title=assessment.title,
            note=note.text,
            link=_measure_link(assignment),
        )


def assessment_status(session: Session, assessment: Assessment, by: User) -> None:
    """Tell the country's officials and coordinators that their assessment was submitted or finalised."""
    if assessment.status not in ("submitted", "final"):
        return
    link = url_for("assessments.overview", assessment_id=assessment.id, _external=True)
    for person in notifications.country_people(session, assessment.country_code):
        if person.id == by.id:
            continue
        key = f"{assessment.id}:{assessment.status}:{assessment.revision}"
        tell(
            session,
            person,
            "assessment_status",
            key,
            f"assessment_{assessment.status}",
            title=assessment.title,
            country=_country_name(session, assessment.country_code, person),
            link=link,
        )


def country_update_decided(session: Session, update: CountryUpdate) -> None:
    """Tell the coordinator who proposed a country-profile update whether it was approved, and why not."""
    user = session.get(User, update.submitted_by)
    if user is None or update.status not in ("approved", "rejected"):
        return
    link = url_for("country_updates.mine", _external=True)
    tell(
        session,
        user,
        "country_update",
        f"u{update.id}",
        "country_update",
        approved=update.status == "approved",
        reason=update.reason or "",
        country=_country_name(session, update.country_code, user),
        link=link,
    )


def admission_decided(session: Session, workshop: Workshop, participant: WorkshopParticipant) -> None:
    """Tell a workshop participant they were admitted (or not)."""
    user = session.get(User, participant.user_id)
    if user is None or participant.status not in ("admitted", "declined"):
        return
    link = url_for("workshops.board_page", workshop_id=workshop.id, _external=True)
    tell(
        session,
        user,
        "workshop_admission",
        f"p{participant.id}:{participant.status}",
        "workshop_admission",
        admitted=participant.status == "admitted",
        title=workshop.title,
        country=_country_name(session, participant.country_code, user),
        link=link,
    )


def send_reminders(session: Session, today: date) -> int:
    """Due-in-3-days and overdue reminders, each once per assignment and due date. How many were recorded."""
    count = 0
    for kind, assignment, assessment, user in notifications.reminders_due(session, today):
        days = (assignment.due_date - today).days if assignment.due_date else 0
        count += tell(
            session,
            user,
            kind,
            f"a{assignment.id}:{assignment.due_date}",
            kind,
            measure=assignment.measure_id,
            title=assessment.title,
            due=assignment.due_date,
            days=abs(days),
            link=_measure_link(assignment),
        )
    return count


def send_digests(session: Session) -> int:
    """One e-mail per person with every notice kept for their digest. How many e-mails."""
    sent = 0
    for user_id, rows in notifications.waiting_digests(session).items():
        user = session.get(User, user_id)
        if user is None or not user.active:
            continue
        with force_locale(user.language or current_app.config["BABEL_DEFAULT_LOCALE"]):
            rendered = render_template("emails/digest.txt", name=user.name, notices=rows)
            subject, _, text = rendered.strip().partition("\n")
            text = with_draft_line(text.strip() + "\n")
            html = as_html(text, subject.strip())
        queue_mail(Mail(to=user.email, subject=subject.strip(), text=text, html=html))
        for row in rows:
            notifications.mark_sent(row)
        sent += 1
    return sent
