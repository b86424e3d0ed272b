"""Home page, assessment overview, country scope, errors, headers and health."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.core.answers import AnswerFields
from app.core.questionnaire import Questionnaire
from app.models import Assessment
from app.services.assessments import save_answer, start_assessment
from app.services.catalog import get_questionnaire
from tests.conftest import login


def make_assessment(session: Session, make_user: Any, country: str = "THA") -> Assessment:
    coordinator = make_user("coordinator", country)
    questionnaire: Questionnaire = get_questionnaire(session, "mini", "1")
    assessment = start_assessment(session, coordinator, country, questionnaire, f"{country} review 2026", [])
    official = make_user("official", country)
    save_answer(session, official, assessment, "PROS-1.1", AnswerFields(level=0), 0)
    save_answer(session, official, assessment, "PROS-2.1", AnswerFields(level=3), 0)
    session.commit()
    return assessment


def test_officials_see_their_own_countrys_assessments_only(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    make_assessment(session, make_user, "THA")
    make_assessment(session, make_user, "PHL")
    login(client, make_user("official", "THA").email)
    page = client.get("/").get_data(as_text=True)
    assert "THA review 2026" in page
    assert "PHL review 2026" not in page


def test_the_overview_shows_progress_by_measure(client: FlaskClient, session: Session, make_user: Any) -> None:
    assessment = make_assessment(session, make_user)
    login(client, make_user("official", "THA").email)
    page = client.get(f"/assessments/{assessment.id}").get_data(as_text=True)
    assert f'href="/assessments/{assessment.id}/measures/PROS-1"' in page
    assert "Criminalising trafficking in persons" in page


def test_results_show_scores_bands_the_critical_cap_and_guidance(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    assessment = make_assessment(session, make_user)
    login(client, make_user("official", "THA").email)
    page = client.get(f"/assessments/{assessment.id}/results").get_data(as_text=True)
    assert "Overall score" in page
    assert "Critical item(s) below level 3: PROS-1.1. Until they reach it, the band cannot rise above Emerging." in page
    assert "Protocol to Prevent, Suppress and Punish Trafficking in Persons" in page
    assert "Recommended for this item" in page


def test_another_countrys_assessment_is_not_found(client: FlaskClient, session: Session, make_user: Any) -> None:
    assessment = make_assessment(session, make_user, "PHL")
    login(client, make_user("coordinator", "THA").email)
    response = client.get(f"/assessments/{assessment.id}")
    assert response.status_code == 404
    assert "PHL review" not in response.get_data(as_text=True)


def test_facilitators_and_editors_see_no_assessment(client: FlaskClient, session: Session, make_user: Any) -> None:
    assessment = make_assessment(session, make_user)
    for role in ("facilitator", "editor"):
        client.cookie_jar.clear() if hasattr(client, "cookie_jar") else None
        user = make_user(role)
        fresh = client.application.test_client()
        login(fresh, user.email)
        assert fresh.get(f"/assessments/{assessment.id}").status_code == 404
        assert "THA review 2026" not in fresh.get("/").get_data(as_text=True)


def test_admins_see_every_assessment(client: FlaskClient, session: Session, make_user: Any) -> None:
    assessment = make_assessment(session, make_user, "PHL")
    login(client, make_user("admin").email)
    assert client.get(f"/assessments/{assessment.id}").status_code == 200


def test_unknown_pages_get_a_friendly_404_without_a_stack_trace(client: FlaskClient) -> None:
    response = client.get("/no/such/page")
    text = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Page not found" in text and "Traceback" not in text


def test_an_unexpected_error_gets_a_500_page_without_details(
    client: FlaskClient, make_user: Any, monkeypatch: Any
) -> None:
    login(client, make_user("official", "THA").email)

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret internals")

    monkeypatch.setattr("app.web.main.routes.visible_assessments", broken)
    client.application.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/")
    text = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong on our side" in text and "secret internals" not in text


def test_every_response_carries_the_security_headers(client: FlaskClient) -> None:
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_session_cookie_is_httponly_and_samesite(client: FlaskClient, make_user: Any) -> None:
    response = login(client, make_user("official", "THA").email)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_healthz_reports_the_database(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_api_style_errors_are_json(client: FlaskClient) -> None:
    response = client.get("/api/v1/nothing")
    assert response.status_code == 404
    assert response.json is not None and response.json["status"] == 404
