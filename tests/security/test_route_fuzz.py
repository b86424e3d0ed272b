"""Every route of the URL map × every role × hostile values: never a 5xx.

Routes come from the app's URL map, so a new route is fuzzed the day it is added. Each route is
asked REQUESTS_PER_ROUTE times per role; in each request every path parameter, query argument,
form field and JSON field gets a value of the corpus, rotated so that across requests and roles
every field meets every value. Half the requests keep the path valid (real ids from a small
world), so the hostile values reach the views' parsing instead of stopping at a 404.

To add a role, add a line to ROLES.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from werkzeug.routing import Rule

from app.core.actions import ActionFields
from app.core.answers import AnswerFields
from app.models import User, WorkshopGroup
from app.services.assessments import save_answer
from app.services.catalog import get_questionnaire
from app.services.cycles import CycleSettings, start_cycle
from app.services.plans import add_action
from app.services.workshop_admission import JoinChoice, request_to_join
from app.services.workshops import WorkshopSettings, accept_terms, create_workshop, workshop_assessments
from tests.conftest import csrf_token, login

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
REQUESTS_PER_ROUTE = 4
NESTED = "[" * 100_000 + "]" * 100_000
CORPUS: list[str] = [
    "²",
    "٣",
    "𝟙",
    "1" * 5000,
    "99999999999999999999",
    "9223372036854775808",
    "-1",
    "--2",
    "-9223372036854775809",
    "\x00",
    "a\x00b",
    "\ud800",
    "x\udfffy",
    "x" * 1_000_000,
    "",
    " 3 ",
    "1e400",
    "NaN",
    "\u202e<script>alert(1)</script>",
    "../../etc/passwd",
    '{"a":' * 50 + "1" + "}" * 50,
    "0",
]
JSON_EXTRA: list[Any] = [10**30, -(2**63) - 1, 2**63, 1.5, 1e308, True, None, [], {"a": {"b": [1]}}]
QUERY_NAMES = ["q", "page", "next", "item", "into", "code", "prefer", "kind", "status", "year", "type", "country"]
FORM_NAMES = [
    "title",
    "name",
    "note",
    "count",
    "code_days",
    "country",
    "questionnaire",
    "measures",
    "members",
    "direction",
    "decision",
    "action",
    "status",
    "email",
    "password",
    "comment",
    "reason",
    "value",
    "version",
    "answer",
    "into",
    "group",
    "target-PROS-1",
    "user-PROS-1",
    "due-PROS-1",
    "PROS-1.3-answer",
    "PROS-1.3-version",
    "PROS-1.3-choice",
    "PROS-1.3-workshop-version",
    "PROS-1.3-cycle-version",
    "rating",
]
JSON_NAMES = ["answer", "version", "comment", "evidence", "value", "reason", "status"]
# Statuses that mean the role did not get past the door (a redirect to sign in counts as 401).
REFUSED = frozenset({401, 403, 404, 405})
FIELD_NAME = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"')


@dataclass(frozen=True)
class Route:
    endpoint: str
    method: str
    rule: Rule

    @property
    def is_api(self) -> bool:
        return self.rule.rule.startswith("/api/")


def routes(app: Flask) -> list[Route]:
    found = [
        Route(rule.endpoint, method, rule)
        for rule in app.url_map.iter_rules()
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
    ]
    # Signing out last keeps the role's session for every other route.
    return sorted(found, key=lambda route: (route.endpoint == "auth.logout", route.rule.rule, route.method))


@pytest.fixture
def world(session: Session, make_user: Any) -> dict[str, Any]:
    """Real ids for the path parameters: an assessment with an answer and a plan, a workshop, a group."""
    users = {role: make_user(*spec) for role, spec in ROLES.items() if spec is not None}
    coordinator, official, facilitator = users["coordinator"], users["official"], users["facilitator"]
    questionnaire = get_questionnaire(session, "mini", "1")
    settings = CycleSettings("Fuzzed review", [], "Confidential", "private", {})
    assessment = start_cycle(session, coordinator, "THA", questionnaire, settings)
    save_answer(session, official, assessment, "PROS-1.3", AnswerFields(level=2, comment="seen"), 0)
    action = add_action(session, coordinator, assessment, ActionFields(title="Train judges", measure_id="PROS-1"))
    workshop = create_workshop(
        session,
        facilitator,
        questionnaire,
        WorkshopSettings("Fuzz workshop", None, None, "Bangkok", False, [], ["THA", "PHL"]),
    )
    session.flush()
    request_to_join(session, official, workshop, JoinChoice("THA", "Police", "protection"))
    accept_terms(session, official, workshop)
    waiting = request_to_join(session, users["participant"], workshop, JoinChoice("THA", "Police", "prosecution"))
    group = WorkshopGroup(workshop_id=workshop.id, kind="custom", name="Mekong", members=["THA", "PHL"])
    session.add(group)
    session.commit()
    return {
        "users": users,
        "assessment_id": assessment.id,
        "workshop_assessment_id": workshop_assessments(session, workshop)["THA"].id,
        "action_id": action.id,
        "workshop_id": workshop.id,
        "group_id": group.id,
        "user_id": official.id,
        "update_id": 1,
        "join_code": workshop.join_code,
        "participant_id": waiting.id,
    }


def valid_arguments(route: Route, world: dict[str, Any]) -> dict[str, str]:
    values = {
        "assessment_id": world["assessment_id"],
        "action_id": world["action_id"],
        "workshop_id": world["workshop_id"],
        "group_id": world["group_id"],
        "user_id": world["user_id"],
        "update_id": world["update_id"],
        "participant_id": world["participant_id"],
        "item_id": "PROS-1.3",
        "measure_id": "PROS-1",
        "pillar_id": "prosecution",
        "resource_id": "trafficking-protocol",
        "practice_id": "specialised-unit",
        "key": "trafficking-protocol",
        "set_id": "ilo",
        "code": "THA",
        "filename": "css/ctsat.css",
        "kind": {"exports.download": "json", "reports.gap_editable": "xlsx"}.get(route.endpoint, "resources"),
    }
    if route.endpoint == "workshops.merge":
        values["assessment_id"] = world["workshop_assessment_id"]
    if route.endpoint == "workshops.join_page":
        values["code"] = world["join_code"]
    return {name: str(values.get(name, "1")) for name in route.rule.arguments}


def pick(offset: int, index: int) -> str:
    return CORPUS[(offset + index) % len(CORPUS)]


def build_url(route: Route, arguments: dict[str, str]) -> str:
    url = route.rule.rule
    for name, value in arguments.items():
        url = re.sub(rf"<(?:[^>]+:)?{name}>", lambda _match, value=value: _quote(value), url)
    return url


@functools.cache
def _quote(value: str) -> str:
    """Percent-encoded UTF-8, lone surrogates included (as a hostile client would send them)."""
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def encoded(fields: dict[str, str]) -> str:
    return "&".join(f"{_quote(name)}={_quote(value)}" for name, value in fields.items())


def path_arguments(route: Route, world: dict[str, Any], offset: int, hostile: bool) -> dict[str, str]:
    arguments = valid_arguments(route, world)
    if hostile:
        for index, name in enumerate(sorted(arguments)):
            value = pick(offset, index)
            arguments[name] = value if len(value) < 10_000 else value[:5000]
    return arguments


def query(offset: int) -> dict[str, str]:
    return {name: pick(offset + 3, index)[:5000] for index, name in enumerate(QUERY_NAMES)}


def form_names(client: FlaskClient, route: Route, url: str) -> list[str]:
    """FORM_NAMES plus the fields of the route's own page, when it has one the role can open."""
    names = list(FORM_NAMES)
    if route.method != "GET" and "GET" in (route.rule.methods or set()):
        page = client.get(url)
        if page.status_code == 200:
            names += FIELD_NAME.findall(page.get_data(as_text=True))
    return [name for name in dict.fromkeys(names) if name != "csrf_token"]


