"""The home page with nothing to list still tells each person what to do next."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests.conftest import login


def home_of(client: FlaskClient, user: Any) -> str:
    login(client, user.email)
    return client.get("/").get_data(as_text=True)


def test_a_coordinator_without_an_assessment_is_told_to_start_one(client: FlaskClient, make_user: Any) -> None:
    page = home_of(client, make_user("coordinator", "THA"))
    assert "start one with the button above" in page
    assert "Your country coordinator can start one" not in page, "they are the coordinator"


def test_an_official_without_an_assessment_is_sent_to_their_coordinator(client: FlaskClient, make_user: Any) -> None:
    assert "Your country coordinator can start one" in home_of(client, make_user("official", "THA"))


def test_a_participant_reads_where_to_answer_before_their_workshops(client: FlaskClient, make_user: Any) -> None:
    page = home_of(client, make_user("participant"))
    explanation = page.index("answer your workshop's assessment from the workshop's page")
    assert explanation < page.index("Your workshops")
