"""Domain errors. The web layer maps them to 400/403/404/409 responses."""

from __future__ import annotations

from dataclasses import dataclass


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
    """Base of every domain error."""


class QuestionnaireError(CtsatError):
    """A questionnaire or library file is invalid; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


class AnswerError(CtsatError):
    """An answer does not fit its item (unknown item, level out of range, missing reason)."""

    def __init__(self, item_id: str, message: str, field: str = "level") -> None:
        self.item_id = item_id
        self.field = field
        super().__init__(f"{item_id}: {message}")


class ConflictError(CtsatError):
    """Somebody saved the same answer since the version the user edited."""


class PermissionDenied(CtsatError):
    """The user may not see or change this."""


class NotFound(CtsatError):
    """What was asked for does not exist (or is not visible to the user)."""
