"""Download an assessment's reports as PDF, with the same permission checks as its results."""

from __future__ import annotations

from flask import Blueprint, Response, current_app
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_login import current_user, login_required

from app.services.assessments import open_assessment
from app.services.reports import PDF_MIMETYPE, build_report, report_assets, report_file_name
from app.web.database import db

blueprint = Blueprint("reports", __name__, url_prefix="/assessments")


@blueprint.get("/<int:assessment_id>/report.pdf")
@login_required
def gap_pdf(assessment_id: int) -> ResponseReturnValue:
    """The country gap-analysis report; someone of another country gets 404, as on the results page."""
    session = db()
    assessment = open_assessment(session, current_user, assessment_id)
    language = str(get_locale() or "en").split("_")[0]
    rendered = build_report(session, assessment, report_assets(current_app.config), "gap", language)
    return Response(
        rendered.pdf,
        headers={
            "Content-Type": PDF_MIMETYPE,
            "Content-Disposition": f'attachment; filename="{report_file_name(assessment, "gap")}"',
            "Cache-Control": "private, no-store",
        },
    )
