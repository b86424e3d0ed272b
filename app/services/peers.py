"""What peers share: for a country's results, the countries strong where it has a gap,
the spread of shared measure scores (never for fewer than 3 countries), and the previous
cycle's scores for comparison.

Peers share national cycles, with national cycles: a workshop assessment neither shows peers
(its participants are whoever a facilitator admitted; a workshop shows other countries only as
its sharing terms say) nor counts as a country's share."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.orm import Session

from app.core.comparison import Comparison, compare
from app.core.peers import Spread, peer_strengths, spread
from app.core.questionnaire import Questionnaire
from app.core.results import Results
from app.core.scoring import Scores
from app.models import Assessment, Country, WorkshopAssessment
from app.services.assessments import scores_of


@dataclass(frozen=True)
class PeerView:
    strong_peers: dict[str, list[str]]
    spreads: dict[str, Spread]
    countries: int


def national_cycle() -> ColumnElement[bool]:
    """SQL: the ``Assessment`` row is a national cycle (no workshop's assessment)."""
    return ~exists().where(WorkshopAssessment.assessment_id == Assessment.id)


def is_national_cycle(session: Session, assessment: Assessment) -> bool:
    return session.scalar(select(national_cycle()).where(Assessment.id == assessment.id)) is True


def _shared_scores(session: Session, assessment: Assessment, questionnaire: Questionnaire) -> dict[str, Scores]:
    """The newest national cycle each other country shares with peers, on the same questionnaire
    (none for a workshop assessment)."""
    if not is_national_cycle(session, assessment):
        return {}
    query = (
        select(Assessment)
        .filter(
            national_cycle(),
            Assessment.sharing == "peers",
            Assessment.country_code != assessment.country_code,
            Assessment.questionnaire_id == questionnaire.id,
            Assessment.questionnaire_version == questionnaire.version,
        )
        .order_by(Assessment.status.desc(), Assessment.updated_at.desc())
    )
    newest: dict[str, Assessment] = {}
    for row in session.scalars(query):
        newest.setdefault(row.country_code, row)
    return {code: scores_of(session, row) for code, row in newest.items()}


def peer_view(session: Session, assessment: Assessment, questionnaire: Questionnaire, results: Results) -> PeerView:
    shared = _shared_scores(session, assessment, questionnaire)
    names = {row.code: row.name for row in session.scalars(select(Country).filter(Country.code.in_(list(shared))))}
    levels = {
        names.get(code, code): {
            item_id: item.effective_level for item_id, item in scores.items.items() if item.state == "answered"
        }
        for code, scores in shared.items()
    }
    strong = peer_strengths([gap.item_id for gap in results.gaps], levels, questionnaire.scoring.strength_level)
    spreads: dict[str, Spread] = {}
    for measure_id in questionnaire.measures:
        values = [s.measures[measure_id].score for s in shared.values() if s.measures[measure_id].score is not None]
        found = spread([value for value in values if value is not None])
        if found is not None:
            spreads[measure_id] = found
    return PeerView(strong, spreads, len(shared))


def previous_comparison(
    session: Session, assessment: Assessment, questionnaire: Questionnaire, scores: Scores
) -> tuple[Assessment, Comparison, Scores] | None:
    """The previous cycle and how this one compares with it (items matched by id)."""
    if assessment.previous_id is None:
        return None
    previous = session.get(Assessment, assessment.previous_id)
    if previous is None:
        return None
    previous_scores = scores_of(session, previous)
    return previous, compare(previous_scores, scores), previous_scores
