"""What the route fuzz test sends: the hostile corpus, real ids for the path, and the pages' own forms."""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote

from flask import Flask
from werkzeug.routing import Rule

from app.core.limits import ANY_FIELD

# Values the views must parse and refuse clearly (each passes the request guard).
REACHING: list[str] = [
    "²",
    "٣",
    "𝟙",
    "1" * 5000,
    "99999999999999999999",
    "9223372036854775808",
    "-1",
    "--2",
    "-9223372036854775809",
    "",
    " 3 ",
    "1e400",
    "NaN",
    "\u202e<script>alert(1)</script>",
    "../../etc/passwd",
    '{"a":' * 50 + "1" + "}" * 50,
    "0",
    "y" * (ANY_FIELD // 2),  # past every field's own limit, within the guard's
]
# Values the request guard refuses with a 400 before any view runs.
BLOCKED: list[str] = ["\x00", "a\x00b", "\ud800", "x\udfffy", "x" * 1_000_000]
CORPUS = REACHING + BLOCKED
NESTED_JSON = b"[" * 100_000 + b"]" * 100_000
JSON_EXTRA: list[Any] = [10**30, -(2**63) - 1, 2**63, 1.5, 1e308, True, None, [], {"a": {"b": [1]}}]
JSON_DEFAULTS: dict[str, Any] = {"answer": "3", "version": 1, "comment": "ok", "evidence": "", "reason": ""}
QUERY_NAMES = ["q", "page", "next", "item", "into", "code", "prefer", "kind", "status", "year", "type", "country"]
# Fields the views read that a page may not show (added to every form).
FORM_NAMES = [
    *("title", "name", "note", "count", "code_days", "country", "questionnaire", "measures", "members"),
    *("direction", "decision", "action", "status", "email", "password", "comment", "reason", "value"),
    *("version", "answer", "into", "group", "rating", "target-PROS-1", "user-PROS-1", "due-PROS-1"),
    *("PROS-1.3-answer", "PROS-1.3-version", "PROS-1.3-choice", "PROS-1.3-workshop-version"),
    "PROS-1.3-cycle-version",
]


@dataclass(frozen=True)
class Route:
    endpoint: str
    method: str
    rule: Rule

    @property
    def is_api(self) -> bool:
        return self.rule.rule.startswith("/api/")

    @property
    def key(self) -> str:
        return f"{self.method} {self.rule.rule}"


# Routes that end the session: fuzzed last, so that every other route is fuzzed signed in.
SESSION_ENDING = frozenset({"auth.logout", "account.sign_out_everywhere"})


def routes(app: Flask) -> list[Route]:
    found = [
        Route(rule.endpoint, method, rule)
        for rule in app.url_map.iter_rules()
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
    ]
    return sorted(found, key=lambda route: (route.endpoint in SESSION_ENDING, route.rule.rule, route.method))


def valid_arguments(route: Route, world: dict[str, Any]) -> dict[str, str]:
    """Path parameters naming real things of the world, so hostile fields reach the view."""
    values = {
        **{name: world[name] for name in ("assessment_id", "action_id", "workshop_id", "group_id", "update_id")},
        "participant_id": world["participant_id"],
        "user_id": world["user_id"],
        "item_id": "PROS-1.3",
        "measure_id": "PROS-1",
        "pillar_id": "prosecution",
        "resource_id": "trafficking-protocol",
        "practice_id": "specialised-unit",
        "key": "trafficking-protocol",
        "set_id": "ilo",
        "code": world["join_code"] if route.endpoint == "workshops.join_page" else "THA",
        "filename": "css/ctsat.css",
        "kind": {"exports.download": "json", "reports.gap_editable": "xlsx"}.get(route.endpoint, "resources"),
    }
    if route.endpoint == "workshops.merge":
        values["assessment_id"] = world["workshop_assessment_id"]
    return {name: str(values.get(name, "1")) for name in route.rule.arguments}


def hostile_arguments(route: Route, offset: int) -> dict[str, str]:
    return {
        name: CORPUS[(offset + index) % len(CORPUS)][:5000] for index, name in enumerate(sorted(route.rule.arguments))
    }


@functools.cache
def _quote(value: str) -> str:
    """Percent-encoded UTF-8, lone surrogates included (as a hostile client would send them)."""
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def build_url(route: Route, arguments: dict[str, str]) -> str:
    url = route.rule.rule
    for name, value in arguments.items():
        url = re.sub(rf"<(?:[^>]+:)?{name}>", lambda _match, value=value: _quote(value), url)
    return url


def encoded(fields: dict[str, str]) -> str:
    return "&".join(f"{_quote(name)}={_quote(value)}" for name, value in fields.items())


def rotated(names: list[str], offset: int, blocked: bool) -> dict[str, str]:
    """Every name a REACHING value (rotated by offset); with ``blocked``, one of them a BLOCKED value."""
    values = {name: REACHING[(offset + index) % len(REACHING)] for index, name in enumerate(names)}
    if blocked and names:
        values[names[offset % len(names)]] = BLOCKED[offset % len(BLOCKED)]
    return values


def json_body(offset: int, blocked: bool) -> bytes:
    if blocked and offset % 2:
        return NESTED_JSON
    values: list[Any] = [*REACHING, *JSON_EXTRA]
    body = {name: values[(offset + index) % len(values)] for index, name in enumerate(JSON_DEFAULTS)}
    if blocked:
        body["comment"] = BLOCKED[offset % len(BLOCKED)]
    return json.dumps(body).encode()


class FormReader(HTMLParser):
    """The fields of a page's forms with the values a browser would send unchanged."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        name = found.get("name", "")
        if tag == "input" and name and name != "csrf_token":
            kind = found.get("type", "text")
            if kind not in ("radio", "checkbox", "submit", "file") or "checked" in found:
                self.values[name] = found.get("value", "")
            else:
                self.values.setdefault(name, "")
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and ("selected" in found or not self.values.get(self._select)):
            self.values[self._select] = found.get("value", "")
        elif tag == "textarea" and name:
            self._textarea, self.values[name] = name, ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea] += data


def form_defaults(html: str) -> dict[str, str]:
    reader = FormReader()
    reader.feed(html)
    return reader.values
