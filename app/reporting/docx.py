"""The gap analysis and action plan as an editable Word document (python-docx).

Built from the same ``GapReport`` as the PDF, with the same words and number formats
(``wording.Wording``), so every score, level and priority reads as in the PDF. Officials rework
it into their ministry's format: plain headings (Heading 1-3), tables with a repeated header row,
the confidentiality marking in every page's header and footer, charts as tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time

from app.reporting.view import GapCard, GapReport, ItemLine, PillarSection
from app.reporting.word_document import WordDocument
from app.reporting.wording import Wording, xml_text

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class _Writer(WordDocument):
    """The Word document of one report, with the report's words."""

    def __init__(self, report: GapReport, words: Wording) -> None:
        super().__init__()
        self.report = report
        self.w = words

    def setup(self) -> None:
        report, w = self.report, self.w
        title = f"{report.cover.country_name} \u2014 {w._('Gap-analysis report')}"
        self.pages(f"{title} \u2014 {report.cover.marking}", report.cover.marking, (w._("Page"), w._("of")))
        properties = self.document.core_properties
        properties.title = xml_text(title)
        properties.author = xml_text(
            w._("%(country)s, national self-assessment (CTSAT)", country=report.cover.country_name)
        )
        properties.subject = xml_text(report.cover.assessment_title)
        properties.language = report.language
        properties.last_modified_by = "CTSAT"
        properties.created = properties.modified = datetime.combine(report.cover.generated, time())
        properties.revision = 1


# ---------------------------------------------------------------------------------- sections


def _cover(writer: _Writer) -> None:
    cover, w = writer.report.cover, writer.w
    writer.paragraph(w._("Counter-Trafficking Self-Assessment Toolkit"), muted=True)
    writer.document.add_heading(xml_text(cover.country_name), 0)
    if cover.native_name:
        writer.paragraph(cover.native_name)
    writer.paragraph(w._("Gap-analysis report"), style="Subtitle")
    facts = [
        (w._("Assessment cycle"), cover.assessment_title),
        (
            w._("Status"),
            f"{w.assessment_status(cover.status)} \u00b7 {w._('started %(date)s', date=w.date(cover.started))}",
        ),
        (w._("Report date"), w.date(cover.generated)),
        (
            w._("Questionnaire"),
            f"{cover.questionnaire_title}, {w._('version %(version)s', version=cover.questionnaire_version)}",
        ),
        (w._("Confidentiality marking"), cover.marking),
    ]
    writer.table([], facts, (55, 115))
    writer.paragraph(w._("Marking chosen by the country's coordinator. Share this report only as the marking allows."))


def _summary(writer: _Writer) -> None:
    summary, w = writer.report.summary, writer.w
    writer.heading(w._("Executive summary"))
    if summary.overall.completeness < 1:
        writer.paragraph(
            w._(
                "This assessment is %(share)s complete. Unanswered items count as not in place, so scores will "
                "rise as answers are added.",
                share=w.percent(summary.overall.completeness),
            )
        )
    writer.table(
        [w._("Overall score"), w._("Band"), w._("Completeness")],
        [[w.score(summary.overall.score), w.band(summary.overall.band), w.percent(summary.overall.completeness)]],
    )
    rows = []
    for pillar in summary.pillars:
        capped = (
            f" ({w._('band capped by %(items)s', items=', '.join(pillar.capped_by))})"
            if pillar.cap_lowered_band
            else ""
        )
        rows.append([pillar.title + capped, w.score(pillar.score), w.band(pillar.band), w.percent(pillar.completeness)])
    writer.table([w._("Pillar"), w._("Score"), w._("Band"), w._("Complete")], rows, (88, 25, 32, 25))
    writer.heading(w._("Top five gaps"), 2)
    if summary.top_gaps:
        writer.paragraph(
            w.ngettext(
                "%(num)s gap in all, listed by pillar below with guidance.",
                "%(num)s gaps in all, listed by pillar below with guidance.",
                summary.gap_count,
            )
        )
        rows = [
            [str(g.rank), f"{g.item_id} {g.question}", f"{g.level} / {g.target}", str(g.priority)]
            for g in summary.top_gaps
        ]
        writer.table(["#", w._("Item"), w._("Level"), w._("Priority")], rows, (10, 120, 20, 20))
    else:
        writer.paragraph(w._("No gaps among the answered items."))
    writer.heading(w._("Top strengths"), 2)
    writer.bullets([f"{item.item_id} {item.question}" for item in summary.top_strengths] or [w._("None.")])


