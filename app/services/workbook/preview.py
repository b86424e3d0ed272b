"""Preview an import: what each row of an uploaded file would do, without writing anything."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import PurePath
from typing import Any, Literal, get_args

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.answer_file import DONT_KNOW, answer_from_value
from app.core.answers import MAX_TEXT, Answer, AnswerFields, answer_fields, check_answer
from app.core.errors import N_, AnswerError
from app.core.numbers import ENGLISH, AmbiguousNumber, NumberError, NumberSymbols, is_int, parse_number_text
from app.core.questionnaire import Item, Questionnaire
from app.core.text import has_forbidden_character
from app.models import Answer as AnswerRow
from app.models import AnswerChange, Assessment, User
from app.services.assessments import load_answers, questionnaire_of
from app.services.workbook.layout import (
    ASSESSMENT_ID,
    NOT_APPLICABLE,
    STATUSES,
    check_may_change,
)
from app.services.workbook.read import RawRow, read_file
from app.services.workbook.words import ENGLISH_WORDS, WorkbookWords

RowStatus = Literal["unchanged", "changed", "new", "rejected", "conflict"]


@dataclass(frozen=True)
class ImportRow:
    """One row of an uploaded file and what importing it would do.

    ``version`` is the answer's version in the database at preview time (0: none): what
    ``apply_import`` saves against, so a change made after the preview is a conflict too.
    """

    sheet: str
    row_number: int
    item_id: str
    status: RowStatus
    message: str
    old: dict[str, Any] | None
    new: dict[str, Any] | None
    fields: AnswerFields | None
    version: int
    exported_version: int = 0  # the Version column (0 when absent, or the file is another assessment's)


@dataclass(frozen=True)
class ImportPreview:
    assessment_id: int
    filename: str
    digest: str  # sha256 of the uploaded bytes
    rows: list[ImportRow]
    warnings: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {status: sum(row.status == status for row in self.rows) for status in get_args(RowStatus)}

    @property
    def conflicts(self) -> list[ImportRow]:
        return [row for row in self.rows if row.status == "conflict"]


def _status(raw: str, item_id: str, words: WorkbookWords = ENGLISH_WORDS) -> str:
    if raw and (key := words.status_key(raw)):
        return key
    word = raw.strip().lower().replace(" ", "_") if raw else ""
    if word in ("", "answered"):
        return word
    if word in NOT_APPLICABLE or raw.strip().lower() in NOT_APPLICABLE:
        return "not_applicable"
    if word in DONT_KNOW or raw.strip().lower() in DONT_KNOW:
        return "dont_know"
    raise AnswerError(
        item_id,
        N_("'%(raw)s' is not a status: use %(statuses)s"),
        field="status",
        raw=raw,
        statuses=", ".join(words.statuses[status] for status in STATUSES),
    )


def _long_text(cells: dict[str, str], key: str, item_id: str, default: str) -> str:
    text = cells.get(key, default)
    if len(text) > MAX_TEXT:
        raise AnswerError(
            item_id, N_("%(column)s is longer than %(limit)s characters"), field=key, column=key, limit=MAX_TEXT
        )
    return text


def _answer(questionnaire: Questionnaire, item: Item, raw: str) -> Answer:
    return answer_from_value(questionnaire, item.id, raw) if raw else Answer(item.id)


_PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def plain_number(raw: str, item_id: str, symbols: NumberSymbols, spreadsheet_number: bool) -> str:
    """A number item's Answer cell in plain form: a spreadsheet number as it is; typed text as the
    uploader's interface language writes numbers, or in the plain form CTSAT's own files use."""
    if spreadsheet_number:
        return parse_number_text(raw, ENGLISH, ambiguous_ok=True)
    try:
        return parse_number_text(raw, symbols)
    except AmbiguousNumber as error:
        raise AnswerError(item_id, error.message, field="answer", **error.params) from None
    except NumberError as error:
        if _PLAIN_NUMBER.fullmatch(raw.strip()):
            return raw.strip()
        raise AnswerError(item_id, error.message, field="answer", **error.params) from None


def _status_of(answer: Answer) -> str:
    return "not_applicable" if answer.not_applicable else "dont_know" if answer.dont_know else "answered"


def _fields(
    questionnaire: Questionnaire,
    item: Item,
    cells: dict[str, str],
    old: AnswerFields,
    number: Callable[[str], str],
    words: WorkbookWords,
) -> AnswerFields | None:
    """What the row asks for, or None for a row that gives nothing. Raises AnswerError."""
    for column, text in cells.items():
        if has_forbidden_character(text):
            raise AnswerError(
                item.id, N_("%(column)s holds a character that cannot be stored"), field=column, column=column
            )
    status, raw = _status(cells.get("status", ""), item.id, words), cells.get("answer", "")
    if raw and item.type == "yes_no" and (level := words.yes_no_level(raw)) is not None:
        raw = str(level)
    if raw and item.type == "number" and raw.strip().lower() not in DONT_KNOW | NOT_APPLICABLE:
        raw = number(raw)
    comment = _long_text(cells, "comment", item.id, old.comment)
    evidence = _long_text(cells, "evidence", item.id, old.evidence)
    reason = _long_text(cells, "reason", item.id, old.reason)
    old_answer = Answer(item.id, old.level, old.value, old.dont_know, old.not_applicable)
    if not raw and not status:
        if not cells.get("comment") and not cells.get("evidence"):
            return None
        # No answer given: the import never deletes one, it only changes the comment or evidence.
        return AnswerFields(old.level, old.value, old.dont_know, old.not_applicable, old.reason, comment, evidence)
    if status == "answered" and not raw:
        raise AnswerError(item.id, N_("the status is answered but the Answer column is empty"), field="answer")
    given = _answer(questionnaire, item, raw)
    if status in ("dont_know", "not_applicable") and raw and status != _status_of(given):
        # Both an answer and a status: keep the one the user changed, refuse when both changed.
        if (given.level, given.value) == (old.level, old.value) and not old_answer.is_empty:
            raw = ""
        elif status == _status_of(old_answer):
            status = ""
        else:
            raise AnswerError(
                item.id, N_("give an answer or the status dont_know / not_applicable, not both"), "status"
            )
    if status == "not_applicable":
        answer = Answer(item.id, not_applicable=True, reason=reason)
    elif status == "dont_know":
        answer = Answer(item.id, dont_know=True)
    else:
        answer = _answer(questionnaire, item, raw)
    check_answer(questionnaire, answer)
    reason = reason if answer.not_applicable else ""
    return AnswerFields(
        answer.level, answer.value or None, answer.dont_know, answer.not_applicable, reason, comment, evidence
    )


def _exported_version(cells: dict[str, str], item_id: str) -> int:
    raw = cells.get("version", "")
    if not raw:
        return 0
    if not is_int(raw):
        raise AnswerError(item_id, N_("the Version column was changed: it must stay as exported"), field="version")
    return int(raw)


def _judge(
    raw: RawRow,
    questionnaire: Questionnaire,
    current: dict[str, AnswerRow],
    seen: dict[str, str],
    trust_versions: bool,
    words: WorkbookWords = ENGLISH_WORDS,
) -> ImportRow:
    item_id = raw.cells.get("item_id", "")
    item = questionnaire.items.get(item_id)
    exported = 0
    existing = current.get(item_id)
    version = existing.version if existing else 0
    old = answer_fields(existing).snapshot() if existing else None

    def row(
        status: RowStatus, message: str, new: dict[str, Any] | None = None, fields: AnswerFields | None = None
    ) -> ImportRow:
        return ImportRow(raw.sheet, raw.row_number, item_id, status, message, old, new, fields, version, exported)

    if not item_id:
        return row("rejected", "no item id")
    if item is None:
        return row("rejected", "no such item")
    if item_id in seen:
        return row("rejected", f"this item is also on {seen[item_id]}: only the first is imported")
    seen[item_id] = f"{raw.sheet} row {raw.row_number}"
    try:
        exported = _exported_version(raw.cells, item_id) if trust_versions else 0
        spreadsheet_number = "answer" in raw.numbers
        number = partial(plain_number, item_id=item_id, symbols=words.numbers, spreadsheet_number=spreadsheet_number)
        fields = _fields(questionnaire, item, raw.cells, answer_fields(existing), number, words)
    except AnswerError as error:
        return row("rejected", error.detail())
    if fields is None:
        return row("unchanged", "nothing given: the current answer is kept" if old else "nothing given", old)
    new = fields.snapshot()
    if new == old:
        return row("unchanged", "same as the current answer", new)
    if version > exported:
        message = f"changed on the web after this file was exported (version {version}; the file has {exported})"
        return row("conflict", message, new, fields)
    return row("changed", "changes the current answer", new, fields) if old else row("new", "new answer", new, fields)


def _untouched_conflicts(session: Session, assessment: Assessment, rows: list[ImportRow]) -> list[ImportRow]:
    """A conflict whose row still holds the answer as it was when exported was not edited offline:
    the web's later answer stands, so it is unchanged, not a conflict."""
    stale = {row.item_id for row in rows if row.status == "conflict"}
    if not stale:
        return rows
    query = select(AnswerChange).where(AnswerChange.assessment_id == assessment.id, AnswerChange.item_id.in_(stale))
    history = {(change.item_id, change.version): change.after for change in session.scalars(query)}
    kept = "not edited in the file; changed on the web after the export, so the web answer is kept"
    return [
        replace(row, status="unchanged", message=kept, new=row.old, fields=None)
        if row.status == "conflict" and history.get((row.item_id, row.exported_version)) == row.new
        else row
        for row in rows
    ]


