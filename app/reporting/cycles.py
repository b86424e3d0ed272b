"""Two cycles of one country side by side: the comparison section of the gap-analysis report,
and the core of the cycle-comparison report to come."""

from __future__ import annotations

from collections.abc import Callable

from app.core.comparison import compare
from app.core.questionnaire import Questionnaire, localise
from app.core.scoring import Scores
from app.reporting.charts import ComparisonRow, comparison_multiples
from app.reporting.inputs import PreviousCycle
from app.reporting.view import ChangeLine, ComparisonView, ItemChange

DECLINED_ITEMS = 15


def _change(
    id_: str,
    title: str,
    pillar_id: str,
    before: float | None,
    after: float | None,
    completeness: tuple[float | None, float | None] = (None, None),
) -> ChangeLine:
    delta = None if before is None or after is None else round(after - before, 1)
    return ChangeLine(id_, title, pillar_id, before, after, delta, *completeness)


def _pillar_score(scores: Scores, pillar_id: str) -> float | None:
    result = scores.pillars.get(pillar_id)
    return result.score if result else None


def _pillar_completeness(scores: Scores, pillar_id: str) -> float | None:
    result = scores.pillars.get(pillar_id)
    return result.completeness if result else None


def comparison_view(
    questionnaire: Questionnaire,
    previous: PreviousCycle,
    after: Scores,
    language: str,
    gettext: Callable[[str], str],
    rtl: bool = False,
) -> ComparisonView:
    """Pillars, measures and items of ``previous`` and ``after`` (titles from ``questionnaire``,
    the current cycle's), the items that declined most first, and the pillar panels chart."""
    found = compare(previous.scores, after, previous.item_map)
    pillars = tuple(
        _change(
            p.id,
            localise(p.title, language),
            p.id,
            _pillar_score(previous.scores, p.id),
            _pillar_score(after, p.id),
            (_pillar_completeness(previous.scores, p.id), _pillar_completeness(after, p.id)),
        )
        for p in questionnaire.pillars
    )
    measures = tuple(
        _change(
            change.after_id,
            localise(questionnaire.measures[change.after_id].title, language),
            questionnaire.pillar_of_measure[change.after_id],
            change.before,
            change.after,
            (change.before_completeness, change.after_completeness),
        )
        for change in found.measures
        if change.after_id in questionnaire.measures
    )
    declined = sorted(found.declined, key=lambda change: (change.delta or 0, change.after_id))
    chart = comparison_multiples(
        [ComparisonRow(line.title, line.pillar_id, line.before, line.after) for line in pillars],
        title=gettext("Pillar scores in the previous and this cycle"),
        description=gettext("One panel per pillar; the table gives the values."),
        id_prefix="comparison-chart",
        rtl=rtl,
        before_label=gettext("Previous"),
        after_label=gettext("Current"),
    )
    return ComparisonView(
        previous.title,
        previous.started,
        _change(
            "overall",
            gettext("Overall"),
            "",
            found.overall.before,
            found.overall.after,
            (found.overall.before_completeness, found.overall.after_completeness),
        ),
        pillars,
        measures,
        len(found.improved),
        len(found.declined),
        len(found.unchanged),
        tuple(
            ItemChange(c.after_id, localise(questionnaire.items[c.after_id].question, language), c.before, c.after)
            for c in declined[:DECLINED_ITEMS]
            if c.after_id in questionnaire.items
        ),
        chart,
        found.not_compared,
    )
