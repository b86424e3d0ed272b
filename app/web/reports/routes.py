"""Download an assessment's reports, with the same permission checks as its results.

- ``reports.gap_pdf``        GET /assessments/<id>/report.pdf            the gap-analysis report
- ``reports.gap_editable``   GET /assessments/<id>/report.<docx|xlsx>    the same, editable
- ``reports.brief_pdf``      GET /assessments/<id>/brief.pdf             the minister's brief (<= 20 pages)
- ``reports.summary_pdf``    GET /assessments/<id>/summary.pdf           the one-page summary sheet
- ``reports.comparison_pdf`` GET /assessments/<id>/comparison.pdf        the cycle comparison (404 without one)
- ``reports.status``         GET /assessments/<id>/reports/<kind>/status while a long report is prepared

A cached document is sent at once; one that takes long to render is prepared in the background
and the download redirects to its status page, which refreshes itself until the file is ready.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.models import Assessment, Country
from app.services.assessments import open_assessment
from app.services.report_jobs import ReportRequest, deliver, report_settings, report_status
from app.services.reports import MIMETYPES, ReportUnavailable, report_file_name
from app.web.database import db
from app.web.errors import error_response

blueprint = Blueprint("reports", __name__, url_prefix="/assessments")
DOWNLOADS = {
    "gap": "reports.gap_pdf",
    "brief": "reports.brief_pdf",
    "summary": "reports.summary_pdf",
    "comparison": "reports.comparison_pdf",
}
REFRESH_SECONDS = 3


def _chosen_language() -> str | None:
    """The language chosen at download (``?language=th``), if any."""
    chosen = request.args.get("language", "")
    return chosen if chosen in current_app.config["LANGUAGES"] else None


def _language() -> str:
    """The report's language: the one chosen at download, else the interface's."""
    return _chosen_language() or str(get_locale() or "en")


def _request(kind: str, format: str = "pdf") -> ReportRequest:
    return ReportRequest(kind, format, _language(), date.today())


def _unavailable(kind: str) -> ResponseReturnValue:
    if kind == "comparison":
        return error_response(404, _("This assessment has no previous cycle to compare it with."))
    return error_response(404)


def _download(assessment_id: int, kind: str, format: str = "pdf") -> ResponseReturnValue:
    """The document, or a redirect to its status page while it is prepared in the background."""
    session = db()
    assessment = open_assessment(session, current_user, assessment_id)
    try:
        found = deliver(session, assessment, _request(kind, format), report_settings(current_app.config))
    except ReportUnavailable:
        return _unavailable(kind)
    if found is None:
        return redirect(url_for("reports.status", assessment_id=assessment.id, kind=kind, language=_chosen_language()))
    return Response(
        found.read_bytes(),
        headers={
            "Content-Type": MIMETYPES[format],
            "Content-Disposition": f'attachment; filename="{report_file_name(assessment, kind, format)}"',
            "Cache-Control": "private, no-store",
        },
    )


@blueprint.get("/<int:assessment_id>/report.pdf")
@login_required
def gap_pdf(assessment_id: int) -> ResponseReturnValue:
    """The country gap-analysis report; someone of another country gets 404, as on the results page."""
    return _download(assessment_id, "gap")


@blueprint.get("/<int:assessment_id>/report.<any(docx, xlsx):kind>")
@login_required
def gap_editable(assessment_id: int, kind: str) -> ResponseReturnValue:
    """The gap analysis and action plan as Word (docx) or Excel (xlsx), from the PDF's own context."""
    return _download(assessment_id, "gap", kind)


@blueprint.get("/<int:assessment_id>/brief.pdf")
@login_required
def brief_pdf(assessment_id: int) -> ResponseReturnValue:
    """The minister's brief: summary, charts, top gaps per pillar, action plan (at most 20 pages)."""
    return _download(assessment_id, "brief")


@blueprint.get("/<int:assessment_id>/summary.pdf")
@login_required
def summary_pdf(assessment_id: int) -> ResponseReturnValue:
    return _download(assessment_id, "summary")


@blueprint.get("/<int:assessment_id>/comparison.pdf")
@login_required
def comparison_pdf(assessment_id: int) -> ResponseReturnValue:
    return _download(assessment_id, "comparison")


@blueprint.get("/<int:assessment_id>/reports/gap/status", defaults={"kind": "gap"})
@blueprint.get("/<int:assessment_id>/reports/brief/status", defaults={"kind": "brief"})
@blueprint.get("/<int:assessment_id>/reports/summary/status", defaults={"kind": "summary"})
@blueprint.get("/<int:assessment_id>/reports/comparison/status", defaults={"kind": "comparison"})
@login_required
def status(assessment_id: int, kind: str) -> ResponseReturnValue:
    """Whether a PDF is being prepared, ready (with its link) or failed; refreshes itself while preparing."""
    session = db()
    assessment: Assessment = open_assessment(session, current_user, assessment_id)
    try:
        state = report_status(session, assessment, _request(kind), report_settings(current_app.config))
    except ReportUnavailable:
        return _unavailable(kind)
    return render_template(
        "reports/status.html",
        assessment=assessment,
        country=session.get(Country, assessment.country_code),
        kind=kind,
        state=state,
        download_url=url_for(DOWNLOADS[kind], assessment_id=assessment.id, language=_chosen_language()),
        refresh=REFRESH_SECONDS if state == "preparing" else None,
    )
