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
from app.core.errors import N_, NotFound
from app.core.questionnaire import Item, Measure, Pillar, Questionnaire, localise
from app.models import Answer as AnswerRow
from app.models import Assessment, EvidenceFile, User
from app.security import can_view_assessment
from app.services.assessments import load_answers, questionnaire_of
from app.services.evidence import evidence_of
from app.services.workbook.layout import (
    STATUSES,
    WIDTHS,
    YES_NO_WORDS,
    neutralise,
)
from app.services.workbook.words import ENGLISH_WORDS, WorkbookWords

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


def _guidance(item: Item, language: str, words: WorkbookWords) -> str:
    parts = [localise(item.guidance, language)] if item.guidance else []
    parts += [f"{level}: {localise(text, language)}" for level, text in sorted(item.levels.items())]
    if item.unit:
        parts.append(words.translate(N_("Unit: %(unit)s"), unit=localise(item.unit, language)))
    return "\n".join(parts)


def _answer_cell(item: Item, row: AnswerRow | None, words: WorkbookWords) -> str | int | None:
    if row is None:
        return None
    if row.level is not None:
        if item.type != "yes_no":
            return row.level
        word = YES_NO_WORDS.get(row.level)
        return words.yes_no[word] if word else str(row.level)
    return row.value


def _status_cell(row: AnswerRow | None, words: WorkbookWords) -> str:
    if row is None:
        return ""
    if row.not_applicable:
        return words.statuses["not_applicable"]
    if row.dont_know:
        return words.statuses["dont_know"]
    return words.statuses["answered"] if row.level is not None or row.value else ""


