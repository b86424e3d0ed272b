"""The gap analysis and action plan as an editable Excel workbook (openpyxl).

Built from the same ``GapReport`` as the PDF: scores are the same numbers (rounded to 0.1 as the
core rounds them, shown with one decimal), completeness the same fractions (shown as whole
percentages), so a sum or a chart made from the sheet agrees with the PDF. One sheet per part
(summary, measures, gaps, strengths, data gaps, action plan, comparison), a bold header row that
is frozen and filtered, and the confidentiality marking in every printed page's header and
footer. Text that a spreadsheet would run as a formula is neutralised.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from app.reporting.view import GapReport
from app.reporting.wording import Wording, xml_text

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SCORE_FORMAT = "0.0"
SHARE_FORMAT = "0%"
_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
Cell = str | int | float | date | None


def neutralise(text: str) -> str:
    """``text`` as a spreadsheet shows it literally: a leading ``'`` before a formula start
    (also the rule of the offline workbooks in ``app.services.workbook``)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _cell(value: Cell) -> Cell:
    return neutralise(xml_text(value)) if isinstance(value, str) else value


def _header_text(text: str) -> str:
    """Text for a page header or footer, where ``&`` starts a code."""
    return xml_text(text).replace("&", "&&")


class _Sheets:
    """Adds sheets with a header row, typed cells and print settings."""

    def __init__(self, report: GapReport, words: Wording) -> None:
        self.report = report
        self.w = words
        self.book = Workbook()
        self.book.remove(self.book.active)

    def sheet(
        self,
        title: str,
        headers: Sequence[str],
        rows: Sequence[Sequence[Cell]],
        widths: Sequence[int],
        formats: dict[int, str] | None = None,
    ) -> Any:
        """A sheet of ``rows``; ``formats`` maps a column index to a number format."""
        sheet = self.book.create_sheet(_SHEET_NAME.sub(" ", title)[:31])
        first = 2 if headers else 1
        if headers:
            sheet.append([_cell(text) for text in headers])
            for cell in sheet[1]:
                cell.font = Font(bold=True)
        for values in rows:
            sheet.append([_cell(value) for value in values])
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        wrap = Alignment(wrap_text=True, vertical="top")
        for column, number_format in (formats or {}).items():
            for (cell,) in sheet.iter_rows(min_row=first, min_col=column + 1, max_col=column + 1):
                cell.number_format = number_format
        for row in sheet.iter_rows(min_row=first):
            for cell in row:
                if isinstance(cell.value, str) and len(cell.value) > 30:
                    cell.alignment = wrap
        if headers:
            sheet.freeze_panes = "A2"
            sheet.print_title_rows = "1:1"
            if rows:
                sheet.auto_filter.ref = sheet.dimensions
        self.furnish(sheet)
        return sheet

    def furnish(self, sheet: Any) -> None:
        """Marking in the printed header and footer, A4 landscape, header row on every page."""
        cover, w = self.report.cover, self.w
        title = f"{cover.country_name} \u2014 {w._('Gap-analysis report')} \u2014 {cover.marking}"
        sheet.oddHeader.center.text = _header_text(title)
        page = f"{_header_text(cover.marking)} \u00b7 {_header_text(w._('Page'))} &P {_header_text(w._('of'))} &N"
        sheet.oddFooter.center.text = page
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_setup.fitToHeight = 0


def _cover(sheets: _Sheets) -> None:
    cover, w = sheets.report.cover, sheets.w
    rows: list[list[Cell]] = [
        [w._("Country"), cover.country_name],
        [w._("Assessment cycle"), cover.assessment_title],
        [w._("Status"), w.assessment_status(cover.status)],
        [w._("Started"), cover.started],
        [w._("Report date"), cover.generated],
        [
            w._("Questionnaire"),
            f"{cover.questionnaire_title}, {w._('version %(version)s', version=cover.questionnaire_version)}",
        ],
        [w._("Confidentiality marking"), cover.marking],
    ]
    sheet = sheets.sheet(w._("Gap-analysis report"), [], rows, (28, 70), {1: "yyyy-mm-dd"})
    sheet["A1"].font = Font(bold=True)


def _summary(sheets: _Sheets) -> None:
    w, summary = sheets.w, sheets.report.summary
    overall = summary.overall
    rows: list[list[Cell]] = [[w._("Overall"), overall.score, w.band(overall.band), overall.completeness, ""]]
    rows += [[p.title, p.score, w.band(p.band), p.completeness, ", ".join(p.capped_by)] for p in summary.pillars]
    below = w._("Critical items below level %(level)s", level=sheets.report.methodology.critical_level)
    headers = [w._("Pillar"), w._("Score"), w._("Band"), w._("Completeness"), below]
    sheets.sheet(w._("Summary"), headers, rows, (34, 9, 16, 13, 30), {1: SCORE_FORMAT, 3: SHARE_FORMAT})


def _measures(sheets: _Sheets) -> None:
    w = sheets.w
    rows = [
        [section.title, m.id, m.title, m.score, w.band(m.band), m.completeness, m.answered, m.applicable]
        for section in sheets.report.pillars
        for m in section.measures
    ]
    headers = [w._("Pillar"), w._("Measure"), w._("Title"), w._("Score"), w._("Band"), w._("Completeness")]
    headers += [w._("Answered"), w._("Applicable")]
    widths = (24, 10, 50, 9, 14, 13, 10, 11)
    sheets.sheet(w._("Measures"), headers, rows, widths, {3: SCORE_FORMAT, 5: SHARE_FORMAT})


