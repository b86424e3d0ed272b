"""The autosave checks "may this user answer now?" inside its one SQL statement
(``security.may_answer_now``); it must give the same answer as ``security.can_answer``
for every role, country, status, active flag and workshop membership."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Answer, Assessment, User, Workshop, WorkshopAssessment, WorkshopParticipant
from app.security import COUNTRY_ROLES, can_answer, may_answer_now
from tests.conftest import csrf_token, login
from tests.integration.test_api import new_assessment, put

ROLES = ("official", "coordinator", "facilitator", "editor", "admin", "participant")


def _assessment(session: Session, country: str, status: str, creator: User) -> Assessment:
    assessment = Assessment(
        country_code=country,
        questionnaire_id="mini",
        questionnaire_version="1",
        title=f"{country} {status}",
        roles=[],
        created_by=creator.id,
        status=status,
    )
    session.add(assessment)
    session.flush()
    return assessment


def _workshop_for(session: Session, assessment: Assessment, facilitator: User) -> Workshop:
    workshop = Workshop(
        title="Regional workshop",
        questionnaire_id="mini",
        questionnaire_version="1",
        invited_countries=[assessment.country_code],
        join_code=f"CODE{assessment.id}",
        code_expires_at=datetime.now(UTC) + timedelta(days=1),
        facilitator_id=facilitator.id,
    )
    session.add(workshop)
    session.flush()
    session.add(WorkshopAssessment(workshop_id=workshop.id, assessment_id=assessment.id, country_code="THA"))
    return workshop


def test_the_sql_form_agrees_with_can_answer_everywhere(session: Session, make_user: Any) -> None:
    countries: tuple[str | None, ...] = ("THA", "PHL", None)
    users = [
        make_user(role, country) for role in ROLES for country in countries if country or role not in COUNTRY_ROLES
    ]
    inactive = make_user("official", "THA")
    inactive.active = False
    users.append(inactive)
    facilitator = make_user("facilitator")
    assessments = [_assessment(session, "THA", status, facilitator) for status in ("draft", "submitted", "final")]
    workshop = _workshop_for(session, assessments[0], facilitator)
    # Rows a join form could once write for anyone, and participants in each state of admission,
    # having accepted the workshop's sharing terms or not.
    accepted = datetime.now(UTC)
    joined = [
        (make_user("editor"), "admitted", accepted),
        (make_user("facilitator"), "admitted", accepted),
        (make_user("official", "PHL"), "admitted", accepted),
        (make_user("participant"), "admitted", accepted),
        (make_user("participant"), "admitted", None),
        (make_user("participant"), "pending", accepted),
        (make_user("participant"), "declined", accepted),
    ]
    for user, status, terms_accepted_at in joined:
        session.add(
            WorkshopParticipant(
                workshop_id=workshop.id,
                user_id=user.id,
                country_code="THA",
                pillar_id="pros",
                status=status,
                terms_accepted_at=terms_accepted_at,
            )
        )
        users.append(user)
    session.flush()

    disagreements = []
    allowed = 0
    for user in users:
        for assessment in assessments:
            in_sql = bool(session.scalar(select(may_answer_now(user.id, assessment.id, user.session_generation))))
            allowed += in_sql
            if in_sql != can_answer(user, assessment):
                disagreements.append((user.role, user.country_code, user.active, assessment.status))
    assert disagreements == []
    # Both forms allow exactly: THA's official and coordinator, and the admitted participant who
    # accepted the terms, on the draft.
    assert allowed == 3


def test_a_session_of_an_earlier_generation_may_not_answer(session: Session, make_user: Any) -> None:
    official = make_user("official", "THA")
    draft = _assessment(session, "THA", "draft", official)
    assert session.scalar(select(may_answer_now(official.id, draft.id, official.session_generation)))
    assert not session.scalar(select(may_answer_now(official.id, draft.id, official.session_generation - 1)))


def test_nobody_may_answer_an_assessment_that_does_not_exist(session: Session, make_user: Any) -> None:
    user = make_user("admin")
    assert not session.scalar(select(may_answer_now(user.id, 987654, user.session_generation)))


def test_a_user_deactivated_mid_session_can_no_longer_autosave(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    """The autosave does not reload the user, so its statement must see the deactivation."""
    assessment = new_assessment(session, make_user)
    official = make_user("official", "THA")
    login(client, official.email)
    token = csrf_token(client.get("/").get_data(as_text=True))
    assert put(client, assessment, "PROS-1.3", {"answer": "2", "version": 0}, token).status_code == 200
    assert put(client, assessment, "PROS-1.3", {"answer": "3", "version": 1}, token).status_code == 200
    official.active = False
    session.commit()
    refused = put(client, assessment, "PROS-1.3", {"answer": "4", "version": 2}, token)
    assert refused.status_code == 401
    session.expire_all()
    level = session.scalar(select(Answer.level).filter_by(assessment_id=assessment.id, item_id="PROS-1.3"))
    assert level == 3
