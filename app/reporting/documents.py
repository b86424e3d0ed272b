"""Every report an assessment has, in every format, in two steps so that a cache can sit between.

``prepare_report(kind, format, data, assets)`` builds the context (and for a PDF its HTML, which
costs about a tenth of a second) and a ``key`` that changes whenever the document would;
``produce(prepared, assets)`` then writes the document, which for a long PDF takes seconds.
``estimate`` says roughly how many seconds ``produce`` will take, so a caller can decide whether
to wait for it or hand it to a background job.

Reports: ``gap`` (the gap analysis: PDF, and the editable DOCX and XLSX from the same context),
``brief`` (the minister's brief, at most 20 pages: summary, charts, the top gaps of each pillar with
the next step and one resource, the action plan; PDF, from the gap analysis's context),
``summary`` (one page, PDF) and ``comparison`` (two cycles side by side, PDF; only with a
previous cycle).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from app.reporting.builder import GAP_TEMPLATE, gap_report, load_translations, render_html, render_pdf, report_key
from app.reporting.comparison import build_comparison_context
from app.reporting.docx import DOCX_MIMETYPE, gap_docx
from app.reporting.fetcher import ReportAssets
from app.reporting.inputs import GapReportInput
from app.reporting.view import GapReport
from app.reporting.wording import Wording
from app.reporting.xlsx import XLSX_MIMETYPE, gap_xlsx

KINDS = ("gap", "brief", "summary", "comparison")
FORMATS = ("pdf", "docx", "xlsx")
FORMATS_OF = {"gap": FORMATS, "brief": ("pdf",), "summary": ("pdf",), "comparison": ("pdf",)}
TEMPLATES = {"gap": GAP_TEMPLATE, "brief": "brief.html", "summary": "summary.html", "comparison": "comparison.html"}
MIMETYPES = {"pdf": "application/pdf", "docx": DOCX_MIMETYPE, "xlsx": XLSX_MIMETYPE}
WRITERS_VERSION = "1"  # change when the DOCX or XLSX writers change what they write
# Layout and writing cost per kilobyte of report HTML, measured on the demo report (2 cores).
PDF_SECONDS_BASE = 0.2
PDF_SECONDS_PER_KB = 0.016
EDITABLE_SECONDS = 0.5


class ReportUnavailable(ValueError):
    """This report does not exist for this assessment or in this format; the message says why."""


@dataclass(frozen=True)
class PreparedReport:
    """A report ready to be written: its key, and its HTML (PDF) or context (DOCX, XLSX)."""

    kind: str
    format: str
    key: str
    estimate: float
    html: str | None = None
    context: GapReport | None = None


@dataclass(frozen=True)
class ProducedReport:
    content: bytes
    pages: int | None
    seconds: float


def check_report(kind: str, format: str, has_previous: bool = True) -> None:
    """ReportUnavailable unless ``kind`` exists in ``format`` (and a comparison has a previous cycle)."""
    if kind not in FORMATS_OF:
        raise ReportUnavailable(f"unknown report {kind!r}; reports: {', '.join(KINDS)}")
    if format not in FORMATS_OF[kind]:
        raise ReportUnavailable(f"the {kind} report is made as {', '.join(FORMATS_OF[kind])}, not {format}")
    if kind == "comparison" and not has_previous:
        raise ReportUnavailable("this assessment has no previous cycle to compare with")


def report_html(kind: str, data: GapReportInput, assets: ReportAssets) -> str:
    """The HTML of a PDF report (``gap``, ``brief``, ``summary`` or ``comparison``)."""
    language = data.meta.language
    if kind == "comparison":
        gettext = load_translations(assets, language).gettext
        context: object = build_comparison_context(data, gettext)
    else:
        context = gap_report(data, assets)
    return render_html(TEMPLATES[kind], assets, language, report=context)


def prepare_report(kind: str, format: str, data: GapReportInput, assets: ReportAssets) -> PreparedReport:
    check_report(kind, format, data.previous is not None)
    if format == "pdf":
        html = report_html(kind, data, assets)
        estimate = PDF_SECONDS_BASE + PDF_SECONDS_PER_KB * len(html) / 1000
        return PreparedReport(kind, format, report_key(html, assets), round(estimate, 2), html=html)
    context = gap_report(data, assets)
    digest = hashlib.sha256(f"{kind}:{format}:{WRITERS_VERSION}:{context!r}".encode())
    return PreparedReport(kind, format, digest.hexdigest(), EDITABLE_SECONDS, context=context)


def produce(prepared: PreparedReport, assets: ReportAssets) -> ProducedReport:
    """Write the document: lay out and write the PDF once, or write the DOCX or XLSX."""
    if prepared.html is not None:
        rendered = render_pdf(prepared.html, assets)
        return ProducedReport(rendered.pdf, rendered.pages, rendered.seconds)
    started = time.perf_counter()
    context = prepared.context
    assert context is not None, "a prepared DOCX or XLSX carries its context"
    words = Wording(load_translations(assets, context.language), context.language)
    content = gap_docx(context, words) if prepared.format == "docx" else gap_xlsx(context, words)
    return ProducedReport(content, None, round(time.perf_counter() - started, 3))


def build_report_file(kind: str, format: str, data: GapReportInput, assets: ReportAssets) -> ProducedReport:
    """Prepare and produce in one go (the command line), the time of both included."""
    started = time.perf_counter()
    produced = produce(prepare_report(kind, format, data, assets), assets)
    return ProducedReport(produced.content, produced.pages, round(time.perf_counter() - started, 3))
