"""The facilitator board: who joined, progress per country and measure, strengths and gaps.

Privacy: a participant sees only their own country's row. The facilitator sees every country's
progress, but scores, strengths and gaps only of the countries whose workshop assessment is
shared with the workshop (``sharing == "workshop"``); the rest show as "not shared".
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.gaps import find_gaps, find_strengths
from app.core.questionnaire import Questionnaire
from app.core.scoring import Scores
from app.models import Answer, Assessment, Workshop, WorkshopAssessment, WorkshopParticipant
from app.services.assessments import scores_of
from app.services.workshops import participants_of, questionnaire_of_workshop, scope_of, workshop_assessments


def visible_countries(workshop: Workshop, participant: WorkshopParticipant | None) -> list[str]:
    return [participant.country_code] if participant is not None else list(workshop.invited_countries)


def details_visible(assessment: Assessment, participant: WorkshopParticipant | None) -> bool:
    """Scores, strengths and gaps: the country's own participants, or the facilitator if shared."""
    return participant is not None or assessment.sharing == "workshop"


def fingerprint(session: Session, workshop: Workshop, participant: WorkshopParticipant | None) -> str:
    """A strong ETag from cheap aggregates: it changes whenever anything on the board would."""
    linked = select(WorkshopAssessment.assessment_id).filter_by(workshop_id=workshop.id)
    answers = session.execute(
        select(func.count(Answer.id), func.max(Answer.updated_at)).filter(Answer.assessment_id.in_(linked))
    ).one()
    assessments = session.execute(
        select(func.max(Assessment.updated_at), func.count(Assessment.id)).filter(Assessment.id.in_(linked))
    ).one()
    people = session.execute(
        select(
            func.count(WorkshopParticipant.id),
            func.max(WorkshopParticipant.joined_at),
            func.max(WorkshopParticipant.decided_at),
        ).filter_by(workshop_id=workshop.id, status="admitted")
    ).one()
    viewer = participant.country_code if participant else "facilitator"
    sharing = sorted(
        session.scalars(select(Assessment.sharing).filter(Assessment.id.in_(linked)).order_by(Assessment.id))
    )
    parts = [workshop.id, viewer, *answers, *assessments, *people, ",".join(sharing), workshop.scope_measures]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class MeasureCell:
    answered: int
    applicable: int
    score: float | None
    gaps: int
    strengths: int


@dataclass(frozen=True)
class CountryRow:
    code: str
    assessment_id: int | None
    shared: bool
    visible: bool
    participants: int
    measures: dict[str, MeasureCell]


def _country_row(
    code: str, assessment: Assessment, scores: Scores, questionnaire: Questionnaire, visible: bool, people: int
) -> CountryRow:
    gaps = find_gaps(questionnaire, scores) if visible else []
    strengths = set(find_strengths(questionnaire, scores)) if visible else set()
    cells = {}
    for measure_id, measure in scores.measures.items():
        cells[measure_id] = MeasureCell(
            measure.answered,
            measure.applicable,
            measure.score if visible else None,
            sum(1 for gap in gaps if gap.measure_id == measure_id),
            sum(1 for item_id in strengths if questionnaire.measure_of_item[item_id] == measure_id),
        )
    return CountryRow(code, assessment.id, assessment.sharing == "workshop", visible, people, cells)


def board(session: Session, workshop: Workshop, participant: WorkshopParticipant | None) -> dict[str, Any]:
    """Everything the board shows, as plain JSON-ready values."""
    questionnaire = questionnaire_of_workshop(session, workshop)
    scope = scope_of(workshop, questionnaire)
    countries = visible_countries(workshop, participant)
    assessments = workshop_assessments(session, workshop)
    people = [(p, u) for p, u in participants_of(session, workshop) if p.country_code in countries]
    rows = []
    for code in countries:
        assessment = assessments.get(code)
        if assessment is None:
            continue
        count = sum(1 for p, _user in people if p.country_code == code)
        row = _country_row(
            code,
            assessment,
            scores_of(session, assessment),
            questionnaire,
            details_visible(assessment, participant),
            count,
        )
        rows.append(_row_json(row, scope))
    return {
        "workshop": workshop.id,
        "measures": scope,
        "participants": [
            {
                "name": user.name,
                "country": p.country_code,
                "agency": p.agency,
                "pillar": p.pillar_id,
                "joined_at": p.joined_at.isoformat(),
            }
            for p, user in people
        ],
        "countries": rows,
    }


def _row_json(row: CountryRow, scope: list[str]) -> dict[str, Any]:
    return {
        "code": row.code,
        "assessment": row.assessment_id,
        "shared": row.shared,
        "details": row.visible,
        "participants": row.participants,
        "measures": {
            measure_id: {
                "answered": cell.answered,
                "applicable": cell.applicable,
                **({"score": cell.score, "gaps": cell.gaps, "strengths": cell.strengths} if row.visible else {}),
            }
            for measure_id in scope
            for cell in [row.measures[measure_id]]
        },
    }
