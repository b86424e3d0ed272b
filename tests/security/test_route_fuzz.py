"""Every route of the URL map × every role × hostile values: never a 5xx.

Routes come from the app's URL map, so a new route is fuzzed the day it is added. For each route
and role (values from ``tests/security/fuzzing.py``):

1. At the door, four requests: real ids or hostile ones in the path, and in every query argument,
   form field and JSON field a hostile value, once with one value the request guard refuses
   (NUL, lone surrogate, 1 MB, nested JSON).
2. If the role gets past the door, the whole corpus: every field meets every value the guard
   lets through, rotated across the fields.
3. For a form (or the API) the role may send, each field alone hostile while the others keep the
   page's own values, so a hostile value is not hidden behind another field's refusal.

To add a role, add a line to ROLES.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.core.actions import ActionFields
from app.core.answers import AnswerFields
from app.models import User, WorkshopGroup
from app.services.assessments import save_answer
from app.services.catalog import get_questionnaire
from app.services.country_updates import submit_update
from app.services.cycles import CycleSettings, start_cycle
from app.services.plans import add_action
from app.services.workshop_admission import JoinChoice, request_to_join
from app.services.workshops import WorkshopSettings, accept_terms, create_workshop, workshop_assessments
from tests.conftest import csrf_token, login
from tests.security.fuzzing import (
    FORM_NAMES,
    JSON_DEFAULTS,
    QUERY_NAMES,
    REACHING,
    SESSION_ENDING,
    Route,
    build_url,
    encoded,
    form_defaults,
    hostile_arguments,
    json_body,
    rotated,
    routes,
    valid_arguments,
)

# role name -> (account role, country), None for a visitor who is not signed in.
ROLES: dict[str, tuple[str, str | None] | None] = {
    "anonymous": None,
    "official": ("official", "THA"),
    "coordinator": ("coordinator", "THA"),
    "facilitator": ("facilitator", None),
    "editor": ("editor", None),
    "admin": ("admin", None),
    "participant": ("participant", None),
}
DOOR_REQUESTS = 4
# Statuses that mean the role did not get past the door (a redirect to sign in counts as 401).
REFUSED = frozenset({401, 403, 404, 405})


@pytest.fixture
def world(session: Session, make_user: Any) -> dict[str, Any]:
    """Real ids for the path: an assessment with an answer and a plan, a workshop, a group, an update."""
    users = {role: make_user(*spec) for role, spec in ROLES.items() if spec is not None}
    coordinator, official, facilitator = users["coordinator"], users["official"], users["facilitator"]
    questionnaire = get_questionnaire(session, "mini", "1")
    settings = CycleSettings("Fuzzed review", [], "Confidential", "private", {})
    assessment = start_cycle(session, coordinator, "THA", questionnaire, settings)
    save_answer(session, official, assessment, "PROS-1.3", AnswerFields(level=2, comment="seen"), 0)
    action = add_action(session, coordinator, assessment, ActionFields(title="Train judges", measure_id="PROS-1"))
    workshop_settings = WorkshopSettings("Fuzz workshop", None, None, "Bangkok", False, [], ["THA", "PHL"])
    workshop = create_workshop(session, facilitator, questionnaire, workshop_settings)
    request_to_join(session, official, workshop, JoinChoice("THA", "Police", "protection"))
    accept_terms(session, official, workshop)
    waiting = request_to_join(session, users["participant"], workshop, JoinChoice("THA", "Police", "prosecution"))
    group = WorkshopGroup(workshop_id=workshop.id, kind="custom", name="Mekong", members=["THA", "PHL"])
    session.add(group)
    update = submit_update(session, coordinator, "THA", {"coordinating_body": "National committee"}, None)
    session.commit()
    return {
        "users": users,
        "assessment_id": assessment.id,
        "workshop_assessment_id": workshop_assessments(session, workshop)["THA"].id,
        "action_id": action.id,
        "workshop_id": workshop.id,
        "group_id": group.id,
        "user_id": official.id,
        "update_id": update.id,
        "join_code": workshop.join_code,
        "participant_id": waiting.id,
    }


@dataclass
class Tally:
    requests: int = 0
    values: int = 0
    failures: list[str] = field(default_factory=list)


@dataclass
class Fuzzer:
    """One role's client, sending requests to routes and counting what it sent and what failed."""

    client: FlaskClient
    world: dict[str, Any]
    token: str
    tally: Tally = field(default_factory=Tally)
    forms: dict[str, dict[str, str]] = field(default_factory=dict)

    def defaults(self, route: Route) -> dict[str, str]:
        """The fields of the route's own page (when the role can open it) with their values."""
        if route.key not in self.forms:
            found: dict[str, str] = {}
            if "GET" in (route.rule.methods or set()):
                page = self.client.get(build_url(route, valid_arguments(route, self.world)))
                if page.status_code == 200 and page.mimetype == "text/html":
                    found = form_defaults(page.get_data(as_text=True))
            self.forms[route.key] = found
        return self.forms[route.key]

    def send(self, route: Route, url: str, fields: dict[str, str] | bytes, hostile: int) -> int:
        """The status of one request; a 5xx or an exception is recorded as a failure."""
        self.tally.requests += 1
        self.tally.values += hostile
        headers = {"X-CSRFToken": self.token}
        try:
            if route.method == "GET":
                assert isinstance(fields, dict)
                response = self.client.get(f"{url}?{encoded(fields)}", headers=headers)
            elif isinstance(fields, bytes):
                response = self.client.open(
                    url, method=route.method, data=fields, content_type="application/json", headers=headers
                )
            else:
                body = encoded({**fields, "csrf_token": self.token}).encode()
                kind = "application/x-www-form-urlencoded"
                response = self.client.open(url, method=route.method, data=body, content_type=kind, headers=headers)
        except Exception as error:  # noqa: BLE001 - an exception is a 500 a user would see
            self.tally.failures.append(f"{route.key} {url[:80]}: {error!r}"[:300])
            return 500
        response.close()
        if response.status_code >= 500:
            sent = fields[:80] if isinstance(fields, bytes) else {k: v[:20] for k, v in fields.items() if v}
            self.tally.failures.append(f"{route.key} {url[:80]} {sent!r:.300}: {response.status_code}")
        if response.status_code == 302 and "/login" in response.headers.get("Location", ""):
            return 401
        return response.status_code

    def names(self, route: Route) -> list[str]:
        if route.method == "GET":
            return QUERY_NAMES
        return list(dict.fromkeys([*self.defaults(route), *FORM_NAMES]))

    def rotated_request(self, route: Route, offset: int, hostile_path: bool, blocked: bool) -> int:
        arguments = hostile_arguments(route, offset) if hostile_path else valid_arguments(route, self.world)
        url = build_url(route, arguments)
        path_values = len(arguments) if hostile_path else 0
        if route.is_api and route.method != "GET":
            return self.send(route, url, json_body(offset, blocked), path_values + len(JSON_DEFAULTS))
        names = self.names(route)
        return self.send(route, url, rotated(names, offset, blocked), path_values + len(names))

    def one_field_at_a_time(self, route: Route, offset: int) -> None:
        url = build_url(route, valid_arguments(route, self.world))
        if route.is_api:
            for index, name in enumerate(JSON_DEFAULTS):
                body = {**JSON_DEFAULTS, name: REACHING[(offset + index) % len(REACHING)]}
                self.send(route, url, _json(body), 1)
            return
        defaults = self.defaults(route)
        for index, name in enumerate(defaults):
            self.send(route, url, {**defaults, name: REACHING[(offset + index) % len(REACHING)]}, 1)

    def fuzz(self, route: Route, offset: int) -> None:
        reached = False
        for index in range(DOOR_REQUESTS):
            hostile_path, blocked = index % 2 == 1, index >= 2
            status = self.rotated_request(route, offset + index, hostile_path, blocked)
            reached = reached or (not hostile_path and status not in REFUSED)
        if not reached:
            return
        for index in range(len(REACHING)):
            self.rotated_request(route, offset + index, False, False)
        if route.method != "GET":
            self.one_field_at_a_time(route, offset)