def _gaps(sheets: _Sheets) -> None:
    w = sheets.w
    rows: list[list[Cell]] = []
    for section in sheets.report.pillars:
        for gap in section.gaps:
            resources = "\n".join(
                f"{r.title} \u2014 {r.publisher}" + (f", {r.year}" if r.year else "") + (f" <{r.url}>" if r.url else "")
                for r in gap.resources
            )
            practices = "\n".join(
                p.title + (f" \u2014 {p.country or p.region}" if p.country or p.region else "") for p in gap.practices
            )
            next_level = gap.next_level_text or ""
            rows.append(
                [
                    gap.rank,
                    gap.item_id,
                    gap.question,
                    section.title,
                    gap.measure_id,
                    gap.measure_title,
                    gap.level,
                    gap.target,
                    gap.priority,
                    w._("Yes") if gap.critical else "",
                    gap.next_level,
                    next_level,
                    resources,
                    practices,
                    ", ".join(gap.peers),
                    gap.comment,
                    gap.evidence,
                    "; ".join(gap.sources),
                ]
            )
    rows.sort(key=lambda row: int(str(row[0])))
    headers = ["#", w._("Item"), w._("Question"), w._("Pillar"), w._("Measure"), w._("Measure title")]
    headers += [w._("Level"), w._("Target"), w._("Priority"), w._("critical"), w._("Next level")]
    headers += [w._("What the next level looks like"), w._("Resources"), w._("Good practices")]
    headers += [w._("Peers strong here"), w._("Comment:"), w._("Evidence:"), w._("Sources:")]
    widths = (5, 10, 50, 18, 10, 28, 7, 7, 8, 8, 10, 45, 50, 40, 20, 35, 35, 35)
    sheets.sheet(w._("Gaps"), [h.rstrip(":") for h in headers], rows, widths)


def _item_sheets(sheets: _Sheets) -> None:
    report, w = sheets.report, sheets.w
    titles = {section.id: section.title for section in report.pillars}
    strengths = [
        [
            item.item_id,
            item.question,
            titles.get(item.pillar_id, item.pillar_id),
            item.measure_id,
            item.level,
            item.comment,
        ]
        for section in report.pillars
        for item in section.strengths
    ]
    headers = [w._("Item"), w._("Question"), w._("Pillar"), w._("Measure"), w._("Level"), w._("Comment:").rstrip(":")]
    sheets.sheet(w._("Strengths"), headers, strengths, (10, 60, 20, 10, 7, 40))
    data_gaps = [
        [item.item_id, item.question, titles.get(item.pillar_id, item.pillar_id), item.measure_id, item.comment]
        for item in report.data_gaps
    ]
    sheets.sheet(w._("Data gaps"), headers[:4] + headers[5:], data_gaps, (10, 60, 20, 10, 40))


def _actions(sheets: _Sheets) -> None:
    w = sheets.w
    rows = [
        [
            a.number,
            a.title,
            a.measure_id,
            a.measure_title,
            ", ".join(a.item_ids),
            a.lead_agency,
            a.partners,
            a.start,
            a.end,
            a.budget,
            a.indicator,
            w.action_status(a.status),
        ]
        for a in sheets.report.actions
    ]
    headers = ["#", w._("Action"), w._("Measure"), w._("Measure title"), w._("Items:").rstrip(":")]
    headers += [w._("Lead agency"), w._("Partners"), w._("Start"), w._("End"), w._("Budget"), w._("Indicator")]
    headers += [w._("Status")]
    widths = (5, 45, 10, 28, 14, 28, 28, 12, 12, 16, 35, 12)
    sheets.sheet(w._("Action plan"), headers, rows, widths, {7: "yyyy-mm-dd", 8: "yyyy-mm-dd"})


def _comparison(sheets: _Sheets) -> None:
    comparison, w = sheets.report.comparison, sheets.w
    if comparison is None:
        return
    rows: list[list[Cell]] = [["", w._("Overall"), comparison.overall.before, comparison.overall.after]]
    rows[0].append(comparison.overall.delta)
    for line in comparison.pillars:
        rows.append([line.id, line.title, line.before, line.after, line.delta])
        rows += [[m.id, m.title, m.before, m.after, m.delta] for m in comparison.measures if m.pillar_id == line.id]
    headers = ["", w._("Pillar or measure"), w._("Previous"), w._("This cycle"), w._("Change")]
    formats = {2: SCORE_FORMAT, 3: SCORE_FORMAT, 4: "+0.0;\u22120.0;0.0"}
    sheets.sheet(w._("Comparison"), headers, rows, (12, 55, 11, 11, 11), formats)


def gap_xlsx(report: GapReport, words: Wording) -> bytes:
    """The gap analysis and action plan as an .xlsx file."""
    sheets = _Sheets(report, words)
    _cover(sheets)
    _summary(sheets)
    _measures(sheets)
    _gaps(sheets)
    _item_sheets(sheets)
    _actions(sheets)
    _comparison(sheets)
    sheets.book.properties.title = xml_text(f"{report.cover.country_name} \u2014 {words._('Gap-analysis report')}")
    sheets.book.properties.creator = "CTSAT"
    buffer = BytesIO()
    sheets.book.save(buffer)
    return buffer.getvalue()
