"""A workshop join code never opens a country's data.

Everyone invited to a workshop holds its code. Whoever registers with it gets a participant
account that sees nothing until the facilitator admits it for one country, and even then only
that workshop's assessment of that country, never a national cycle. Editors, facilitators and
administrators cannot answer for a country; an official joins only for their own.
"""

from __future__ import annotations

import base64
import re
import zlib
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.answers import AnswerFields
from app.models import Assessment, User, Workshop, WorkshopParticipant
from app.services.assessments import save_answer
from app.services.catalog import get_questionnaire
from app.services.cycles import CycleSettings, start_cycle
from app.services.workshops import WorkshopSettings, create_workshop, workshop_assessments
from tests.conftest import PASSWORD, csrf_token, login, mail_text, outbox
from tests.security.test_permission_matrix import ARGUMENTS, SECRET_COMMENT, SECRET_TITLE, assessment_rules, request


@pytest.fixture
def national(session: Session, make_user: Any) -> Assessment:
    coordinator = make_user("coordinator", "THA")
    settings = CycleSettings(SECRET_TITLE, [], "Confidential", "private", {})
    assessment = start_cycle(session, coordinator, "THA", get_questionnaire(session, "mini", "1"), settings)
    official = make_user("official", "THA")
    save_answer(session, official, assessment, "PROS-1.3", AnswerFields(level=2, comment=SECRET_COMMENT), 0)
    session.commit()
    return assessment


@pytest.fixture
def workshop(session: Session, make_user: Any) -> Workshop:
    settings = WorkshopSettings("RSR training", None, None, "Bangkok", False, [], ["THA", "PHL"])
    found = create_workshop(session, make_user("facilitator"), get_questionnaire(session, "mini", "1"), settings)
    session.commit()
    return found


def register(app: Flask, client: FlaskClient, workshop: Workshop, country: str, email: str) -> Any:
    """Register with the join code, then confirm from the e-mail: the response of the confirmation."""
    page = client.get(f"/workshops/join/{workshop.join_code}").get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "code": workshop.join_code, "country": country, "pillar": "protection"}
    data |= {"name": "A Stranger", "email": email}
    assert client.post(f"/workshops/join/{workshop.join_code}", data=data).status_code == 200
    link = re.search(r"http://localhost(/workshops/confirm/\S+)", mail_text(outbox(app)[-1]))
    assert link, "the e-mail has a confirmation link"
    page = client.get(link.group(1))
    assert page.status_code == 200
    token = re.search(r'name="token" value="([^"]+)"', page.get_data(as_text=True))
    assert token
    form = {"csrf_token": csrf_token(page.get_data(as_text=True)), "token": token.group(1)}
    return client.post("/workshops/confirm", data=form | {"password": PASSWORD, "password_again": PASSWORD})


def refused_everywhere(app: Flask, client: FlaskClient, assessment: Assessment) -> list[str]:
    """Every route of the assessment, as this client: what was not refused (or showed its content)."""
    failures = []
    for _endpoint, method, template in assessment_rules(app):
        url = template.format(assessment_id=assessment.id, **ARGUMENTS)
        response = request(client, method, url, url.startswith("/api/"))
        if response.status_code not in (401, 403, 404):
            failures.append(f"{method} {url}: {response.status_code}")
        if SECRET_TITLE.encode() in response.get_data() or SECRET_COMMENT.encode() in response.get_data():
            failures.append(f"{method} {url}: showed the assessment")
    return failures


def admit(session: Session, email: str) -> None:
    user = session.scalars(select(User).filter_by(email=email)).one()
    for participant in session.scalars(select(WorkshopParticipant).filter_by(user_id=user.id)):
        participant.status = "admitted"
    session.commit()


