"""The workshop's evaluation form: questions as data, participants' responses and their aggregates.

A question is ``{"id", "kind": rating|choice|text, "text", "options"}``; ratings go from 1 to 5.
The facilitator writes them one per line: ``rating: text``, ``choice: text | option | option``,
``text: text``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.errors import N_, CtsatError
from app.core.limits import EVALUATION_TEXT, too_long
from app.core.numbers import int_or
from app.models import EvaluationResponse, Workshop, WorkshopParticipant

KINDS = ("rating", "choice", "text")
RATINGS = (1, 2, 3, 4, 5)
DEFAULT_QUESTIONS: tuple[dict[str, Any], ...] = (
    {"id": "q1", "kind": "rating", "text": "How useful was the workshop overall?", "options": []},
    {
        "id": "q2",
        "kind": "rating",
        "text": "How useful were the resources and practices linked to gaps?",
        "options": [],
    },
    {
        "id": "q3",
        "kind": "choice",
        "text": "Which parts were most useful?",
        "options": ["Self-assessment", "Live board", "Group work", "Strategies", "Resources"],
    },
    {"id": "q4", "kind": "text", "text": "What else would you like to tell the organisers?", "options": []},
)


class EvaluationError(CtsatError, ValueError):
    """An evaluation form or response that cannot be accepted (a clear message for the user)."""


def parse_questions(text: str) -> list[dict[str, Any]]:
    """The facilitator's one-question-per-line text as questions; EvaluationError names the bad line."""
    questions: list[dict[str, Any]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        kind, sep, rest = line.partition(":")
        kind = kind.strip().lower()
        if not sep or kind not in KINDS:
            raise EvaluationError(N_("line %(line)s: start with rating:, choice: or text:"), line=number)
        parts = [part.strip() for part in rest.split("|")]
        wording, options = parts[0], [option for option in parts[1:] if option]
        if not wording:
            raise EvaluationError(N_("line %(line)s: the question has no text"), line=number)
        if kind == "choice" and len(options) < 2:
            raise EvaluationError(N_("line %(line)s: a choice needs at least two options after |"), line=number)
        questions.append({"id": f"q{len(questions) + 1}", "kind": kind, "text": wording[:300], "options": options})
    if not questions:
        raise EvaluationError(N_("the form needs at least one question"))
    return questions


def questions_as_text(questions: list[dict[str, Any]]) -> str:
    return "\n".join(
        " | ".join([f"{question['kind']}: {question['text']}", *question.get("options", [])]) for question in questions
    )


def clean_answers(questions: list[dict[str, Any]], raw: dict[str, list[str]]) -> dict[str, Any]:
    """The answers a participant sent, checked against the questions (unanswered ones are left out)."""
    answers: dict[str, Any] = {}
    for question in questions:
        values = [value.strip() for value in raw.get(question["id"], []) if value.strip()]
        if not values:
            continue
        if question["kind"] == "rating":
            rating = int_or(values[0], 0, 0, max(RATINGS))
            if rating not in RATINGS:
                raise EvaluationError(N_("%(question)s: choose a rating from 1 to 5"), question=question["text"])
            answers[question["id"]] = rating
        elif question["kind"] == "choice":
            if not set(values) <= set(question["options"]):
                raise EvaluationError(N_("%(question)s: choose from the options given"), question=question["text"])
            answers[question["id"]] = values
        else:
            if too_long(values[0], EVALUATION_TEXT):
                raise EvaluationError(
                    N_("%(question)s: keep the answer to %(limit)s characters or fewer"),
                    question=question["text"],
                    limit=EVALUATION_TEXT,
                )
            answers[question["id"]] = values[0]
    if not answers:
        raise EvaluationError(N_("answer at least one question"))
    return answers


def response_of(session: Session, participant: WorkshopParticipant) -> EvaluationResponse | None:
    query = select(EvaluationResponse).filter_by(workshop_id=participant.workshop_id, participant_id=participant.id)
    return session.scalars(query).one_or_none()


def submit(session: Session, participant: WorkshopParticipant, answers: dict[str, Any]) -> EvaluationResponse:
    """Record (or replace) the participant's response."""
    response = response_of(session, participant)
    if response is None:
        response = EvaluationResponse(workshop_id=participant.workshop_id, participant_id=participant.id, answers={})
        session.add(response)
    response.answers = answers
    session.flush()
    return response


@dataclass
class QuestionSummary:
    question: dict[str, Any]
    answered: int = 0
    mean: float | None = None
    counts: dict[str, int] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)
    # Answers given before the facilitator changed the question's type, kept and shown as text.
    earlier: list[str] = field(default_factory=list)


def fits(question: dict[str, Any], value: Any) -> bool:
    """Whether a stored answer is of the kind the question asks for now."""
    if question["kind"] == "rating":
        return isinstance(value, int) and not isinstance(value, bool) and value in RATINGS
    if question["kind"] == "choice":
        return isinstance(value, list) and all(isinstance(option, str) for option in value)
    return isinstance(value, str)


def as_text(value: Any) -> str:
    """A stored answer of any kind, as text."""
    return ", ".join(str(part) for part in value) if isinstance(value, list) else str(value)


def summary(session: Session, workshop: Workshop) -> tuple[int, list[QuestionSummary]]:
    """How many responded, and per question: mean rating and counts, option counts, or the texts."""
    responses = list(session.scalars(select(EvaluationResponse).filter_by(workshop_id=workshop.id)))
    summaries = []
    for question in workshop.evaluation_questions:
        found = QuestionSummary(question)
        stored = [response.answers[question["id"]] for response in responses if question["id"] in response.answers]
        given = [value for value in stored if fits(question, value)]
        found.earlier = [as_text(value) for value in stored if not fits(question, value)]
        found.answered = len(given)
        if question["kind"] == "rating":
            found.counts = {str(rating): sum(1 for value in given if value == rating) for rating in RATINGS}
            found.mean = round(sum(given) / len(given), 2) if given else None
        elif question["kind"] == "choice":
            found.counts = {option: sum(1 for value in given if option in value) for option in question["options"]}
        else:
            found.texts = list(given)
        summaries.append(found)
    return len(responses), summaries
