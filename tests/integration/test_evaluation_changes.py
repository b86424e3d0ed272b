"""A facilitator may change the evaluation form after people answered it: earlier answers stay readable."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.models import Workshop, WorkshopParticipant
from app.services.catalog import get_questionnaire
from app.services.workshop_admission import JoinChoice, request_to_join
from app.services.workshop_evaluation import clean_answers, parse_questions, submit, summary
from app.services.workshops import WorkshopSettings, accept_terms, create_workshop
from tests.conftest import csrf_token, login

# Every question changes its type: rating → text, rating → choice, choice → rating, text → rating.
CHANGED_FORM = "text: What did you learn?\nchoice: Which day? | Day 1 | Day 2\nrating: Pace\nrating: Venue"


@pytest.fixture
def answered(session: Session, make_user: Any) -> tuple[Workshop, Any, Any]:
    """A workshop whose evaluation one participant answered, after which every question changed type."""
    facilitator = make_user("facilitator")
    settings = WorkshopSettings("RSR training", None, None, "Bangkok", False, [], ["THA", "PHL"])
    workshop = create_workshop(session, facilitator, get_questionnaire(session, "mini", "1"), settings)
    participant_user = make_user("official", "THA")
    participant: WorkshopParticipant = request_to_join(
        session, participant_user, workshop, JoinChoice("THA", "Police", "protection")
    )
    accept_terms(session, participant_user, workshop)  # the workshop's sharing terms, before anything else
    raw = {"q1": ["4"], "q2": ["5"], "q3": ["Group work"], "q4": ["Very practical"]}
    submit(session, participant, clean_answers(workshop.evaluation_questions, raw))
    workshop.evaluation_questions = parse_questions(CHANGED_FORM)
    session.commit()
    return workshop, facilitator, participant_user


def test_answers_of_another_type_are_kept_apart_from_the_new_questions(
    session: Session, answered: tuple[Workshop, Any, Any]
) -> None:
    workshop, _facilitator, _participant = answered
    responses, summaries = summary(session, workshop)
    by_text = {found.question["text"]: found for found in summaries}
    assert responses == 1
    assert by_text["Which day?"].earlier == ["5"] and by_text["Which day?"].counts == {"Day 1": 0, "Day 2": 0}
    assert by_text["Pace"].earlier == ["Group work"] and by_text["Pace"].mean is None
    assert by_text["Venue"].earlier == ["Very practical"]


def test_the_evaluation_results_page_shows_earlier_answers_labelled(
    client: FlaskClient, answered: tuple[Workshop, Any, Any]
) -> None:
    workshop, facilitator, _participant = answered
    login(client, facilitator.email)
    response = client.get(f"/workshops/{workshop.id}/evaluation")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Answers from an earlier version of the form:" in page and "Very practical" in page


def test_the_workshop_report_still_renders_after_the_form_changed(
    client: FlaskClient, answered: tuple[Workshop, Any, Any]
) -> None:
    workshop, facilitator, _participant = answered
    login(client, facilitator.email)
    response = client.get(f"/workshops/{workshop.id}/report.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"


def test_the_participant_can_open_and_send_the_changed_form(
    client: FlaskClient, answered: tuple[Workshop, Any, Any]
) -> None:
    workshop, _facilitator, participant = answered
    login(client, participant.email)
    page = client.get(f"/workshops/{workshop.id}/evaluation")
    assert page.status_code == 200
    data = {"csrf_token": csrf_token(page.get_data(as_text=True)), "q3": "4"}
    assert client.post(f"/workshops/{workshop.id}/evaluation", data=data).status_code == 302
