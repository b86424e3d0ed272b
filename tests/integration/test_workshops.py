"""Workshops: set-up, join code, answering, live board with privacy, groups, strategies, evaluation."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.answers import AnswerFields
from app.models import Assessment, EvaluationResponse, Strategy, User, Workshop, WorkshopGroup, WorkshopParticipant
from app.models.base import utcnow
from app.services.assessments import save_answer
from app.services.catalog import get_questionnaire
from app.services.workshop_admission import JoinChoice, request_to_join
from app.services.workshops import WorkshopSettings, accept_terms, create_workshop, workshop_assessments
from tests.conftest import csrf_token, login, mail_text, outbox

COUNTRIES = ["IDN", "PHL", "THA", "VNM"]


def new_workshop(
    session: Session, facilitator: User, countries: list[str] | None = None, terms: str = "facilitators"
) -> Workshop:
    settings = WorkshopSettings(
        "RSR training", None, None, "Bangkok", False, [], countries or COUNTRIES, sharing_terms=terms
    )
    workshop = create_workshop(session, facilitator, get_questionnaire(session, "mini", "1"), settings)
    session.commit()
    return workshop


def joined(session: Session, make_user: Any, workshop: Workshop, country: str, pillar: str = "protection") -> User:
    user = make_user("official", country)
    request_to_join(session, user, workshop, JoinChoice(country, "Police", pillar))
    accept_terms(session, user, workshop)
    session.commit()
    return user


def answer(session: Session, user: User, assessment: Assessment, levels: dict[str, int]) -> None:
    for item_id, level in levels.items():
        save_answer(session, user, assessment, item_id, AnswerFields(level=level), 0)
    session.commit()


def put_answer(client: FlaskClient, assessment: Assessment, item_id: str, body: dict[str, Any]) -> Any:
    token = csrf_token(client.get("/").get_data(as_text=True))
    url = f"/api/v1/assessments/{assessment.id}/answers/{item_id}"
    return client.put(url, json=body, headers={"X-CSRFToken": token})


def admit_all(session: Session, workshop: Workshop, accepted: bool = True) -> None:
    for participant in session.scalars(select(WorkshopParticipant).filter_by(workshop_id=workshop.id)):
        participant.status = "admitted"
        participant.terms_accepted_at = utcnow() if accepted else None
    session.commit()


def logout(client: FlaskClient) -> None:
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/").get_data(as_text=True))})


def test_a_facilitator_sets_up_a_workshop_with_a_join_code_and_a_workshop_assessment_per_country(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    facilitator = make_user("facilitator")
    login(client, facilitator.email)
    token = csrf_token(client.get("/workshops/new").get_data(as_text=True))
    data = {"csrf_token": token, "title": "Victim identification", "venue": "Jakarta", "countries": ["THA", "PHL"]}
    data |= {"measures": ["PROT-1"], "code_days": "7", "questionnaire": "mini@1", "sharing_terms": "everyone"}
    response = client.post("/workshops/new", data=data)
    assert response.status_code == 302
    workshop = session.scalars(select(Workshop).filter_by(title="Victim identification")).one()
    assert len(workshop.join_code) == 8 and workshop.scope_measures == ["PROT-1"]
    created = workshop_assessments(session, workshop)
    assert sorted(created) == ["PHL", "THA"]
    assert created["THA"].title == "Victim identification (workshop)" and created["THA"].created_by == facilitator.id


def test_a_workshop_without_countries_is_refused_and_keeps_what_was_typed(client: FlaskClient, make_user: Any) -> None:
    login(client, make_user("facilitator").email)
    token = csrf_token(client.get("/workshops/new").get_data(as_text=True))
    response = client.post("/workshops/new", data={"csrf_token": token, "title": "Kept title", "venue": "Manila"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "invite at least one country" in page and 'value="Kept title"' in page


def test_a_signed_in_official_joins_with_the_code(client: FlaskClient, session: Session, make_user: Any) -> None:
    workshop = new_workshop(session, make_user("facilitator"))
    official = make_user("official", "THA")
    login(client, official.email)
    page = client.get(f"/workshops/join/{workshop.join_code}").get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "code": workshop.join_code, "country": "THA", "agency": "Police"}
    response = client.post(f"/workshops/join/{workshop.join_code}", data=data | {"pillar": "protection"})
    assert response.status_code == 302
    participant = session.scalars(select(WorkshopParticipant).filter_by(user_id=official.id)).one()
    assert (participant.country_code, participant.agency, participant.pillar_id) == ("THA", "Police", "protection")


def test_a_visitor_who_registers_gets_a_confirmation_link_and_no_account_yet(
    app: Any, client: FlaskClient, session: Session, make_user: Any
) -> None:
    workshop = new_workshop(session, make_user("facilitator"))
    page = client.get(f"/workshops/join/{workshop.join_code}").get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "code": workshop.join_code, "country": "PHL", "pillar": "prosecution"}
    response = client.post("/workshops/join", data=data | {"name": "Maria Santos", "email": "maria@example.org"})
    assert response.status_code == 200 and "Check your e-mail" in response.get_data(as_text=True)
    assert session.scalars(select(User).filter_by(email="maria@example.org")).one_or_none() is None
    [mail] = outbox(app)
    assert mail["To"] == "maria@example.org" and "/workshops/confirm/" in mail_text(mail)


def test_a_weak_password_on_the_confirmation_page_is_refused_and_nothing_is_created(
    app: Any, client: FlaskClient, session: Session, make_user: Any
) -> None:
    workshop = new_workshop(session, make_user("facilitator"))
    page = client.get(f"/workshops/join/{workshop.join_code}").get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "code": workshop.join_code, "country": "PHL", "pillar": "prosecution"}
    client.post("/workshops/join", data=data | {"name": "Maria Santos", "email": "maria@example.org"})
    path = re.search(r"http://localhost(/\S+)", mail_text(outbox(app)[-1])).group(1)  # type: ignore[union-attr]
    page = client.get(path).get_data(as_text=True)
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    form = {
        "csrf_token": csrf_token(page),
        "token": token,
        "password": "password1234",
        "password_again": "password1234",
    }
    response = client.post("/workshops/confirm", data=form)
    assert response.status_code == 400 and "too easy to guess" in response.get_data(as_text=True)
    assert session.scalars(select(User).filter_by(email="maria@example.org")).one_or_none() is None


def test_a_visitor_with_a_bad_email_keeps_what_they_typed(
    app: Any, client: FlaskClient, session: Session, make_user: Any
) -> None:
    workshop = new_workshop(session, make_user("facilitator"))
    page = client.get(f"/workshops/join/{workshop.join_code}").get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "code": workshop.join_code, "country": "PHL", "pillar": "prosecution"}
    response = client.post("/workshops/join", data=data | {"name": "Maria Santos", "email": "not-an-address"})
    assert response.status_code == 400
    assert 'value="Maria Santos"' in response.get_data(as_text=True)
    assert outbox(app) == []


def test_an_expired_code_gets_a_clear_400(client: FlaskClient, session: Session, make_user: Any) -> None:
    workshop = new_workshop(session, make_user("facilitator"))
    workshop.code_expires_at = utcnow() - timedelta(minutes=1)
    session.commit()
    response = client.get(f"/workshops/join/{workshop.join_code}")
    assert response.status_code == 400 and "expired" in response.get_data(as_text=True)


def test_a_revoked_code_gets_a_clear_400(client: FlaskClient, session: Session, make_user: Any) -> None:
    facilitator = make_user("facilitator")
    workshop = new_workshop(session, facilitator)
    login(client, facilitator.email)
    token = csrf_token(client.get(f"/workshops/{workshop.id}").get_data(as_text=True))
    client.post(f"/workshops/{workshop.id}/code", data={"csrf_token": token, "action": "revoke"})
    client.post("/logout", data={"csrf_token": token})
    response = client.get(f"/workshops/join/{workshop.join_code}")
    assert response.status_code == 400 and "withdrawn" in response.get_data(as_text=True)


def test_an_official_joins_for_the_country_of_their_account_whatever_the_form_says(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    workshop = new_workshop(session, make_user("facilitator"))
    official = make_user("official", "THA")
    login(client, official.email)
    page = client.get(f"/workshops/join/{workshop.join_code}").get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "code": workshop.join_code, "country": "PHL", "pillar": "protection"}
    assert client.post("/workshops/join", data=data).status_code == 302
    participant = session.scalars(select(WorkshopParticipant).filter_by(user_id=official.id)).one()
    assert (participant.country_code, participant.status) == ("THA", "admitted")


def test_an_official_of_a_country_not_invited_cannot_join(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    workshop = new_workshop(session, make_user("facilitator"))
    login(client, make_user("official", "KHM").email)
    page = client.get(f"/workshops/join/{workshop.join_code}").get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "code": workshop.join_code, "country": "THA", "pillar": "protection"}
    response = client.post("/workshops/join", data=data)
    assert response.status_code == 400 and "not invited" in response.get_data(as_text=True)


def test_a_participant_answers_their_countrys_workshop_assessment_but_not_anothers(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    workshop = new_workshop(session, make_user("facilitator"))
    person = make_user("participant")  # no country of their own: only the workshop gives access
    request_to_join(session, person, workshop, JoinChoice("THA", "Ministry", "protection"))
    admit_all(session, workshop)
    assessments = workshop_assessments(session, workshop)
    login(client, person.email)
    body = {"answer": "3", "version": 0}
    assert put_answer(client, assessments["THA"], "PROT-1.1", body).status_code == 200
    assert put_answer(client, assessments["PHL"], "PROT-1.1", body).status_code == 404
    assert client.get(f"/assessments/{assessments['PHL'].id}").status_code == 404


def test_two_participants_of_one_country_get_a_conflict_not_an_overwrite(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    workshop = new_workshop(session, make_user("facilitator"))
    first, second = joined(session, make_user, workshop, "THA"), joined(session, make_user, workshop, "THA")
    assessment = workshop_assessments(session, workshop)["THA"]
    answer(session, first, assessment, {"PROT-1.1": 2})
    login(client, second.email)
    response = put_answer(client, assessment, "PROT-1.1", {"answer": "4", "version": 0})
    assert response.status_code == 409
    assert response.get_json()["current"]["level"] == 2


def test_the_board_json_has_an_etag_and_answers_304_until_something_changes(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    facilitator = make_user("facilitator")
    workshop = new_workshop(session, facilitator)
    participant = joined(session, make_user, workshop, "THA")
    login(client, facilitator.email)
    url = f"/api/v1/workshops/{workshop.id}/board"
    first = client.get(url)
    etag = first.headers["ETag"]
    assert first.status_code == 200 and [p["country"] for p in first.get_json()["participants"]] == ["THA"]
    unchanged = client.get(url, headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.get_data() == b""
    answer(session, participant, workshop_assessments(session, workshop)["THA"], {"PROT-1.1": 1})
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    thailand = next(row for row in changed.get_json()["countries"] if row["code"] == "THA")
    assert thailand["measures"]["PROT-1"]["answered"] == 1


def test_the_board_json_changes_when_the_facilitator_admits_someone(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    facilitator = make_user("facilitator")
    workshop = new_workshop(session, facilitator)
    request_to_join(session, make_user("participant"), workshop, JoinChoice("THA", "Police", "protection"))
    session.commit()
    login(client, facilitator.email)
    url = f"/api/v1/workshops/{workshop.id}/board"
    before = client.get(url)
    assert before.get_json()["participants"] == []
    admit_all(session, workshop)
    after = client.get(url, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and [p["country"] for p in after.get_json()["participants"]] == ["THA"]


def test_under_terms_for_the_facilitators_the_facilitator_sees_every_countrys_gaps(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    facilitator = make_user("facilitator")
    workshop = new_workshop(session, facilitator, terms="facilitators")
    assessments = workshop_assessments(session, workshop)
    for code in ("THA", "PHL"):
        answer(session, joined(session, make_user, workshop, code), assessments[code], {"PROT-1.1": 1})
    assessments["PHL"].sharing = "private"  # the national setting does not govern the workshop
    session.commit()
    login(client, facilitator.email)
    rows = {row["code"]: row for row in client.get(f"/api/v1/workshops/{workshop.id}/board").get_json()["countries"]}
    assert rows["THA"]["details"] and rows["THA"]["measures"]["PROT-1"]["gaps"] == 1
    assert rows["PHL"]["details"] and rows["PHL"]["measures"]["PROT-1"]["gaps"] == 1


def test_under_private_terms_the_facilitator_sees_progress_and_no_results(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    facilitator = make_user("facilitator")
    workshop = new_workshop(session, facilitator, terms="private")
    assessments = workshop_assessments(session, workshop)
    for code in ("THA", "PHL", "IDN"):
        answer(session, joined(session, make_user, workshop, code), assessments[code], {"PROT-1.1": 1})
        assessments[code].sharing = "workshop"  # the national setting does not open the workshop either
    session.commit()
    login(client, facilitator.email)
    data = client.get(f"/api/v1/workshops/{workshop.id}/board").get_json()
    rows = {row["code"]: row for row in data["countries"]}
    assert not rows["PHL"]["details"] and "gaps" not in rows["PHL"]["measures"]["PROT-1"]
    assert "score" not in rows["THA"]["measures"]["PROT-1"] and "overall" not in rows["THA"]
    assert rows["PHL"]["measures"]["PROT-1"]["answered"] == 1
    assert data["spreads"] == {}
    assert "not shown" in client.get(f"/workshops/{workshop.id}").get_data(as_text=True)


def test_under_anonymous_terms_everyone_sees_spreads_over_three_countries_and_no_names(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    facilitator = make_user("facilitator")
    workshop = new_workshop(session, facilitator, terms="anonymous")
    assessments = workshop_assessments(session, workshop)
    people = {}
    for code, level in (("THA", 4), ("PHL", 2), ("IDN", 0)):
        people[code] = joined(session, make_user, workshop, code)
        answer(session, people[code], assessments[code], {"PROT-1.1": level})
    login(client, facilitator.email)
    data = client.get(f"/api/v1/workshops/{workshop.id}/board").get_json()
    assert not any(row["details"] for row in data["countries"])
    assert data["spreads"]["PROT-1"]["countries"] == 3
    logout(client)
    login(client, people["PHL"].email)
    mine = client.get(f"/api/v1/workshops/{workshop.id}/board").get_json()
    assert [row["code"] for row in mine["countries"]] == ["PHL"] and mine["countries"][0]["details"]
    assert mine["spreads"]["PROT-1"] == data["spreads"]["PROT-1"]


def test_spreads_are_never_shown_over_fewer_than_three_countries(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    facilitator = make_user("facilitator")
    workshop = new_workshop(session, facilitator, terms="anonymous")
    assessments = workshop_assessments(session, workshop)
    for code in ("THA", "PHL"):
        answer(session, joined(session, make_user, workshop, code), assessments[code], {"PROT-1.1": 2})
    login(client, facilitator.email)
    assert client.get(f"/api/v1/workshops/{workshop.id}/board").get_json()["spreads"] == {}


def test_under_terms_for_everyone_participants_see_every_country_by_name(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    workshop = new_workshop(session, make_user("facilitator"), terms="everyone")
    assessments = workshop_assessments(session, workshop)
    thai = joined(session, make_user, workshop, "THA")
    answer(session, joined(session, make_user, workshop, "PHL"), assessments["PHL"], {"PROT-1.1": 1})
    login(client, thai.email)
    rows = {row["code"]: row for row in client.get(f"/api/v1/workshops/{workshop.id}/board").get_json()["countries"]}
    assert set(rows) == set(COUNTRIES) and all(row["details"] for row in rows.values())
    board = client.get(f"/api/v1/workshops/{workshop.id}/board").get_json()
    assert {person["country"] for person in board["participants"]} == {"THA"}  # names are not results
    assert rows["PHL"]["measures"]["PROT-1"]["gaps"] == 1
    assert rows["PHL"]["assessment"] is None  # named, but not opened: their answers stay their own
    assert client.get(f"/assessments/{assessments['PHL'].id}").status_code == 404


def test_a_participant_sees_only_their_own_country_on_the_board(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    workshop = new_workshop(session, make_user("facilitator"))
    thai = joined(session, make_user, workshop, "THA")
    joined(session, make_user, workshop, "PHL")
    login(client, thai.email)
    data = client.get(f"/api/v1/workshops/{workshop.id}/board").get_json()
    assert [row["code"] for row in data["countries"]] == ["THA"] and data["countries"][0]["details"]
    assert {person["country"] for person in data["participants"]} == {"THA"}
    assert client.get(f"/workshops/{workshop.id}/groups").status_code == 403


def test_pillar_groups_follow_participants_expertise(client: FlaskClient, session: Session, make_user: Any) -> None:
    facilitator = make_user("facilitator")
    workshop = new_workshop(session, facilitator)
    joined(session, make_user, workshop, "THA", "protection")
    joined(session, make_user, workshop, "PHL", "prosecution")
    joined(session, make_user, workshop, "IDN", "protection")
    login(client, facilitator.email)
    token = csrf_token(client.get(f"/workshops/{workshop.id}/groups").get_data(as_text=True))
    client.post(f"/workshops/{workshop.id}/groups/suggest", data={"csrf_token": token, "kind": "pillar"})
    groups = {g.pillar_id: g for g in session.scalars(select(WorkshopGroup).filter_by(workshop_id=workshop.id))}
    assert sorted(groups) == ["prosecution", "protection"] and len(groups["protection"].members) == 2


def test_similar_country_groups_come_from_shared_gap_profiles(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    facilitator = make_user("facilitator")
    workshop = new_workshop(session, facilitator)
    assessments = workshop_assessments(session, workshop)
    levels = {"THA": 4, "PHL": 4, "IDN": 0, "VNM": 1}
    for code, level in levels.items():
        answer(session, joined(session, make_user, workshop, code), assessments[code], {"PROT-1.1": level})
    login(client, facilitator.email)
    token = csrf_token(client.get(f"/workshops/{workshop.id}/groups").get_data(as_text=True))
    response = client.post(
        f"/workshops/{workshop.id}/groups/suggest", data={"csrf_token": token, "kind": "similar", "count": "2"}
    )
    assert response.status_code == 302
    groups = session.scalars(select(WorkshopGroup).filter_by(workshop_id=workshop.id, kind="similar")).all()
    assert sorted(sorted(group.members) for group in groups) == [["IDN", "VNM"], ["PHL", "THA"]]


def test_similar_groups_need_two_countries_that_answered(client: FlaskClient, session: Session, make_user: Any) -> None:
    facilitator = make_user("facilitator")
    workshop = new_workshop(session, facilitator)
    login(client, facilitator.email)
    token = csrf_token(client.get(f"/workshops/{workshop.id}/groups").get_data(as_text=True))
    response = client.post(
        f"/workshops/{workshop.id}/groups/suggest", data={"csrf_token": token, "kind": "similar", "count": "2"}
    )
    assert response.status_code == 400 and "at least two countries" in response.get_data(as_text=True)


def test_a_group_workspace_lists_shared_gaps_and_records_a_strategy(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    facilitator = make_user("facilitator")
    workshop = new_workshop(session, facilitator)
    assessments = workshop_assessments(session, workshop)
    for code in ("THA", "PHL"):
        answer(session, joined(session, make_user, workshop, code), assessments[code], {"PROT-1.1": 1})
    group = WorkshopGroup(workshop_id=workshop.id, kind="custom", name="Mekong", members=["THA", "PHL"])
    session.add(group)
    session.commit()
    login(client, facilitator.email)
    url = f"/workshops/{workshop.id}/groups/{group.id}"
    page = client.get(url).get_data(as_text=True)
    assert "PROT-1.1" in page and "Gap in: PHL, THA" in page
    data = {"csrf_token": csrf_token(page), "title": "Joint NRM", "measures": ["PROT-1"], "actions": "Draft SOPs"}
    assert client.post(url, data=data | {"lead": "Thailand"}).status_code == 302
    strategy = session.scalars(select(Strategy).filter_by(group_id=group.id)).one()
    assert (strategy.title, strategy.measures, strategy.lead, strategy.created_by) == (
        "Joint NRM",
        ["PROT-1"],
        "Thailand",
        facilitator.id,
    )


def test_the_evaluation_is_aggregated_for_the_facilitator(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    facilitator = make_user("facilitator")
    workshop = new_workshop(session, facilitator)
    for country, rating, comment in (("THA", "5", "Very practical"), ("PHL", "3", "")):
        logout(client)
        login(client, joined(session, make_user, workshop, country).email)
        page = client.get(f"/workshops/{workshop.id}/evaluation").get_data(as_text=True)
        data = {"csrf_token": csrf_token(page), "q1": rating, "q3": ["Group work"], "q4": comment}
        assert client.post(f"/workshops/{workshop.id}/evaluation", data=data).status_code == 302
    assert len(session.scalars(select(EvaluationResponse).filter_by(workshop_id=workshop.id)).all()) == 2
    logout(client)
    login(client, facilitator.email)
    page = client.get(f"/workshops/{workshop.id}/evaluation").get_data(as_text=True)
    assert "mean rating 4.0 of 5" in page and "Very practical" in page and "2 participants have responded" in page


def test_an_evaluation_rating_out_of_range_is_refused(client: FlaskClient, session: Session, make_user: Any) -> None:
    workshop = new_workshop(session, make_user("facilitator"))
    login(client, joined(session, make_user, workshop, "THA").email)
    page = client.get(f"/workshops/{workshop.id}/evaluation").get_data(as_text=True)
    response = client.post(f"/workshops/{workshop.id}/evaluation", data={"csrf_token": csrf_token(page), "q1": "9"})
    assert response.status_code == 400 and "rating from 1 to 5" in response.get_data(as_text=True)


def test_officials_and_coordinators_cannot_run_workshops(client: FlaskClient, make_user: Any) -> None:
    login(client, make_user("coordinator", "THA").email)
    assert client.get("/workshops/new").status_code == 403
    assert client.get("/workshops").status_code == 403


def test_a_facilitator_sees_only_their_own_workshops(client: FlaskClient, session: Session, make_user: Any) -> None:
    owner, other = make_user("facilitator"), make_user("facilitator")
    workshop = new_workshop(session, owner)
    login(client, other.email)
    assert workshop.title not in client.get("/workshops").get_data(as_text=True)
    assert client.get(f"/workshops/{workshop.id}").status_code == 404
    assert client.get(f"/api/v1/workshops/{workshop.id}/board").status_code == 404
    assert client.get(f"/workshops/{workshop.id}/edit").status_code == 404
