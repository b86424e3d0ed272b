"""Domain errors. The web layer maps them to 400/403/404/409 responses.

A user-facing error carries a message id (English, with named ``%(name)s`` placeholders) and the
values for them, so the web layer can translate it (``app.web.errors.describe``); ``str(error)``
is the English text. Mark message ids with :func:`N_` so ``pybabel extract -k N_`` collects them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

Translate = Callable[..., str]


def N_(message: str) -> str:
    """Mark ``message`` for extraction; it is translated when shown, not here."""
    return message


def english(message: str, **params: object) -> str:
    """The message id as English text (what gettext does when there is no translation)."""
    return message % params if params else message


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a questionnaire or library file."""

    file: str
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.path}: {self.message}"


class CtsatError(Exception):
    """Base of every domain error: a message id with named placeholders, and their values."""

    def __init__(self, message: str = "", **params: object) -> None:
        self.message = message
        self.params = params
        super().__init__(message)

    def render(self, translate: Translate) -> str:
        """The message through ``translate`` (a gettext taking the id and the named values)."""
        return translate(self.message, **self.params) if self.message else ""

    def __str__(self) -> str:
        return self.render(english)


class QuestionnaireError(CtsatError):
    """A questionnaire or library file is invalid; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


class AnswerError(CtsatError):
    """An answer does not fit its item (unknown item, level out of range, missing reason)."""

    def __init__(self, item_id: str, message: str, field: str = "level", **params: object) -> None:
        self.item_id = item_id
        self.field = field
        super().__init__(message, **params)

    def render(self, translate: Translate) -> str:
        """``<item id>: <message>``, the message translated."""
        return f"{self.item_id}: {self.detail(translate)}"

    def detail(self, translate: Translate = english) -> str:
        """The message without the item id."""
        return super().render(translate)


class ConflictError(CtsatError):
    """Somebody saved the same answer since the version the user edited."""


class PermissionDenied(CtsatError):
    """The user may not see or change this."""


class NotFound(CtsatError):
    """What was asked for does not exist (or is not visible to the user)."""
