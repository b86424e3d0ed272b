"""Answering a measure without JavaScript: save, keep input on errors, conflicts, history."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.core.answers import AnswerFields
from app.models import Answer, AnswerChange, Assessment
from app.services.assessments import save_answer, start_assessment
from app.services.catalog import get_questionnaire
from tests.conftest import csrf_token, login


def new_assessment(session: Session, make_user: Any, country: str = "THA") -> Assessment:
    questionnaire = get_questionnaire(session, "mini", "1")
    assessment = start_assessment(session, make_user("coordinator", country), country, questionnaire, "Review", [])
    session.commit()
    return assessment


def form_of(page: str) -> dict[str, str]:
    """The values a browser would send for the page's form as it is."""
    data = {"csrf_token": csrf_token(page)}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page):
        data[name] = value
    for name, value in re.findall(r'name="([^"]+-answer)" value="([^"]+)" checked', page):
        data[name] = value
    for name, value in re.findall(r'<textarea id="[^"]+" name="([^"]+)" rows="\d">([^<]*)</textarea>', page):
        data[name] = value
    return data


def answers(session: Session, assessment: Assessment) -> dict[str, Answer]:
    session.expire_all()
    return {row.item_id: row for row in session.query(Answer).filter_by(assessment_id=assessment.id)}


def test_the_measure_page_shows_items_scale_and_descriptors(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    assessment = new_assessment(session, make_user)
    login(client, make_user("official", "THA").email)
    page = client.get(f"/assessments/{assessment.id}/measures/PROT-1").get_data(as_text=True)
    assert "Is there a formal victim identification procedure with a low threshold?" in page
    assert "Used by most frontline agencies." in page
    assert 'name="PROT-1.1-answer" value="dont_know"' in page
    assert "How many victims were identified last year?" in page


def test_a_form_post_saves_only_what_changed_and_records_history(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    assessment = new_assessment(session, make_user)
    official = make_user("official", "THA")
    login(client, official.email)
    url = f"/assessments/{assessment.id}/measures/PROS-1"
    data = form_of(client.get(url).get_data(as_text=True))
    data.update(
        {"PROS-1.1-answer": "4", "PROS-1.3-answer": "dont_know", "PROS-1.3-comment": "Unclear after the 2024 reform"}
    )
    response = client.post(url, data=data)
    assert response.status_code == 302
    stored = answers(session, assessment)
    assert set(stored) == {"PROS-1.1", "PROS-1.3"}
    assert stored["PROS-1.1"].level == 4 and stored["PROS-1.1"].updated_by == official.id
    assert stored["PROS-1.3"].dont_know and stored["PROS-1.3"].comment == "Unclear after the 2024 reform"
    assert session.query(AnswerChange).filter_by(assessment_id=assessment.id).count() == 2
    follow_up = client.get(url).get_data(as_text=True)
    assert (
        'id="item-PROS-1.2"' in follow_up
        and 'id="item-PROS-1.2" data-item="PROS-1.2" data-type="maturity"' in follow_up
    )


def test_not_applicable_without_a_reason_keeps_everything_typed(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    assessment = new_assessment(session, make_user)
    login(client, make_user("official", "THA").email)
    url = f"/assessments/{assessment.id}/measures/PROS-2"
    data = form_of(client.get(url).get_data(as_text=True))
    data.update({"PROS-2.1-answer": "not_applicable", "PROS-2.1-comment": "my careful note", "PROS-2.2-answer": "3"})
    response = client.post(url, data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "PROS-2.1: not applicable needs a reason" in page
    assert "my careful note" in page
    assert 'name="PROS-2.1-answer" value="not_applicable" checked' in page
    assert answers(session, assessment)["PROS-2.2"].level == 3


def test_a_stale_form_meets_a_conflict_and_shows_both_values(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    assessment = new_assessment(session, make_user)
    login(client, make_user("official", "THA").email)
    url = f"/assessments/{assessment.id}/measures/PROS-2"
    data = form_of(client.get(url).get_data(as_text=True))
    colleague = make_user("official", "THA")
    save_answer(session, colleague, assessment, "PROS-2.1", AnswerFields(level=1, comment="colleague says 1"), 0)
    session.commit()
    data.update({"PROS-2.1-answer": "3"})
    response = client.post(url, data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "colleague says 1" in page and "Save to keep yours" in page
    assert 'name="PROS-2.1-answer" value="3" checked' in page
    assert answers(session, assessment)["PROS-2.1"].level == 1
    again = form_of(page)
    assert client.post(url, data=again).status_code == 302
    assert answers(session, assessment)["PROS-2.1"].level == 3


def test_history_lists_every_change_with_who_and_what(client: FlaskClient, session: Session, make_user: Any) -> None:
    assessment = new_assessment(session, make_user)
    official = make_user("official", "THA", email="first@test.example")
    save_answer(session, official, assessment, "PROS-1.3", AnswerFields(level=1), 0)
    save_answer(session, official, assessment, "PROS-1.3", AnswerFields(level=3, comment="after training"), 1)
    session.commit()
    login(client, official.email)
    page = client.get(f"/assessments/{assessment.id}/items/PROS-1.3/history").get_data(as_text=True)
    assert page.count("<td>Test official</td>") == 2
    assert "Level 1" in page and "Level 3" in page and "after training" in page


def test_only_the_countrys_officials_may_post_answers(client: FlaskClient, session: Session, make_user: Any) -> None:
    assessment = new_assessment(session, make_user)
    login(client, make_user("admin").email)
    url = f"/assessments/{assessment.id}/measures/PROS-2"
    page = client.get(url).get_data(as_text=True)
    assert "You can read these answers but not change them" in page
    response = client.post(url, data={"csrf_token": csrf_token(page), "PROS-2.1-answer": "4"})
    assert response.status_code == 403
    assert answers(session, assessment) == {}


def test_an_unknown_measure_is_not_found(client: FlaskClient, session: Session, make_user: Any) -> None:
    assessment = new_assessment(session, make_user)
    login(client, make_user("official", "THA").email)
    assert client.get(f"/assessments/{assessment.id}/measures/PROS-99").status_code == 404
