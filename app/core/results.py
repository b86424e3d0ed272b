"""One call from answers to everything a results page or report shows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.core.answers import AssessmentInput
from app.core.gaps import Gap, find_data_gaps, find_gaps, find_strengths, find_unanswered
from app.core.guidance import Guidance, guidance_for
from app.core.library import Library
from app.core.questionnaire import Questionnaire, localise
from app.core.scoring import Scores, score_assessment


@dataclass(frozen=True)
class Results:
    scores: Scores
    gaps: list[Gap]
    data_gaps: list[str]
    unanswered: list[str]
    strengths: list[str]
    guidance: dict[str, Guidance]
    challenges: list[str]


def assess(
    questionnaire: Questionnaire,
    library: Library,
    data: AssessmentInput,
    guidance_limit: int = 4,
    guidance_gaps: int | None = None,
) -> Results:
    """Score, then find gaps, data gaps, strengths, guidance for each gap (or only for the
    first ``guidance_gaps`` of them, for pages that show no more) and the challenges that
    the gap items address."""
    scores = score_assessment(questionnaire, data)
    gaps = find_gaps(questionnaire, scores)
    guidance = {
        gap.item_id: guidance_for(questionnaire.items[gap.item_id], gap.level, questionnaire, library, guidance_limit)
        for gap in gaps[:guidance_gaps]
    }
    challenges: list[str] = []
    for gap in gaps:
        for challenge in questionnaire.items[gap.item_id].challenges:
            if challenge not in challenges:
                challenges.append(challenge)
    return Results(
        scores,
        gaps,
        find_data_gaps(scores),
        find_unanswered(scores),
        find_strengths(questionnaire, scores),
        guidance,
        challenges,
    )


def results_as_dict(
    results: Results, questionnaire: Questionnaire, library: Library, language: str = "en", top: int | None = None
) -> dict[str, Any]:
    """Plain JSON-ready values: used by ``ctsat score --json`` and the API."""
    scores = results.scores
    gaps = results.gaps if top is None else results.gaps[:top]
    return {
        "questionnaire": scores.questionnaire,
        "overall": {"score": scores.overall, "band": scores.overall_band, "completeness": scores.completeness},
        "pillars": [
            {
                "id": pillar.pillar_id,
                "title": localise(questionnaire_pillar.title, language),
                "score": pillar.score,
                "band": pillar.band,
                "score_band": pillar.score_band,
                "capped_by": list(pillar.capped_by),
                "completeness": pillar.completeness,
            }
            for questionnaire_pillar in questionnaire.pillars
            for pillar in [scores.pillars[questionnaire_pillar.id]]
        ],
        "measures": [
            {
                "id": measure.measure_id,
                "pillar": measure.pillar_id,
                "title": localise(questionnaire.measures[measure.measure_id].title, language),
                "score": measure.score,
                "band": measure.band,
                "completeness": measure.completeness,
                "answered": measure.answered,
                "applicable": measure.applicable,
            }
            for measure in scores.measures.values()
        ],
        "gaps": [_gap_as_dict(gap, results.guidance[gap.item_id], questionnaire, library, language) for gap in gaps],
        "data_gaps": results.data_gaps,
        "unanswered": results.unanswered,
        "strengths": results.strengths,
        "challenges": results.challenges,
    }


def _gap_as_dict(
    gap: Gap, guidance: Guidance, questionnaire: Questionnaire, library: Library, language: str
) -> dict[str, Any]:
    return {
        "item": gap.item_id,
        "measure": gap.measure_id,
        "question": localise(questionnaire.items[gap.item_id].question, language),
        "level": gap.level,
        "target": gap.target,
        "critical": gap.critical,
        "priority": gap.priority,
        "next_level": guidance.next_level,
        "next_level_text": localise(guidance.next_level_text, language) if guidance.next_level_text else None,
        "resources": [
            {
                "id": match.id,
                "title": library.resource_by_id[match.id].title,
                "part": match.part or library.resource_by_id[match.id].part,
                "explicit": match.explicit,
                "shared_tags": list(match.shared_tags),
                "same_measure": match.same_measure,
            }
            for match in guidance.resources
        ],
        "practices": [
            {
                "id": match.id,
                "title": library.practice_by_id[match.id].title,
                "explicit": match.explicit,
                "shared_tags": list(match.shared_tags),
                "same_measure": match.same_measure,
            }
            for match in guidance.practices
        ],
    }
