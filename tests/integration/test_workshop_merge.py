"""A coordinator merges their country's workshop answers into the country's cycle, item by item."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.answers import AnswerFields
from app.models import AnswerChange, Assessment, User
from app.services.assessments import load_answers, save_answer
from app.services.catalog import get_questionnaire
from app.services.cycles import CycleSettings, change_status, start_cycle
from app.services.workshop_admission import JoinChoice, request_to_join
from app.services.workshops import WorkshopSettings, create_workshop, workshop_assessments
from tests.conftest import csrf_token, login


@dataclass
class Scene:
    workshop_id: int
    source: Assessment  # Thailand's workshop assessment
    cycle: Assessment  # Thailand's own draft cycle
    coordinator: User
    participant: User
    facilitator: User


@pytest.fixture
def scene(session: Session, make_user: Any) -> Scene:
    """Both agree on PROS-1.1 and differ on PROS-1.3; PROS-2.1 is only in the workshop, PROS-2.2 only in the cycle."""
    questionnaire = get_questionnaire(session, "mini", "1")
    facilitator = make_user("facilitator")
    settings = WorkshopSettings("RSR training", None, None, "Bangkok", False, [], ["PHL", "THA"])
    workshop = create_workshop(session, facilitator, questionnaire, settings)
    coordinator = make_user("coordinator", "THA")
    cycle = start_cycle(
        session, coordinator, "THA", questionnaire, CycleSettings("Thailand 2026", [], "Confidential", "private", {})
    )
    participant = make_user("official", "THA")
    request_to_join(session, participant, workshop, JoinChoice("THA", "Police", "prosecution"))
    source = workshop_assessments(session, workshop)["THA"]
    for item_id, fields in {
        "PROS-1.1": AnswerFields(level=4),
        "PROS-1.3": AnswerFields(level=3, comment="Sentencing review 2025"),
        "PROS-2.1": AnswerFields(dont_know=True, evidence="Unit mandate unclear"),
    }.items():
        save_answer(session, participant, source, item_id, fields, 0)
    for item_id, fields in {
        "PROS-1.1": AnswerFields(level=4),
        "PROS-1.3": AnswerFields(level=1),
        "PROS-2.2": AnswerFields(level=2),
    }.items():
        save_answer(session, coordinator, cycle, item_id, fields, 0)
    session.commit()
    return Scene(workshop.id, source, cycle, coordinator, participant, facilitator)


def merge_url(scene: Scene) -> str:
    return f"/workshops/assessments/{scene.source.id}/merge?into={scene.cycle.id}"


def form_of(html: str) -> dict[str, str]:
    """What the browser would send: hidden fields and the checked radio buttons."""
    data = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    data |= dict(re.findall(r'<input type="radio" name="([^"]+)" value="([^"]+)" checked', html))
    return data


def post_merge(client: FlaskClient, scene: Scene, html: str, choices: dict[str, str] | None = None) -> Any:
    data = form_of(html) | {f"{item_id}-choice": choice for item_id, choice in (choices or {}).items()}
    return client.post(f"/workshops/assessments/{scene.source.id}/merge", data=data)


def levels(session: Session, assessment: Assessment) -> dict[str, Any]:
    session.expire_all()
    return {item_id: (row.level, row.dont_know) for item_id, row in load_answers(session, assessment).items()}


def test_the_page_shows_both_answers_side_by_side_with_defaults(client: FlaskClient, scene: Scene) -> None:
    login(client, scene.coordinator.email)
    response = client.get(merge_url(scene))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Identical" in page and "Conflict" in page and "Only in the workshop" in page
    assert "Sentencing review 2025" in page and "Unit mandate unclear" in page
    chosen = form_of(page)
    assert chosen["PROS-1.3-choice"] == "keep"  # both answered, differently: the cycle's stays by default
    assert chosen["PROS-2.1-choice"] == "take"  # only the workshop answered: taken by default
    assert "PROS-1.1-choice" not in chosen and "PROS-2.2-choice" not in chosen


def test_the_coordinator_can_start_from_the_workshops_answer_everywhere(
    client: FlaskClient, session: Session, scene: Scene
) -> None:
    login(client, scene.coordinator.email)
    page = client.get(merge_url(scene) + "&prefer=workshop").get_data(as_text=True)
    chosen = form_of(page)
    assert chosen["PROS-1.3-choice"] == "take" and chosen["PROS-2.1-choice"] == "take"
    assert "Start again from the suggested choices" in page
    assert post_merge(client, scene, page).status_code == 302
    assert levels(session, scene.cycle)["PROS-1.3"] == (3, False)  # the workshop's level replaced the cycle's 1


def test_the_coordinator_merges_item_by_item_and_the_history_says_who(
    client: FlaskClient, session: Session, scene: Scene
) -> None:
    login(client, scene.coordinator.email)
    page = client.get(merge_url(scene)).get_data(as_text=True)
    response = post_merge(client, scene, page, {"PROS-1.3": "take", "PROS-2.1": "take"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/assessments/{scene.cycle.id}")
    assert levels(session, scene.cycle) == {
        "PROS-1.1": (4, False),
        "PROS-1.3": (3, False),
        "PROS-2.1": (None, True),
        "PROS-2.2": (2, False),
    }
    assert load_answers(session, scene.cycle)["PROS-1.3"].comment == "Sentencing review 2025"
    query = select(AnswerChange).filter_by(assessment_id=scene.cycle.id, item_id="PROS-1.3")
    change = session.scalars(query.order_by(AnswerChange.version.desc())).first()
    assert change is not None and change.changed_by == scene.coordinator.id
    assert change.before is not None and change.before["level"] == 1 and change.after["level"] == 3


def test_keeping_the_cycle_leaves_a_conflicting_answer_alone(
    client: FlaskClient, session: Session, scene: Scene
) -> None:
    login(client, scene.coordinator.email)
    page = client.get(merge_url(scene)).get_data(as_text=True)
    assert post_merge(client, scene, page, {"PROS-2.1": "keep"}).status_code == 302
    assert levels(session, scene.cycle) == {"PROS-1.1": (4, False), "PROS-1.3": (1, False), "PROS-2.2": (2, False)}


def test_an_answer_changed_since_the_page_was_opened_is_not_overwritten(
    client: FlaskClient, session: Session, make_user: Any, scene: Scene
) -> None:
    login(client, scene.coordinator.email)
    page = client.get(merge_url(scene)).get_data(as_text=True)
    colleague = make_user("official", "THA")
    save_answer(session, colleague, scene.cycle, "PROS-1.3", AnswerFields(level=2, comment="New law passed"), 1)
    session.commit()
    response = post_merge(client, scene, page, {"PROS-1.3": "take", "PROS-2.1": "take"})
    fresh = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "changed since you opened this page" in fresh and "New law passed" in fresh
    assert levels(session, scene.cycle)["PROS-1.3"] == (2, False)
    assert "PROS-2.1" not in levels(session, scene.cycle), "a stale merge writes nothing"
    assert form_of(fresh)["PROS-2.1-choice"] == "take", "the other choices are kept"
    assert post_merge(client, scene, fresh, {"PROS-1.3": "take"}).status_code == 302
    assert levels(session, scene.cycle)["PROS-1.3"] == (3, False)


def test_a_workshop_answer_changed_since_the_page_was_opened_is_not_taken_unseen(
    client: FlaskClient, session: Session, scene: Scene
) -> None:
    login(client, scene.coordinator.email)
    page = client.get(merge_url(scene)).get_data(as_text=True)
    save_answer(session, scene.participant, scene.source, "PROS-1.3", AnswerFields(level=0), 1)
    session.commit()
    assert post_merge(client, scene, page, {"PROS-1.3": "take"}).status_code == 409
    assert levels(session, scene.cycle)["PROS-1.3"] == (1, False)


def test_a_coordinator_of_another_country_gets_404(client: FlaskClient, make_user: Any, scene: Scene) -> None:
    login(client, make_user("coordinator", "PHL").email)
    assert client.get(merge_url(scene)).status_code == 404
    token = csrf_token(client.get("/").get_data(as_text=True))
    data = {"csrf_token": token, "into": str(scene.cycle.id), "PROS-1.3-choice": "take"}
    data |= {"PROS-1.3-workshop-version": "1", "PROS-1.3-cycle-version": "1"}
    assert client.post(f"/workshops/assessments/{scene.source.id}/merge", data=data).status_code == 404


def test_another_countrys_cycle_is_never_a_target(
    client: FlaskClient, session: Session, make_user: Any, scene: Scene
) -> None:
    philippines = make_user("coordinator", "PHL")
    login(client, philippines.email)
    workshop_phl = session.scalars(
        select(Assessment).filter_by(country_code="PHL", title="RSR training (workshop)")
    ).one()
    assert client.get(f"/workshops/assessments/{workshop_phl.id}/merge?into={scene.cycle.id}").status_code == 404


@pytest.mark.parametrize(("role", "status"), [("official", 403), ("facilitator", 404), ("admin", 403)])
def test_only_the_coordinator_may_merge(
    client: FlaskClient, session: Session, make_user: Any, scene: Scene, role: str, status: int
) -> None:
    user = {"official": scene.participant, "facilitator": scene.facilitator}.get(role) or make_user(role)
    login(client, user.email)
    assert client.get(merge_url(scene)).status_code == status
    token = csrf_token(client.get("/").get_data(as_text=True))
    data = {"csrf_token": token, "into": str(scene.cycle.id), "PROS-2.1-choice": "take"}
    data |= {"PROS-2.1-workshop-version": "1", "PROS-2.1-cycle-version": "0"}
    assert client.post(f"/workshops/assessments/{scene.source.id}/merge", data=data).status_code == status
    assert "PROS-2.1" not in levels(session, scene.cycle)


def test_a_final_cycle_is_refused_with_a_clear_message(client: FlaskClient, session: Session, scene: Scene) -> None:
    login(client, scene.coordinator.email)
    page = client.get(merge_url(scene)).get_data(as_text=True)
    change_status(session, scene.coordinator, scene.cycle, "final")
    session.commit()
    response = client.get(merge_url(scene))
    assert response.status_code == 400 and "This cycle is final" in response.get_data(as_text=True)
    assert post_merge(client, scene, page, {"PROS-2.1": "take"}).status_code == 400
    assert "PROS-2.1" not in levels(session, scene.cycle)


def test_a_workshop_assessment_is_not_a_target(client: FlaskClient, session: Session, scene: Scene) -> None:
    other = create_workshop(
        session,
        scene.facilitator,
        get_questionnaire(session, "mini", "1"),
        WorkshopSettings("Second workshop", None, None, "", True, [], ["THA"]),
    )
    session.commit()
    login(client, scene.coordinator.email)
    other_tha = workshop_assessments(session, other)["THA"]
    response = client.get(f"/workshops/assessments/{scene.source.id}/merge?into={other_tha.id}")
    assert response.status_code == 400 and "not a workshop assessment" in response.get_data(as_text=True)


def test_a_cycle_is_not_a_merge_source(client: FlaskClient, scene: Scene) -> None:
    login(client, scene.coordinator.email)
    assert client.get(f"/workshops/assessments/{scene.cycle.id}/merge").status_code == 404


def test_a_merge_without_csrf_token_is_refused(client: FlaskClient, session: Session, scene: Scene) -> None:
    login(client, scene.coordinator.email)
    data = {"into": str(scene.cycle.id), "PROS-2.1-choice": "take", "PROS-2.1-workshop-version": "1"}
    response = client.post(
        f"/workshops/assessments/{scene.source.id}/merge", data=data | {"PROS-2.1-cycle-version": "0"}
    )
    assert response.status_code == 400
    assert "PROS-2.1" not in levels(session, scene.cycle)


def test_a_choice_other_than_keep_or_take_gets_a_400(client: FlaskClient, session: Session, scene: Scene) -> None:
    login(client, scene.coordinator.email)
    page = client.get(merge_url(scene)).get_data(as_text=True)
    assert post_merge(client, scene, page, {"PROS-2.1": "both"}).status_code == 400
    assert "PROS-2.1" not in levels(session, scene.cycle)


def test_the_workshop_assessment_links_its_coordinator_to_the_merge(client: FlaskClient, scene: Scene) -> None:
    link = f"/workshops/assessments/{scene.source.id}/merge"
    login(client, scene.coordinator.email)
    assert link in client.get(f"/assessments/{scene.source.id}").get_data(as_text=True)
    assert "/merge" not in client.get(f"/assessments/{scene.cycle.id}").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/").get_data(as_text=True))})
    login(client, scene.participant.email)
    assert link not in client.get(f"/assessments/{scene.source.id}").get_data(as_text=True)
