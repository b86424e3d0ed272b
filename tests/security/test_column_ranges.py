"""A number past what a database column holds (ids and versions are INTEGER: 32 bits on
PostgreSQL) is refused as "not found" or "not a version", never a server error.

SQLite stores 64-bit integers, so these fail only on PostgreSQL (DATABASE_URL set) without the rule.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.core.answers import AnswerFields
from app.models import Assessment
from app.services.assessments import save_answer
from app.services.catalog import get_questionnaire
from app.services.cycles import CycleSettings, start_cycle
from app.services.workshops import WorkshopSettings, create_workshop
from tests.conftest import csrf_token, login

PAST_INT32 = 2**31  # the first id no INTEGER column holds
PAST_COLUMN_IDS = [
    "/assessments/{big}",
    "/api/v1/assessments/{big}",
    "/assessments/{big}/evidence/{big}",
    "/admin/users/{big}",
]


@pytest.fixture
def answered(session: Session, make_user: Any) -> Assessment:
    coordinator = make_user("coordinator", "THA")
    settings = CycleSettings("Review", [], "Confidential", "private", {})
    assessment = start_cycle(session, coordinator, "THA", get_questionnaire(session, "mini", "1"), settings)
    save_answer(session, make_user("official", "THA"), assessment, "PROS-1.3", AnswerFields(level=2), 0)
    session.commit()
    return assessment


@pytest.mark.parametrize("template", PAST_COLUMN_IDS)
def test_an_id_past_the_column_is_not_found(client: FlaskClient, make_user: Any, template: str) -> None:
    login(client, make_user("admin").email)
    assert client.get(template.format(big=PAST_INT32)).status_code == 404


@pytest.mark.parametrize("version", [PAST_INT32, 2**63 - 1])
def test_an_autosave_with_a_version_past_the_column_is_refused_clearly(
    client: FlaskClient, session: Session, make_user: Any, answered: Assessment, version: int
) -> None:
    official = make_user("official", "THA")
    login(client, official.email)
    token = csrf_token(client.get(f"/assessments/{answered.id}").get_data(as_text=True))
    url = f"/api/v1/assessments/{answered.id}/answers/PROS-1.3"
    response = client.put(url, json={"answer": "3", "version": version}, headers={"X-CSRFToken": token})
    assert response.status_code == 400 and response.get_json()["field"] == "version"


def test_a_group_id_past_the_column_is_not_found(app: Flask, session: Session, make_user: Any) -> None:
    facilitator = make_user("facilitator")
    settings = WorkshopSettings("W", None, None, "Bangkok", False, [], ["THA", "PHL"])
    workshop = create_workshop(session, facilitator, get_questionnaire(session, "mini", "1"), settings)
    session.commit()
    client = app.test_client()
    login(client, facilitator.email)
    token = csrf_token(client.get(f"/workshops/{workshop.id}/groups").get_data(as_text=True))
    data = {"group": str(PAST_INT32), "name": "Prosecutors", "csrf_token": token}
    assert client.post(f"/workshops/{workshop.id}/groups/save", data=data).status_code == 404