def _measures(writer: _Writer) -> None:
    w = writer.w
    writer.heading(w._("Scores by measure"))
    rows = [
        [f"{m.id} {m.title}", w.score(m.score), w.band(m.band), f"{m.answered} / {m.applicable}"]
        for section in writer.report.pillars
        for m in section.measures
    ]
    writer.table([w._("Measure"), w._("Score"), w._("Band"), w._("Answered")], rows, (93, 25, 30, 22))


def _gap(writer: _Writer, gap: GapCard) -> None:
    w, count = writer.w, writer.report.summary.gap_count
    writer.heading(f"{gap.item_id} {gap.question}", 3)
    meta = [
        w._("Gap %(rank)s of %(count)s", rank=gap.rank, count=count),
        w._(
            "Level %(level)s of target %(target)s \u00b7 priority %(priority)s",
            level=gap.level,
            target=gap.target,
            priority=gap.priority,
        ),
    ]
    writer.paragraph(" \u00b7 ".join(meta + ([w._("critical")] if gap.critical else []) + [gap.measure_id]), muted=True)
    if gap.item_type == "yes_no" and gap.next_level is not None:
        step = w._("Partly in place") if gap.next_level == 2 else w._("Fully in place")
        writer.paragraph(step, bold_label=w._("Next step:"))
    elif gap.next_level is not None and gap.next_level_text:
        writer.paragraph(gap.next_level_text, bold_label=w._("Next level (%(level)s):", level=gap.next_level))
    if gap.resources:
        writer.paragraph(bold_label=w._("Resources"))
        writer.bullets(
            [_resource(link.title, link.publisher, link.year, link.part, link.url) for link in gap.resources]
        )
    if gap.practices:
        writer.paragraph(bold_label=w._("Good practices"))
        writer.bullets([_practice(link.title, link.country or link.region, link.year) for link in gap.practices])
    if gap.peers:
        writer.paragraph(", ".join(gap.peers), bold_label=w._("Peers strong here"))
    if gap.comment:
        writer.paragraph(gap.comment, bold_label=w._("Comment:"))
    if gap.evidence:
        writer.paragraph(gap.evidence, bold_label=w._("Evidence:"))
    if gap.sources:
        writer.paragraph("; ".join(gap.sources), bold_label=w._("Sources:"), muted=True)


def _resource(title: str, publisher: str, year: int | None, part: str | None, url: str | None) -> str:
    text = f"{title} \u2014 {publisher}" + (f", {year}" if year else "") + (f" ({part})" if part else "")
    return text + (f" <{url}>" if url else "")


def _practice(title: str, where: str | None, year: int | None) -> str:
    return title + (f" \u2014 {where}" if where else "") + (f", {year}" if year else "")


def _items(writer: _Writer, items: Sequence[ItemLine], with_level: bool) -> None:
    for item in items:
        level = f" \u00b7 {writer.w._('level %(level)s', level=item.level)}" if with_level else ""
        comment = f" \u2014 {writer.w._('Comment:')} {item.comment}" if item.comment else ""
        writer.paragraph(f"{item.item_id} {item.question}{level}{comment}", style="List Bullet")


def _pillar(writer: _Writer, pillar: PillarSection) -> None:
    w, score = writer.w, pillar.score
    writer.heading(pillar.title)
    if pillar.summary:
        writer.paragraph(pillar.summary)
    writer.table(
        [w._("Score"), w._("Band"), w._("Completeness")],
        [[w.score(score.score), w.band(score.band), w.percent(score.completeness)]],
    )
    if score.capped_by:
        rules = writer.report.methodology
        writer.paragraph(
            w._(
                "Critical item(s) below level %(level)s: %(items)s. Until they reach it, the band cannot rise "
                "above %(band)s.",
                level=rules.critical_level,
                items=", ".join(score.capped_by),
                band=rules.critical_cap,
            ),
            muted=True,
        )
    writer.heading(w._("Measures"), 2)
    rows = [
        [f"{m.id} {m.title}", w.score(m.score), w.band(m.band), f"{m.answered} / {m.applicable}"]
        for m in pillar.measures
    ]
    writer.table([w._("Measure"), w._("Score"), w._("Band"), w._("Answered")], rows, (93, 25, 30, 22))
    writer.heading(w._("Strengths"), 2)
    if pillar.strengths:
        _items(writer, pillar.strengths, with_level=True)
    else:
        writer.paragraph(
            w._(
                "No item of this pillar is answered at level %(level)s or above yet.",
                level=writer.report.methodology.strength_level,
            )
        )
    writer.heading(w._("Gaps, in order of priority"), 2)
    for gap in pillar.gaps:
        _gap(writer, gap)
    if not pillar.gaps:
        writer.paragraph(w._("No gaps among the answered items of this pillar."))


