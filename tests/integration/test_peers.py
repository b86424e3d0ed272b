"""Peers on the results page: spreads only from 3 sharing countries, strengths where we have gaps,
and the comparison with the previous cycle."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.core.answers import AnswerFields
from app.models import Assessment
from app.services.assessments import save_answer
from app.services.catalog import get_questionnaire
from app.services.cycles import CycleSettings, change_status, start_cycle, start_next_cycle
from tests.conftest import login


def assessment_of(session: Session, make_user: Any, country: str, levels: dict[str, int], sharing: str) -> Assessment:
    coordinator = make_user("coordinator", country)
    settings = CycleSettings(f"{country} cycle", [], "Confidential", sharing, {})
    assessment = start_cycle(session, coordinator, country, get_questionnaire(session, "mini", "1"), settings)
    for item_id, level in levels.items():
        save_answer(session, coordinator, assessment, item_id, AnswerFields(level=level), 0)
    session.commit()
    return assessment


def results_page(client: FlaskClient, make_user: Any, assessment: Assessment) -> str:
    login(client, make_user("official", assessment.country_code).email)
    return client.get(f"/assessments/{assessment.id}/results").get_data(as_text=True)


def test_spread_and_peer_strengths_show_with_three_sharing_countries(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    own = assessment_of(session, make_user, "THA", {"PROS-2.1": 1}, "private")
    assessment_of(session, make_user, "PHL", {"PROS-2.1": 4, "PROS-2.2": 4}, "peers")
    assessment_of(session, make_user, "IDN", {"PROS-2.1": 2}, "peers")
    assessment_of(session, make_user, "VNM", {"PROS-2.1": 3}, "peers")
    assessment_of(session, make_user, "KHM", {"PROS-2.1": 4}, "private")
    page = results_page(client, make_user, own)
    assert "Peers: lowest · median · highest" in page
    assert "(3 countries)" in page
    assert "Peers strong here:</strong> Philippines, Viet Nam <span" in page


def test_no_spread_is_shown_from_fewer_than_three_countries(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    own = assessment_of(session, make_user, "THA", {"PROS-2.1": 1}, "private")
    assessment_of(session, make_user, "PHL", {"PROS-2.1": 4}, "peers")
    assessment_of(session, make_user, "IDN", {"PROS-2.1": 2}, "peers")
    page = results_page(client, make_user, own)
    assert "Peers: lowest · median · highest" not in page


def test_the_next_cycle_compares_itself_with_the_previous_one(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    first = assessment_of(session, make_user, "THA", {"PROS-2.1": 1, "PROS-2.2": 3}, "private")
    coordinator = make_user("coordinator", "THA")
    change_status(session, coordinator, first, "final", reason="The minister asked for results now")
    second = start_next_cycle(session, coordinator, first, get_questionnaire(session, "mini", "1"), "Second cycle")
    save_answer(session, coordinator, second, "PROS-2.1", AnswerFields(level=3), 1)
    save_answer(session, coordinator, second, "PROS-2.2", AnswerFields(level=2), 1)
    session.commit()
    page = results_page(client, make_user, second)
    assert "Compared with the previous cycle" in page
    improved, declined = page.split("<h3>Improved</h3>")[1].split("<h3>Fell back</h3>")
    assert "PROS-2.1</strong> level 1 → 3" in improved
    assert "PROS-2.2</strong> level 3 → 2" in declined


def test_items_answered_only_in_the_next_cycle_are_not_compared_and_the_page_says_so(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    first = assessment_of(session, make_user, "THA", {"PROS-2.1": 1}, "private")
    coordinator = make_user("coordinator", "THA")
    change_status(session, coordinator, first, "final", reason="A first look")
    second = start_next_cycle(session, coordinator, first, get_questionnaire(session, "mini", "1"), "Second cycle")
    save_answer(session, coordinator, second, "PROS-1.1", AnswerFields(level=4), 0)
    session.commit()
    page = " ".join(results_page(client, make_user, second).split())
    assert "1 item has a level in both cycles and is compared." in page
    assert "unanswered in either cycle" in page
    assert "PROS-1.1</strong> level" not in page  # never "improved" from an unanswered 0
