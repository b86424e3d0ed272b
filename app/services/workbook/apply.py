"""Apply a previewed import through ``save_answer``, so permissions, history and optimistic
locking hold as on the web."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from sqlalchemy.orm import Session

from app.core.errors import N_, AnswerError, ConflictError
from app.models import Assessment, User
from app.services.assessments import save_answer
from app.services.workbook.layout import WorkbookError, check_may_change
from app.services.workbook.preview import ImportPreview


@dataclass(frozen=True)
class ApplyOutcome:
    sheet: str
    row_number: int
    item_id: str
    outcome: Literal["applied", "skipped", "failed"]
    message: str
    version: int  # the answer's version after the import (the new one when applied)


@dataclass(frozen=True)
class ApplyReport:
    outcomes: list[ApplyOutcome]

    def _count(self, outcome: str) -> int:
        return sum(entry.outcome == outcome for entry in self.outcomes)

    @property
    def applied(self) -> int:
        return self._count("applied")

    @property
    def skipped(self) -> int:
        return self._count("skipped")

    @property
    def failed(self) -> int:
        return self._count("failed")


SKIP_MESSAGES = {"unchanged": "unchanged", "rejected": "rejected", "conflict": "conflict: the web answer is kept"}


def apply_import(
    session: Session,
    user: User,
    assessment: Assessment,
    preview: ImportPreview,
    accept_conflicts: Iterable[str] = frozenset(),
) -> ApplyReport:
    """Save the preview's new and changed rows, and the conflicts in ``accept_conflicts`` (item ids),
    each against the version seen at preview time. Flushes; the caller commits."""
    check_may_change(user, assessment)
    if preview.assessment_id != assessment.id:
        raise WorkbookError(N_("This preview was made for another assessment."))
    accepted = set(accept_conflicts)
    outcomes: list[ApplyOutcome] = []
    for row in preview.rows:
        wanted = row.status in ("changed", "new") or (row.status == "conflict" and row.item_id in accepted)
        if not wanted or row.fields is None:
            message = SKIP_MESSAGES.get(row.status, row.status) + (
                f": {row.message}" if row.status == "rejected" else ""
            )
            outcomes.append(ApplyOutcome(row.sheet, row.row_number, row.item_id, "skipped", message, row.version))
            continue
        try:
            version = save_answer(session, user, assessment, row.item_id, row.fields, row.version)
        except (ConflictError, AnswerError) as error:
            outcomes.append(ApplyOutcome(row.sheet, row.row_number, row.item_id, "failed", str(error), row.version))
        else:
            outcomes.append(ApplyOutcome(row.sheet, row.row_number, row.item_id, "applied", "saved", version))
    return ApplyReport(outcomes)
