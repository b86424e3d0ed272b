"""Assessment cycles: start one, assign measures, mark them ready, review (accept or send
back with a note), submit, return to draft, finalise, and start the next cycle from a copy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.core.errors import N_, CtsatError, PermissionDenied
from app.core.limits import NOTE, too_long
from app.core.questionnaire import Questionnaire
from app.models import Answer, Assessment, Assignment, AssignmentAssignee, ReviewNote, User
from app.models.assessments import SHARING
from app.models.base import utcnow
from app.security import can_manage, can_start_assessment
from app.services.assessments import questionnaire_of, start_assessment
from app.services.finalising import REASON_LIMIT, readiness

ROLES = ("origin", "transit", "destination")
CONFIDENTIALITY = ("Confidential", "Restricted", "Official use only", "Public")


class CycleError(CtsatError, ValueError):
    """The cycle cannot do that now (a clear message for the user)."""


@dataclass(frozen=True)
class CycleSettings:
    title: str
    roles: list[str]
    confidentiality: str
    sharing: str
    measure_targets: dict[str, int]


def _require_manager(user: User, assessment: Assessment) -> None:
    if not can_manage(user, assessment):
        raise PermissionDenied(N_("only the country's coordinator can do this"))


def _check_settings(settings: CycleSettings, questionnaire: Questionnaire) -> None:
    if not settings.title.strip():
        raise CycleError(N_("the title is required"))
    if len(settings.title) > 200:
        raise CycleError(N_("the title is longer than 200 characters"))
    if not set(settings.roles) <= set(ROLES):
        raise CycleError(N_("the profile can be origin, transit and/or destination"))
    if settings.confidentiality not in CONFIDENTIALITY:
        raise CycleError(N_("choose a confidentiality marking from the list"))
    if settings.sharing not in SHARING:
        raise CycleError(N_("choose private, shared with peers or shared with a workshop"))
    for measure_id, target in settings.measure_targets.items():
        if measure_id not in questionnaire.measures or not 1 <= target <= 4:
            raise CycleError(N_("the target for %(measure)s must be a level from 1 to 4"), measure=measure_id)


def start_cycle(
    session: Session, user: User, country_code: str, questionnaire: Questionnaire, settings: CycleSettings
) -> Assessment:
    if not can_start_assessment(user, country_code):
        raise PermissionDenied(N_("only the country's coordinator can start an assessment"))
    _check_settings(settings, questionnaire)
    assessment = start_assessment(session, user, country_code, questionnaire, settings.title, settings.roles)
    _apply(assessment, settings)
    session.flush()
    return assessment


def _apply(assessment: Assessment, settings: CycleSettings) -> None:
    assessment.title = settings.title.strip()
    assessment.roles = sorted(set(settings.roles))
    assessment.confidentiality = settings.confidentiality
    assessment.sharing = settings.sharing
    targets = dict(assessment.targets or {})
    targets["measures"] = {key: value for key, value in settings.measure_targets.items() if value != 4}
    assessment.targets = targets
    assessment.revision += 1  # profile and targets change the results


def update_settings(
    session: Session, user: User, assessment: Assessment, questionnaire: Questionnaire, settings: CycleSettings
) -> None:
    """Title, profile, marking, sharing and targets; sharing stays changeable (revocable) after finalising."""
    _require_manager(user, assessment)
    _check_settings(settings, questionnaire)
    if assessment.status == "final":
        unchanged = settings.title == assessment.title and sorted(settings.roles) == sorted(assessment.roles)
        if not unchanged:
            raise CycleError(N_("a final assessment keeps its title and profile; only sharing and marking can change"))
        assessment.sharing, assessment.confidentiality = settings.sharing, settings.confidentiality
        return
    _apply(assessment, settings)


def officials_of(session: Session, country_code: str) -> list[User]:
    query = select(User).filter(
        User.country_code == country_code, User.role.in_(("official", "coordinator")), User.active.is_(True)
    )
    return list(session.scalars(query.order_by(User.name)))


def assignments_of(session: Session, assessment: Assessment) -> dict[str, Assignment]:
    rows = session.scalars(select(Assignment).filter_by(assessment_id=assessment.id))
    return {row.measure_id: row for row in rows}


def assignees_of(session: Session, assessment: Assessment) -> dict[str, list[User]]:
    """Measure id → the people it is assigned to, by name (one query)."""
    rows = session.execute(
        select(Assignment.measure_id, User)
        .join(AssignmentAssignee, AssignmentAssignee.assignment_id == Assignment.id)
        .join(User, User.id == AssignmentAssignee.user_id)
        .filter(Assignment.assessment_id == assessment.id)
        .order_by(User.name)
    )
    found: dict[str, list[User]] = {}
    for measure_id, person in rows:
        found.setdefault(measure_id, []).append(person)
    return found


def _check_assignees(assessment: Assessment, assignees: list[User]) -> None:
    for assignee in assignees:
        if assignee.country_code != assessment.country_code or assignee.role not in ("official", "coordinator"):
            raise CycleError(N_("%(name)s is not an official of this country"), name=assignee.name)


def assign(
    session: Session, user: User, assessment: Assessment, measure_id: str, assignees: list[User], due: date | None
) -> None:
    """Give a measure to one or more officials of the same country (none removes the assignment);
    each person newly given it is told by the web layer (``app.web.notify.assignments_changed``)."""
    _require_manager(user, assessment)
    if assessment.status != "draft":
        raise CycleError(N_("measures can be assigned only while the assessment is a draft"))
    _check_assignees(assessment, assignees)
    current = assignments_of(session, assessment).get(measure_id)
    if not assignees:
        if current is not None:
            session.delete(current)
        return
    if current is None:
        current = Assignment(assessment_id=assessment.id, measure_id=measure_id, due_date=due, assigned_by=user.id)
        session.add(current)
        session.flush()
    before = {row.user_id for row in session.scalars(select(AssignmentAssignee).filter_by(assignment_id=current.id))}
    wanted = {person.id for person in assignees}
    if before != wanted or current.due_date != due:
        current.due_date, current.status = due, "assigned"
    session.execute(
        delete(AssignmentAssignee).filter(
            AssignmentAssignee.assignment_id == current.id, AssignmentAssignee.user_id.not_in(wanted)
        )
    )
    for person in assignees:
        if person.id not in before:
            session.add(AssignmentAssignee(assignment_id=current.id, user_id=person.id))


def mark_ready(session: Session, user: User, assessment: Assessment, measure_id: str) -> None:
    """An assignee (or the coordinator) says a measure is ready for review."""
    assignment = assignments_of(session, assessment).get(measure_id)
    if assignment is None:
        raise CycleError(N_("this measure is not assigned to anyone"))
    people = {person.id for person in assignees_of(session, assessment).get(measure_id, [])}
    if user.id not in people and not can_manage(user, assessment):
        raise PermissionDenied(N_("only the people the measure is assigned to can mark it ready"))
    if assessment.status != "draft":
        raise CycleError(N_("the assessment is no longer a draft"))
    assignment.status = "submitted"


def review(session: Session, user: User, assessment: Assessment, measure_id: str, accept: bool, note: str) -> None:
    """Accept a measure, or send it back with a note saying what to change."""
    _require_manager(user, assessment)
    assignment = assignments_of(session, assessment).get(measure_id)
    if assignment is None:
        raise CycleError(N_("this measure is not assigned to anyone"))
    if not accept and not note.strip():
        raise CycleError(N_("say what should change when sending a measure back"))
    _check_note(note)
    assignment.status = "accepted" if accept else "returned"
    if note.strip():
        kind = "accepted" if accept else "send_back"
        session.add(
            ReviewNote(
                assessment_id=assessment.id, measure_id=measure_id, kind=kind, text=note.strip(), author_id=user.id
            )
        )


def _check_note(note: str) -> None:
    if too_long(note.strip(), NOTE):
        raise CycleError(N_("keep the note to %(limit)s characters or fewer"), limit=NOTE)


def notes_of(session: Session, assessment: Assessment, measure_id: str | None = None) -> list[ReviewNote]:
    query = select(ReviewNote).filter_by(assessment_id=assessment.id)
    if measure_id is not None:
        query = query.filter_by(measure_id=measure_id)
    return list(session.scalars(query.order_by(ReviewNote.created_at.desc())))


def change_status(
    session: Session, user: User, assessment: Assessment, target: str, note: str = "", reason: str = ""
) -> None:
    """draft → submitted (review) → final; submitted → draft (with a note). Final is read-only.

    Finalising an assessment less complete than the questionnaire's threshold needs ``reason``,
    which is kept on the assessment (and printed in its reports)."""
    _require_manager(user, assessment)
    allowed = {("draft", "submitted"), ("submitted", "draft"), ("submitted", "final"), ("draft", "final")}
    if (assessment.status, target) not in allowed:
        raise CycleError(
            N_("an assessment cannot go from %(status)s to %(target)s"), status=assessment.status, target=target
        )
    if assessment.status == "submitted" and target == "draft" and not note.strip():
        raise CycleError(N_("say why the assessment goes back to draft"))
    _check_note(note)
    if target == "final":
        _check_final_reason(session, assessment, reason.strip())
    if note.strip():
        session.add(ReviewNote(assessment_id=assessment.id, kind=f"to_{target}", text=note.strip(), author_id=user.id))
    assessment.status = target
    if target == "submitted":
        assessment.submitted_at = utcnow()
    if target == "final":
        assessment.finalised_at = utcnow()
    assessment.revision += 1


def _check_final_reason(session: Session, assessment: Assessment, reason: str) -> None:
    found = readiness(session, assessment, questionnaire_of(session, assessment))
    if len(reason) > REASON_LIMIT:
        raise CycleError(N_("the reason is longer than %(limit)s characters"), limit=REASON_LIMIT)
    if found.needs_reason and not reason:
        raise CycleError(
            N_("this assessment is less complete than %(share)s: write why it is finalised now"),
            share=f"{found.threshold:.0%}",
        )
    assessment.final_reason = reason if found.needs_reason else ""


def start_next_cycle(
    session: Session, user: User, previous: Assessment, questionnaire: Questionnaire, title: str
) -> Assessment:
    """A new draft from a copy of a final cycle's answers, profile, targets and marking."""
    _require_manager(user, previous)
    if previous.status != "final":
        raise CycleError(N_("finalise this cycle before starting the next one"))
    settings = CycleSettings(
        title,
        list(previous.roles),
        previous.confidentiality,
        "private",
        dict((previous.targets or {}).get("measures") or {}),
    )
    new = start_cycle(session, user, previous.country_code, questionnaire, settings)
    new.previous_id = previous.id
    new.targets = dict(previous.targets or {})
    _copy_answers(session, previous, new, questionnaire, user)
    session.flush()
    return new


def _copy_answers(
    session: Session, previous: Assessment, new: Assessment, questionnaire: Questionnaire, user: User
) -> None:
    rows = session.scalars(select(Answer).filter_by(assessment_id=previous.id))
    for row in rows:
        if row.item_id not in questionnaire.items:
            continue
        session.add(
            Answer(
                assessment_id=new.id,
                item_id=row.item_id,
                level=row.level,
                value=row.value,
                dont_know=row.dont_know,
                not_applicable=row.not_applicable,
                reason=row.reason,
                comment=row.comment,
                evidence=row.evidence,
                version=1,
                updated_by=user.id,
            )
        )
