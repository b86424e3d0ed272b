"""Offline work: export an assessment as an Excel workbook, CSV or JSON, and import a filled
workbook or CSV back, first as a row-by-row preview (nothing written), then applied through
``save_answer`` so permissions, history and optimistic locking hold as on the web.

Every text written to a spreadsheet cell that starts with ``= + - @``, a tab or a carriage
return gets a leading ``'`` so that no spreadsheet runs it as a formula; the import removes it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import warnings
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import PurePath
from typing import Any, Literal, get_args

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.answer_file import DONT_KNOW, answer_from_value
from app.core.answers import MAX_TEXT, Answer, check_answer
from app.core.errors import AnswerError, ConflictError, NotFound, PermissionDenied
from app.core.questionnaire import YES_NO_LEVELS, Item, Measure, Pillar, Questionnaire, localise
from app.models import Answer as AnswerRow
from app.models import AnswerChange, Assessment, User
from app.security import can_answer, can_view_assessment
from app.services.assessments import AnswerFields, load_answers, questionnaire_of, save_answer

MAX_BYTES = 5 * 1024 * 1024
MAX_UNZIPPED = 60 * 1024 * 1024
MAX_ROWS = 2_000
README = "Read me"
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
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
YES_NO_WORDS = {level: word for word, level in YES_NO_LEVELS.items()}
NOT_OURS = "This is not an Excel workbook (.xlsx) or CSV file exported from CTSAT"
RowStatus = Literal["unchanged", "changed", "new", "rejected", "conflict"]


class WorkbookError(ValueError):
    """An uploaded file cannot be imported; the message is for the user."""


def neutralise(text: str) -> str:
    """``text`` as a spreadsheet shows it literally: a leading ``'`` before a formula start."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def restore(text: str) -> str:
    """Undo :func:`neutralise`."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


# --- export -------------------------------------------------------------------------------

MIMETYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}


def download_name(assessment: Assessment, extension: str) -> str:
    """A file name for a download that carries no user-typed text (safe in Content-Disposition)."""
    return f"ctsat-{assessment.country_code.lower()}-assessment-{assessment.id}.{extension}"


@dataclass(frozen=True)
class _Line:
    pillar: Pillar
    measure: Measure
    item: Item
    answer: AnswerRow | None


def _lines(session: Session, user: User, assessment: Assessment) -> tuple[Questionnaire, list[_Line]]:
    if not can_view_assessment(user, assessment):
        raise NotFound("no such assessment")
    questionnaire = questionnaire_of(session, assessment)
    answers = load_answers(session, assessment)
    lines = [
        _Line(pillar, measure, item, answers.get(item.id))
        for pillar in questionnaire.pillars
        for measure in pillar.measures
        for item in measure.items
    ]
    return questionnaire, lines


def _guidance(item: Item, language: str) -> str:
    parts = [localise(item.guidance, language)] if item.guidance else []
    parts += [f"{level}: {localise(text, language)}" for level, text in sorted(item.levels.items())]
    if item.unit:
        parts.append(f"Unit: {localise(item.unit, language)}")
    return "\n".join(parts)


def _answer_cell(item: Item, row: AnswerRow | None) -> str | int | None:
    if row is None:
        return None
    if row.level is not None:
        return YES_NO_WORDS.get(row.level, str(row.level)) if item.type == "yes_no" else row.level
    return row.value


def _status_cell(row: AnswerRow | None) -> str:
    if row is None:
        return ""
    if row.not_applicable:
        return "not_applicable"
    if row.dont_know:
        return "dont_know"
    return "answered" if row.level is not None or row.value else ""


def _cells(line: _Line, language: str) -> list[Any]:
    row, item = line.answer, line.item
    return [
        item.id,
        f"{line.measure.id} {localise(line.measure.title, language)}",
        localise(item.question, language),
        _guidance(item, language),
        _answer_cell(item, row),
        _status_cell(row),
        row.reason if row else "",
        row.comment if row else "",
        row.evidence if row else "",
        row.version if row else 0,
    ]


def _xlsx_value(value: Any) -> Any:
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value)) if isinstance(value, str) else value


def _sheet_title(title: str, used: set[str]) -> str:
    cleaned = "".join(char for char in title if char not in "[]:*?/\\").strip().strip("'")[:31] or "Pillar"
    candidate, number = cleaned, 2
    while candidate.lower() in used:
        suffix = f" ({number})"
        candidate, number = cleaned[: 31 - len(suffix)] + suffix, number + 1
    used.add(candidate.lower())
    return candidate


def _write_readme(sheet: Worksheet, assessment: Assessment, questionnaire: Questionnaire) -> None:
    scale = "; ".join(f"{level} = {localise(text, 'en')}" for level, text in sorted(questionnaire.scale.items()))
    rows: list[tuple[str, Any]] = [
        ("CTSAT offline answers", ""),
        ("Assessment", assessment.title),
        (ASSESSMENT_ID, assessment.id),
        ("Country", assessment.country_code),
        ("Questionnaire", f"{questionnaire.id} version {questionnaire.version}"),
        ("Exported at (UTC)", datetime.now(UTC).isoformat(timespec="seconds")),
        ("", ""),
        ("How to fill in", "Each sheet after this one is a pillar; each row is one item."),
        (
            "Answer",
            f"Maturity items: a level 0, 1, 2, 3 or 4 ({scale}). Yes/no items: yes, partial or no. "
            "Number items: a number. Text items: text.",
        ),
        (
            "Status",
            "Leave empty (or 'answered') when you give an answer. Write dont_know when nobody knows, "
            "or not_applicable when the item does not apply: Don't know and Not applicable go in the "
            "Status column, not in the Answer column.",
        ),
        ("Reason", "Not applicable needs a reason in the 'Reason (for not applicable)' column."),
        (
            "Do not change",
            "The Item id and Version columns: they say which answer each row is and which "
            "version of it you started from. Do not rename the header row.",
        ),
        ("Empty rows", "A row with no answer and no status keeps the current answer: importing never deletes."),
        (
            "Uploading",
            "CTSAT shows what would change, row by row, before anything is saved. If someone changed "
            "an answer on the web after this export, you choose which one to keep.",
        ),
        ("Formulas", "Text starting with =, +, - or @ is shown with a leading ' so it is never run as a formula."),
    ]
    for label, value in rows:
        sheet.append([_xlsx_value(label), _xlsx_value(value)])
    for cell in sheet["A"]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top")
    sheet["A1"].font = Font(bold=True, size=14)
    for cell in sheet["B"]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = 22, 100


def _list_validation(values: str, message: str) -> DataValidation:
    return DataValidation(
        type="list",
        formula1=f'"{values}"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Not an answer",
        error=message,
    )


def _write_pillar(sheet: Worksheet, lines: list[_Line], language: str) -> None:
    sheet.append(list(HEADERS))
    maturity = _list_validation("0,1,2,3,4", "Use a level from 0 to 4.")
    yes_no = _list_validation("yes,partial,no", "Use yes, partial or no.")
    status = _list_validation(",".join(STATUSES), "Use answered, dont_know or not_applicable.")
    for line in lines:
        sheet.append([_xlsx_value(value) for value in _cells(line, language)])
        answer_cell = f"E{sheet.max_row}"
        if line.item.type == "maturity":
            maturity.add(answer_cell)
        elif line.item.type == "yes_no":
            yes_no.add(answer_cell)
    if lines:
        status.add(f"F2:F{sheet.max_row}")
    for validation in (maturity, yes_no, status):
        if validation.sqref:
            sheet.add_data_validation(validation)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="FFDDE3EA")
    wrapped = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrapped
        row[-1].font = Font(color="FF808080")
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:J{sheet.max_row}"


def export_xlsx(session: Session, user: User, assessment: Assessment, language: str = "en") -> bytes:
    """The assessment as a workbook: a "Read me" sheet, then one sheet per pillar."""
    questionnaire, lines = _lines(session, user, assessment)
    workbook = Workbook()
    readme = workbook.active
    assert isinstance(readme, Worksheet)
    readme.title = README
    _write_readme(readme, assessment, questionnaire)
    used = {README.lower()}
    for pillar in questionnaire.pillars:
        sheet = workbook.create_sheet(_sheet_title(localise(pillar.title, "en"), used))
        _write_pillar(sheet, [line for line in lines if line.pillar is pillar], language)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_csv(session: Session, user: User, assessment: Assessment, language: str = "en") -> str:
    """The same columns as the workbook, preceded by the pillar, in one table."""
    _, lines = _lines(session, user, assessment)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Pillar", *HEADERS])
    for line in lines:
        values = [localise(line.pillar.title, "en"), *_cells(line, language)]
        writer.writerow([neutralise(value) if isinstance(value, str) else value for value in values])
    return buffer.getvalue()


def export_json(session: Session, user: User, assessment: Assessment) -> dict[str, Any]:
    """Metadata and every stored answer with all its fields, in questionnaire order."""
    questionnaire, lines = _lines(session, user, assessment)
    return {
        "assessment": {
            "id": assessment.id,
            "title": assessment.title,
            "country_code": assessment.country_code,
            "roles": list(assessment.roles),
            "status": assessment.status,
            "revision": assessment.revision,
        },
        "questionnaire": {"id": questionnaire.id, "version": questionnaire.version},
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "answers": [
            {
                "item_id": line.item.id,
                "pillar": line.pillar.id,
                "measure": line.measure.id,
                **_fields_of(line.answer).snapshot(),
                "version": line.answer.version,
                "updated_at": line.answer.updated_at.isoformat(),
            }
            for line in lines
            if line.answer is not None
        ],
    }


# --- reading an uploaded file ---------------------------------------------------------------


@dataclass(frozen=True)
class _RawRow:
    sheet: str
    row_number: int
    cells: dict[str, str]  # column key → text; only the columns the file has


COLUMN_KEYS = {
    "item id": "item_id",
    "answer": "answer",
    "status": "status",
    "reason": "reason",
    "comment": "comment",
    "evidence": "evidence",
    "version": "version",
}


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, datetime | date):
        value = value.isoformat()
    return restore(str(value)).strip()


def _table(sheet: str, rows: Iterable[Sequence[object]], counted: list[int]) -> list[_RawRow]:
    """The data rows under the first header row that has Item id and Answer columns."""
    columns: dict[str, int] | None = None
    found: list[_RawRow] = []
    for number, values in enumerate(rows, start=1):
        texts = [_text(value) for value in values]
        if not any(texts):
            continue
        if columns is None:
            keys = [COLUMN_KEYS.get(text.split("(")[0].strip().lower()) for text in texts]
            if "item_id" in keys and "answer" in keys:
                columns = {key: index for index, key in reversed(list(enumerate(keys))) if key}
            elif number > 10:
                return []
            continue
        counted[0] += 1
        if counted[0] > MAX_ROWS:
            raise WorkbookError(f"The file has more than {MAX_ROWS:,} rows: upload one exported from CTSAT.")
        found.append(_RawRow(sheet, number, {k: texts[i] if i < len(texts) else "" for k, i in columns.items()}))
    return found


def _read_xlsx(data: bytes) -> tuple[list[_RawRow], dict[str, str]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED:
                raise WorkbookError("The workbook is too large once unpacked: upload one exported from CTSAT.")
    except zipfile.BadZipFile:
        raise WorkbookError(NOT_OURS) from None
    rows: list[_RawRow] = []
    meta: dict[str, str] = {}
    counted = [0]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about harmless things in files from Excel
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                for sheet in workbook.worksheets:
                    values = sheet.iter_rows(max_col=len(HEADERS) + 6, values_only=True)
                    if sheet.title == README:
                        meta = {_text(row[0]): _text(row[1]) for row in values if len(row) > 1 and row[0]}
                    else:
                        rows += _table(sheet.title, values, counted)
            finally:
                workbook.close()
    except WorkbookError:
        raise
    except Exception:  # openpyxl raises many kinds of error on a damaged or foreign file
        raise WorkbookError(NOT_OURS) from None
    return rows, meta


def _read_csv(data: bytes) -> list[_RawRow]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise WorkbookError("This CSV file is not in UTF-8: in Excel, save it as 'CSV UTF-8'.") from None
    if "\x00" in text:
        raise WorkbookError(NOT_OURS)
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    try:
        return _table("CSV", csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [0])
    except csv.Error:
        raise WorkbookError(NOT_OURS) from None


def _read_file(data: bytes, filename: str) -> tuple[list[_RawRow], dict[str, str]]:
    if len(data) > MAX_BYTES:
        raise WorkbookError(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    if data.startswith(b"PK\x03\x04"):
        rows, meta = _read_xlsx(data)
    elif PurePath(filename).suffix.lower() == ".csv":
        rows, meta = _read_csv(data), {}
    else:
        raise WorkbookError(NOT_OURS)
    if not rows:
        raise WorkbookError(NOT_OURS)
    return rows, meta


# --- preview ---------------------------------------------------------------------------------


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


def _fields_of(row: AnswerRow | None) -> AnswerFields:
    if row is None:
        return AnswerFields()
    return AnswerFields(row.level, row.value, row.dont_know, row.not_applicable, row.reason, row.comment, row.evidence)


def _message(error: AnswerError) -> str:
    text = str(error)
    return text.removeprefix(f"{error.item_id}: ")


def _status(raw: str, item_id: str) -> str:
    word = raw.strip().lower().replace(" ", "_") if raw else ""
    if word in ("", "answered"):
        return word
    if word in NOT_APPLICABLE or raw.strip().lower() in NOT_APPLICABLE:
        return "not_applicable"
    if word in DONT_KNOW or raw.strip().lower() in DONT_KNOW:
        return "dont_know"
    raise AnswerError(item_id, f"'{raw}' is not a status: use {', '.join(STATUSES)}", field="status")


def _long_text(cells: dict[str, str], key: str, item_id: str, default: str) -> str:
    text = cells.get(key, default)
    if len(text) > MAX_TEXT:
        raise AnswerError(item_id, f"{key} is longer than {MAX_TEXT} characters", field=key)
    return text


def _answer(questionnaire: Questionnaire, item: Item, raw: str) -> Answer:
    return answer_from_value(questionnaire, item.id, raw) if raw else Answer(item.id)


def _status_of(answer: Answer) -> str:
    return "not_applicable" if answer.not_applicable else "dont_know" if answer.dont_know else "answered"


def _fields(questionnaire: Questionnaire, item: Item, cells: dict[str, str], old: AnswerFields) -> AnswerFields | None:
    """What the row asks for, or None for a row that gives nothing. Raises AnswerError."""
    status, raw = _status(cells.get("status", ""), item.id), cells.get("answer", "")
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
        raise AnswerError(item.id, "the status is answered but the Answer column is empty", field="answer")
    given = _answer(questionnaire, item, raw)
    if status in ("dont_know", "not_applicable") and raw and status != _status_of(given):
        # Both an answer and a status: keep the one the user changed, refuse when both changed.
        if (given.level, given.value) == (old.level, old.value) and not old_answer.is_empty:
            raw = ""
        elif status == _status_of(old_answer):
            status = ""
        else:
            raise AnswerError(item.id, "give an answer or the status dont_know / not_applicable, not both", "status")
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
    if not raw.isdigit():
        raise AnswerError(item_id, "the Version column was changed: it must stay as exported", field="version")
    return int(raw)


def _judge(
    raw: _RawRow,
    questionnaire: Questionnaire,
    current: dict[str, AnswerRow],
    seen: dict[str, str],
    trust_versions: bool,
) -> ImportRow:
    item_id = raw.cells.get("item_id", "")
    item = questionnaire.items.get(item_id)
    exported = 0
    existing = current.get(item_id)
    version = existing.version if existing else 0
    old = _fields_of(existing).snapshot() if existing else None

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
        fields = _fields(questionnaire, item, raw.cells, _fields_of(existing))
    except AnswerError as error:
        return row("rejected", _message(error))
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


def _check_may_change(user: User, assessment: Assessment) -> None:
    if not can_view_assessment(user, assessment):
        raise NotFound("no such assessment")
    if not can_answer(user, assessment):
        raise PermissionDenied("this assessment cannot be changed by you now")


def preview_import(session: Session, user: User, assessment: Assessment, data: bytes, filename: str) -> ImportPreview:
    """What importing ``data`` would do, row by row. Writes nothing.

    Raises NotFound, PermissionDenied, or WorkbookError for a file that cannot be read.
    """
    _check_may_change(user, assessment)
    raw_rows, meta = _read_file(data, filename)
    notes: list[str] = []
    exported_from = meta.get(ASSESSMENT_ID, "")
    trust_versions = not exported_from or exported_from == str(assessment.id)
    if not trust_versions:
        notes.append(
            "This workbook was exported from another assessment: every answer that differs from this "
            "assessment's current answer is shown as a conflict."
        )
    questionnaire = questionnaire_of(session, assessment)
    current = load_answers(session, assessment)
    seen: dict[str, str] = {}
    rows = [_judge(raw, questionnaire, current, seen, trust_versions) for raw in raw_rows]
    rows = _untouched_conflicts(session, assessment, rows)
    digest = hashlib.sha256(data).hexdigest()
    return ImportPreview(assessment.id, PurePath(filename).name, digest, rows, notes)


# --- apply -----------------------------------------------------------------------------------


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
    _check_may_change(user, assessment)
    if preview.assessment_id != assessment.id:
        raise WorkbookError("This preview was made for another assessment.")
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
