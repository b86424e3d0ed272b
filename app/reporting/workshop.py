"""The workshop report: from plain inputs (``workshop_inputs``) to its context and HTML.

- ``workshop_context(data, gettext)``: the context (``workshop_view.WorkshopReport``);
- ``workshop_html(data, assets)``: the HTML of ``reports/workshop.html``, which
  ``app.reporting.builder.render_pdf`` lays out and writes.

The workshop's sharing terms decide: countries appear by name with their scores, strengths and
gaps only under terms that name them in the report ("everyone", "facilitators"); under
"anonymous" results appear only in figures over at least three countries; under "private" every
country contributes its progress and nothing else. Scores are over the workshop's measures only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from statistics import median

from app.core.gaps import find_gaps, find_strengths
from app.core.peers import MIN_COUNTRIES
from app.core.questionnaire import Questionnaire, localise
from app.core.scoring import Scores
from app.core.workshop_terms import WORDING, for_report
from app.reporting.builder import load_translations, render_html
from app.reporting.charts import (
    BarRow,
    HeatBand,
    HeatCell,
    HeatColumn,
    HeatRow,
    ProgressRow,
    heat_map,
    measure_bars,
    progress_bars,
)
from app.reporting.context import RTL_LANGUAGES
from app.reporting.fetcher import ReportAssets
from app.reporting.workshop_inputs import CountryInput, Progress, WorkshopReportInput
from app.reporting.workshop_view import (
    Aggregate,
    AttendeeLine,
    CountryAttendance,
    CountryTable,
    EvaluationLine,
    GroupView,
    ItemMention,
    MeasureRow,
    NamedCountry,
    PillarLabel,
    PillarLine,
    SpreadRow,
    StrategyView,
    WorkshopCover,
    WorkshopReport,
)

WORKSHOP_TEMPLATE = "workshop.html"
COLUMNS = 9  # countries per table: an A4 page holds the measure title and nine narrow columns
MENTIONED = 3  # strengths and gaps named per country
Translate = Callable[[str], str]


def _identity(text: str) -> str:
    return text


def _tables(
    data: WorkshopReportInput, countries: Sequence[CountryInput], with_scores: bool
) -> tuple[CountryTable, ...]:
    """Measures by countries, split into tables of at most COLUMNS countries."""
    q, language = data.questionnaire, data.meta.language
    tables = []
    for start in range(0, len(countries), COLUMNS):
        chunk = countries[start : start + COLUMNS]
        rows = []
        for measure_id in data.scope:
            title, pillar_id = localise(q.measures[measure_id].title, language), q.pillar_of_measure[measure_id]
            if with_scores:
                scores = tuple(_measure_score(country.scores, measure_id) for country in chunk)
                rows.append(MeasureRow(measure_id, title, pillar_id, scores=scores))
            else:
                progress = tuple(country.progress.get(measure_id, Progress(0, 0)) for country in chunk)
                rows.append(MeasureRow(measure_id, title, pillar_id, progress=progress))
        totals = tuple(_total(country, data.scope) for country in chunk) if not with_scores else ()
        tables.append(CountryTable(tuple(country.code for country in chunk), tuple(rows), totals))
    return tuple(tables)


def _measure_score(scores: Scores | None, measure_id: str) -> float | None:
    result = scores.measures.get(measure_id) if scores is not None else None
    return result.score if result is not None else None


def _total(country: CountryInput, scope: Sequence[str]) -> Progress:
    cells = [country.progress.get(measure_id, Progress(0, 0)) for measure_id in scope]
    return Progress(sum(cell.answered for cell in cells), sum(cell.applicable for cell in cells))


def _progress_chart(data: WorkshopReportInput, gettext: Translate) -> str:
    """Share of applicable items answered per measure, over every invited country."""
    q, language, rows = data.questionnaire, data.meta.language, []
    for measure_id in data.scope:
        cells = [country.progress.get(measure_id, Progress(0, 0)) for country in data.countries]
        applicable = sum(cell.applicable for cell in cells)
        share = round(100 * sum(cell.answered for cell in cells) / applicable, 1) if applicable else None
        label = f"{measure_id} {localise(q.measures[measure_id].title, language)}"
        rows.append(BarRow(label, q.pillar_of_measure[measure_id], share))
    return measure_bars(
        rows,
        title=gettext("Progress by measure, all countries"),
        description=gettext("Share of the applicable items answered, in per cent; the tables give each country."),
        id_prefix="workshop-progress",
        rtl=language in RTL_LANGUAGES,
    )


def _heat_map(data: WorkshopReportInput, named: Sequence[CountryInput], gettext: Translate) -> str:
    """Countries shown by name by the workshop's measures, coloured by band ("" when none)."""
    q, language = data.questionnaire, data.meta.language
    if not named:
        return ""
    bands = [HeatBand(b.id, localise(b.label, language)) for b in sorted(q.scoring.bands, key=lambda b: b.min)]
    columns = [HeatColumn(m, localise(q.measures[m].title, language), q.pillar_of_measure[m]) for m in data.scope]
    rows = []
    for country in named:
        assert country.scores is not None
        results = [country.scores.measures[m] for m in data.scope]
        cells = tuple(HeatCell(r.answered, r.applicable, True, r.score, r.band) for r in results)
        done = gettext("%(share)s %% complete") % {"share": round(100 * country.scores.completeness)}
        rows.append(HeatRow(country.name, cells, done))
    return heat_map(
        rows,
        columns,
        bands,
        title=gettext("Results by country and measure"),
        description=gettext(
            "Each cell: the measure score from 0 to 100, coloured by band, with items answered of those that apply."
        ),
        id_prefix="workshop-heat",
        not_shown_label=gettext("Results not shown"),
        answered_word=gettext("answered"),
        unanswered_label=gettext("no answers yet"),
    )


