"""The workshop board and the projector: who joined, progress per country and measure, and the
results the workshop's sharing terms show (``app.core.workshop_terms``).

Every score here is over the workshop's measures only (``restrict_scores``). A participant sees
their own country's results, plus what the terms show participants; the facilitator what they
show facilitators; the projector (``room=True``) is seen by everyone in the room, so it shows
only what every participant may see. Progress is shown per country to facilitators and the room.
Spreads need at least three countries with answers.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.gaps import find_gaps, find_strengths
from app.core.peers import MIN_COUNTRIES, spread
from app.core.questionnaire import Questionnaire
from app.core.scoring import Scores, restrict_scores
from app.core.workshop_terms import Disclosure, for_facilitators, for_participants
from app.models import Answer, Assessment, Workshop, WorkshopAssessment, WorkshopParticipant
from app.services.assessments import scores_of
from app.services.workshops import participants_of, questionnaire_of_workshop, scope_of, workshop_assessments


def disclosure(workshop: Workshop, participant: WorkshopParticipant | None, room: bool = False) -> Disclosure:
    """What this viewer may see of other countries: participants and the room as participants."""
    if participant is not None or room:
        return for_participants(workshop.sharing_terms)
    return for_facilitators(workshop.sharing_terms)


def visible_countries(workshop: Workshop, participant: WorkshopParticipant | None, room: bool = False) -> list[str]:
    """The countries with a row: all for the facilitator and the room; a participant's own, or all
    when the terms show participants every country by name."""
    if participant is None or disclosure(workshop, participant, room).named:
        return list(workshop.invited_countries)
    return [participant.country_code]


def details_visible(workshop: Workshop, code: str, participant: WorkshopParticipant | None, room: bool = False) -> bool:
    """Scores, strengths and gaps of this country by name: its own participants, or as the terms say."""
    if participant is not None and participant.country_code == code:
        return True
    return disclosure(workshop, participant, room).named


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
            func.max(WorkshopParticipant.terms_accepted_at),
        ).filter_by(workshop_id=workshop.id, status="admitted")
    ).one()
    viewer = participant.country_code if participant else "facilitator"
    parts = [workshop.id, viewer, *answers, *assessments, *people, workshop.sharing_terms, workshop.scope_measures]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class MeasureCell:
    answered: int
    applicable: int
    score: float | None
    band: str | None
    gaps: int
    strengths: int


@dataclass(frozen=True)
class CountryRow:
    code: str
    assessment_id: int | None
    visible: bool
    participants: int
    scores: Scores
    measures: dict[str, MeasureCell]


def _country_row(
    code: str, assessment_id: int | None, scores: Scores, questionnaire: Questionnaire, visible: bool, people: int
) -> CountryRow:
    gaps = find_gaps(questionnaire, scores) if visible else []
    strengths = set(find_strengths(questionnaire, scores)) if visible else set()
    cells = {}
    for measure_id, measure in scores.measures.items():
        cells[measure_id] = MeasureCell(
            measure.answered,
            measure.applicable,
            measure.score if visible else None,
            measure.band if visible else None,
            sum(1 for gap in gaps if gap.measure_id == measure_id),
            sum(1 for item_id in strengths if questionnaire.measure_of_item[item_id] == measure_id),
        )
    return CountryRow(code, assessment_id, visible, people, scores, cells)


def scoped_scores(session: Session, workshop: Workshop, questionnaire: Questionnaire) -> dict[str, Scores]:
    """Each invited country's workshop scores over the workshop's measures only."""
    scope = scope_of(workshop, questionnaire)
    assessments = workshop_assessments(session, workshop)
    return {
        code: restrict_scores(questionnaire, scores_of(session, assessments[code]), scope)
        for code in workshop.invited_countries
        if code in assessments
    }


def spreads(scores: dict[str, Scores], scope: list[str]) -> dict[str, dict[str, float | int]]:
    """Lowest, median and highest score per measure over the countries that answered something in
    scope, for measures with at least three such scores (no country named, never fewer than three)."""
    answered = [s for s in scores.values() if any(m.answered for m in s.measures.values())]
    found: dict[str, dict[str, float | int]] = {}
    if len(answered) < MIN_COUNTRIES:
        return found
    for measure_id in scope:
        values = [v for s in answered if (v := s.measures[measure_id].score) is not None]
        summary = spread(values)
        if summary is not None:
            found[measure_id] = {
                "countries": summary.countries,
                "minimum": summary.minimum,
                "median": summary.median,
                "maximum": summary.maximum,
            }
    return found


def board(
    session: Session, workshop: Workshop, participant: WorkshopParticipant | None, room: bool = False
) -> dict[str, Any]:
    """Everything the board (or, with ``room``, the projector) shows, as plain JSON-ready values."""
    questionnaire = questionnaire_of_workshop(session, workshop)
    scope = scope_of(workshop, questionnaire)
    shown = disclosure(workshop, participant, room)
    countries = visible_countries(workshop, participant, room)
    assessments = workshop_assessments(session, workshop)
    all_scores = scoped_scores(session, workshop, questionnaire)
    people = [(p, u) for p, u in participants_of(session, workshop) if p.country_code in countries]
    rows = []
    for code in countries:
        if code not in assessments:
            continue
        own = participant is not None and participant.country_code == code
        link = assessments[code].id if own or (participant is None and not room) else None
        count = sum(1 for p, _user in people if p.country_code == code)
        visible = details_visible(workshop, code, participant, room)
        row = _country_row(code, link, all_scores[code], questionnaire, visible, count)
        rows.append(_row_json(row, scope))
    return {
        "workshop": workshop.id,
        "terms": workshop.sharing_terms,
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
            # Names and agencies are not results: a participant sees their own country's people only.
            if participant is None or p.country_code == participant.country_code
        ]
        if not room
        else [],
        "countries": rows,
        "spreads": spreads(all_scores, scope) if shown.spreads else {},
    }


def _row_json(row: CountryRow, scope: list[str]) -> dict[str, Any]:
    answered = sum(row.measures[m].answered for m in scope)
    applicable = sum(row.measures[m].applicable for m in scope)
    overall = (
        {"overall": row.scores.overall, "band": row.scores.overall_band, "completeness": row.scores.completeness}
        if row.visible
        else {}
    )
    return {
        "code": row.code,
        "assessment": row.assessment_id,
        "details": row.visible,
        "participants": row.participants,
        "answered": answered,
        "applicable": applicable,
        **overall,
        "measures": {
            measure_id: {
                "answered": cell.answered,
                "applicable": cell.applicable,
                **(
                    {"score": cell.score, "band": cell.band, "gaps": cell.gaps, "strengths": cell.strengths}
                    if row.visible
                    else {}
                ),
            }
            for measure_id in scope
            for cell in [row.measures[measure_id]]
        },
    }
