"""Single-use links (password resets, invitations) seen from outside: a link is only as good as the
account and the person behind it are now, and nobody but its addressee reads it in the app."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Invitation
from app.services import administration
from app.services.administration import UserFields
from app.web.admin.security import outbox_text_hidden
from tests.conftest import csrf_token, last_mail_to, link_in, login
from tests.integration.test_password_reset import ask_for_reset


def test_a_reset_link_to_the_old_address_stops_working_when_the_address_changes(
    app: Flask, session: Session, make_user: Any
) -> None:
    """Whoever still reads the old mailbox (a former colleague, a lost account) cannot take the account."""
    user = make_user("official", "THA", email="old.address@test.example")
    ask_for_reset(app, "old.address@test.example")
    link = link_in(last_mail_to(app, "old.address@test.example"), "/reset-password?")
    fields = UserFields("new.address@test.example", user.name, "official", "THA", None, "en")
    administration.update_account(session, make_user("admin"), user.id, fields, app.config["LANGUAGES"])
    session.commit()
    assert app.test_client().get(link).status_code == 410


def test_a_reset_link_stops_working_once_the_password_is_changed_another_way(
    app: Flask, client: FlaskClient, make_user: Any
) -> None:
    user = make_user("official", "THA")
    ask_for_reset(app, user.email)
    link = link_in(last_mail_to(app, user.email), "/reset-password?")
    login(client, user.email)
    page = client.get("/account/password").get_data(as_text=True)
    new = "lantern orbit pickle meadow"
    data = {"current_password": "correct horse battery", "new_password": new, "confirm_password": new}
    assert client.post("/account/password", data={**data, "csrf_token": csrf_token(page)}).status_code in (200, 302)
    assert app.test_client().get(link).status_code == 410


def invite_as(client: FlaskClient, email: str) -> Any:
    page = client.get("/invitations/").get_data(as_text=True)
    data = {"email": email, "name": "Somchai P.", "role": "official", "country_code": "THA", "language": "en"}
    return client.post("/invitations/", data={**data, "agency": "", "csrf_token": csrf_token(page)})


CHANGES = {
    "deactivated": {"active": False},
    "no longer coordinator": {"role": "official"},
    "moved": {"country_code": "PHL"},
}


@pytest.mark.parametrize("change", CHANGES)
def test_an_invitation_is_void_once_its_inviter_may_no_longer_invite_for_it(
    app: Flask, client: FlaskClient, session: Session, make_user: Any, change: str
) -> None:
    """A coordinator who left (or moved) no longer lets people into their old country's data."""
    coordinator = make_user("coordinator", "THA")
    login(client, coordinator.email)
    assert invite_as(client, "somchai@police.example").status_code == 302
    link = link_in(last_mail_to(app, "somchai@police.example"), "/invitation?")
    for name, value in CHANGES[change].items():
        setattr(coordinator, name, value)
    session.commit()
    assert app.test_client().get(link).status_code == 410


def test_the_countrys_new_coordinator_sends_it_again_and_answers_for_it(
    app: Flask, client: FlaskClient, session: Session, make_user: Any
) -> None:
    leaving = make_user("coordinator", "THA")
    login(client, leaving.email)
    invite_as(client, "somchai@police.example")
    invitation = session.scalars(select(Invitation)).one()
    leaving.active = False
    session.commit()
    successor = app.test_client()
    login(successor, make_user("coordinator", "THA").email)
    page = successor.get("/invitations/").get_data(as_text=True)
    assert "somchai@police.example" in page
    resent = successor.post(f"/invitations/{invitation.id}/resend", data={"csrf_token": csrf_token(page)})
    assert resent.status_code == 302
    link = link_in(last_mail_to(app, "somchai@police.example"), "/invitation?")
    assert app.test_client().get(link).status_code == 200


def outbox_page_of_last_mail(client: FlaskClient) -> str:
    listing = client.get("/admin/outbox").get_data(as_text=True)
    name = listing.split('href="/admin/outbox/')[1].split('"')[0]
    return str(client.get(f"/admin/outbox/{name}").get_data(as_text=True))


def test_the_outbox_never_shows_an_administrator_a_working_reset_link(
    app: Flask, client: FlaskClient, make_user: Any
) -> None:
    """An administrator who could read someone's reset link could sign in as them (and answer for a
    country, which administrators never do): the outbox page hides the link's secret."""
    official = make_user("official", "THA")
    ask_for_reset(app, official.email)
    token = link_in(last_mail_to(app, official.email), "/reset-password?").split("token=")[1]
    login(client, make_user("admin").email)
    page = outbox_page_of_last_mail(client)
    assert "/reset-password?token=" in page and token not in page


def test_the_outbox_hides_invitation_and_registration_links_too(
    app: Flask, client: FlaskClient, make_user: Any
) -> None:
    login(client, make_user("admin").email)
    page = client.get("/invitations/").get_data(as_text=True)
    data = {"email": "somchai@police.example", "name": "S", "role": "official", "country_code": "THA"}
    client.post("/invitations/", data={**data, "language": "en", "agency": "", "csrf_token": csrf_token(page)})
    token = link_in(last_mail_to(app, "somchai@police.example"), "/invitation?").split("token=")[1]
    assert token not in outbox_page_of_last_mail(client)
    assert outbox_text_hidden("see http://x.example/workshops/confirm/eyJhIjoxfQ.Zx-1_a now") == (
        "see http://x.example/workshops/confirm/… now"
    )