def _country_progress(data: WorkshopReportInput, gettext: Translate) -> str:
    totals = [(country.name, _total(country, data.scope)) for country in data.countries]
    rows = [ProgressRow(name, total.answered, total.applicable) for name, total in totals]
    return progress_bars(
        rows,
        title=gettext("Progress by country"),
        description=gettext("Items answered of the items that apply, over the workshop's measures."),
        id_prefix="workshop-country-progress",
        of_word=gettext("of"),
    )


def _mention(q: Questionnaire, scores: Scores, item_id: str, language: str) -> ItemMention:
    item, result = q.items[item_id], scores.items[item_id]
    pillar_id = q.pillar_of_measure[q.measure_of_item[item_id]]
    return ItemMention(item_id, pillar_id, localise(item.question, language), item.type, result.level or 0)


def _named(data: WorkshopReportInput, country: CountryInput) -> NamedCountry:
    q, language, scores = data.questionnaire, data.meta.language, country.scores
    assert scores is not None, "a country shown by name shared its scores"
    scope = set(data.scope)
    gaps = [gap.item_id for gap in find_gaps(q, scores) if gap.measure_id in scope]
    strengths = [item_id for item_id in find_strengths(q, scores) if q.measure_of_item[item_id] in scope]

    def band(band_id: str | None) -> str | None:
        return localise(q.band_by_id(band_id).label, language) if band_id else None

    pillars = tuple(
        PillarLine(p.id, localise(p.title, language), scores.pillars[p.id].score, band(scores.pillars[p.id].band))
        for p in q.pillars
        if any(m.id in scope for m in p.measures)
    )
    return NamedCountry(
        country.code,
        country.name,
        scores.overall,
        band(scores.overall_band),
        scores.completeness,
        pillars,
        tuple(_mention(q, scores, item_id, language) for item_id in strengths[:MENTIONED]),
        tuple(_mention(q, scores, item_id, language) for item_id in gaps[:MENTIONED]),
        len(strengths),
        len(gaps),
    )


def _aggregate(data: WorkshopReportInput, gettext: Translate) -> Aggregate | None:
    """Spread of measure scores over the countries that answered, if the terms show spreads and at
    least three countries answered."""
    q, language = data.questionnaire, data.meta.language
    if not for_report(data.terms).spreads:
        return None
    shared = [
        country.scores
        for country in data.countries
        if country.scores is not None and any(m.answered for m in country.scores.measures.values())
    ]
    if len(shared) < MIN_COUNTRIES:
        return None
    gap_measures = [{gap.measure_id for gap in find_gaps(q, scores)} for scores in shared]
    rows, bars = [], []
    for measure_id in data.scope:
        values = sorted(s for scores in shared if (s := _measure_score(scores, measure_id)) is not None)
        enough = len(values) >= MIN_COUNTRIES
        middle = round(median(values), 1) if enough else None
        title, pillar_id = localise(q.measures[measure_id].title, language), q.pillar_of_measure[measure_id]
        rows.append(
            SpreadRow(
                measure_id,
                title,
                pillar_id,
                len(values),
                values[0] if enough else None,
                middle,
                values[-1] if enough else None,
                sum(1 for found in gap_measures if measure_id in found) if enough else None,
            )
        )
        bars.append(BarRow(f"{measure_id} {title}", pillar_id, middle))
    chart = measure_bars(
        bars,
        title=gettext("Median measure scores across the countries that answered"),
        description=gettext("Scores from 0 to 100; the table gives the lowest, median and highest."),
        id_prefix="workshop-spread",
        rtl=language in RTL_LANGUAGES,
    )
    return Aggregate(len(shared), tuple(rows), chart)


