"""The JSON API the answering page uses: same permissions as the pages, clear errors."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import Connection, event
from sqlalchemy.orm import Session

from app.models import Assessment
from app.services.catalog import get_questionnaire
from app.services.cycles import CycleSettings, start_cycle
from tests.conftest import csrf_token, login


def new_assessment(session: Session, make_user: Any) -> Assessment:
    settings = CycleSettings("API review", [], "Confidential", "private", {})
    assessment = start_cycle(
        session, make_user("coordinator", "THA"), "THA", get_questionnaire(session, "mini", "1"), settings
    )
    session.commit()
    return assessment


def put(client: FlaskClient, assessment: Assessment, item_id: str, body: Any, token: str | None = None) -> Any:
    token = token if token is not None else csrf_token(client.get("/").get_data(as_text=True))
    return client.put(
        f"/api/v1/assessments/{assessment.id}/answers/{item_id}", json=body, headers={"X-CSRFToken": token}
    )


def test_put_saves_an_answer_and_returns_the_new_version(client: FlaskClient, session: Session, make_user: Any) -> None:
    assessment = new_assessment(session, make_user)
    login(client, make_user("official", "THA").email)
    first = put(client, assessment, "PROS-1.3", {"answer": "2", "comment": "draft", "version": 0})
    assert first.status_code == 200 and first.json["version"] == 1
    second = put(client, assessment, "PROS-1.3", {"answer": "3", "version": 1})
    assert second.json["version"] == 2
    data = client.get(f"/api/v1/assessments/{assessment.id}").json
    assert data["country"] == "THA" and data["questionnaire"] == {"id": "mini", "version": "1"}
    assert [(a["item_id"], a["level"], a["version"]) for a in data["answers"]] == [("PROS-1.3", 3, 2)]


def test_an_autosave_checks_the_user_inside_its_update_without_loading_them(
    client: FlaskClient, session: Session, connection: Connection, make_user: Any
) -> None:
    """The common save is one UPDATE that checks role, country, session and version itself:
    nothing on the way (headers, request log) loads the signed-in user with a query of its own."""
    assessment = new_assessment(session, make_user)
    login(client, make_user("official", "THA").email)
    token = csrf_token(client.get("/").get_data(as_text=True))
    put(client, assessment, "PROS-1.3", {"answer": "2", "version": 0}, token)
    statements: list[str] = []
    event.listen(connection, "before_cursor_execute", lambda *args: statements.append(args[2]))
    response = put(client, assessment, "PROS-1.3", {"answer": "3", "version": 1}, token)
    assert response.status_code == 200 and response.json["version"] == 2
    assert any(statement.startswith("UPDATE answers") for statement in statements)
    assert not [s for s in statements if s.lstrip().upper().startswith("SELECT") and "FROM users" in s]


def test_a_stale_version_gets_409_with_the_current_answer(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    assessment = new_assessment(session, make_user)
    login(client, make_user("official", "THA").email)
    put(client, assessment, "PROS-2.1", {"answer": "1", "comment": "theirs", "version": 0})
    response = put(client, assessment, "PROS-2.1", {"answer": "4", "version": 0})
    assert response.status_code == 409
    assert response.json["current"]["level"] == 1 and response.json["current"]["comment"] == "theirs"
    assert response.json["current"]["version"] == 1


def test_bad_input_gets_400_naming_the_field(client: FlaskClient, session: Session, make_user: Any) -> None:
    assessment = new_assessment(session, make_user)
    login(client, make_user("official", "THA").email)
    cases = [
        ({"answer": "7", "version": 0}, "answer"),
        ({"answer": "3", "version": "x"}, "version"),
        ({"answer": "not_applicable", "reason": "", "version": 0}, "reason"),
        ({"answer": "4", "comment": 5, "version": 0}, "comment"),
    ]
    for body, field in cases:
        response = put(client, assessment, "PROS-1.3", body)
        assert (response.status_code, response.json["field"]) == (400, field), body
    assert put(client, assessment, "PROS-1.3", ["not", "an", "object"]).status_code == 400
    assert put(client, assessment, "PROS-1.1", {"answer": "3", "version": 0}).json["field"] == "answer"
    assert put(client, assessment, "NOPE-1.1", {"answer": "3", "version": 0}).status_code == 404


def test_other_countries_and_other_roles_are_refused(client: FlaskClient, session: Session, make_user: Any) -> None:
    assessment = new_assessment(session, make_user)
    for role, country, status in [("official", "PHL", 404), ("facilitator", None, 404), ("admin", None, 403)]:
        other = client.application.test_client()
        login(other, make_user(role, country).email)
        assert put(other, assessment, "PROS-1.3", {"answer": "2", "version": 0}).status_code == status, role
        assert other.get(f"/api/v1/assessments/{assessment.id}").status_code == (200 if role == "admin" else 404)


def test_the_api_needs_a_session_and_a_csrf_token(client: FlaskClient, session: Session, make_user: Any) -> None:
    assessment = new_assessment(session, make_user)
    assert client.get(f"/api/v1/assessments/{assessment.id}").status_code == 401
    login(client, make_user("official", "THA").email)
    response = put(client, assessment, "PROS-1.3", {"answer": "2", "version": 0}, token="")
    assert response.status_code == 400 and response.is_json


def test_results_come_back_as_json(client: FlaskClient, session: Session, make_user: Any) -> None:
    assessment = new_assessment(session, make_user)
    login(client, make_user("official", "THA").email)
    put(client, assessment, "PROS-1.1", {"answer": "4", "version": 0})
    data = client.get(f"/api/v1/assessments/{assessment.id}/results").json
    assert {pillar["id"] for pillar in data["pillars"]} == {"prosecution", "protection"}
    assert data["overall"]["completeness"] > 0