def _data_gaps(writer: _Writer) -> None:
    w, report = writer.w, writer.report
    writer.heading(w._("Data gaps"))
    if report.data_gaps:
        writer.paragraph(w._("Answered \u201cdon't know\u201d: scored as not in place until the facts are found."))
        _items(writer, report.data_gaps, with_level=False)
    else:
        writer.paragraph(w._("None."))
    writer.heading(w._("Challenges these gaps relate to"))
    writer.bullets(
        [f"{c.pillar_title}: {c.text}" + (f" ({c.source})" if c.source else "") for c in report.challenges]
        or [w._("None.")]
    )


def _actions(writer: _Writer) -> None:
    w = writer.w
    writer.heading(w._("Action plan"))
    if not writer.report.actions:
        writer.paragraph(
            w._(
                "No actions have been drafted yet. The country's officials draft the plan from the gaps on the "
                "Action plan page of the assessment."
            )
        )
        return
    rows = []
    for action in writer.report.actions:
        title = action.title + (f" ({action.measure_id} {action.measure_title})" if action.measure_id else "")
        if action.item_ids:
            title += f" \u2014 {w._('Items:')} {', '.join(action.item_ids)}"
        lead = action.lead_agency + (f"; {action.partners}" if action.partners else "")
        period = w.period(action.start, action.end)
        rows.append(
            [str(action.number), title, lead, period, action.budget, action.indicator, w.action_status(action.status)]
        )
    headers = [
        "#",
        w._("Action"),
        w._("Lead agency and partners"),
        w._("Period"),
        w._("Budget"),
        w._("Indicator"),
        w._("Status"),
    ]
    writer.table(headers, rows, (8, 45, 30, 25, 20, 25, 17))


def _comparison(writer: _Writer) -> None:
    comparison, w = writer.report.comparison, writer.w
    if comparison is None:
        return
    writer.heading(w._("Comparison with the previous cycle"))
    writer.paragraph(
        w._(
            "Previous cycle: %(title)s, started %(date)s.",
            title=comparison.previous_title,
            date=w.date(comparison.previous_started),
        )
    )
    rows = [
        [
            w._("Overall"),
            w.score(comparison.overall.before),
            w.score(comparison.overall.after),
            w.delta(comparison.overall.delta),
        ]
    ]
    for line in comparison.pillars:
        rows.append([line.title, w.score(line.before), w.score(line.after), w.delta(line.delta)])
        for measure in (m for m in comparison.measures if m.pillar_id == line.id):
            rows.append(
                [
                    f"  {measure.id} {measure.title}",
                    w.score(measure.before),
                    w.score(measure.after),
                    w.delta(measure.delta),
                ]
            )
    writer.table([w._("Pillar or measure"), w._("Previous"), w._("This cycle"), w._("Change")], rows, (100, 23, 23, 24))
    writer.paragraph(
        w._(
            "Items: %(improved)s improved, %(declined)s declined, %(unchanged)s unchanged.",
            improved=comparison.improved,
            declined=comparison.declined,
            unchanged=comparison.unchanged,
        )
    )


def _methodology(writer: _Writer) -> None:
    rules, w = writer.report.methodology, writer.w
    writer.heading(w._("Annex: methodology"))
    writer.heading(w._("Maturity scale"), 2)
    writer.table([w._("Level"), w._("Meaning")], [[str(level), label] for level, label in rules.scale], (20, 150))
    writer.heading(w._("Bands"), 2)
    bands = [[band.label, w.decimal(band.min, "0.#"), w.decimal(band.max, "0.#")] for band in rules.bands]
    writer.table([w._("Band"), w._("From"), w._("Below")], bands, (90, 40, 40))
    writer.paragraph(
        w._(
            "A gap is an answered item below its target; its priority is weight \u00d7 (target \u2212 "
            "level), doubled for critical items. The default target is level %(target)s. A strength is an "
            "item at level %(level)s or above.",
            target=rules.default_target,
            level=rules.strength_level,
        )
    )


def gap_docx(report: GapReport, words: Wording) -> bytes:
    """The gap analysis and action plan as a .docx file."""
    writer = _Writer(report, words)
    writer.setup()
    _cover(writer)
    _summary(writer)
    _measures(writer)
    for pillar in report.pillars:
        _pillar(writer, pillar)
    _data_gaps(writer)
    _actions(writer)
    _comparison(writer)
    _methodology(writer)
    return writer.save()