def _cells(line: _Line, language: str, words: WorkbookWords) -> list[Any]:
    row, item = line.answer, line.item
    return [
        item.id,
        f"{line.measure.id} {localise(line.measure.title, language)}",
        localise(item.question, language),
        _guidance(item, language, words),
        _answer_cell(item, row, words),
        _status_cell(row, words),
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


def _readme_rows(
    assessment: Assessment, questionnaire: Questionnaire, language: str, words: WorkbookWords
) -> list[tuple[str, Any]]:
    t = words.translate
    scale = "; ".join(f"{level} = {localise(text, language)}" for level, text in sorted(questionnaire.scale.items()))
    yes, partial, no = (words.yes_no[word] for word in ("yes", "partial", "no"))
    answered, dont_know, not_applicable = (words.statuses[key] for key in STATUSES)
    return [
        (t(N_("CTSAT offline answers")), ""),
        (t(N_("Assessment")), assessment.title),
        (words.sheets["assessment_id"], assessment.id),
        (t(N_("Country")), assessment.country_code),
        (t(N_("Questionnaire")),
         t(N_("%(id)s version %(version)s"), id=questionnaire.id, version=questionnaire.version)),
        (t(N_("Exported at (UTC)")), datetime.now(UTC).isoformat(timespec="seconds")),
        (t(N_("Language")), language),
        ("", ""),
        (t(N_("How to fill in")), t(N_("Each sheet after this one is a pillar; each row is one item."))),
        (words.headers[4], t(N_("Maturity items: a level 0, 1, 2, 3 or 4 (%(scale)s). Yes/no items: %(yes)s, "
                                "%(partial)s or %(no)s. Number items: a number. Text items: text."),
                             scale=scale, yes=yes, partial=partial, no=no)),
        (words.headers[5], t(N_("Leave empty (or '%(answered)s') when you give an answer. Write %(dont_know)s when "
                                "nobody knows, or %(not_applicable)s when the item does not apply: they go in the "
                                "Status column, not in the Answer column."),
                             answered=answered, dont_know=dont_know, not_applicable=not_applicable)),
        (t(N_("Reason")), t(N_("Not applicable needs a reason in the '%(column)s' column."), column=words.headers[6])),
        (t(N_("Do not change")), t(N_("The %(item)s and %(version)s columns: they say which answer each row is and "
                                      "which version of it you started from. Do not rename the header row."),
                                   item=words.headers[0], version=words.headers[9])),
        (t(N_("Empty rows")), t(N_("A row with no answer and no status keeps the current answer: importing never "
                                   "deletes."))),
        (t(N_("Uploading")), t(N_("CTSAT shows what would change, row by row, before anything is saved. If someone "
                                  "changed an answer on the web after this export, you choose which one to keep. "
                                  "Upload it with the same interface language (or English) as you downloaded it."))),
        (t(N_("Formulas")), t(N_("Text starting with =, +, - or @ is shown with a leading ' so it is never run as a "
                                 "formula."))),
    ]  # fmt: skip


def _write_readme(
    sheet: Worksheet, assessment: Assessment, questionnaire: Questionnaire, language: str, words: WorkbookWords
) -> None:
    rows = _readme_rows(assessment, questionnaire, language, words)
    for label, value in rows:
        sheet.append([_xlsx_value(label), _xlsx_value(value)])
    for cell in sheet["A"]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top")
    sheet["A1"].font = Font(bold=True, size=14)
    for cell in sheet["B"]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = 22, 100


def _list_validation(values: str, message: str, words: WorkbookWords) -> DataValidation:
    return DataValidation(
        type="list",
        formula1=f'"{values}"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=words.translate(N_("Not an answer"))[:32],  # Excel's limit for a title
        error=message[:255],
    )


def _validations(words: WorkbookWords) -> tuple[DataValidation, DataValidation, DataValidation]:
    t, yes_no, statuses = words.translate, words.yes_no, words.statuses
    return (
        _list_validation("0,1,2,3,4", t(N_("Use a level from 0 to 4.")), words),
        _list_validation(
            ",".join(yes_no[word] for word in ("yes", "partial", "no")),
            t(N_("Use %(yes)s, %(partial)s or %(no)s."), **yes_no),
            words,
        ),
        _list_validation(
            ",".join(statuses[key] for key in STATUSES),
            t(N_("Use %(answered)s, %(dont_know)s or %(not_applicable)s."), **statuses),
            words,
        ),
    )


def _write_pillar(sheet: Worksheet, lines: list[_Line], language: str, words: WorkbookWords) -> None:
    sheet.append(list(words.headers))
    maturity, yes_no, status = _validations(words)
    for line in lines:
        sheet.append([_xlsx_value(value) for value in _cells(line, language, words)])
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


def _write_evidence(sheet: Worksheet, files: list[EvidenceFile], words: WorkbookWords) -> None:
    """The files attached to answers: they stay in CTSAT; the path downloads one when signed in."""
    headers = (N_("Item"), N_("File"), N_("Type"), N_("Size (KB)"), N_("Attached"), N_("Download (signed in to CTSAT)"))
    sheet.append([words.translate(text) for text in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in files:
        path = f"/assessments/{row.assessment_id}/evidence/{row.id}"
        kilobytes = -(-row.size // 1024)
        sheet.append([row.item_id, neutralise(row.filename), row.kind.upper(), kilobytes, row.uploaded_at.date(), path])
    for column, width in zip("ABCDEF", (12, 48, 8, 10, 12, 40), strict=True):
        sheet.column_dimensions[column].width = width


def export_xlsx(
    session: Session, user: User, assessment: Assessment, language: str = "en", words: WorkbookWords = ENGLISH_WORDS
) -> bytes:
    """The assessment as a workbook in ``language`` (``words`` in it): a "Read me" sheet, then one
    sheet per pillar."""
    questionnaire, lines = _lines(session, user, assessment)
    workbook = Workbook()
    readme = workbook.active
    assert isinstance(readme, Worksheet)
    readme.title = _sheet_title(words.sheets["readme"], set())
    _write_readme(readme, assessment, questionnaire, language, words)
    used = {readme.title.lower(), words.sheets["evidence"].lower()}
    for pillar in questionnaire.pillars:
        sheet = workbook.create_sheet(_sheet_title(localise(pillar.title, language), used))
        _write_pillar(sheet, [line for line in lines if line.pillar is pillar], language, words)
    if files := evidence_of(session, assessment):
        _write_evidence(workbook.create_sheet(_sheet_title(words.sheets["evidence"], set())), files, words)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_csv(
    session: Session, user: User, assessment: Assessment, language: str = "en", words: WorkbookWords = ENGLISH_WORDS
) -> str:
    """The same columns as the workbook, preceded by the pillar, in one table."""
    _, lines = _lines(session, user, assessment)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([words.translate(N_("Pillar")), *words.headers])
    for line in lines:
        values = [localise(line.pillar.title, language), *_cells(line, language, words)]
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
