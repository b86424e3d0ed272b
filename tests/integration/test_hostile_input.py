"""Odd input gets a clear 4xx naming the field, never a 500 (issue 12, part 4)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core.answers import AnswerFields
from app.core.limits import ANY_FIELD, NOTE
from app.models import Assessment
from app.services.assessments import save_answer
from app.services.catalog import get_questionnaire
from app.services.cycles import CycleError, CycleSettings, change_status, start_cycle
from app.web.input_guard import MAX_JSON_DEPTH
from tests.conftest import csrf_token, login


@pytest.fixture
def assessment(session: Session, make_user: Any) -> Assessment:
    coordinator = make_user("coordinator", "THA")
    settings = CycleSettings("Review", [], "Confidential", "private", {})
    found = start_cycle(session, coordinator, "THA", get_questionnaire(session, "mini", "1"), settings)
    session.commit()
    return found


@pytest.fixture
def official(client: FlaskClient, make_user: Any) -> FlaskClient:
    login(client, make_user("official", "THA").email)
    return client


def put(client: FlaskClient, assessment: Assessment, body: bytes | dict[str, Any]) -> Any:
    token = csrf_token(client.get("/").get_data(as_text=True))
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    url = f"/api/v1/assessments/{assessment.id}/answers/PROS-1.3"
    return client.put(url, data=data, content_type="application/json", headers={"X-CSRFToken": token})


@pytest.mark.parametrize("answer", ["²", "٣", "--2", "1" * 5000])
def test_an_answer_that_is_not_ascii_digits_is_a_400_naming_the_answer(
    official: FlaskClient, assessment: Assessment, answer: str
) -> None:
    response = put(official, assessment, {"answer": answer, "version": 0})
    assert response.status_code == 400
    assert response.get_json()["field"] == "answer"


@pytest.mark.parametrize("version", [2**64, "99999999999999999999", "²", -1])
def test_a_version_that_is_not_a_64_bit_whole_number_is_a_400(
    official: FlaskClient, assessment: Assessment, version: Any
) -> None:
    response = put(official, assessment, {"answer": "2", "version": version})
    assert response.status_code == 400
    assert response.get_json()["field"] == "version"


@pytest.mark.parametrize("address", ["/assessments/99999999999999999999", "/assessments/%C2%B2", "/workshops/٣"])
def test_an_id_that_is_not_a_64_bit_number_in_the_address_is_a_404(official: FlaskClient, address: str) -> None:
    assert official.get(address).status_code == 404


def test_a_nul_in_the_sign_in_email_is_a_400_page_naming_the_field(client: FlaskClient) -> None:
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": "a\x00@b.example", "password": "x", "csrf_token": token})
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert "email contains a character that cannot be stored" in response.get_data(as_text=True)


def test_a_lone_surrogate_in_json_is_a_json_400_naming_the_field(official: FlaskClient, assessment: Assessment) -> None:
    response = put(official, assessment, b'{"answer": "2", "version": 0, "comment": "x\\ud800"}')
    assert response.status_code == 400
    assert response.get_json()["message"].startswith("comment contains a character")


def test_json_nested_deeper_than_the_limit_is_a_400(official: FlaskClient, assessment: Assessment) -> None:
    too_deep = b'{"comment": ' + b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1) + b"}"
    assert put(official, assessment, too_deep).status_code == 400
    assert put(official, assessment, b"[" * 100_000 + b"]" * 100_000).status_code == 400


def test_brackets_inside_json_strings_do_not_count_as_nesting(official: FlaskClient, assessment: Assessment) -> None:
    response = put(official, assessment, {"answer": "2", "version": 0, "comment": "[" * 100})
    assert response.status_code == 200


def test_a_field_longer_than_any_field_may_be_is_a_400_naming_it(official: FlaskClient, assessment: Assessment) -> None:
    response = put(official, assessment, {"answer": "2", "version": 0, "evidence": "x" * (ANY_FIELD + 1)})
    assert response.status_code == 400
    assert response.get_json()["message"].startswith("evidence is longer than")


def test_a_status_note_longer_than_its_limit_is_refused(
    session: Session, assessment: Assessment, make_user: Any
) -> None:
    coordinator = make_user("coordinator", "THA")
    with pytest.raises(CycleError, match="keep the note"):
        change_status(session, coordinator, assessment, "submitted", "n" * (NOTE + 1))


def test_the_database_refuses_an_answer_comment_longer_than_its_limit(
    session: Session, assessment: Assessment, make_user: Any
) -> None:
    save_answer(session, make_user("official", "THA"), assessment, "PROS-1.3", AnswerFields(level=2), 0)
    session.commit()
    with pytest.raises(IntegrityError):
        session.execute(text("UPDATE answers SET comment = :text"), {"text": "c" * 10_001})
    session.rollback()