def _attendance(data: WorkshopReportInput, pillars: Sequence[PillarLabel]) -> tuple[CountryAttendance, ...]:
    lines = []
    for country in data.countries:
        people = [person for person in data.attendees if person.country_code == country.code]
        agencies = Counter(person.agency or "–" for person in people)
        per_pillar = tuple(sum(1 for person in people if person.pillar_id == pillar.id) for pillar in pillars)
        lines.append(
            CountryAttendance(country.code, country.name, len(people), tuple(sorted(agencies.items())), per_pillar)
        )
    return tuple(lines)


def _groups(data: WorkshopReportInput) -> tuple[GroupView, ...]:
    q, language, resources = data.questionnaire, data.meta.language, data.library.resource_by_id
    views = []
    for group in data.groups:
        strategies = tuple(
            StrategyView(
                strategy.title,
                tuple(
                    (m, localise(q.measures[m].title, language) if m in q.measures else m) for m in strategy.measures
                ),
                strategy.actions,
                strategy.lead,
                tuple(resources[r].title if r in resources else r for r in strategy.resources),
            )
            for strategy in group.strategies
        )
        names = {country.code: country.name for country in data.countries}
        countries = tuple(names.get(code, code) for code in group.countries)
        views.append(GroupView(group.name, group.kind, group.pillar_id, countries, group.people, strategies))
    return tuple(views)


def _paragraphs(text: str) -> tuple[str, ...]:
    """The facilitator's text as paragraphs (blank lines separate them; line breaks inside stay)."""
    blocks = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n")).split("\n\n")
    return tuple(block.strip("\n") for block in blocks if block.strip())


def workshop_context(data: WorkshopReportInput, gettext: Translate = _identity) -> WorkshopReport:
    q, meta, language = data.questionnaire, data.meta, data.meta.language
    expertise = {person.pillar_id for person in data.attendees}
    pillars = tuple(
        PillarLabel(p.id, localise(p.title, language))
        for p in q.pillars
        if p.id in expertise or any(m.id in data.scope for m in p.measures)
    )
    pillar_titles = {p.id: localise(p.title, language) for p in q.pillars}
    names = {country.code: country.name for country in data.countries}
    named = [c for c in data.countries if for_report(data.terms).named and c.scores is not None]
    wording = WORDING[data.terms]
    cover = WorkshopCover(
        meta.title,
        meta.starts_on,
        meta.ends_on,
        meta.venue,
        meta.online,
        meta.facilitator,
        meta.generated,
        localise(q.title, language),
        q.version,
        len(data.countries),
        len(data.attendees),
    )
    return WorkshopReport(
        language=language,
        direction="rtl" if language in RTL_LANGUAGES else "ltr",
        cover=cover,
        summary=_paragraphs(data.summary),
        pillars=pillars,
        attendance=_attendance(data, pillars),
        attendees=tuple(
            AttendeeLine(
                p.name, names.get(p.country_code, p.country_code), p.agency, pillar_titles.get(p.pillar_id, "")
            )
            for p in data.attendees
        ),
        progress=_tables(data, data.countries, with_scores=False),
        progress_chart=_progress_chart(data, gettext),
        country_progress=_country_progress(data, gettext),
        heat_map=_heat_map(data, named, gettext),
        named=tuple(_named(data, country) for country in named),
        named_scores=_tables(data, named, with_scores=True),
        aggregate=_aggregate(data, gettext),
        terms=data.terms,
        terms_title=gettext(wording.title),
        terms_lines=(gettext(wording.participants), gettext(wording.facilitators), gettext(wording.report)),
        groups=_groups(data),
        responses=data.responses,
        evaluation=tuple(
            EvaluationLine(
                line.text,
                line.kind,
                line.answered,
                line.mean,
                tuple(line.counts),
                tuple(line.texts),
                tuple(line.earlier),
            )
            for line in data.evaluation
        ),
    )


def workshop_html(data: WorkshopReportInput, assets: ReportAssets) -> str:
    """The report's HTML, words of the report and chart titles in the report's language."""
    language = data.meta.language
    report = workshop_context(data, load_translations(assets, language).gettext)
    return render_html(WORKSHOP_TEMPLATE, assets, language, report=report)
