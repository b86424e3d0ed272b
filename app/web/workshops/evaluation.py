"""The evaluation: participants fill in the form; the facilitator sees the aggregated results."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.services.workshop_evaluation import EvaluationError, clean_answers, response_of, submit, summary
from app.services.workshops import open_workshop
from app.web.database import db
from app.web.errors import describe
from app.web.workshops.blueprint import blueprint


@blueprint.route("/workshops/<int:workshop_id>/evaluation", methods=["GET", "POST"])
@login_required
def evaluation(workshop_id: int) -> ResponseReturnValue:
    session = db()
    workshop, participant = open_workshop(session, current_user, workshop_id)
    if participant is None:
        responses, summaries = summary(session, workshop)
        return render_template(
            "workshops/evaluation_results.html", workshop=workshop, responses=responses, summaries=summaries
        )
    previous = response_of(session, participant)
    values = {
        key: value if isinstance(value, list) else [str(value)]
        for key, value in (previous.answers if previous else {}).items()
    }
    error, status = None, 200
    if request.method == "POST":
        raw = {question["id"]: request.form.getlist(question["id"]) for question in workshop.evaluation_questions}
        try:
            submit(session, participant, clean_answers(workshop.evaluation_questions, raw))
        except EvaluationError as problem:
            error, status, values = describe(problem), 400, raw
        else:
            session.commit()
            flash(_("Thank you: your evaluation is recorded."), "info")
            return redirect(url_for(".board_page", workshop_id=workshop.id))
    return render_template(
        "workshops/evaluation.html", workshop=workshop, values=values, error=error, submitted=previous is not None
    ), status
