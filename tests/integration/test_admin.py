"""Administration: only administrators manage users and countries; reset links, never a password; safe self-edits."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.core.errors import PermissionDenied
from app.models import Country, User
from app.services import administration
from app.services.assessments import start_assessment
from app.services.catalog import get_questionnaire
from tests.conftest import PASSWORD, csrf_token, login, outbox

NON_ADMIN_ROLES = [("official", "THA"), ("coordinator", "THA"), ("facilitator", None), ("editor", None)]


def signed_in_admin(client: FlaskClient, make_user: Any) -> User:
    admin: User = make_user("admin", email="admin@test.example")
    login(client, admin.email)
    return admin


def post_form(client: FlaskClient, url: str, **fields: Any) -> Any:
    """Post the form at ``url`` as a browser would, with its CSRF token and the given fields."""
    token = csrf_token(client.get(url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **fields})


def edit_fields(user: User, **changes: Any) -> dict[str, Any]:
    """What the edit form sends back unchanged for this user, with the given changes."""
    fields = {
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "country_code": user.country_code or "",
        "agency": user.agency or "",
        "language": user.language,
        "active": "y" if user.active else "",
    }
    fields.update(changes)
    return {name: value for name, value in fields.items() if not (name == "active" and not value)}


def signs_in(app: Flask, email: str, password: str) -> bool:
    return login(app.test_client(), email, password).status_code == 302


def stored(session: Session, user_id: int) -> User:
    session.expire_all()
    user = session.get(User, user_id)
    assert user is not None
    return user


@pytest.mark.parametrize(("role", "country"), NON_ADMIN_ROLES)
def test_every_admin_page_and_action_is_forbidden_to_other_roles(
    client: FlaskClient, make_user: Any, role: str, country: str | None
) -> None:
    someone = make_user("official", "PHL")
    login(client, make_user(role, country).email)
    token = csrf_token(client.get("/").get_data(as_text=True))
    pages = ["/admin/", "/admin/users", f"/admin/users/{someone.id}", "/admin/countries"]
    pages += ["/admin/countries/THA", "/admin/security", "/admin/tasks", "/admin/outbox"]
    actions = [f"/admin/users/{someone.id}", f"/admin/users/{someone.id}/reset-password"]
    actions += ["/admin/countries/THA", f"/admin/users/{someone.id}/reset-second-factor"]
    statuses = {f"GET {url}": client.get(url).status_code for url in pages}
    statuses.update({f"POST {url}": client.post(url, data={"csrf_token": token}).status_code for url in actions})
    assert statuses == {key: 403 for key in statuses}


def test_the_refusal_says_administrators_only(client: FlaskClient, make_user: Any) -> None:
    login(client, make_user("coordinator", "THA").email)
    assert "Only administrators can manage users and countries" in client.get("/admin/users").get_data(as_text=True)


def test_anonymous_visitors_are_sent_to_sign_in(client: FlaskClient) -> None:
    response = client.get("/admin/users")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_the_admin_home_links_to_users_invitations_countries_and_security(client: FlaskClient, make_user: Any) -> None:
    signed_in_admin(client, make_user)
    page = client.get("/admin/").get_data(as_text=True)
    assert 'href="/admin/users"' in page and 'href="/admin/countries"' in page and 'href="/invitations/"' in page
    assert 'href="/admin/security"' in page and 'href="/admin/tasks"' in page


def test_an_admin_changes_a_users_role_country_agency_and_status(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    signed_in_admin(client, make_user)
    user = make_user("official", "THA")
    url = f"/admin/users/{user.id}"
    changes = edit_fields(user, role="coordinator", country_code="PHL", agency="Immigration", active="")
    response = post_form(client, url, **changes)
    assert response.status_code == 302 and response.headers["Location"] == url
    changed = stored(session, user.id)
    assert (changed.role, changed.country_code, changed.agency, changed.active) == (
        "coordinator",
        "PHL",
        "Immigration",
        False,
    )


def test_a_deactivated_user_can_no_longer_sign_in(app: Flask, client: FlaskClient, make_user: Any) -> None:
    signed_in_admin(client, make_user)
    user = make_user("official", "THA")
    post_form(client, f"/admin/users/{user.id}", **edit_fields(user, active=""))
    assert not signs_in(app, user.email, PASSWORD)


def test_an_edit_to_another_users_email_is_refused(client: FlaskClient, session: Session, make_user: Any) -> None:
    signed_in_admin(client, make_user)
    user = make_user("official", "THA")
    other = make_user("official", "THA")
    response = post_form(client, f"/admin/users/{user.id}", **edit_fields(user, email=other.email.upper()))
    assert response.status_code == 400
    assert "Another user already has this email address." in response.get_data(as_text=True)
    assert stored(session, user.id).email != other.email


def test_an_admin_cannot_demote_themselves(client: FlaskClient, session: Session, make_user: Any) -> None:
    admin = signed_in_admin(client, make_user)
    response = post_form(client, f"/admin/users/{admin.id}", **edit_fields(admin, role="editor"))
    assert response.status_code == 400
    assert "You cannot take the administrator role away from yourself" in response.get_data(as_text=True)
    assert stored(session, admin.id).role == "admin"


def test_an_admin_cannot_deactivate_themselves(client: FlaskClient, session: Session, make_user: Any) -> None:
    admin = signed_in_admin(client, make_user)
    response = post_form(client, f"/admin/users/{admin.id}", **edit_fields(admin, active=""))
    assert response.status_code == 400
    assert "You cannot deactivate your own account" in response.get_data(as_text=True)
    assert stored(session, admin.id).active


def test_an_unknown_user_is_not_found(client: FlaskClient, make_user: Any) -> None:
    signed_in_admin(client, make_user)
    assert client.get("/admin/users/999999").status_code == 404


def test_a_password_reset_sends_the_user_a_link_and_shows_the_admin_no_password(
    app: Flask, client: FlaskClient, make_user: Any
) -> None:
    signed_in_admin(client, make_user)
    user = make_user("official", "THA")
    response = post_form(client, f"/admin/users/{user.id}/reset-password")
    assert response.status_code == 302
    (mail,) = [message for message in outbox(app) if message["To"] == user.email]
    link = re.search(r"http://localhost(/reset-password\?\S+)", mail.get_body(("plain",)).get_content()).group(1)
    visitor = app.test_client()
    token = csrf_token(visitor.get(link).get_data(as_text=True))
    new = "lantern orbit pickle meadow"
    assert (
        visitor.post(link, data={"new_password": new, "confirm_password": new, "csrf_token": token}).status_code == 302
    )
    assert signs_in(app, user.email, new)
    assert not signs_in(app, user.email, PASSWORD)


def test_a_password_reset_needs_the_csrf_token(app: Flask, client: FlaskClient, make_user: Any) -> None:
    signed_in_admin(client, make_user)
    user = make_user("official", "THA")
    assert client.post(f"/admin/users/{user.id}/reset-password").status_code == 400
    assert signs_in(app, user.email, PASSWORD)


def test_the_user_list_filters_by_role_country_and_text(client: FlaskClient, make_user: Any) -> None:
    signed_in_admin(client, make_user)
    make_user("official", "THA", email="anong@tha.example")
    make_user("official", "PHL", email="maria@phl.example")
    make_user("coordinator", "THA", email="boon@tha.example")
    page = client.get("/admin/users?role=official&country=THA").get_data(as_text=True)
    assert "anong@tha.example" in page and "maria@phl.example" not in page and "boon@tha.example" not in page
    page = client.get("/admin/users?q=MARIA").get_data(as_text=True)
    assert "maria@phl.example" in page and "anong@tha.example" not in page


def test_the_user_list_shows_fifty_to_a_page(client: FlaskClient, session: Session, make_user: Any) -> None:
    signed_in_admin(client, make_user)
    for number in range(55):
        session.add(User(email=f"p{number:02}@x.example", name=f"Person {number:02}", password_hash="x", role="editor"))
    session.commit()
    first = client.get("/admin/users?role=editor").get_data(as_text=True)
    second = client.get("/admin/users?role=editor&page=2").get_data(as_text=True)
    assert first.count("@x.example</td>") == 50 and second.count("@x.example</td>") == 5
    assert "55 users found" in first and "page=2" in first and "role=editor" in first


def test_an_unknown_role_filter_is_a_clear_400(client: FlaskClient, make_user: Any) -> None:
    signed_in_admin(client, make_user)
    response = client.get("/admin/users?role=king")
    assert response.status_code == 400 and "Not a valid choice" in response.get_data(as_text=True)


def test_the_countries_list_counts_users_and_assessments(client: FlaskClient, session: Session, make_user: Any) -> None:
    signed_in_admin(client, make_user)
    coordinator = make_user("coordinator", "IDN")
    make_user("official", "IDN")
    start_assessment(session, coordinator, "IDN", get_questionnaire(session, "mini", "1"), "Review", [])
    session.commit()
    page = client.get("/admin/countries").get_data(as_text=True)
    row = re.search(r'<a href="/admin/countries/IDN">Indonesia</a>.*?</tr>', page, re.S)
    assert row, "Indonesia is not listed"
    assert re.findall(r'<td class="num">(?:<a[^>]*>)?(\d+)', row.group(0)) == ["2", "1"]


def test_an_admin_edits_a_countrys_name_subregion_and_kind(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    signed_in_admin(client, make_user)
    response = post_form(client, "/admin/countries/PHL", name="Republic of the Philippines", subregion="", kind="state")
    assert response.status_code == 302
    session.expire_all()
    country = session.get(Country, "PHL")
    assert country is not None
    assert (country.name, country.subregion, country.kind) == ("Republic of the Philippines", None, "state")


def test_a_country_needs_a_name_and_a_known_kind(client: FlaskClient, session: Session, make_user: Any) -> None:
    signed_in_admin(client, make_user)
    response = post_form(client, "/admin/countries/PHL", name=" ", subregion="Pacific", kind="empire")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter the country" in page and "Not a valid choice" in page and 'value="Pacific"' in page
    session.expire_all()
    assert session.get(Country, "PHL").name == "Philippines"  # type: ignore[union-attr]


def test_an_unknown_country_is_not_found(client: FlaskClient, make_user: Any) -> None:
    signed_in_admin(client, make_user)
    assert client.get("/admin/countries/XYZ").status_code == 404


def test_the_use_cases_refuse_non_administrators_without_the_web(session: Session, make_user: Any) -> None:
    editor = make_user("editor")
    with pytest.raises(PermissionDenied):
        administration.list_users(session, editor, administration.UserQuery())
    with pytest.raises(PermissionDenied):
        administration.get_account(session, editor, editor.id)
