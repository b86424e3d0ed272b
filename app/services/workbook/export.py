"""Export an assessment as an Excel workbook (a "Read me" sheet, then one sheet per pillar with
data validation on the answer and status columns), as CSV and as JSON."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy.orm import Session

from app.core.answers import answer_fields
from app.core.errors import NotFound
from app.core.questionnaire import Item, Measure, Pillar, Questionnaire, localise
from app.models import Answer as AnswerRow
from app.models import Assessment, EvidenceFile, User
from app.security import can_view_assessment
from app.services.assessments import load_answers, questionnaire_of
from app.services.evidence import evidence_of
from app.services.workbook.layout import (
    ASSESSMENT_ID,
    EVIDENCE_SHEET,
    HEADERS,
    README,
    STATUSES,
    WIDTHS,
    YES_NO_WORDS,
    neutralise,
)

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


def _write_evidence(sheet: Worksheet, files: list[EvidenceFile]) -> None:
    """The files attached to answers: they stay in CTSAT; the path downloads one when signed in."""
    sheet.append(["Item", "File", "Type", "Size (KB)", "Attached", "Download (signed in to CTSAT)"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in files:
        path = f"/assessments/{row.assessment_id}/evidence/{row.id}"
        kilobytes = -(-row.size // 1024)
        sheet.append([row.item_id, neutralise(row.filename), row.kind.upper(), kilobytes, row.uploaded_at.date(), path])
    for column, width in zip("ABCDEF", (12, 48, 8, 10, 12, 40), strict=True):
        sheet.column_dimensions[column].width = width


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
    if files := evidence_of(session, assessment):
        _write_evidence(workbook.create_sheet(EVIDENCE_SHEET), files)
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
                **answer_fields(line.answer).snapshot(),
                "version": line.answer.version,
                "updated_at": line.answer.updated_at.isoformat(),
            }
            for line in lines
            if line.answer is not None
        ],
        "evidence_files": [
            {
                "item_id": row.item_id,
                "filename": row.filename,
                "kind": row.kind,
                "size": row.size,
                "sha256": row.sha256,
                "attached_at": row.uploaded_at.isoformat(),
                "download": f"/assessments/{row.assessment_id}/evidence/{row.id}",
            }
            for row in evidence_of(session, assessment)
        ],
    }
