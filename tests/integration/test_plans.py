"""The action plan: who sees it, drafting actions from gaps, validation, reordering, final cycles, carry-over."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.core.actions import ActionFields
from app.core.answers import AnswerFields
from app.core.errors import PermissionDenied
from app.models import Action, Assessment, User
from app.services.assessments import save_answer, start_assessment
from app.services.catalog import get_questionnaire
from app.services.plans import add_action, carry_over, plan_of
from tests.conftest import csrf_token, login


def new_assessment(
    session: Session, make_user: Any, country: str = "THA", previous: Assessment | None = None
) -> Assessment:
    questionnaire = get_questionnaire(session, "mini", "1")
    assessment = start_assessment(session, make_user("coordinator", country), country, questionnaire, "Review", [])
    assessment.previous_id = previous.id if previous else None
    session.commit()
    return assessment


def an_action(session: Session, user: User, assessment: Assessment, title: str, **fields: Any) -> Action:
    draft = ActionFields(title=title, measure_id=fields.pop("measure_id", "PROS-1"), **fields)
    action = add_action(session, user, assessment, draft)
    session.commit()
    return action


def action_form(**changes: str | list[str]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Adopt a national referral mechanism",
        "measure_id": "PROS-1",
        "item_ids": ["PROS-1.1"],
        "lead_agency": "Ministry of Social Development",
        "partners": "Police; NGOs",
        "start": "2026-01-01",
        "end": "2026-12-31",
        "budget": "USD 40,000",
        "indicator": "Mechanism adopted by decree",
        "status": "planned",
    }
    data.update(changes)
    return data


def post_form(client: FlaskClient, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data={"csrf_token": csrf_token(client.get(url).get_data(as_text=True)), **data})


def post_button(client: FlaskClient, page_url: str, url: str, **data: str) -> Any:
    return client.post(url, data={"csrf_token": csrf_token(client.get(page_url).get_data(as_text=True)), **data})


def titles_in_order(session: Session, assessment: Assessment) -> list[str]:
    session.expire_all()
    return [action.title for action in plan_of(session, assessment.id)]


# --- Who sees the plan ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["official", "coordinator"])
def test_the_countrys_people_see_the_plan_in_order_with_every_column(
    client: FlaskClient, session: Session, make_user: Any, role: str
) -> None:
    assessment = new_assessment(session, make_user)
    official = make_user("official", "THA")
    an_action(session, official, assessment, "Train prosecutors", lead_agency="Attorney General", budget="USD 5,000")
    an_action(session, official, assessment, "Open shelters", measure_id="PROT-1", item_ids=("PROT-1.1",))
    login(client, make_user(role, "THA").email)
    page = client.get(f"/assessments/{assessment.id}/plan").get_data(as_text=True)
    assert page.index("Train prosecutors") < page.index("Open shelters")
    assert "Attorney General" in page and "USD 5,000" in page and "PROT-1.1" in page
    assert f"/assessments/{assessment.id}/plan/new" in page and "Move down" in page


def test_an_admin_may_read_the_plan_but_not_change_it(client: FlaskClient, session: Session, make_user: Any) -> None:
    assessment = new_assessment(session, make_user)
    action = an_action(session, make_user("official", "THA"), assessment, "Train prosecutors")
    login(client, make_user("admin").email)
    page = client.get(f"/assessments/{assessment.id}/plan")
    assert page.status_code == 200 and "Train prosecutors" in page.get_data(as_text=True)
    assert "Add an action" not in page.get_data(as_text=True)
    assert client.get(f"/assessments/{assessment.id}/plan/new").status_code == 403
    assert client.get(f"/assessments/{assessment.id}/plan/{action.id}/edit").status_code == 403


def test_another_countrys_official_gets_not_found(client: FlaskClient, session: Session, make_user: Any) -> None:
    assessment = new_assessment(session, make_user)
    action = an_action(session, make_user("official", "THA"), assessment, "Train prosecutors")
    login(client, make_user("coordinator", "PHL").email)
    assert client.get(f"/assessments/{assessment.id}/plan").status_code == 404
    assert client.get(f"/assessments/{assessment.id}/plan/{action.id}/edit").status_code == 404
    assert client.get(f"/assessments/{assessment.id}/plan/new").status_code == 404


@pytest.mark.parametrize("role", ["facilitator", "editor"])
def test_facilitators_and_editors_get_not_found(
    client: FlaskClient, session: Session, make_user: Any, role: str
) -> None:
    assessment = new_assessment(session, make_user)
    login(client, make_user(role).email)
    assert client.get(f"/assessments/{assessment.id}/plan").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client: FlaskClient, session: Session, make_user: Any) -> None:
    assessment = new_assessment(session, make_user)
    response = client.get(f"/assessments/{assessment.id}/plan")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_an_action_of_another_assessment_is_not_found(client: FlaskClient, session: Session, make_user: Any) -> None:
    first, second = new_assessment(session, make_user), new_assessment(session, make_user)
    action = an_action(session, make_user("official", "THA"), first, "Train prosecutors")
    login(client, make_user("official", "THA").email)
    assert client.get(f"/assessments/{second.id}/plan/{action.id}/edit").status_code == 404


# --- Drafting actions from gaps ---------------------------------------------------------------


def test_each_top_gap_links_to_a_new_action_prefilled_with_its_measure_and_item(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    assessment = new_assessment(session, make_user)
    official = make_user("official", "THA")
    save_answer(session, official, assessment, "PROS-1.1", AnswerFields(level=0), 0)
    session.commit()
    login(client, official.email)
    plan = client.get(f"/assessments/{assessment.id}/plan").get_data(as_text=True)
    assert f'href="/assessments/{assessment.id}/plan/new?item=PROS-1.1"' in plan
    assert "Add an action for this gap" in plan
    form = client.get(f"/assessments/{assessment.id}/plan/new?item=PROS-1.1").get_data(as_text=True)
    assert "Put in place: Does national law criminalise trafficking in persons</textarea>" in form
    assert '<option selected value="PROS-1">' in form
    assert 'value="PROS-1.1" id="item-PROS-1.1" checked' in form
    assert 'value="PROS-1.2" id="item-PROS-1.2">' in form


def test_an_unknown_item_to_prefill_is_a_clear_bad_request(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    assessment = new_assessment(session, make_user)
    login(client, make_user("official", "THA").email)
    response = client.get(f"/assessments/{assessment.id}/plan/new?item=PROS-9.9")
    assert response.status_code == 400 and "There is no item PROS-9.9" in response.get_data(as_text=True)


def test_a_new_action_is_saved_with_every_field_at_the_end_of_the_plan(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    assessment = new_assessment(session, make_user)
    official = make_user("official", "THA")
    first = an_action(session, official, assessment, "Train prosecutors")
    login(client, official.email)
    response = post_form(client, f"/assessments/{assessment.id}/plan/new", action_form())
    assert response.status_code == 302 and f"/assessments/{assessment.id}/plan#action-" in response.headers["Location"]
    session.expire_all()
    added = plan_of(session, assessment.id)[-1]
    assert added.title == "Adopt a national referral mechanism" and added.position > first.position
    assert (added.measure_id, added.item_ids, added.lead_agency) == (
        "PROS-1",
        ["PROS-1.1"],
        "Ministry of Social Development",
    )
    assert (added.start, added.end, added.budget) == (date(2026, 1, 1), date(2026, 12, 31), "USD 40,000")
    assert (added.indicator, added.status, added.created_by) == ("Mechanism adopted by decree", "planned", official.id)


def test_a_missing_title_is_refused_and_everything_typed_is_kept(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    assessment = new_assessment(session, make_user)
    login(client, make_user("official", "THA").email)
    response = post_form(client, f"/assessments/{assessment.id}/plan/new", action_form(title="  "))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Write what will be done." in page
    assert 'value="Ministry of Social Development"' in page and "Mechanism adopted by decree" in page
    assert 'value="2026-12-31"' in page and 'value="PROS-1.1" id="item-PROS-1.1" checked' in page
    assert plan_of(session, assessment.id) == []


def test_an_end_before_the_start_is_refused_naming_the_end_date(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    assessment = new_assessment(session, make_user)
    login(client, make_user("official", "THA").email)
    data = action_form(start="2026-06-01", end="2026-01-31")
    response = post_form(client, f"/assessments/{assessment.id}/plan/new", data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "End date: The end date must be on or after the start date." in page
    assert 'value="2026-06-01"' in page and 'value="2026-01-31"' in page
    assert plan_of(session, assessment.id) == []


def test_items_of_another_measure_are_refused_and_kept_ticked(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    assessment = new_assessment(session, make_user)
    login(client, make_user("official", "THA").email)
    response = post_form(client, f"/assessments/{assessment.id}/plan/new", action_form(item_ids=["PROT-1.1"]))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "PROT-1.1 not part of measure PROS-1" in page
    assert 'value="PROT-1.1" id="item-PROT-1.1" checked' in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"measure_id": "PROS-99"}, "Choose the measure this action belongs to."),
        ({"status": "finished"}, "Choose one of the listed statuses."),
        ({"title": "x" * 501}, "Keep this to 500 characters or fewer."),
        ({"budget": "9" * 201}, "Keep this to 200 characters or fewer."),
        ({"start": "31/01/2026"}, "Not a valid date value."),
    ],
)
def test_bad_fields_are_refused_with_a_message(
    client: FlaskClient, session: Session, make_user: Any, changes: dict[str, str], message: str
) -> None:
    assessment = new_assessment(session, make_user)
    login(client, make_user("official", "THA").email)
    response = post_form(client, f"/assessments/{assessment.id}/plan/new", action_form(**changes))
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert plan_of(session, assessment.id) == []


def test_showing_the_items_of_another_measure_saves_nothing_and_keeps_the_input(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    assessment = new_assessment(session, make_user)
    login(client, make_user("official", "THA").email)
    data = action_form(measure_id="PROT-1", item_ids=[], show_items="1")
    response = post_form(client, f"/assessments/{assessment.id}/plan/new", data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "The action is not saved yet." in page
    assert 'value="PROT-1.1" id="item-PROT-1.1">' in page and "Ministry of Social Development" in page
    assert plan_of(session, assessment.id) == []


# --- Editing, reordering, deleting -------------------------------------------------------------


def test_editing_an_action_saves_the_changes(client: FlaskClient, session: Session, make_user: Any) -> None:
    assessment = new_assessment(session, make_user)
    official = make_user("official", "THA")
    action = an_action(session, official, assessment, "Train prosecutors")
    login(client, official.email)
    url = f"/assessments/{assessment.id}/plan/{action.id}/edit"
    assert "Train prosecutors</textarea>" in client.get(url).get_data(as_text=True)
    changes = action_form(title="Train all prosecutors", status="in_progress", item_ids=["PROS-1.2", "PROS-1.3"])
    response = post_form(client, url, changes)
    assert response.status_code == 302
    session.expire_all()
    stored = session.get(Action, action.id)
    assert stored is not None
    assert (stored.title, stored.status, stored.item_ids) == (
        "Train all prosecutors",
        "in_progress",
        ["PROS-1.2", "PROS-1.3"],
    )


def test_moving_an_action_up_swaps_it_with_the_one_above(client: FlaskClient, session: Session, make_user: Any) -> None:
    assessment = new_assessment(session, make_user)
    official = make_user("official", "THA")
    for title in ("First", "Second", "Third"):
        an_action(session, official, assessment, title)
    third = plan_of(session, assessment.id)[-1]
    login(client, official.email)
    plan = f"/assessments/{assessment.id}/plan"
    response = post_button(client, plan, f"{plan}/{third.id}/move", direction="up")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#action-{third.id}")
    assert titles_in_order(session, assessment) == ["First", "Third", "Second"]
    post_button(client, plan, f"{plan}/{third.id}/move", direction="up")
    assert titles_in_order(session, assessment) == ["Third", "First", "Second"]


def test_moving_the_first_action_up_changes_nothing(client: FlaskClient, session: Session, make_user: Any) -> None:
    assessment = new_assessment(session, make_user)
    official = make_user("official", "THA")
    first = an_action(session, official, assessment, "First")
    an_action(session, official, assessment, "Second")
    login(client, official.email)
    plan = f"/assessments/{assessment.id}/plan"
    assert post_button(client, plan, f"{plan}/{first.id}/move", direction="up").status_code == 302
    assert titles_in_order(session, assessment) == ["First", "Second"]


def test_a_move_without_a_direction_is_a_bad_request(client: FlaskClient, session: Session, make_user: Any) -> None:
    assessment = new_assessment(session, make_user)
    official = make_user("official", "THA")
    first = an_action(session, official, assessment, "First")
    login(client, official.email)
    plan = f"/assessments/{assessment.id}/plan"
    assert post_button(client, plan, f"{plan}/{first.id}/move", direction="sideways").status_code == 400


def test_deleting_asks_for_confirmation_then_removes_the_action(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    assessment = new_assessment(session, make_user)
    official = make_user("official", "THA")
    action = an_action(session, official, assessment, "Train prosecutors")
    login(client, official.email)
    url = f"/assessments/{assessment.id}/plan/{action.id}/delete"
    confirmation = client.get(url)
    assert confirmation.status_code == 200 and "Delete this action?" in confirmation.get_data(as_text=True)
    assert titles_in_order(session, assessment) == ["Train prosecutors"]
    response = client.post(url, data={"csrf_token": csrf_token(confirmation.get_data(as_text=True))})
    assert response.status_code == 302
    assert titles_in_order(session, assessment) == []


def test_a_post_without_the_csrf_token_changes_nothing(client: FlaskClient, session: Session, make_user: Any) -> None:
    assessment = new_assessment(session, make_user)
    official = make_user("official", "THA")
    action = an_action(session, official, assessment, "Train prosecutors")
    login(client, official.email)
    assert client.post(f"/assessments/{assessment.id}/plan/{action.id}/delete").status_code == 400
    assert titles_in_order(session, assessment) == ["Train prosecutors"]


# --- Final cycles --------------------------------------------------------------------------------


def finalised(session: Session, assessment: Assessment) -> Assessment:
    assessment.status = "final"
    session.commit()
    return assessment


def test_a_final_assessments_plan_cannot_be_changed(client: FlaskClient, session: Session, make_user: Any) -> None:
    assessment = new_assessment(session, make_user)
    official = make_user("official", "THA")
    action = an_action(session, official, assessment, "Train prosecutors")
    an_action(session, official, assessment, "Open shelters")
    finalised(session, assessment)
    login(client, official.email)
    plan = f"/assessments/{assessment.id}/plan"
    page = client.get(plan).get_data(as_text=True)
    assert "Add an action" not in page and "Move down" not in page
    assert client.get(f"{plan}/new").status_code == 403
    assert client.get(f"{plan}/{action.id}/edit").status_code == 403
    assert post_button(client, plan, f"{plan}/{action.id}/move", direction="down").status_code == 403
    assert post_button(client, plan, f"{plan}/{action.id}/delete").status_code == 403
    assert titles_in_order(session, assessment) == ["Train prosecutors", "Open shelters"]


def test_the_coordinator_can_still_update_the_status_of_a_final_cycles_action(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    assessment = new_assessment(session, make_user)
    action = an_action(session, make_user("official", "THA"), assessment, "Train prosecutors")
    finalised(session, assessment)
    login(client, make_user("coordinator", "THA").email)
    url = f"/assessments/{assessment.id}/plan/{action.id}/edit"
    page = client.get(url).get_data(as_text=True)
    assert "Update the status" in page and 'name="title"' not in page
    response = post_form(client, url, {"status": "done", "title": "Something else"})
    assert response.status_code == 302
    session.expire_all()
    stored = session.get(Action, action.id)
    assert stored is not None and (stored.status, stored.title) == ("done", "Train prosecutors")


def test_a_final_cycles_status_must_be_a_listed_one(client: FlaskClient, session: Session, make_user: Any) -> None:
    assessment = new_assessment(session, make_user)
    action = an_action(session, make_user("official", "THA"), assessment, "Train prosecutors")
    finalised(session, assessment)
    login(client, make_user("coordinator", "THA").email)
    response = post_form(client, f"/assessments/{assessment.id}/plan/{action.id}/edit", {"status": "finished"})
    assert response.status_code == 400 and "Choose one of the listed statuses." in response.get_data(as_text=True)


# --- Across cycles ------------------------------------------------------------------------------


def test_carry_over_copies_only_unfinished_actions_into_the_new_cycle(session: Session, make_user: Any) -> None:
    previous = new_assessment(session, make_user)
    official = make_user("official", "THA")
    for title, status in [("Planned", "planned"), ("Done", "done"), ("Going", "in_progress"), ("Dropped", "dropped")]:
        an_action(session, official, previous, title, status=status, item_ids=("PROS-1.1",), lead_agency="Police")
    an_action(session, official, previous, "Late", status="delayed")
    finalised(session, previous)
    current = new_assessment(session, make_user, previous=previous)
    copies = carry_over(session, make_user("coordinator", "THA"), current, previous)
    session.commit()
    assert [copy.title for copy in copies] == ["Planned", "Going", "Late"]
    stored = plan_of(session, current.id)
    sources = {action.id: action for action in plan_of(session, previous.id)}
    assert [sources[action.carried_from_id or 0].title for action in stored] == ["Planned", "Going", "Late"]
    assert (stored[0].item_ids, stored[0].lead_agency, stored[1].status) == (["PROS-1.1"], "Police", "in_progress")
    assert len(plan_of(session, previous.id)) == 5


def test_carry_over_does_not_copy_an_action_twice(session: Session, make_user: Any) -> None:
    previous = new_assessment(session, make_user)
    an_action(session, make_user("official", "THA"), previous, "Planned")
    current = new_assessment(session, make_user, previous=previous)
    coordinator = make_user("coordinator", "THA")
    carry_over(session, coordinator, current, previous)
    assert carry_over(session, coordinator, current, previous) == []
    assert len(plan_of(session, current.id)) == 1


def test_an_admin_starting_the_cycle_may_carry_the_plan_over(session: Session, make_user: Any) -> None:
    previous = new_assessment(session, make_user)
    an_action(session, make_user("official", "THA"), previous, "Planned")
    current = new_assessment(session, make_user, previous=previous)
    assert [copy.title for copy in carry_over(session, make_user("admin"), current, previous)] == ["Planned"]


def test_another_countrys_coordinator_cannot_carry_a_plan_over(session: Session, make_user: Any) -> None:
    previous = new_assessment(session, make_user)
    current = new_assessment(session, make_user, previous=previous)
    with pytest.raises(PermissionDenied):
        carry_over(session, make_user("coordinator", "PHL"), current, previous)


def test_carry_over_stays_within_one_country(session: Session, make_user: Any) -> None:
    previous = new_assessment(session, make_user, country="PHL")
    an_action(session, make_user("official", "PHL"), previous, "Planned")
    current = new_assessment(session, make_user)
    with pytest.raises(PermissionDenied):
        carry_over(session, make_user("coordinator", "THA"), current, previous)


def test_progress_across_cycles_shows_each_carried_action_then_and_now(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    previous = new_assessment(session, make_user)
    official = make_user("official", "THA")
    an_action(session, official, previous, "Adopt SOPs", status="delayed")
    an_action(session, official, previous, "Finished work", status="done")
    current = new_assessment(session, make_user, previous=previous)
    carry_over(session, official, current, previous)
    carried = plan_of(session, current.id)[0]
    carried.status = "in_progress"
    session.commit()
    login(client, official.email)
    page = client.get(f"/assessments/{current.id}/plan").get_data(as_text=True)
    progress = page[page.index("Progress across cycles") : page.index("Top gaps to plan for")]
    assert "Actions carried over from the previous cycle" in progress
    row = progress[progress.index('<th scope="row">Adopt SOPs') :]
    assert row.index("Delayed") < row.index("In progress")
    assert "Finished work" not in progress
