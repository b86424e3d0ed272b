"""Someone moved to another country, or to another role, loses their old country's work at once.

Assignments are rows that outlive a move: they must not keep showing (on My work) or e-mailing
(reminders, a measure sent back) the title of another country's assessment.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Assessment, Assignment, Notification, User
from app.services import administration, notifications
from app.services.administration import UserFields
from app.services.catalog import get_questionnaire
from app.services.cycles import CycleSettings, assign, start_cycle
from app.services.notifications import my_work
from tests.conftest import login

SECRET_TITLE = "Secret review of Thailand"


@pytest.fixture
def assigned(session: Session, make_user: Any) -> tuple[Assessment, User, User]:
    """Thailand's cycle with a measure assigned to an official (due tomorrow): (cycle, coordinator, official)."""
    coordinator = make_user("coordinator", "THA")
    settings = CycleSettings(SECRET_TITLE, [], "Confidential", "private", {})
    assessment = start_cycle(session, coordinator, "THA", get_questionnaire(session, "mini", "1"), settings)
    official = make_user("official", "THA")
    assign(session, coordinator, assessment, "PROS-1", [official], date.today() + timedelta(days=1))
    session.commit()
    return assessment, coordinator, official


MOVES = {"another country": {"country_code": "PHL"}, "participant": {"role": "participant", "country_code": None}}


@pytest.mark.parametrize("move", MOVES)
def test_my_work_no_longer_lists_the_old_countrys_assignment(
    client: FlaskClient, session: Session, assigned: tuple[Assessment, User, User], move: str
) -> None:
    _assessment, _coordinator, official = assigned
    assert my_work(session, official, date.today(), []).assignments  # before the move
    for name, value in MOVES[move].items():
        setattr(official, name, value)
    session.commit()
    assert not my_work(session, official, date.today(), []).assignments
    login(client, official.email)
    assert SECRET_TITLE not in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("move", MOVES)
def test_no_reminder_about_the_old_countrys_assignment(
    session: Session, assigned: tuple[Assessment, User, User], move: str
) -> None:
    _assessment, _coordinator, official = assigned
    assert [user.id for *_rest, user in notifications.reminders_due(session, date.today())] == [official.id]
    for name, value in MOVES[move].items():
        setattr(official, name, value)
    session.commit()
    assert notifications.reminders_due(session, date.today()) == []


def test_a_measure_sent_back_is_told_only_to_assignees_still_of_the_country(
    session: Session, assigned: tuple[Assessment, User, User]
) -> None:
    _assessment, _coordinator, official = assigned
    assignment = session.scalars(select(Assignment)).one()
    assert notifications.assignees_of(session, assignment) == [official]
    official.country_code = "PHL"
    session.commit()
    assert notifications.assignees_of(session, assignment) == []


def test_notices_waiting_for_the_digest_are_dropped_when_the_person_moves(
    app: Flask, session: Session, make_user: Any, assigned: tuple[Assessment, User, User]
) -> None:
    """A notice kept for tomorrow's digest was written for what the person could see then."""
    _assessment, _coordinator, official = assigned
    session.add(Notification(user_id=official.id, kind="assigned", key="1:PROS-1", subject="x", text=SECRET_TITLE))
    session.commit()
    assert official.id in notifications.waiting_digests(session)
    fields = UserFields(official.email, official.name, "official", "PHL", None, "en")
    administration.update_account(session, make_user("admin"), official.id, fields, app.config["LANGUAGES"])
    session.commit()
    assert official.id not in notifications.waiting_digests(session)