def json_body(offset: int) -> bytes:
    values: list[Any] = [*CORPUS, *JSON_EXTRA]
    if offset % 5 == 4:
        return NESTED.encode()
    body = {name: values[(offset + index) % len(values)] for index, name in enumerate(JSON_NAMES)}
    return json.dumps(body, ensure_ascii=True).encode()


@dataclass
class Tally:
    requests: int = 0
    values: int = 0
    failures: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Attempt:
    client: FlaskClient
    world: dict[str, Any]
    token: str
    form_names: dict[str, list[str]] = field(default_factory=dict)

    def names_for(self, route: Route) -> list[str]:
        key = f"{route.method} {route.rule.rule}"
        if key not in self.form_names:
            self.form_names[key] = form_names(self.client, route, build_url(route, valid_arguments(route, self.world)))
        return self.form_names[key]


def send(attempt: Attempt, route: Route, offset: int, hostile_path: bool, tally: Tally) -> Any:
    url = build_url(route, path_arguments(route, attempt.world, offset, hostile_path))
    client, headers = attempt.client, {"X-CSRFToken": attempt.token}
    tally.requests += 1
    tally.values += len(route.rule.arguments) if hostile_path else 0
    if route.method == "GET":
        tally.values += len(QUERY_NAMES)
        return client.get(f"{url}?{encoded(query(offset))}", headers=headers)
    if route.is_api:
        tally.values += len(JSON_NAMES)
        return client.open(
            url, method=route.method, data=json_body(offset), content_type="application/json", headers=headers
        )
    names = attempt.names_for(route)
    data = {name: pick(offset, index) for index, name in enumerate(names)}
    data["csrf_token"] = attempt.token
    tally.values += len(names)
    body = encoded(data).encode()
    return client.open(
        url, method=route.method, data=body, content_type="application/x-www-form-urlencoded", headers=headers
    )