def test_a_stranger_with_the_code_never_opens_thailands_national_assessment(
    app: Flask, client: FlaskClient, session: Session, national: Assessment, workshop: Workshop
) -> None:
    assert register(app, client, workshop, "THA", "stranger@example.org").status_code == 302
    user = session.scalars(select(User).filter_by(email="stranger@example.org")).one()
    assert (user.role, user.country_code) == ("participant", None)
    assert refused_everywhere(app, client, national) == []
    admit(session, "stranger@example.org")  # even once admitted to the workshop for Thailand
    assert refused_everywhere(app, client, national) == []
    own = workshop_assessments(session, workshop)["THA"]
    assert client.get(f"/api/v1/assessments/{own.id}").status_code == 404  # not before accepting the terms
    page = client.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert client.post(f"/workshops/{workshop.id}/terms", data={"csrf_token": csrf_token(page)}).status_code == 302
    assert refused_everywhere(app, client, national) == []
    assert client.get(f"/api/v1/assessments/{own.id}").status_code == 200


def test_a_participant_waiting_for_admission_sees_only_a_waiting_page(
    app: Flask, client: FlaskClient, session: Session, workshop: Workshop
) -> None:
    response = register(app, client, workshop, "THA", "waiting@example.org")
    assert response.headers["Location"] == f"/workshops/{workshop.id}"
    page = client.get(f"/workshops/{workshop.id}")
    assert page.status_code == 200 and "waiting for the facilitator" in page.get_data(as_text=True)
    for link in workshop_assessments(session, workshop).values():
        assert client.get(f"/api/v1/assessments/{link.id}").status_code == 404
        assert client.get(f"/assessments/{link.id}").status_code == 404
    for url in (f"/api/v1/workshops/{workshop.id}/board", f"/workshops/{workshop.id}/groups"):
        assert client.get(url).status_code == 404, url
    assert client.get(f"/workshops/{workshop.id}/evaluation").status_code == 404


def test_a_declined_participant_sees_that_and_nothing_else(
    app: Flask, client: FlaskClient, session: Session, workshop: Workshop
) -> None:
    register(app, client, workshop, "THA", "declined@example.org")
    user = session.scalars(select(User).filter_by(email="declined@example.org")).one()
    session.scalars(select(WorkshopParticipant).filter_by(user_id=user.id)).one().status = "declined"
    session.commit()
    assert "declined" in client.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    thailand = workshop_assessments(session, workshop)["THA"]
    assert client.get(f"/api/v1/assessments/{thailand.id}").status_code == 404


@pytest.mark.parametrize("role", ["editor", "facilitator", "admin"])
def test_people_who_run_the_tool_cannot_answer_for_a_country_with_the_code(
    app: Flask, client: FlaskClient, session: Session, make_user: Any, workshop: Workshop, role: str
) -> None:
    user = make_user(role)
    login(client, user.email)
    page = client.get(f"/workshops/join/{workshop.join_code}").get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "code": workshop.join_code, "country": "THA", "pillar": "protection"}
    assert client.post("/workshops/join", data=data).status_code == 403
    assert session.scalars(select(WorkshopParticipant).filter_by(user_id=user.id)).one_or_none() is None
    thailand = workshop_assessments(session, workshop)["THA"]
    saved = request(client, "PUT", f"/api/v1/assessments/{thailand.id}/answers/PROS-1.3", json_api=True)
    assert saved.status_code in (403, 404)


def test_an_official_of_another_country_joins_only_for_their_own(
    app: Flask, client: FlaskClient, session: Session, make_user: Any, national: Assessment, workshop: Workshop
) -> None:
    official = make_user("official", "PHL")
    login(client, official.email)
    page = client.get(f"/workshops/join/{workshop.join_code}").get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "code": workshop.join_code, "country": "THA", "pillar": "protection"}
    client.post("/workshops/join", data=data)
    assert session.scalars(select(WorkshopParticipant).filter_by(user_id=official.id)).one().country_code == "PHL"
    thailand = workshop_assessments(session, workshop)["THA"]
    assert client.get(f"/api/v1/assessments/{thailand.id}").status_code == 404
    assert refused_everywhere(app, client, national) == []


