"""Invitations: an admin invites anyone, a coordinator invites officials of their own country; the
invited person sets their own password from a single-use link that expires; pending invitations
can be resent or withdrawn."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.models import Invitation, SecurityEvent, User
from tests.conftest import csrf_token, last_mail_to, link_in, login, outbox

NEW_PASSWORD = "lantern orbit pickle meadow"


def invite_fields(**changes: Any) -> dict[str, Any]:
    fields = {
        "email": "Somchai@Police.Example ",
        "name": "Somchai P.",
        "role": "official",
        "country_code": "THA",
        "agency": "Police",
        "language": "en",
    }
    return {**fields, **changes}


def post_form(client: FlaskClient, url: str, **fields: Any) -> Any:
    token = csrf_token(client.get(url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **fields})


def accept(app: Flask, link: str, name: str = "Somchai Prasert", password: str = NEW_PASSWORD) -> Any:
    visitor = app.test_client()
    token = csrf_token(visitor.get(link).get_data(as_text=True))
    data = {"name": name, "new_password": password, "confirm_password": password, "csrf_token": token}
    return visitor, visitor.post(link, data=data)


def test_an_admin_invites_and_the_person_sets_their_own_password(
    app: Flask, client: FlaskClient, session: Session, make_user: Any
) -> None:
    login(client, make_user("admin").email)
    response = post_form(client, "/invitations/", **invite_fields())
    assert response.status_code == 302
    mail = last_mail_to(app, "somchai@police.example")
    assert "invited" in mail["Subject"].lower()
    link = link_in(mail, "/invitation?")
    visitor, accepted = accept(app, link)
    assert accepted.status_code == 302 and accepted.headers["Location"] == "/"
    user = session.query(User).filter_by(email="somchai@police.example").one()
    assert (user.name, user.role, user.country_code, user.agency) == ("Somchai Prasert", "official", "THA", "Police")
    assert login(app.test_client(), user.email, NEW_PASSWORD).status_code == 302
    assert "My work" in visitor.get("/").get_data(as_text=True)


def test_the_link_works_once(app: Flask, client: FlaskClient, make_user: Any) -> None:
    login(client, make_user("admin").email)
    post_form(client, "/invitations/", **invite_fields())
    link = link_in(last_mail_to(app, "somchai@police.example"), "/invitation?")
    accept(app, link)
    again = app.test_client().get(link)
    assert again.status_code == 410 and "This link does not work any more" in again.get_data(as_text=True)


def test_the_link_expires_after_seven_days(app: Flask, client: FlaskClient, make_user: Any) -> None:
    login(client, make_user("admin").email)
    post_form(client, "/invitations/", **invite_fields())
    link = link_in(last_mail_to(app, "somchai@police.example"), "/invitation?")
    with time_machine.travel(timedelta(days=7, minutes=1)):
        assert app.test_client().get(link).status_code == 410
    assert app.test_client().get(link).status_code == 200


def test_a_resent_invitation_has_a_new_link_and_the_old_one_stops_working(
    app: Flask, client: FlaskClient, session: Session, make_user: Any
) -> None:
    login(client, make_user("admin").email)
    post_form(client, "/invitations/", **invite_fields())
    first = link_in(last_mail_to(app, "somchai@police.example"), "/invitation?")
    invitation = session.query(Invitation).one()
    post_form(client, f"/invitations/{invitation.id}/resend")
    second = link_in(last_mail_to(app, "somchai@police.example"), "/invitation?")
    assert first != second
    assert app.test_client().get(first).status_code == 410
    assert app.test_client().get(second).status_code == 200


def test_a_withdrawn_invitation_no_longer_opens(
    app: Flask, client: FlaskClient, session: Session, make_user: Any
) -> None:
    login(client, make_user("admin").email)
    post_form(client, "/invitations/", **invite_fields())
    link = link_in(last_mail_to(app, "somchai@police.example"), "/invitation?")
    invitation = session.query(Invitation).one()
    post_form(client, f"/invitations/{invitation.id}/withdraw")
    assert app.test_client().get(link).status_code == 410
    assert "No invitation is pending." in client.get("/invitations/").get_data(as_text=True)


def test_a_coordinator_invites_only_officials_of_their_own_country(
    app: Flask, client: FlaskClient, session: Session, make_user: Any
) -> None:
    login(client, make_user("coordinator", "THA").email)
    response = post_form(client, "/invitations/", **invite_fields(role="admin"))
    assert response.status_code == 400
    response = post_form(client, "/invitations/", **invite_fields(country_code="PHL"))
    assert response.status_code == 400
    response = post_form(client, "/invitations/", **invite_fields())
    assert response.status_code == 302
    assert session.query(Invitation).one().country_code == "THA"


def test_a_coordinator_cannot_touch_another_countrys_invitation(
    app: Flask, client: FlaskClient, session: Session, make_user: Any
) -> None:
    login(client, make_user("coordinator", "PHL").email)
    assert (
        post_form(client, "/invitations/", **invite_fields(email="maria@phl.example", country_code="PHL")).status_code
        == 302
    )
    other = app.test_client()
    login(other, make_user("coordinator", "THA").email)
    invitation = session.query(Invitation).one()
    token = csrf_token(other.get("/invitations/").get_data(as_text=True))
    assert other.post(f"/invitations/{invitation.id}/withdraw", data={"csrf_token": token}).status_code == 404
    assert "maria@phl.example" not in other.get("/invitations/").get_data(as_text=True)


def test_officials_editors_and_facilitators_cannot_invite(client: FlaskClient, make_user: Any) -> None:
    for role, country in (("official", "THA"), ("editor", None), ("facilitator", None)):
        login(client, make_user(role, country).email)
        assert client.get("/invitations/").status_code == 403
        client.post("/logout", data={"csrf_token": csrf_token(client.get("/account/").get_data(as_text=True))})


def test_an_address_with_an_account_or_a_pending_invitation_is_refused(
    app: Flask, client: FlaskClient, make_user: Any
) -> None:
    login(client, make_user("admin").email)
    make_user("official", "THA", email="taken@police.example")
    response = post_form(client, "/invitations/", **invite_fields(email="TAKEN@police.example"))
    assert response.status_code == 400 and "Another user already has this email address." in response.get_data(
        as_text=True
    )
    post_form(client, "/invitations/", **invite_fields())
    response = post_form(client, "/invitations/", **invite_fields())
    assert response.status_code == 400 and "pending invitation" in response.get_data(as_text=True)


def test_an_official_needs_a_country_and_a_facilitator_does_not(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    login(client, make_user("admin").email)
    response = post_form(client, "/invitations/", **invite_fields(country_code=""))
    assert response.status_code == 400 and "must belong to a country" in response.get_data(as_text=True)
    response = post_form(client, "/invitations/", **invite_fields(role="facilitator", country_code=""))
    assert response.status_code == 302 and session.query(Invitation).one().country_code is None


def test_a_weak_password_is_refused_and_the_link_still_works(app: Flask, client: FlaskClient, make_user: Any) -> None:
    login(client, make_user("admin").email)
    post_form(client, "/invitations/", **invite_fields())
    link = link_in(last_mail_to(app, "somchai@police.example"), "/invitation?")
    _, refused = accept(app, link, password="password1234")
    assert refused.status_code == 400 and "too easy to guess" in refused.get_data(as_text=True)
    assert app.test_client().get(link).status_code == 200


def test_an_invited_coordinator_must_set_up_a_second_factor_first(
    app: Flask, client: FlaskClient, make_user: Any
) -> None:
    login(client, make_user("admin").email)
    post_form(client, "/invitations/", **invite_fields(role="coordinator"))
    mail = last_mail_to(app, "somchai@police.example")
    assert "second factor" in mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    visitor, accepted = accept(app, link_in(mail, "/invitation?"))
    assert accepted.headers["Location"] == "/account/second-factor"
    assert visitor.get("/").headers["Location"] == "/account/second-factor"


def test_invitations_are_audited_and_the_token_is_never_stored(
    app: Flask, client: FlaskClient, session: Session, make_user: Any
) -> None:
    login(client, make_user("admin").email)
    post_form(client, "/invitations/", **invite_fields())
    link = link_in(last_mail_to(app, "somchai@police.example"), "/invitation?")
    accept(app, link)
    kinds = [event.kind for event in session.query(SecurityEvent).order_by(SecurityEvent.id)]
    assert "invitation_sent" in kinds and "invitation_accepted" in kinds
    token = link.rsplit("=", 1)[1]
    assert all(token not in invitation.token_hash for invitation in session.query(Invitation))
    assert len(outbox(app)) == 1