def status_of(attempt: Attempt, route: Route, offset: int, hostile_path: bool, tally: Tally) -> int:
    """The response's status; a 5xx or an exception is recorded as a failure."""
    try:
        response = send(attempt, route, offset, hostile_path, tally)
    except Exception as error:  # noqa: BLE001 - an exception is a 500 a user would see
        tally.failures.append(f"{route.method} {route.rule.rule} (offset {offset}): {error!r}"[:300])
        return 500
    response.close()
    if response.status_code >= 500:
        tally.failures.append(f"{route.method} {route.rule.rule} (offset {offset}): {response.status_code}")
    if response.status_code == 302 and "/login" in response.headers.get("Location", ""):
        return 401
    return response.status_code


def fuzz_route(attempt: Attempt, route: Route, first_offset: int, tally: Tally) -> None:
    """A few values everywhere; the whole corpus on the fields of a route the role gets past the door of."""
    reached = False
    for index in range(REQUESTS_PER_ROUTE):
        hostile_path = index % 2 == 1
        status = status_of(attempt, route, first_offset + index, hostile_path, tally)
        reached = reached or (not hostile_path and status not in REFUSED)
    if reached:
        for index in range(REQUESTS_PER_ROUTE, REQUESTS_PER_ROUTE + len(CORPUS)):
            status_of(attempt, route, first_offset + index, False, tally)


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
    all_routes = routes(app)
    assert len(all_routes) >= 100, "the fuzz test should see every route"
    role_index, tally, attempt = list(ROLES).index(role), Tally(), Attempt(client, world, token)
    for route_index, route in enumerate(all_routes):
        fuzz_route(attempt, route, role_index * REQUESTS_PER_ROUTE + route_index, tally)
    figures = f"{len(all_routes)} routes, {tally.requests} requests, {tally.values} values"
    print(f"\nfuzz {role}: {figures}, 5xx {len(tally.failures)}")
    assert tally.failures == []