def preview_import(
    session: Session,
    user: User,
    assessment: Assessment,
    data: bytes,
    filename: str,
    words: WorkbookWords = ENGLISH_WORDS,
) -> ImportPreview:
    """What importing ``data`` would do, row by row (headers, list words and numbers in English or
    the language of ``words``). Writes nothing.

    Raises NotFound, PermissionDenied, or WorkbookError for a file that cannot be read.
    """
    check_may_change(user, assessment)
    raw_rows, meta = read_file(data, filename, words)
    notes: list[str] = []
    exported_from = meta.get(ASSESSMENT_ID) or meta.get(words.sheets["assessment_id"], "")
    trust_versions = not exported_from or exported_from == str(assessment.id)
    if not trust_versions:
        notes.append(
            "This workbook was exported from another assessment: every answer that differs from this "
            "assessment's current answer is shown as a conflict."
        )
    questionnaire = questionnaire_of(session, assessment)
    current = load_answers(session, assessment)
    seen: dict[str, str] = {}
    rows = [_judge(raw, questionnaire, current, seen, trust_versions, words) for raw in raw_rows]
    rows = _untouched_conflicts(session, assessment, rows)
    digest = hashlib.sha256(data).hexdigest()
    return ImportPreview(assessment.id, PurePath(filename).name, digest, rows, notes)
