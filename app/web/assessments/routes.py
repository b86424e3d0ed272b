"""An assessment's overview: its scores by pillar and measure."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from app.models import Country
from app.services.assessments import open_assessment, questionnaire_of, results_of
from app.web.database import db

blueprint = Blueprint("assessments", __name__, url_prefix="/assessments")


@blueprint.get("/<int:assessment_id>")
@login_required
def overview(assessment_id: int) -> ResponseReturnValue:
    session = db()
    assessment = open_assessment(session, current_user, assessment_id)
    questionnaire = questionnaire_of(session, assessment)
    results = results_of(session, assessment)
    country = session.get(Country, assessment.country_code)
    return render_template(
        "assessments/overview.html",
        assessment=assessment,
        questionnaire=questionnaire,
        results=results,
        country=country,
    )