def _json(body: dict[str, Any]) -> bytes:
    return json.dumps(body).encode()


def signed_in_client(app: Flask, world: dict[str, Any], role: str) -> tuple[FlaskClient, str]:
    client = app.test_client()
    if ROLES[role] is not None:
        user: User = world["users"][role]
        assert login(client, user.email).status_code == 302
    home = client.get("/")
    page = home if home.status_code == 200 else client.get("/login")
    return client, csrf_token(page.get_data(as_text=True))


@pytest.mark.parametrize("role", list(ROLES))
def test_no_route_answers_hostile_input_with_a_server_error(app: Flask, world: dict[str, Any], role: str) -> None:
    client, token = signed_in_client(app, world, role)
    fuzzer, all_routes = Fuzzer(client, world, token), routes(app)
    assert len(all_routes) >= 100, "the fuzz test should see every route"
    role_index, signed_out_by = list(ROLES).index(role), []
    for route_index, route in enumerate(all_routes):
        fuzzer.fuzz(route, role_index * DOOR_REQUESTS + route_index)
        if (
            ROLES[role] is not None
            and route.endpoint not in SESSION_ENDING
            and client.get("/account/").status_code != 200
        ):
            signed_out_by.append(route.key)  # hostile input may end a session; the next route is fuzzed signed in
            fuzzer.client, fuzzer.token = signed_in_client(app, world, role)
            client = fuzzer.client
    print(f"\nsigned out by (then signed in again): {signed_out_by}")
    tally = fuzzer.tally
    figures = f"{len(all_routes)} routes, {tally.requests} requests, {tally.values} values"
    print(f"\nfuzz {role}: {figures}, 5xx {len(tally.failures)}")
    assert tally.failures == []
