"""The cycle-comparison report: two cycles of one country side by side, as plain values.

Pillars and measures with their scores in the previous and this cycle (and small-multiple charts
from ``charts.comparison_multiples``), then the items whose level rose or fell. Titles and
questions come from this cycle's questionnaire; items are matched through the previous cycle's
``item_map`` (``app.core.comparison.compare``), so cycles on different versions compare too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from app.core.comparison import Change, NotCompared, compare
from app.core.questionnaire import Questionnaire, localise
from app.core.scoring import Scores
from app.reporting.charts import ComparisonRow, comparison_multiples
from app.reporting.context import RTL_LANGUAGES
from app.reporting.inputs import GapReportInput, PreviousCycle
from app.reporting.view import ChangeLine, Cover

Translate = Callable[[str], str]
LISTED_ITEMS = 10  # improved and declined items listed in full; the rest are counted


class NoPreviousCycle(ValueError):
    """The assessment has no previous cycle to compare with."""


@dataclass(frozen=True)
class CycleLine:
    """One cycle's headline: title, start, overall score, band and completeness."""

    title: str
    started: date
    score: float | None
    band: str | None
    completeness: float


@dataclass(frozen=True)
class ItemMove:
    """An item whose level changed between the cycles (levels 0-4; yes/no items as 0, 2, 4)."""

    item_id: str
    question: str
    item_type: str
    measure_id: str
    pillar_id: str
    before: float | None
    after: float | None


@dataclass(frozen=True)
class PillarChanges:
    """A pillar's change and its measures' changes, with the measures as small multiples."""

    change: ChangeLine
    measures: tuple[ChangeLine, ...]
    chart: str


@dataclass(frozen=True)
class ComparisonReport:
    """The whole cycle-comparison report."""

    assessment_id: int
    revision: int
    questionnaire_key: str
    language: str
    direction: str
    country_code: str
    cover: Cover
    previous: CycleLine
    current: CycleLine
    overall: ChangeLine
    pillar_chart: str
    pillars: tuple[PillarChanges, ...]
    improved: tuple[ItemMove, ...]
    improved_count: int
    declined: tuple[ItemMove, ...]
    declined_count: int
    unchanged: int
    compared: int
    not_compared: NotCompared


def _change(id_: str, title: str, pillar_id: str, change: Change | None) -> ChangeLine:
    if change is None:
        return ChangeLine(id_, title, pillar_id, None, None, None)
    return ChangeLine(
        id_,
        title,
        pillar_id,
        change.before,
        change.after,
        change.delta,
        change.before_completeness,
        change.after_completeness,
    )


def _band(questionnaire: Questionnaire, band_id: str | None, language: str) -> str | None:
    """A band's label (None without a band, or for a band this questionnaire version does not have)."""
    band = next((band for band in questionnaire.scoring.bands if band.id == band_id), None)
    return localise(band.label, language) if band else None


def _cycle(questionnaire: Questionnaire, title: str, started: date, scores: Scores, language: str) -> CycleLine:
    band = _band(questionnaire, scores.overall_band, language)
    return CycleLine(title, started, scores.overall, band, scores.completeness)


class _Builder:
    def __init__(self, data: GapReportInput, previous: PreviousCycle, gettext: Translate) -> None:
        self.q = data.questionnaire
        self.language = data.meta.language
        self.rtl = self.language in RTL_LANGUAGES
        self.previous = previous
        self.after = data.results.scores
        self.found = compare(previous.scores, self.after, previous.item_map)
        self._ = gettext

    def text(self, value: dict[str, str]) -> str:
        return localise(value, self.language)

    def chart(self, rows: list[ChangeLine], title: str, id_prefix: str) -> str:
        return comparison_multiples(
            [ComparisonRow(line.title, line.pillar_id, line.before, line.after) for line in rows],
            title=title,
            description=self._("One panel per pillar or measure; the table gives the values."),
            id_prefix=id_prefix,
            rtl=self.rtl,
            before_label=self._("Previous"),
            after_label=self._("Current"),
        )

    def pillar_line(self, pillar_id: str, title: str) -> ChangeLine:
        before = self.previous.scores.pillars.get(pillar_id)
        after = self.after.pillars.get(pillar_id)
        change = Change(
            pillar_id,
            pillar_id,
            before.score if before else None,
            after.score if after else None,
            before.completeness if before else None,
            after.completeness if after else None,
        )
        return _change(pillar_id, title, pillar_id, change)

    def pillars(self) -> tuple[PillarChanges, ...]:
        measures = {change.after_id: change for change in self.found.measures}
        sections = []
        for pillar in self.q.pillars:
            lines = [
                _change(m.id, f"{m.id} {self.text(m.title)}", pillar.id, measures.get(m.id)) for m in pillar.measures
            ]
            title = self.text(pillar.title)
            chart_title = self._("Measures of %(pillar)s in the previous and this cycle") % {"pillar": title}
            sections.append(
                PillarChanges(
                    self.pillar_line(pillar.id, title), tuple(lines), self.chart(lines, chart_title, f"cmp-{pillar.id}")
                )
            )
        return tuple(sections)

    def moves(self, changes: tuple[Change, ...]) -> tuple[ItemMove, ...]:
        moves = []
        for change in changes[:LISTED_ITEMS]:
            item = self.q.items.get(change.after_id)
            if item is None:
                continue
            measure_id = self.q.measure_of_item[item.id]
            pillar_id = self.q.pillar_of_measure[measure_id]
            question = self.text(item.question)
            moves.append(ItemMove(item.id, question, item.type, measure_id, pillar_id, change.before, change.after))
        return tuple(moves)


def _by_size(changes: tuple[Change, ...], rising: bool) -> tuple[Change, ...]:
    sign = -1 if rising else 1
    return tuple(sorted(changes, key=lambda change: (sign * (change.delta or 0), change.after_id)))


def build_comparison_context(data: GapReportInput, gettext: Translate = lambda text: text) -> ComparisonReport:
    """The comparison of ``data`` with its previous cycle; NoPreviousCycle when there is none."""
    previous = data.previous
    if previous is None:
        raise NoPreviousCycle("this assessment has no previous cycle to compare with")
    builder = _Builder(data, previous, gettext)
    meta, q, found = data.meta, data.questionnaire, builder.found
    pillars = builder.pillars()
    pillar_lines = [section.change for section in pillars]
    improved, declined = _by_size(found.improved, rising=True), _by_size(found.declined, rising=False)
    return ComparisonReport(
        assessment_id=meta.assessment_id,
        revision=meta.revision,
        questionnaire_key=q.key,
        language=meta.language,
        direction="rtl" if builder.rtl else "ltr",
        country_code=meta.country_code,
        cover=Cover(
            meta.country_name,
            meta.native_name if meta.native_name and meta.native_name != meta.country_name else None,
            meta.assessment_title,
            meta.status,
            meta.started,
            meta.generated,
            builder.text(q.title),
            q.version,
            meta.confidentiality,
            meta.final_reason,
        ),
        previous=_cycle(q, previous.title, previous.started, previous.scores, meta.language),
        current=_cycle(q, meta.assessment_title, meta.started, data.results.scores, meta.language),
        overall=_change("overall", gettext("Overall"), "", found.overall),
        pillar_chart=builder.chart(
            pillar_lines, gettext("Pillar scores in the previous and this cycle"), "cmp-pillars"
        ),
        pillars=pillars,
        improved=builder.moves(improved),
        improved_count=len(improved),
        declined=builder.moves(declined),
        declined_count=len(declined),
        unchanged=len(found.unchanged),
        compared=len(found.items),
        not_compared=found.not_compared,
    )
