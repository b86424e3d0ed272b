"""Domain errors carry a message id and values: English by default, translated by the web layer."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import flask_babel
import pytest
from flask import Flask

from app.core.errors import N_, AnswerError, ConflictError, CtsatError, PermissionDenied
from app.services.plans import ActionError
from app.services.workshops import WorkshopError
from app.web.errors import describe

APP = Path(__file__).resolve().parents[2] / "app"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
CONFLICT = N_("%(item)s was changed by someone else since version %(version)s")
FRENCH = {
    CONFLICT: "%(item)s a été modifié par quelqu'un d'autre depuis la version %(version)s",
    "not applicable needs a reason": "non applicable demande une raison",
    "only a facilitator can run workshops": "seul un animateur peut conduire des ateliers",
}


class FakeTranslations:
    """Stands in for a compiled catalogue: knows the few French messages above."""

    def ugettext(self, message: str) -> str:
        return FRENCH.get(message, message)

    gettext = ugettext


@pytest.fixture
def french(monkeypatch: pytest.MonkeyPatch) -> Any:
    app = Flask(__name__)
    flask_babel.Babel(app)
    monkeypatch.setattr(flask_babel.Domain, "get_translations", lambda self: FakeTranslations())
    with app.test_request_context("/"):
        yield app


def test_a_domain_error_formats_its_values_in_english() -> None:
    error = ConflictError(CONFLICT, item="PROT-1.1", version=3)

    assert str(error) == "PROT-1.1 was changed by someone else since version 3"
    assert error.message == CONFLICT
    assert error.params == {"item": "PROT-1.1", "version": 3}


def test_a_message_without_values_is_taken_as_it_is() -> None:
    assert str(WorkshopError(N_("the title is required"))) == "the title is required"
    assert str(PermissionDenied()) == ""
    assert isinstance(WorkshopError("x"), ValueError)  # callers that catch ValueError still do


def test_answer_and_action_errors_keep_their_prefix() -> None:
    answer = AnswerError("PROS-2.2", N_("level %(raw)s is out of range: use 0 to 4"), raw=7)
    action = ActionError("title", N_("the title is longer than %(limit)s characters"), limit=200)

    assert str(answer) == "PROS-2.2: level 7 is out of range: use 0 to 4"
    assert answer.detail() == "level 7 is out of range: use 0 to 4"
    assert answer.field == "level"
    assert str(action) == "title: the title is longer than 200 characters"


def test_describe_translates_the_message_id_and_fills_in_the_values(french: Flask) -> None:
    conflict = ConflictError(CONFLICT, item="PROT-1.1", version=3)

    assert describe(conflict) == "PROT-1.1 a été modifié par quelqu'un d'autre depuis la version 3"
    assert describe(AnswerError("PROT-1.2", N_("not applicable needs a reason"))) == (
        "PROT-1.2: non applicable demande une raison"
    )
    assert describe(PermissionDenied(N_("only a facilitator can run workshops"))) == (
        "seul un animateur peut conduire des ateliers"
    )
    assert describe(PermissionDenied()) == ""
    assert describe(ValueError("plain")) == "plain"


def _marked_calls() -> list[tuple[str, ast.Call, str]]:
    """Every call taking an ``N_("...")`` message id: (where, the call, the message id)."""
    found = []
    for path in sorted(APP.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            for arg in node.args:
                if (
                    isinstance(arg, ast.Call)
                    and isinstance(arg.func, ast.Name)
                    and arg.func.id == "N_"
                    and isinstance(arg.args[0], ast.Constant)
                ):
                    found.append((f"{path.relative_to(APP)}:{node.lineno}", node, str(arg.args[0].value)))
    return found


def _message_ids() -> list[tuple[str, str]]:
    ids = []
    for path in sorted(APP.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "N_":
                assert isinstance(node.args[0], ast.Constant), f"{path}:{node.lineno}: N_ needs a literal"
                ids.append((f"{path.relative_to(APP)}:{node.lineno}", str(node.args[0].value)))
    return ids


def test_the_sources_mark_the_error_messages() -> None:
    assert len(_message_ids()) > 100


def test_every_message_id_has_only_named_placeholders() -> None:
    for where, message in _message_ids():
        rest = PLACEHOLDER.sub("", message).replace("%%", "")
        assert "%" not in rest, f"{where}: use %(name)s placeholders (and %% for a percent sign): {message!r}"


def test_every_raise_gives_the_values_its_message_names() -> None:
    extra = {"field"}  # AnswerError's own keyword, not a value of the message
    for where, call, message in _marked_calls():
        named = set(PLACEHOLDER.findall(message))
        given = {keyword.arg for keyword in call.keywords if keyword.arg} - extra
        if any(keyword.arg is None for keyword in call.keywords):  # **params passed along
            continue
        assert named == given, f"{where}: {message!r} names {sorted(named)} but gets {sorted(given)}"


def test_a_ctsat_error_without_values_keeps_a_percent_sign() -> None:
    assert str(CtsatError("100% done")) == "100% done"
