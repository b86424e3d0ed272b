"""Reading the workshop set-up form (plain HTML form with the csrf_token hidden input)."""

from __future__ import annotations

from datetime import date

from flask import request

from app.core.errors import N_
from app.core.numbers import int_or
from app.services.workshop_evaluation import EvaluationError, parse_questions
from app.services.workshops import CODE_DAYS, WorkshopError, WorkshopSettings
from app.web.errors import describe

EVALUATION_FIELD = "evaluation"


def _date(name: str) -> date | None:
    raw = request.form.get(name, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise WorkshopError(N_("%(raw)s is not a date (use YYYY-MM-DD)"), raw=raw) from None


def settings_from_form() -> WorkshopSettings:
    """The submitted settings; WorkshopError for a value that cannot be read."""
    days = request.form.get("code_days", str(CODE_DAYS)).strip()
    questions_text = request.form.get(EVALUATION_FIELD, "")
    try:
        questions = parse_questions(questions_text) if questions_text.strip() else []
    except EvaluationError as error:
        raise WorkshopError(N_("evaluation form: %(problem)s"), problem=describe(error)) from None
    return WorkshopSettings(
        title=request.form.get("title", ""),
        starts_on=_date("starts_on"),
        ends_on=_date("ends_on"),
        venue=request.form.get("venue", ""),
        online=request.form.get("online") == "1",
        scope_measures=request.form.getlist("measures"),
        invited_countries=request.form.getlist("countries"),
        code_days=int_or(days, 0, 0, 3650),
        evaluation_questions=list(questions),
        sharing_terms=request.form.get("sharing_terms", "").strip(),
    )
