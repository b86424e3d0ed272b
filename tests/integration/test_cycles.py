"""Assessment cycles: start, settings and targets, assignments, review, status, next cycle."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.core.answers import AnswerFields
from app.core.errors import PermissionDenied
from app.models import Answer, Assessment, Assignment, ReviewNote
from app.services.assessments import results_of, save_answer
from app.services.catalog import get_questionnaire
from app.services.cycles import (
    CycleError,
    CycleSettings,
    assign,
    assignees_of,
    change_status,
    start_cycle,
    start_next_cycle,
)
from tests.conftest import csrf_token, login, outbox

SETTINGS = CycleSettings("Review 2026", ["origin"], "Confidential", "private", {})


def started(session: Session, make_user: Any, country: str = "THA") -> tuple[Assessment, Any]:
    coordinator = make_user("coordinator", country)
    assessment = start_cycle(session, coordinator, country, get_questionnaire(session, "mini", "1"), SETTINGS)
    session.commit()
    return assessment, coordinator


def post(client: FlaskClient, url: str, data: dict[str, Any], page: str = "/") -> Any:
    return client.post(url, data={"csrf_token": csrf_token(client.get(page).get_data(as_text=True)), **data})


def test_a_coordinator_starts_a_cycle_from_the_web(client: FlaskClient, session: Session, make_user: Any) -> None:
    coordinator = make_user("coordinator", "THA")
    login(client, coordinator.email)
    page = client.get("/assessments/new").get_data(as_text=True)
    response = client.post(
        "/assessments/new",
        data={
            "csrf_token": csrf_token(page),
            "questionnaire": "mini@1",
            "title": "National review 2027",
            "roles": ["origin", "destination"],
            "confidentiality": "Restricted",
            "sharing": "private",
            "target-PROS-1": "3",
        },
    )
    assert response.status_code == 302
    assessment = session.query(Assessment).filter_by(title="National review 2027").one()
    assert (assessment.country_code, assessment.roles, assessment.confidentiality) == (
        "THA",
        ["destination", "origin"],
        "Restricted",
    )
    assert assessment.targets == {"measures": {"PROS-1": 3}}


def test_a_missing_title_is_refused_and_the_form_keeps_its_values(client: FlaskClient, make_user: Any) -> None:
    login(client, make_user("coordinator", "THA").email)
    page = client.get("/assessments/new").get_data(as_text=True)
    response = client.post(
        "/assessments/new",
        data={
            "csrf_token": csrf_token(page),
            "questionnaire": "mini@1",
            "title": " ",
            "roles": ["transit"],
            "confidentiality": "Restricted",
            "sharing": "peers",
        },
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 400 and "the title is required" in text
    assert 'value="transit" checked' in text and 'value="peers" checked' in text


def test_officials_cannot_start_a_cycle(client: FlaskClient, make_user: Any) -> None:
    login(client, make_user("official", "THA").email)
    assert client.get("/assessments/new").status_code == 403


def test_country_targets_change_the_gaps(session: Session, make_user: Any) -> None:
    assessment, coordinator = started(session, make_user)
    save_answer(session, make_user("official", "THA"), assessment, "PROS-2.1", AnswerFields(level=3), 0)
    assert [gap.item_id for gap in results_of(session, assessment).gaps] == ["PROS-2.1"]
    assessment.targets = {"measures": {"PROS-2": 3}}
    assert results_of(session, assessment).gaps == []


def test_measures_are_assigned_only_to_officials_of_the_country(session: Session, make_user: Any) -> None:
    assessment, coordinator = started(session, make_user)
    assign(session, coordinator, assessment, "PROS-1", [make_user("official", "THA")], None)
    with pytest.raises(CycleError):
        assign(session, coordinator, assessment, "PROS-2", [make_user("official", "PHL")], None)
    with pytest.raises(PermissionDenied):
        assign(session, make_user("official", "THA"), assessment, "PROS-2", [], None)


def test_an_official_marks_a_measure_ready_and_the_coordinator_sends_it_back(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    assessment, coordinator = started(session, make_user)
    official = make_user("official", "THA")
    assign(session, coordinator, assessment, "PROS-1", [official], None)
    session.commit()
    login(client, official.email)
    measure_page = f"/assessments/{assessment.id}/measures/PROS-1"
    assert "Mark this measure ready for review" in client.get(measure_page).get_data(as_text=True)
    assert post(client, f"/assessments/{assessment.id}/measures/PROS-1/ready", {}, measure_page).status_code == 302
    assert session.query(Assignment).one().status == "submitted"

    reviewer = client.application.test_client()
    login(reviewer, coordinator.email)
    review_page = f"/assessments/{assessment.id}/review"
    post(
        reviewer,
        f"/assessments/{assessment.id}/measures/PROS-1/review",
        {"decision": "send_back", "note": ""},
        review_page,
    )
    session.expire_all()
    assert session.query(Assignment).one().status == "submitted"
    post(
        reviewer,
        f"/assessments/{assessment.id}/measures/PROS-1/review",
        {"decision": "send_back", "note": "Cite the 2008 Act"},
        review_page,
    )
    session.expire_all()
    assert session.query(Assignment).one().status == "returned"
    assert "Cite the 2008 Act" in client.get(measure_page).get_data(as_text=True)


def test_submitting_locks_answers_and_finalising_makes_it_read_only(session: Session, make_user: Any) -> None:
    assessment, coordinator = started(session, make_user)
    official = make_user("official", "THA")
    change_status(session, coordinator, assessment, "submitted")
    with pytest.raises(PermissionDenied):
        save_answer(session, official, assessment, "PROS-1.3", AnswerFields(level=2), 0)
    with pytest.raises(CycleError, match="say why"):
        change_status(session, coordinator, assessment, "draft")
    change_status(session, coordinator, assessment, "final", reason="The minister asked for results now")
    assert assessment.finalised_at is not None
    with pytest.raises(CycleError):
        change_status(session, coordinator, assessment, "draft", "reopen")


def test_the_next_cycle_starts_from_a_copy_of_the_last(session: Session, make_user: Any) -> None:
    assessment, coordinator = started(session, make_user)
    save_answer(session, make_user("official", "THA"), assessment, "PROS-1.3", AnswerFields(level=2, comment="c"), 0)
    with pytest.raises(CycleError, match="finalise"):
        start_next_cycle(session, coordinator, assessment, get_questionnaire(session, "mini", "1"), "Next")
    change_status(session, coordinator, assessment, "final", reason="The minister asked for results now")
    new = start_next_cycle(session, coordinator, assessment, get_questionnaire(session, "mini", "1"), "Review 2028")
    copied = session.query(Answer).filter_by(assessment_id=new.id).one()
    assert (new.previous_id, new.status, new.roles) == (assessment.id, "draft", ["origin"])
    assert (copied.item_id, copied.level, copied.comment) == ("PROS-1.3", 2, "c")


def test_sharing_stays_revocable_after_finalising(client: FlaskClient, session: Session, make_user: Any) -> None:
    assessment, coordinator = started(session, make_user)
    change_status(session, coordinator, assessment, "final", reason="The minister asked for results now")
    session.commit()
    login(client, coordinator.email)
    url = f"/assessments/{assessment.id}/settings"
    response = post(
        client,
        url,
        {"title": "Review 2026", "roles": ["origin"], "confidentiality": "Confidential", "sharing": "peers"},
        url,
    )
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Assessment, assessment.id).sharing == "peers"


def test_other_countries_and_officials_cannot_reach_the_cycle_pages(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    assessment, _ = started(session, make_user)
    login(client, make_user("coordinator", "PHL").email)
    for path in ("settings", "assignments", "review"):
        assert client.get(f"/assessments/{assessment.id}/{path}").status_code == 404
    official = client.application.test_client()
    login(official, make_user("official", "THA").email)
    assert official.get(f"/assessments/{assessment.id}/settings").status_code == 403
    assert official.get(f"/assessments/{assessment.id}/review").status_code == 200
    assert post(official, f"/assessments/{assessment.id}/status", {"status": "final"}).status_code == 403
    assert session.query(ReviewNote).count() == 0


def test_starting_the_next_cycle_from_the_web_carries_unfinished_actions(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    from app.models import Action

    assessment, coordinator = started(session, make_user)
    session.add_all(
        [
            Action(
                assessment_id=assessment.id,
                position=0,
                title="Train labour inspectors",
                measure_id="PROS-2",
                status="in_progress",
            ),
            Action(assessment_id=assessment.id, position=1, title="Adopt the SOP", measure_id="PROS-1", status="done"),
        ]
    )
    change_status(session, coordinator, assessment, "final", reason="The minister asked for results now")
    session.commit()
    login(client, coordinator.email)
    review_page = f"/assessments/{assessment.id}/review"
    response = post(client, f"/assessments/{assessment.id}/next", {"title": "Review 2028"}, review_page)
    assert response.status_code == 302
    new = session.query(Assessment).filter_by(title="Review 2028").one()
    carried = session.query(Action).filter_by(assessment_id=new.id).all()
    assert [action.title for action in carried] == ["Train labour inspectors"]


def test_submitting_first_shows_the_unanswered_items_and_open_assignments(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    assessment, coordinator = started(session, make_user)
    official = make_user("official", "THA")
    official.name = "Somchai Police"
    assign(session, coordinator, assessment, "PROS-1", [official], None)
    session.commit()
    login(client, coordinator.email)
    response = post(client, f"/assessments/{assessment.id}/status", {"status": "submitted"})
    assert response.status_code == 303 and response.location.endswith(f"/assessments/{assessment.id}/status/submitted")
    page = client.get(response.location).get_data(as_text=True)
    assert "Unanswered items" in page and "PROS-1.3" in page
    assert "Assignments not accepted yet" in page and "Somchai Police" in page
    session.expire_all()
    assert session.get(Assessment, assessment.id).status == "draft"


def test_a_confirmed_submission_locks_the_answers(client: FlaskClient, session: Session, make_user: Any) -> None:
    assessment, coordinator = started(session, make_user)
    login(client, coordinator.email)
    page = f"/assessments/{assessment.id}/status/submitted"
    assert post(client, f"/assessments/{assessment.id}/status", {"status": "submitted", "confirmed": "1"}, page)
    session.expire_all()
    assert session.get(Assessment, assessment.id).status == "submitted"


def test_finalising_a_half_answered_cycle_needs_a_reason_that_is_kept(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    assessment, coordinator = started(session, make_user)
    login(client, coordinator.email)
    page = f"/assessments/{assessment.id}/status/final"
    assert "Why is it finalised now?" in client.get(page).get_data(as_text=True)
    refused = post(client, f"/assessments/{assessment.id}/status", {"status": "final", "confirmed": "1"}, page)
    assert refused.status_code == 400 and "write why it is finalised now" in refused.get_data(as_text=True)
    session.expire_all()
    assert session.get(Assessment, assessment.id).status == "draft"
    data = {"status": "final", "confirmed": "1", "reason": "Budget talks start next week"}
    assert post(client, f"/assessments/{assessment.id}/status", data, page).status_code == 302
    session.expire_all()
    final = session.get(Assessment, assessment.id)
    assert (final.status, final.final_reason) == ("final", "Budget talks start next week")
    assert "Budget talks start next week" in client.get(f"/assessments/{assessment.id}/review").get_data(as_text=True)


def test_a_complete_enough_cycle_is_finalised_without_a_reason(session: Session, make_user: Any) -> None:
    assessment, coordinator = started(session, make_user)
    questionnaire = get_questionnaire(session, "mini", "1")
    for version, item_id in enumerate(questionnaire.items):
        save_answer(session, coordinator, assessment, item_id, AnswerFields(dont_know=True), 0)
        if version > len(questionnaire.items) * 0.7:
            break
    change_status(session, coordinator, assessment, "final")
    assert (assessment.status, assessment.final_reason) == ("final", "")


def test_officials_cannot_open_the_finalise_page(client: FlaskClient, session: Session, make_user: Any) -> None:
    assessment, _coordinator = started(session, make_user)
    login(client, make_user("official", "THA").email)
    assert client.get(f"/assessments/{assessment.id}/status/final").status_code == 403
    assert client.get(f"/assessments/{assessment.id}/status/elsewhere").status_code in (403, 404)


def test_a_measure_goes_to_several_officials_and_each_is_told_by_email(
    app: Flask, client: FlaskClient, session: Session, make_user: Any
) -> None:
    assessment, coordinator = started(session, make_user)
    police, labour = make_user("official", "THA"), make_user("official", "THA")
    login(client, coordinator.email)
    url = f"/assessments/{assessment.id}/assignments"

    def give(*people: Any) -> None:
        token = csrf_token(client.get(url).get_data(as_text=True))
        response = client.post(url, data={"csrf_token": token, "user-PROS-1": [str(p.id) for p in people]})
        assert response.status_code == 302

    give(police, labour)
    assert sorted(mail["To"] for mail in outbox(app)) == sorted([police.email, labour.email])
    assert {person.id for person in assignees_of(session, assessment)["PROS-1"]} == {police.id, labour.id}
    give(labour)  # nobody new: nobody told again
    assert len(outbox(app)) == 2
    assert [person.id for person in assignees_of(session, assessment)["PROS-1"]] == [labour.id]
    give()
    assert assignees_of(session, assessment) == {} and session.query(Assignment).count() == 0


def test_every_assignee_sees_the_measure_as_theirs_and_may_mark_it_ready(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    assessment, coordinator = started(session, make_user)
    police, labour = make_user("official", "THA"), make_user("official", "THA")
    assign(session, coordinator, assessment, "PROS-1", [police, labour], None)
    session.commit()
    login(client, labour.email)
    overview = client.get(f"/assessments/{assessment.id}").get_data(as_text=True)
    assert "<strong>You</strong>" in overview and police.name in overview
    measure_page = f"/assessments/{assessment.id}/measures/PROS-1"
    assert post(client, f"/assessments/{assessment.id}/measures/PROS-1/ready", {}, measure_page).status_code == 302
    assert session.query(Assignment).one().status == "submitted"


def test_the_assignment_form_takes_several_people_per_measure(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    assessment, coordinator = started(session, make_user)
    police, labour = make_user("official", "THA"), make_user("official", "THA")
    login(client, coordinator.email)
    page = f"/assessments/{assessment.id}/assignments"
    data = {"user-PROS-2": [str(police.id), str(labour.id)], "due-PROS-2": "2026-12-31"}
    assert post(client, page, data, page).status_code == 302
    assert len(assignees_of(session, assessment)["PROS-2"]) == 2
    refused = post(client, page, {"user-PROS-2": [str(police.id), "99999"]}, page)
    assert refused.status_code == 400 and "Choose officials of this country for PROS-2" in refused.get_data(
        as_text=True
    )
    assert len(assignees_of(session, assessment)["PROS-2"]) == 2
