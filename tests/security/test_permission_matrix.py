"""Every route that names an assessment × every role × own or other country.

Routes are read from the app's URL map, so a new route is covered the day it is added.
The rule: people of another country, and roles without business there, never get the
assessment (404 or 403, and never its title or answers); anonymous visitors are sent to
sign in (401 for the API); nobody ever gets a 500.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.answers import AnswerFields
from app.models import Assessment, WorkshopAssessment, WorkshopParticipant
from app.services.assessments import save_answer
from app.services.catalog import get_questionnaire
from app.services.cycles import CycleSettings, start_cycle
from app.services.workshops import WorkshopSettings, create_workshop
from tests.conftest import csrf_token, login

SECRET_TITLE = "Secret review of Thailand"
SECRET_COMMENT = "confidential-comment-7731"
ARGUMENTS = {"measure_id": "PROS-1", "item_id": "PROS-1.3", "kind": "xlsx", "action_id": "1", "direction": "up"}
# Which (role, scope) may read an assessment's pages; everything else must be refused.
READERS = {("official", "own"), ("coordinator", "own"), ("admin", "any")}
PERSONAS = [
    ("official", "own"),
    ("coordinator", "own"),
    ("official", "other"),
    ("coordinator", "other"),
    ("facilitator", "none"),
    ("editor", "none"),
    ("admin", "any"),
    ("anonymous", "none"),
    # Workshop participants of a workshop to which Thailand is invited: never a national cycle.
    ("participant", "admitted"),
    ("participant", "pending"),
    ("participant", "declined"),
]


@pytest.fixture
def secret(session: Session, make_user: Any) -> Assessment:
    coordinator = make_user("coordinator", "THA")
    settings = CycleSettings(SECRET_TITLE, [], "Confidential", "private", {})
    assessment = start_cycle(session, coordinator, "THA", get_questionnaire(session, "mini", "1"), settings)
    save_answer(
        session, make_user("official", "THA"), assessment, "PROS-1.3", AnswerFields(level=2, comment=SECRET_COMMENT), 0
    )
    session.commit()
    return assessment


def assessment_rules(app: Flask) -> list[tuple[str, str, str]]:
    """(endpoint, method, url) for every route with an assessment id."""
    found = []
    for rule in app.url_map.iter_rules():
        if "assessment_id" not in rule.arguments:
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            url = rule.rule
            for name in rule.arguments:
                url = re.sub(rf"<(?:[^:>]+:)?{name}>", "{" + name + "}", url)
            found.append((rule.endpoint, method, url))
    return sorted(found)


def client_for(app: Flask, make_user: Any, role: str, scope: str) -> FlaskClient:
    client = app.test_client()
    if role != "anonymous":
        country = {"own": "THA", "other": "PHL"}.get(scope) if role in ("official", "coordinator") else None
        user = make_user(role, country)
        if role == "participant":
            place_in_workshop(app, make_user, user, scope)
        login(client, user.email)
    return client


def place_in_workshop(app: Flask, make_user: Any, user: Any, status: str) -> WorkshopAssessment:
    """The user asked to answer for Thailand in a workshop, and the facilitator decided ``status``."""
    session = app.extensions["ctsat.sessionmaker"]()
    settings = WorkshopSettings("Regional workshop", None, None, "Bangkok", False, [], ["THA", "PHL"])
    workshop = create_workshop(session, make_user("facilitator"), get_questionnaire(session, "mini", "1"), settings)
    session.add(
        WorkshopParticipant(
            workshop_id=workshop.id, user_id=user.id, country_code="THA", pillar_id="protection", status=status
        )
    )
    session.commit()
    link = session.scalars(select(WorkshopAssessment).filter_by(workshop_id=workshop.id, country_code="THA")).one()
    session.close()
    return link


def request(client: FlaskClient, method: str, url: str, json_api: bool) -> Any:
    if method == "GET":
        return client.get(url)
    home = client.get("/")
    token = csrf_token((home if home.status_code == 200 else client.get("/login")).get_data(as_text=True))
    if json_api:
        return client.open(url, method=method, json={"answer": "4", "version": 0}, headers={"X-CSRFToken": token})
    return client.open(url, method=method, data={"csrf_token": token})


@pytest.mark.parametrize(("role", "scope"), PERSONAS)
def test_no_route_leaks_an_assessment(app: Flask, secret: Assessment, make_user: Any, role: str, scope: str) -> None:
    client = client_for(app, make_user, role, scope)
    rules = assessment_rules(app)
    assert len(rules) >= 10, "the matrix should see the assessment routes"
    failures = []
    for _endpoint, method, template in rules:
        url = template.format(assessment_id=secret.id, **ARGUMENTS)
        response = request(client, method, url, url.startswith("/api/"))
        body = response.get_data()
        if response.status_code >= 500:
            failures.append(f"{method} {url}: {response.status_code}")
        elif role == "anonymous":
            expected = {401} if url.startswith("/api/") else {302}
            if response.status_code not in expected:
                failures.append(f"{method} {url}: anonymous got {response.status_code}")
        elif (role, scope) not in READERS:
            if response.status_code not in (403, 404):
                failures.append(f"{method} {url}: {role}/{scope} got {response.status_code}")
        if (role, scope) not in READERS and (SECRET_TITLE.encode() in body or SECRET_COMMENT.encode() in body):
            failures.append(f"{method} {url}: {role}/{scope} saw the assessment's content")
    assert failures == []


@pytest.mark.parametrize(("role", "scope"), [p for p in PERSONAS if p in READERS])
def test_readers_can_open_every_page_of_their_assessment(
    app: Flask, secret: Assessment, make_user: Any, role: str, scope: str
) -> None:
    client = client_for(app, make_user, role, scope)
    manager_only = {"cycles.settings", "cycles.assignments"}
    # Admins read every assessment but do not write a country's action plan.
    country_writers_only = {"plans.new", "plans.edit", "plans.delete"}
    # Only a workshop assessment can be merged into a cycle; the secret one is an ordinary cycle.
    workshop_assessments_only = {"workshops.merge"}
    for endpoint, method, template in assessment_rules(app):
        if method != "GET":
            continue
        url = template.format(assessment_id=secret.id, **ARGUMENTS)
        status = client.get(url).status_code
        allowed = {200, 404} if "action_id" in template else {200}
        if "comparison" in template:
            allowed = {404}  # the secret assessment has no previous cycle to compare with
        if endpoint in manager_only and role == "official":
            allowed = {403}
        if endpoint in country_writers_only and role == "admin":
            allowed = {403, 404}
        if endpoint in workshop_assessments_only:
            allowed = {403, 404}
        assert status in allowed, f"GET {url} as {role}: {status}"


def test_state_changing_requests_need_a_csrf_token(app: Flask, secret: Assessment, make_user: Any) -> None:
    client = client_for(app, make_user, "coordinator", "own")
    for _endpoint, method, template in assessment_rules(app):
        if method == "GET":
            continue
        url = template.format(assessment_id=secret.id, **ARGUMENTS)
        response = client.open(url, method=method, data={}, json=None)
        assert response.status_code == 400, f"{method} {url} without a CSRF token: {response.status_code}"
