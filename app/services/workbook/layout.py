"""The shape of an offline file: its columns, limits and words, shared by export and import.

Every text written to a spreadsheet cell that starts with ``= + - @``, a tab or a carriage
return gets a leading ``'`` so that no spreadsheet runs it as a formula; the import removes it.
"""

from __future__ import annotations

from app.core.errors import N_, CtsatError, NotFound, PermissionDenied
from app.core.questionnaire import YES_NO_LEVELS
from app.models import Assessment, User
from app.reporting.xlsx import FORMULA_STARTS
from app.reporting.xlsx import neutralise as neutralise  # one rule for every spreadsheet CTSAT writes
from app.security import can_answer, can_view_assessment

MAX_BYTES = 5 * 1024 * 1024
MAX_UNZIPPED = 60 * 1024 * 1024
MAX_ROWS = 2_000
README = "Read me"
EVIDENCE_SHEET = "Evidence files"  # a list of the attached files, skipped on upload
ASSESSMENT_ID = "Assessment id"
HEADERS = (
    "Item id",
    "Measure",
    "Question",
    "Guidance",
    "Answer",
    "Status",
    "Reason (for not applicable)",
    "Comment",
    "Evidence",
    "Version",
)
WIDTHS = (11, 28, 60, 50, 10, 16, 30, 40, 40, 9)
STATUSES = ("answered", "dont_know", "not_applicable")
NOT_APPLICABLE = frozenset({"not_applicable", "not applicable", "n/a", "na"})
YES_NO_WORDS = {level: word for word, level in YES_NO_LEVELS.items()}
NOT_OURS = N_("This is not an Excel workbook (.xlsx) or CSV file exported from CTSAT")


class WorkbookError(CtsatError, ValueError):
    """An uploaded file cannot be imported; the message is for the user."""


def restore(text: str) -> str:
    """Undo :func:`neutralise`."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def check_may_change(user: User, assessment: Assessment) -> None:
    """NotFound for who may not see the assessment, PermissionDenied for who may not change it now."""
    if not can_view_assessment(user, assessment):
        raise NotFound("no such assessment")
    if not can_answer(user, assessment):
        raise PermissionDenied(N_("this assessment cannot be changed by you now"))
