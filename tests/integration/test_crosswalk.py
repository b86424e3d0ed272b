"""The results seen through the US TVPA minimum standards and the Walk Free milestones."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.answers import AnswerFields
from app.models import Assessment, LibraryEntry, QuestionnaireVersion
from app.services.assessments import save_answer, start_assessment
from app.services.catalog import forget_cached, get_questionnaire
from tests.conftest import login

CROSSWALK = {
    "PROS-1.1": {"tvpa": ["ms-1"], "walk_free": ["milestone-2"]},
    "PROS-1.3": {"tvpa": ["ms-1"]},
    "PROT-1.1": {"tvpa": ["c-2"], "walk_free": ["milestone-1"]},
}
FRAMEWORKS = [
    {
        "id": "tvpa",
        "title": {"en": "US minimum standards"},
        "entries": [
            {"code": "ms-1", "label": {"en": "Prohibit and punish trafficking"}, "summary": {"en": "Prohibit it."}},
            {"code": "c-2", "label": {"en": "Protection of victims"}},
        ],
    },
    {
        "id": "walk_free",
        "title": {"en": "Walk Free milestones"},
        "entries": [
            {"code": "milestone-1", "label": {"en": "Survivors are identified and supported"}},
            {"code": "milestone-2", "label": {"en": "Criminal justice works"}},
        ],
    },
]


@pytest.fixture
def crosswalked(session: Session) -> Iterator[None]:
    """The mini questionnaire with crosswalk links, and the frameworks that describe them."""
    row = session.scalars(select(QuestionnaireVersion).filter_by(questionnaire_id="mini", version="1")).one()
    content = copy.deepcopy(row.content)
    for pillar in content["pillars"]:
        for measure in pillar["measures"]:
            for item in measure["items"]:
                item["crosswalk"] = CROSSWALK.get(item["id"], {})
    row.content = content
    for framework in FRAMEWORKS:
        session.add(LibraryEntry(kind="frameworks", key=framework["id"], data=framework))
    session.commit()
    forget_cached()
    yield
    forget_cached()


def make_assessment(session: Session, make_user: Any) -> Assessment:
    coordinator = make_user("coordinator", "THA")
    assessment = start_assessment(session, coordinator, "THA", get_questionnaire(session, "mini", "1"), "Review", [])
    official = make_user("official", "THA")
    save_answer(session, official, assessment, "PROS-1.1", AnswerFields(level=4), 0)
    save_answer(session, official, assessment, "PROS-1.3", AnswerFields(level=2), 0)
    session.commit()
    return assessment


@pytest.mark.usefixtures("crosswalked")
def test_the_crosswalk_page_groups_the_answers_by_standard_and_milestone(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    assessment = make_assessment(session, make_user)
    login(client, make_user("official", "THA").email)
    response = client.get(f"/assessments/{assessment.id}/results/crosswalk")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "A view of your own answers, not a predicted rating." in page
    for text in ["US minimum standards", "Prohibit and punish trafficking", "Prohibit it.", "Walk Free milestones"]:
        assert text in page
    section = page[page.index('id="tvpa-ms-1"') :]
    assert "PROS-1.1" in section and "Yes" in section and "PROS-1.3" in section and "Level 2" in section
    # PROS-1.1 (weight 3) yes, PROS-1.3 (weight 1) level 2: (100 * 3 + 50) / 4 = 87.5
    assert "87.5" in page
    assert "Not answered" in page[page.index('id="tvpa-c-2"') :]


@pytest.mark.usefixtures("crosswalked")
def test_the_results_page_links_to_the_crosswalk(client: FlaskClient, session: Session, make_user: Any) -> None:
    assessment = make_assessment(session, make_user)
    login(client, make_user("official", "THA").email)
    page = client.get(f"/assessments/{assessment.id}/results").get_data(as_text=True)
    assert f'href="/assessments/{assessment.id}/results/crosswalk"' in page


def test_another_countrys_official_cannot_see_the_crosswalk(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    assessment = make_assessment(session, make_user)
    login(client, make_user("official", "PHL").email)
    assert client.get(f"/assessments/{assessment.id}/results/crosswalk").status_code == 404


def test_the_crosswalk_needs_a_signed_in_user(client: FlaskClient, session: Session, make_user: Any) -> None:
    assessment = make_assessment(session, make_user)
    response = client.get(f"/assessments/{assessment.id}/results/crosswalk")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
