"""A coordinator merges their country's workshop assessment into the country's own cycle, item by item.

Each answer taken goes through ``save_answer`` with the version the coordinator saw, so the
history records who merged what, when, from which value, and a version changed since the
page was opened is refused: then nothing of the merge is written and the page shows it again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.answers import answer_fields
from app.core.errors import N_, ConflictError, CtsatError, NotFound, PermissionDenied
from app.core.merge import TAKE, ItemComparison, compare_answers, items_to_take, only_in_cycle
from app.core.questionnaire import Questionnaire
from app.models import Assessment, User, Workshop, WorkshopAssessment
from app.security import can_view_assessment
from app.services.assessments import load_answers, questionnaire_of, save_answer

# Why a cycle cannot receive a merge (the web turns each into a message).
NOT_DRAFT, FINAL, OTHER_VERSION, WORKSHOP_TARGET = "not_draft", "final", "other_version", "workshop_target"


class MergeError(CtsatError, ValueError):
    """The chosen cycle cannot receive this workshop's answers; ``reason`` is one of the codes above."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True)
class MergeSource:
    assessment: Assessment
    workshop: Workshop


@dataclass(frozen=True)
class MergeView:
    """What the merge page shows: each item the workshop answered beside the cycle, with versions."""

    questionnaire: Questionnaire
    comparisons: list[ItemComparison]
    workshop_versions: dict[str, int]
    cycle_versions: dict[str, int]
    only_in_cycle: int


@dataclass(frozen=True)
class MergeDecision:
    """The coordinator's choice for one item and the versions of both answers they saw."""

    choice: str
    workshop_version: int
    cycle_version: int


@dataclass
class MergeOutcome:
    taken: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)


def is_coordinator_of(user: User, assessment: Assessment) -> bool:
    return user.active and user.role == "coordinator" and user.country_code == assessment.country_code


def open_source(session: Session, user: User, source_id: int) -> MergeSource:
    """The workshop assessment for its country's coordinator; 404 for whoever may not see it, else 403."""
    assessment = session.get(Assessment, source_id)
    link = session.scalars(select(WorkshopAssessment).filter_by(assessment_id=source_id)).one_or_none()
    if assessment is None or link is None or not can_view_assessment(user, assessment):
        raise NotFound("no such workshop assessment")
    if not is_coordinator_of(user, assessment):
        raise PermissionDenied(N_("only the country's coordinator can merge workshop answers into its cycle"))
    workshop = session.get(Workshop, link.workshop_id)
    if workshop is None:
        raise NotFound("no such workshop")
    return MergeSource(assessment, workshop)


def _is_workshop_assessment(session: Session, assessment_id: int) -> bool:
    query = select(WorkshopAssessment.id).filter_by(assessment_id=assessment_id)
    return session.scalar(query.limit(1)) is not None


def merge_targets(session: Session, source: Assessment) -> list[Assessment]:
    """The country's draft cycles of the same questionnaire version (never a workshop assessment)."""
    query = (
        select(Assessment)
        .filter_by(
            country_code=source.country_code,
            questionnaire_id=source.questionnaire_id,
            questionnaire_version=source.questionnaire_version,
            status="draft",
        )
        .filter(Assessment.id.not_in(select(WorkshopAssessment.assessment_id)))
        .order_by(Assessment.updated_at.desc())
    )
    return list(session.scalars(query))


def open_target(session: Session, source: Assessment, target_id: int) -> Assessment:
    """The cycle to merge into: NotFound outside the country, MergeError if it cannot take answers."""
    target = session.get(Assessment, target_id)
    if target is None or target.country_code != source.country_code or target.id == source.id:
        raise NotFound("no such assessment")
    if _is_workshop_assessment(session, target.id):
        raise MergeError(WORKSHOP_TARGET)
    if (target.questionnaire_id, target.questionnaire_version) != (
        source.questionnaire_id,
        source.questionnaire_version,
    ):
        raise MergeError(OTHER_VERSION)
    if target.status == "final":
        raise MergeError(FINAL)
    if target.status != "draft":
        raise MergeError(NOT_DRAFT)
    return target


def merge_view(session: Session, source: Assessment, target: Assessment) -> MergeView:
    questionnaire = questionnaire_of(session, source)
    workshop_rows, cycle_rows = load_answers(session, source), load_answers(session, target)
    theirs = {item_id: answer_fields(row) for item_id, row in workshop_rows.items()}
    ours = {item_id: answer_fields(row) for item_id, row in cycle_rows.items()}
    return MergeView(
        questionnaire,
        compare_answers(questionnaire.items, theirs, ours),
        {item_id: row.version for item_id, row in workshop_rows.items()},
        {item_id: row.version for item_id, row in cycle_rows.items()},
        only_in_cycle(questionnaire.items, theirs, ours),
    )


def apply_merge(
    session: Session, user: User, source: Assessment, target: Assessment, decisions: Mapping[str, MergeDecision]
) -> MergeOutcome:
    """Take the chosen workshop answers into the cycle, all or nothing.

    If any answer changed since the versions in ``decisions`` (in the workshop or in the cycle),
    nothing is written and the outcome lists those items as stale. Raises ValueError for a
    choice other than keep/take, PermissionDenied if the user may not answer the cycle.
    """
    view = merge_view(session, source, target)
    taken = items_to_take(view.comparisons, {item_id: d.choice for item_id, d in decisions.items()})
    shown = {comparison.item_id: comparison for comparison in view.comparisons}
    outcome = MergeOutcome()
    outcome.stale = [item_id for item_id, d in decisions.items() if d.choice == TAKE and item_id not in shown]
    savepoint = session.begin_nested()
    for item_id in taken:
        decision = decisions[item_id]
        if view.workshop_versions.get(item_id) != decision.workshop_version:
            outcome.stale.append(item_id)
            continue
        answer = shown[item_id].workshop
        try:
            save_answer(session, user, target, item_id, answer, decision.cycle_version)
        except ConflictError:
            outcome.stale.append(item_id)
        else:
            outcome.taken.append(item_id)
    if outcome.stale:
        savepoint.rollback()
        outcome.taken.clear()
    else:
        savepoint.commit()
    return outcome
