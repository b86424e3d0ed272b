"""A workshop's sharing terms: set by the facilitator, read and accepted by every participant before
anything else of the workshop, fixed once accepted; the projector shows only what the room may see."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.core.workshop_terms import TERMS, WORDING
from app.models import User, Workshop, WorkshopGroup
from app.services.workshop_admission import JoinChoice, request_to_join
from app.services.workshop_groups import StrategyInput, add_strategy
from app.services.workshops import WorkshopError, WorkshopSettings, update_workshop, workshop_assessments
from tests.conftest import csrf_token, login
from tests.integration.test_workshops import COUNTRIES, admit_all, answer, joined, logout, new_workshop, put_answer


def admitted_without_terms(session: Session, make_user: Any, workshop: Workshop, country: str = "THA") -> User:
    user = make_user("official", country)
    request_to_join(session, user, workshop, JoinChoice(country, "Police", "protection"))
    session.commit()
    return user


def test_an_admitted_participant_sees_the_terms_before_anything_else(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    workshop = new_workshop(session, make_user("facilitator"), terms="anonymous")
    user = admitted_without_terms(session, make_user, workshop)
    login(client, user.email)
    page = client.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert "Only anonymous spreads" in page and "Accept the terms and take part" in page
    assert WORDING["anonymous"].participants.split(",")[0] in page
    assert "Your answers for" not in page
    assert client.get(f"/api/v1/workshops/{workshop.id}/board").status_code == 404
    assert client.get(f"/workshops/{workshop.id}/evaluation").status_code == 404


def test_a_participant_cannot_answer_until_they_accept_the_terms(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    workshop = new_workshop(session, make_user("facilitator"), terms="everyone")
    user = make_user("participant")
    request_to_join(session, user, workshop, JoinChoice("THA", "Police", "protection"))
    session.commit()
    admit_all(session, workshop, accepted=False)
    assessment = workshop_assessments(session, workshop)["THA"]
    login(client, user.email)
    assert put_answer(client, assessment, "PROT-1.1", {"answer": "3", "version": 0}).status_code == 404
    page = client.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    accepted = client.post(f"/workshops/{workshop.id}/terms", data={"csrf_token": csrf_token(page)})
    assert accepted.status_code == 302 and accepted.headers["Location"].endswith(f"/workshops/{workshop.id}")
    assert put_answer(client, assessment, "PROT-1.1", {"answer": "3", "version": 0}).status_code == 200
    assert "Your answers for" in client.get(f"/workshops/{workshop.id}").get_data(as_text=True)


def test_accepting_needs_the_csrf_token(client: FlaskClient, session: Session, make_user: Any) -> None:
    workshop = new_workshop(session, make_user("facilitator"))
    user = admitted_without_terms(session, make_user, workshop)
    login(client, user.email)
    assert client.post(f"/workshops/{workshop.id}/terms").status_code == 400
    assert "Accept the terms" in client.get(f"/workshops/{workshop.id}").get_data(as_text=True)


def test_only_an_admitted_participant_can_accept(client: FlaskClient, session: Session, make_user: Any) -> None:
    workshop = new_workshop(session, make_user("facilitator"))
    stranger = make_user("participant")
    login(client, stranger.email)
    token = csrf_token(client.get("/").get_data(as_text=True))
    assert client.post(f"/workshops/{workshop.id}/terms", data={"csrf_token": token}).status_code == 404
    assert client.post("/workshops/987654/terms", data={"csrf_token": token}).status_code == 404


def test_the_set_up_form_shows_the_wording_of_every_terms_and_requires_a_choice(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    login(client, make_user("facilitator").email)
    page = client.get("/workshops/new").get_data(as_text=True)
    for terms in TERMS:
        assert WORDING[terms].title in page and f'value="{terms}"' in page
    data = {"csrf_token": csrf_token(page), "title": "No terms", "venue": "Manila", "countries": ["THA"]}
    response = client.post("/workshops/new", data=data | {"questionnaire": "mini@1", "code_days": "7"})
    assert response.status_code == 400 and "choose the workshop&#39;s sharing terms" in response.get_data(as_text=True)
    response = client.post("/workshops/new", data=data | {"questionnaire": "mini@1", "sharing_terms": "all"})
    assert response.status_code == 400


def _settings(workshop: Workshop, terms: str) -> WorkshopSettings:
    return WorkshopSettings(
        workshop.title, None, None, workshop.venue, False, [], list(workshop.invited_countries), sharing_terms=terms
    )


def test_the_terms_can_change_until_someone_accepts_them(session: Session, make_user: Any) -> None:
    facilitator = make_user("facilitator")
    workshop = new_workshop(session, facilitator, terms="private")
    admitted_without_terms(session, make_user, workshop)  # admitted, not accepted: nothing agreed yet
    update_workshop(session, facilitator, workshop, _settings(workshop, "everyone"))
    assert workshop.sharing_terms == "everyone"


def test_the_terms_are_fixed_once_a_participant_accepted_them(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    facilitator = make_user("facilitator")
    workshop = new_workshop(session, facilitator, terms="anonymous")
    joined(session, make_user, workshop, "THA")
    try:
        update_workshop(session, facilitator, workshop, _settings(workshop, "everyone"))
    except WorkshopError as error:
        assert "accepted" in str(error)
    else:
        raise AssertionError("the terms changed after a participant accepted them")
    session.rollback()
    update_workshop(session, facilitator, workshop, _settings(workshop, "anonymous"))  # same terms: fine
    login(client, facilitator.email)
    page = client.get(f"/workshops/{workshop.id}/edit").get_data(as_text=True)
    assert "they can no longer be changed" in page


def test_the_projector_is_for_the_facilitator_only(client: FlaskClient, session: Session, make_user: Any) -> None:
    facilitator = make_user("facilitator")
    workshop = new_workshop(session, facilitator, terms="everyone")
    participant = joined(session, make_user, workshop, "THA")
    login(client, participant.email)
    assert client.get(f"/workshops/{workshop.id}/projector").status_code == 403
    logout(client)
    login(client, make_user("facilitator").email)
    assert client.get(f"/workshops/{workshop.id}/projector").status_code == 404
    logout(client)
    login(client, facilitator.email)
    page = client.get(f"/workshops/{workshop.id}/projector")
    assert page.status_code == 200 and "js/projector.js" in page.get_data(as_text=True)


def test_the_projector_shows_every_country_in_the_heat_map_under_terms_for_everyone(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    facilitator = make_user("facilitator")
    workshop = new_workshop(session, facilitator, terms="everyone")
    assessments = workshop_assessments(session, workshop)
    answer(session, joined(session, make_user, workshop, "THA"), assessments["THA"], {"PROT-1.1": 3})
    login(client, facilitator.email)
    page = client.get(f"/workshops/{workshop.id}/projector").get_data(as_text=True)
    assert page.count('class="heat-cell"') == len(COUNTRIES) * 3  # countries by the mini questionnaire's measures
    assert "Thailand · PROT-1: 45.0" in page
    assert "Philippines · PROT-1: no answers yet" in page  # not drawn as "Absent" before anyone answered
    assert "Results not shown" in page  # the legend names the white cells even when there are none


def test_the_projector_shows_the_room_no_country_by_name_under_terms_for_the_facilitators(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    facilitator = make_user("facilitator")
    workshop = new_workshop(session, facilitator, terms="facilitators")
    assessments = workshop_assessments(session, workshop)
    answer(session, joined(session, make_user, workshop, "THA"), assessments["THA"], {"PROT-1.1": 3})
    login(client, facilitator.email)
    board = client.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert "Thailand · PROT-1: 45.0" in board  # the facilitator sees it on their own screen
    projected = client.get(f"/workshops/{workshop.id}/projector").get_data(as_text=True)
    assert "Thailand · PROT-1: Results not shown" in projected
    assert "Thailand · PROT-1: 45.0" not in projected


def test_strategies_show_as_cards_with_their_line_breaks_and_escaped(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    facilitator = make_user("facilitator")
    workshop = new_workshop(session, facilitator, terms="private")
    group = WorkshopGroup(workshop_id=workshop.id, kind="custom", name="Mekong", pillar_id=None, members=["THA"])
    session.add(group)
    session.flush()
    actions = "1. Train police\n2. Open <b>shelters</b>"
    add_strategy(session, facilitator, workshop, group, StrategyInput("Referral", ["PROT-1"], actions, "MSDHS", []))
    session.commit()
    login(client, facilitator.email)
    for url in (f"/workshops/{workshop.id}", f"/workshops/{workshop.id}/projector"):
        page = client.get(url).get_data(as_text=True)
        assert (
            '<p class="strategy-card__actions" dir="auto">1. Train police\n2. Open &lt;b&gt;shelters&lt;/b&gt;</p>'
            in page
        )


def test_similar_country_groups_are_refused_when_the_terms_hide_results_from_the_facilitators(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    facilitator = make_user("facilitator")
    workshop = new_workshop(session, facilitator, terms="anonymous")
    assessments = workshop_assessments(session, workshop)
    for code, level in (("THA", 4), ("PHL", 4), ("IDN", 0), ("VNM", 1)):
        answer(session, joined(session, make_user, workshop, code), assessments[code], {"PROT-1.1": level})
    login(client, facilitator.email)
    page = client.get(f"/workshops/{workshop.id}/groups").get_data(as_text=True)
    assert "form country groups by hand" in page
    response = client.post(
        f"/workshops/{workshop.id}/groups/suggest",
        data={"csrf_token": csrf_token(page), "kind": "similar", "count": "2"},
    )
    assert response.status_code == 400 and "form country groups by hand" in response.get_data(as_text=True)
    assert not session.query(WorkshopGroup).filter_by(workshop_id=workshop.id, kind="similar").count()


def _group(session: Session, workshop: Workshop, members: list[str]) -> WorkshopGroup:
    group = WorkshopGroup(workshop_id=workshop.id, kind="custom", name="Mekong", pillar_id=None, members=members)
    session.add(group)
    session.commit()
    return group


def test_a_workspace_counts_countries_with_a_gap_without_naming_them_under_anonymous_terms(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    workshop = new_workshop(session, make_user("facilitator"), terms="anonymous")
    assessments = workshop_assessments(session, workshop)
    people = {}
    for code in ("THA", "PHL", "IDN"):
        people[code] = joined(session, make_user, workshop, code)
        answer(session, people[code], assessments[code], {"PROT-1.1": 1})
    group = _group(session, workshop, ["THA", "PHL", "IDN"])
    login(client, people["THA"].email)
    page = client.get(f"/workshops/{workshop.id}/groups/{group.id}").get_data(as_text=True)
    assert "Gap in 3 member countries" in page and "Gap in: " not in page


def test_a_workspace_shows_a_participant_only_their_own_countrys_gaps_under_terms_for_the_facilitators(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    workshop = new_workshop(session, make_user("facilitator"), terms="facilitators")
    assessments = workshop_assessments(session, workshop)
    thai = joined(session, make_user, workshop, "THA")
    answer(session, thai, assessments["THA"], {"PROT-1.1": 1})
    answer(session, joined(session, make_user, workshop, "PHL"), assessments["PHL"], {"PROT-1.2": 1})
    group = _group(session, workshop, ["THA", "PHL"])
    login(client, thai.email)
    page = client.get(f"/workshops/{workshop.id}/groups/{group.id}").get_data(as_text=True)
    gaps = page.split("Shared gaps")[1].split("Strategies")[0]
    assert "Gap in: THA" in gaps and "PHL" not in gaps and "PROT-1.2" not in gaps
