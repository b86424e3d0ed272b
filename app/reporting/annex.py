"""The methodology annex: the rules the scores were computed with, read from the questionnaire."""

from __future__ import annotations

from collections.abc import Sequence

from app.core.library import Library
from app.core.questionnaire import Questionnaire, localise
from app.core.scoring import Scores
from app.reporting.view import BandLine, InstrumentLine, ItemLine, Methodology, WeightLine


def _targets(questionnaire: Questionnaire, scores: Scores, language: str) -> tuple[tuple[WeightLine, ...], int]:
    """Measures whose items all have one target other than the default, and how many items differ."""
    default = questionnaire.scoring.default_target
    lines = []
    for measure_id, measure in questionnaire.measures.items():
        targets = {scores.items[item.id].target for item in measure.items if item.id in scores.items}
        if len(targets) == 1 and default not in targets:
            lines.append(WeightLine(measure_id, localise(measure.title, language), float(targets.pop())))
    differing = sum(1 for item in scores.items.values() if item.target != default)
    return tuple(lines), differing


def _critical_items(questionnaire: Questionnaire, scores: Scores, language: str) -> tuple[ItemLine, ...]:
    lines = []
    for item_id, item in questionnaire.items.items():
        if item.critical and item.scored:
            measure_id = questionnaire.measure_of_item[item_id]
            result = scores.items.get(item_id)
            level = result.level if result is not None else None
            question = localise(item.question, language)
            reason = localise(item.critical_reason, language) if item.critical_reason else ""
            pillar_id = questionnaire.pillar_of_measure[measure_id]
            lines.append(ItemLine(item_id, question, measure_id, pillar_id, level, reason))
    return tuple(lines)


def methodology(
    questionnaire: Questionnaire, library: Library, roles: Sequence[str], scores: Scores, language: str
) -> Methodology:
    rules = questionnaire.scoring
    measure_targets, item_targets = _targets(questionnaire, scores, language)
    return Methodology(
        scale=tuple((level, localise(text, language)) for level, text in sorted(questionnaire.scale.items())),
        bands=tuple(
            BandLine(band.id, localise(band.label, language), band.min, band.max)
            for band in sorted(rules.bands, key=lambda band: band.min)
        ),
        critical_cap=localise(questionnaire.band_by_id(rules.critical_cap).label, language),
        critical_level=rules.critical_level,
        strength_level=rules.strength_level,
        default_target=rules.default_target,
        pillar_weights=tuple(
            WeightLine(pillar.id, localise(pillar.title, language), pillar.weight) for pillar in questionnaire.pillars
        ),
        measure_weights=tuple(
            WeightLine(measure.id, localise(measure.title, language), measure.weight)
            for measure in questionnaire.measures.values()
            if measure.weight != 1
        ),
        measure_targets=measure_targets,
        item_target_count=item_targets,
        critical_items=_critical_items(questionnaire, scores, language),
        item_count=sum(1 for item in questionnaire.items.values() if item.scored),
        cited_sources=len({source for item in questionnaire.items.values() for source in item.sources}),
        instruments=tuple(
            InstrumentLine(instrument.title, instrument.short_title, instrument.scope, instrument.adopted)
            for instrument in sorted(library.instruments, key=lambda i: (i.scope, i.adopted or 0, i.title))
        ),
        roles=tuple(roles),
    )
