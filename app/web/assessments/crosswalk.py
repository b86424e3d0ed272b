"""An assessment's answers seen through the US TVPA minimum standards and the Walk Free milestones."""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from app.core.crosswalk import crosswalk_views
from app.models import Country
from app.services.assessments import open_assessment, questionnaire_of, scores_of
from app.services.catalog import get_library
from app.web.assessments.routes import blueprint
from app.web.database import db


@blueprint.get("/<int:assessment_id>/results/crosswalk")
@login_required
def crosswalk(assessment_id: int) -> ResponseReturnValue:
    session = db()
    assessment = open_assessment(session, current_user, assessment_id)
    questionnaire = questionnaire_of(session, assessment)
    library = get_library(session)
    return render_template(
        "assessments/crosswalk.html",
        assessment=assessment,
        questionnaire=questionnaire,
        country=session.get(Country, assessment.country_code),
        views=crosswalk_views(questionnaire, library, scores_of(session, assessment)),
    )
