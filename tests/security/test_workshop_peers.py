"""A workshop assessment never shows what countries shared with peers from their national cycles.

Sharing a national cycle with peers is the coordinator's choice for the member states' officials;
a workshop participant is whoever the facilitator admitted, and a workshop shows other countries
only as its own sharing terms say (on the board). So the results and reports of a workshop
assessment carry no peer strengths and no peer spreads, whoever opens them.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.core.answers import AnswerFields
from app.models import Assessment, WorkshopParticipant
from app.services.assessments import results_of, save_answer
from app.services.catalog import get_questionnaire
from app.services.peers import peer_view
from app.services.reports import peer_strengths_for
from app.services.workshops import WorkshopSettings, accept_terms, create_workshop, workshop_assessments
from tests.conftest import login
from tests.integration.test_peers import assessment_of


@pytest.fixture
def workshop_gap(session: Session, make_user: Any) -> tuple[Assessment, Any]:
    """Three countries share national cycles strong at PROS-2.1; Thailand's workshop answers it at 1.
    Returns (Thailand's workshop assessment, its admitted participant)."""
    for country, level in (("PHL", 4), ("IDN", 3), ("VNM", 4)):
        assessment_of(session, make_user, country, {"PROS-2.1": level}, "peers")
    settings = WorkshopSettings("RSR training", None, None, "Bangkok", False, [], ["THA", "PHL"])
    workshop = create_workshop(session, make_user("facilitator"), get_questionnaire(session, "mini", "1"), settings)
    participant = make_user("participant")
    session.add(
        WorkshopParticipant(
            workshop_id=workshop.id,
            user_id=participant.id,
            country_code="THA",
            status="admitted",
            pillar_id="prosecution",
        )
    )
    session.flush()
    accept_terms(session, participant, workshop)
    assessment = workshop_assessments(session, workshop)["THA"]
    save_answer(session, participant, assessment, "PROS-2.1", AnswerFields(level=1), 0)
    session.commit()
    return assessment, participant


def test_a_participant_sees_no_peer_country_on_the_workshop_results(
    client: FlaskClient, workshop_gap: tuple[Assessment, Any]
) -> None:
    assessment, participant = workshop_gap
    login(client, participant.email)
    page = client.get(f"/assessments/{assessment.id}/results").get_data(as_text=True)
    assert "PROS-2.1" in page  # the gap is listed
    assert "Peers strong here" not in page and "Viet Nam" not in page
    assert "Peers: lowest" not in page


def test_the_workshop_assessments_report_names_no_peer_country(
    session: Session, workshop_gap: tuple[Assessment, Any]
) -> None:
    assessment, _participant = workshop_gap
    questionnaire = get_questionnaire(session, "mini", "1")
    assert peer_strengths_for(session, assessment, questionnaire, ["PROS-2.1"]) == {}
    view = peer_view(session, assessment, questionnaire, results_of(session, assessment))
    assert not any(view.strong_peers.values()) and (view.spreads, view.countries) == ({}, 0)


def test_a_workshop_assessment_never_counts_as_a_countrys_share(
    session: Session, make_user: Any, workshop_gap: tuple[Assessment, Any]
) -> None:
    workshop_assessment, participant = workshop_gap
    save_answer(session, participant, workshop_assessment, "PROS-2.1", AnswerFields(level=4), 1)
    workshop_assessment.sharing = "peers"  # whatever its settings say
    session.commit()
    national = assessment_of(session, make_user, "KHM", {"PROS-2.1": 1}, "private")
    questionnaire = get_questionnaire(session, "mini", "1")
    assert "THA" not in peer_strengths_for(session, national, questionnaire, ["PROS-2.1"])["PROS-2.1"]
    view = peer_view(session, national, questionnaire, results_of(session, national))
    assert view.countries == 3 and "Thailand" not in view.strong_peers["PROS-2.1"]