def test_registering_with_an_address_that_has_an_account_answers_the_same_and_changes_nothing(
    app: Flask, session: Session, make_user: Any, workshop: Workshop
) -> None:
    existing = make_user("official", "THA", email="known@example.org")
    pages = []
    for email in ("known@example.org", "unknown@example.org"):
        client = app.test_client()
        page = client.get(f"/workshops/join/{workshop.join_code}").get_data(as_text=True)
        data = {"csrf_token": csrf_token(page), "code": workshop.join_code, "country": "THA", "pillar": "protection"}
        data |= {"name": "Somebody", "email": email}
        response = client.post("/workshops/join", data=data)
        shown = re.sub(r'csrf[-_]token" (content|value)="[^"]+"', "TOKEN", response.get_data(as_text=True))
        pages.append((response.status_code, shown.replace(email, "EMAIL")))
    assert pages[0] == pages[1]
    known, unknown = outbox(app)
    assert known["To"] == "known@example.org" and "has an account already" in mail_text(known)
    assert "/workshops/confirm/" not in mail_text(known)
    assert "/workshops/confirm/" in mail_text(unknown)
    session.refresh(existing)
    assert (existing.role, existing.name, existing.country_code) == ("official", "Test official", "THA")


def test_a_confirmation_link_works_once_and_a_forged_one_not_at_all(
    app: Flask, session: Session, workshop: Workshop
) -> None:
    first = app.test_client()
    register(app, first, workshop, "THA", "once@example.org")
    page = first.get(re.search(r"http://localhost(/\S+)", mail_text(outbox(app)[-1])).group(1))  # type: ignore[union-attr]
    token = re.search(r'name="token" value="([^"]+)"', page.get_data(as_text=True)).group(1)  # type: ignore[union-attr]
    again = app.test_client()
    csrf = csrf_token(again.get("/login").get_data(as_text=True))
    passwords = {"password": PASSWORD, "password_again": PASSWORD}
    response = again.post("/workshops/confirm", data={"csrf_token": csrf, "token": token} | passwords)
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    forged = again.post("/workshops/confirm", data={"csrf_token": csrf, "token": token[:-4] + "AAAA"} | passwords)
    assert forged.status_code == 400
    assert len(session.scalars(select(User).filter_by(email="once@example.org")).all()) == 1


def test_no_secret_travels_in_the_confirmation_link(app: Flask, client: FlaskClient, workshop: Workshop) -> None:
    register(app, client, workshop, "THA", "nosecret@example.org")
    link = re.search(r"/workshops/confirm/(\S+)", mail_text(outbox(app)[-1]))
    assert link
    token = link.group(1)
    payload = base64.urlsafe_b64decode(token.lstrip(".").split(".")[0] + "==")
    text = zlib.decompress(payload) if token.startswith(".") else payload  # itsdangerous compresses long ones
    assert b"nosecret@example.org" in text  # read right: what it carries is visible to the reader
    assert b"argon2" not in text and PASSWORD.encode() not in text


def test_an_expected_attendee_is_admitted_on_arrival_but_only_for_their_country(
    app: Flask, session: Session, make_user: Any, workshop: Workshop
) -> None:
    facilitator = session.get(User, workshop.facilitator_id)
    assert facilitator is not None
    manager = app.test_client()
    login(manager, facilitator.email)
    page = manager.get(f"/workshops/{workshop.id}/participants").get_data(as_text=True)
    text = "expected.tha@example.org, THA\nexpected.phl@example.org; PHL"
    assert (
        manager.post(
            f"/workshops/{workshop.id}/expected", data={"csrf_token": csrf_token(page), "expected": text}
        ).status_code
        == 302
    )
    register(app, app.test_client(), workshop, "THA", "expected.tha@example.org")
    register(app, app.test_client(), workshop, "THA", "expected.phl@example.org")  # asks for another country
    statuses = {
        user.email: participant.status
        for participant, user in session.execute(
            select(WorkshopParticipant, User).join(User, User.id == WorkshopParticipant.user_id)
        )
    }
    assert statuses == {"expected.tha@example.org": "admitted", "expected.phl@example.org": "pending"}
