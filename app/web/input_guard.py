"""Refuse input no field can hold, before any view sees it.

A NUL character (PostgreSQL text refuses it) or a lone surrogate (no UTF-8 encoding exists) in the
address, the query, a form field, a file name or a JSON string; a field longer than
``app.core.limits.ANY_FIELD`` (each field has a smaller limit of its own, checked where it is
used); and JSON nested deeper than :data:`MAX_JSON_DEPTH` (Python's parser would hit its
recursion limit). Each is answered with a
400 naming the field: the HTML error page for pages, a JSON error for the API.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from flask import Flask, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from app.core.limits import ANY_FIELD
from app.core.text import has_forbidden_character
from app.web.errors import error_response

MAX_JSON_DEPTH = 20
# Pages that read their query as search text and drop what cannot be searched for themselves:
# a visitor's odd query still gets a page of results (tests/integration/test_search.py).
CLEANS_OWN_QUERY = frozenset({"search.results"})
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(rb"[\[\]{}]")


def json_too_deep(data: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether the JSON text ``data`` nests arrays and objects more than ``limit`` deep."""
    if data.count(b"[") + data.count(b"{") <= limit:
        return False
    depth = 0
    for bracket in _BRACKETS.findall(_JSON_STRING.sub(b'""', data)):
        depth += 1 if bracket in (b"[", b"{") else -1
        if depth > limit:
            return True
    return False


def _json_strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """(field path, text) for every key and string in a parsed JSON value."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            yield name, str(key)
            yield from _json_strings(item, name)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _json_strings(item, f"{path}[{index}]")


def _request_texts() -> Iterator[tuple[str, str]]:
    """(field name, text) for everything the request carries as text."""
    yield "address", request.path
    sources = (request.form,) if request.endpoint in CLEANS_OWN_QUERY else (request.args, request.form)
    for source in sources:
        for key, value in source.items(multi=True):
            yield key, key
            yield key, value
    for key, upload in request.files.items(multi=True):
        yield key, upload.filename or ""
    if request.is_json:
        yield from _json_strings(request.get_json(silent=True), "")


def _printable(name: str) -> str:
    return "".join(char for char in name if not has_forbidden_character(char))[:100] or "?"


def bad_field() -> tuple[str, str] | None:
    """(field, what is wrong) for the first field no column can store, or None."""
    for name, text in _request_texts():
        if has_forbidden_character(text):
            return _printable(name), "character"
        if len(text) > ANY_FIELD and name != "address":
            return _printable(name), "length"
    return None


def check_request() -> ResponseReturnValue | None:
    if request.is_json and json_too_deep(request.get_data(cache=True)):
        return error_response(400, _("The data is nested too deeply (at most %(depth)s levels).", depth=MAX_JSON_DEPTH))
    found = bad_field()
    if found is None:
        return None
    field, problem = found
    if problem == "length":
        return error_response(400, _("%(field)s is longer than %(limit)s characters.", field=field, limit=ANY_FIELD))
    return error_response(
        400, _("%(field)s contains a character that cannot be stored (a NUL byte or a broken character).", field=field)
    )


def register_input_guard(app: Flask) -> None:
    app.before_request(check_request)
