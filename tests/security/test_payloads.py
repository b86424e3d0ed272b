"""Stored text with HTML, script, template and formula payloads is shown inert everywhere."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.core.answers import AnswerFields
from app.models import Assessment
from app.services.assessments import save_answer
from app.services.catalog import get_questionnaire
from app.services.cycles import CycleSettings, start_cycle
from tests.conftest import login

PAYLOADS = [line for line in (Path(__file__).parent / "payloads.txt").read_text().splitlines() if line.strip()]
ITEMS = ["PROS-1.3", "PROS-2.1", "PROS-2.2", "PROT-1.1"]


def test_the_corpus_has_at_least_30_payloads() -> None:
    assert len(PAYLOADS) >= 30


@pytest.fixture
def loaded(session: Session, make_user: Any) -> tuple[Assessment, Any]:
    """An assessment whose title and stored texts carry the payloads."""
    coordinator = make_user("coordinator", "THA")
    title = "Review " + PAYLOADS[0]
    assessment = start_cycle(
        session,
        coordinator,
        "THA",
        get_questionnaire(session, "mini", "1"),
        CycleSettings(title, [], "Confidential", "private", {}),
    )
    official = (
        make_user("official", "THA", agency=PAYLOADS[1], name=PAYLOADS[2]) if False else make_user("official", "THA")
    )
    for index, item_id in enumerate(ITEMS):
        chunk = PAYLOADS[index :: len(ITEMS)]
        save_answer(
            session,
            official,
            assessment,
            item_id,
            AnswerFields(level=1, comment="\n".join(chunk), evidence=" ".join(reversed(chunk))),
            0,
        )
    session.commit()
    return assessment, official


def pages(assessment: Assessment) -> list[str]:
    base = f"/assessments/{assessment.id}"
    return [
        "/",
        base,
        f"{base}/results",
        f"{base}/review",
        f"{base}/measures/PROS-1",
        f"{base}/measures/PROS-2",
        f"{base}/measures/PROT-1",
        f"{base}/items/PROS-1.3/history",
        f"{base}/items/PROS-2.1/history",
    ]


def test_payloads_are_escaped_in_every_page(client: FlaskClient, loaded: tuple[Assessment, Any]) -> None:
    assessment, official = loaded
    login(client, official.email)
    for url in pages(assessment):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.get_data(as_text=True)
        for payload in PAYLOADS:
            if "<" in payload or ">" in payload or '"' in payload:
                assert payload not in body, f"{url} shows {payload!r} unescaped"
        assert "<script>alert" not in body and "onerror=alert" not in body.replace("onerror=alert(1)&gt;", "")


def test_escaped_payloads_come_back_as_the_text_that_was_typed(
    client: FlaskClient, loaded: tuple[Assessment, Any]
) -> None:
    assessment, official = loaded
    login(client, official.email)
    body = client.get(f"/assessments/{assessment.id}/measures/PROS-1").get_data(as_text=True)
    assert html.escape(PAYLOADS[0], quote=False) in body


def test_template_syntax_in_stored_text_is_not_evaluated(client: FlaskClient, loaded: tuple[Assessment, Any]) -> None:
    assessment, official = loaded
    login(client, official.email)
    body = client.get(f"/assessments/{assessment.id}/measures/PROS-1").get_data(as_text=True)
    body += client.get(f"/assessments/{assessment.id}/measures/PROS-2").get_data(as_text=True)
    body += client.get(f"/assessments/{assessment.id}/measures/PROT-1").get_data(as_text=True)
    assert "{{ 7*7 }}" in body and ">49<" not in body


def test_the_api_returns_payloads_as_json_strings(client: FlaskClient, loaded: tuple[Assessment, Any]) -> None:
    assessment, official = loaded
    login(client, official.email)
    response = client.get(f"/api/v1/assessments/{assessment.id}")
    assert response.mimetype == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    comments = "\n".join(answer["comment"] for answer in response.json["answers"])
    assert PAYLOADS[0] in comments
