"""What is missing before an assessment is submitted or finalised: unanswered items per measure,
assignments not yet accepted, measures sent back; and whether finalising needs a written reason
(completeness below the questionnaire's ``scoring.finalise_completeness``)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.questionnaire import Questionnaire
from app.models import Assessment, Assignment, AssignmentAssignee, User
from app.services.assessments import scores_of

REASON_LIMIT = 2000


@dataclass(frozen=True)
class MeasureMissing:
    """A measure with unanswered items."""

    measure_id: str
    item_ids: tuple[str, ...]
    answered: int
    applicable: int


@dataclass(frozen=True)
class OpenAssignment:
    """An assignment not accepted yet: assigned, ready for review or sent back."""

    measure_id: str
    status: str
    assignees: tuple[str, ...]


@dataclass(frozen=True)
class Readiness:
    completeness: float
    threshold: float
    answered: int
    applicable: int
    unanswered: tuple[MeasureMissing, ...]
    open_assignments: tuple[OpenAssignment, ...]

    @property
    def sent_back(self) -> tuple[OpenAssignment, ...]:
        return tuple(row for row in self.open_assignments if row.status == "returned")

    @property
    def needs_reason(self) -> bool:
        """Finalising needs a written reason: less complete than the questionnaire's threshold."""
        return self.completeness < self.threshold

    @property
    def complete(self) -> bool:
        return not self.unanswered and not self.open_assignments


def assignees_by_measure(session: Session, assessment: Assessment) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Measure id → (assignment status, names of the people it is assigned to)."""
    rows = session.execute(
        select(Assignment.measure_id, Assignment.status, User.name)
        .join(AssignmentAssignee, AssignmentAssignee.assignment_id == Assignment.id)
        .join(User, User.id == AssignmentAssignee.user_id)
        .filter(Assignment.assessment_id == assessment.id)
        .order_by(User.name)
    )
    found: dict[str, tuple[str, tuple[str, ...]]] = {}
    for measure_id, status, name in rows:
        previous = found.get(measure_id, (status, ()))
        found[measure_id] = (status, (*previous[1], name))
    return found


def readiness(session: Session, assessment: Assessment, questionnaire: Questionnaire) -> Readiness:
    scores = scores_of(session, assessment)
    missing: dict[str, list[str]] = {}
    for item in scores.items.values():
        if item.state == "unanswered":
            missing.setdefault(item.measure_id, []).append(item.item_id)
    unanswered = tuple(
        MeasureMissing(measure_id, tuple(missing[measure_id]), scores.measures[measure_id].answered, result.applicable)
        for measure_id, result in scores.measures.items()
        if measure_id in missing
    )
    open_rows = tuple(
        OpenAssignment(measure_id, status, names)
        for measure_id, (status, names) in assignees_by_measure(session, assessment).items()
        if status != "accepted"
    )
    answered = sum(result.answered for result in scores.measures.values())
    applicable = sum(result.applicable for result in scores.measures.values())
    return Readiness(
        scores.completeness,
        questionnaire.scoring.finalise_completeness,
        answered,
        applicable,
        unanswered,
        open_rows,
    )
