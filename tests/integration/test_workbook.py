"""Offline work: export an assessment to Excel, CSV and JSON; preview and apply an upload."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.answers import AnswerFields
from app.core.errors import NotFound, PermissionDenied
from app.models import AnswerChange, Assessment, User
from app.services.assessments import load_answers, save_answer, start_assessment
from app.services.catalog import get_questionnaire
from app.services.workbook import (
    HEADERS,
    ImportPreview,
    WorkbookError,
    apply_import,
    export_csv,
    export_json,
    export_xlsx,
    preview_import,
)

MINI_ITEMS = ["PROS-1.1", "PROS-1.2", "PROS-1.3", "PROS-2.1", "PROS-2.2", "PROT-1.1", "PROT-1.2", "PROT-1.3"]


@pytest.fixture
def official(make_user: Any) -> User:
    user: User = make_user("official", "THA")
    return user


@pytest.fixture
def assessment(session: Session, make_user: Any, official: User) -> Assessment:
    """A THA draft with PROS-1.1 = no, PROS-2.1 = 3 and PROT-1.1 = 2 with a comment."""
    coordinator = make_user("coordinator", "THA")
    questionnaire = get_questionnaire(session, "mini", "1")
    assessment = start_assessment(session, coordinator, "THA", questionnaire, "THA review 2026", [])
    save_answer(session, official, assessment, "PROS-1.1", AnswerFields(level=0), 0)
    save_answer(session, official, assessment, "PROS-2.1", AnswerFields(level=3), 0)
    save_answer(session, official, assessment, "PROT-1.1", AnswerFields(level=2, comment="SOP draft"), 0)
    session.commit()
    return assessment


def open_workbook(data: bytes) -> Workbook:
    return load_workbook(io.BytesIO(data))


def find_row(workbook: Workbook, item_id: str) -> tuple[Worksheet, int]:
    for sheet in workbook.worksheets[1:]:
        for row in sheet.iter_rows(min_row=2):
            if row[0].value == item_id:
                return sheet, row[0].row
    raise AssertionError(f"{item_id} is not in the workbook")


def fill(workbook: Workbook, item_id: str, **columns: Any) -> None:
    """Set cells of an item's row by header name: answer, status, reason, comment, evidence, version."""
    sheet, row = find_row(workbook, item_id)
    headers = [str(cell.value).split(" (")[0].lower() for cell in sheet[1]]
    for name, value in columns.items():
        sheet.cell(row=row, column=headers.index(name) + 1, value=value)


def saved(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def statuses(preview: ImportPreview) -> dict[str, str]:
    return {row.item_id: row.status for row in preview.rows}


def row_of(preview: ImportPreview, item_id: str) -> Any:
    return next(row for row in preview.rows if row.item_id == item_id)


def history_count(session: Session, assessment: Assessment) -> int:
    query = select(func.count(AnswerChange.id)).filter_by(assessment_id=assessment.id)
    return int(session.scalar(query) or 0)


# --- export ---------------------------------------------------------------------------------


def test_the_workbook_has_a_read_me_and_one_sheet_per_pillar(
    session: Session, official: User, assessment: Assessment
) -> None:
    workbook = open_workbook(export_xlsx(session, official, assessment))
    assert workbook.sheetnames == ["Read me", "Prosecution", "Protection"]
    readme = {row[0]: row[1] for row in workbook["Read me"].iter_rows(values_only=True)}
    assert readme["Assessment"] == "THA review 2026"
    assert readme["Country"] == "THA"
    assert readme["Questionnaire"] == "mini version 1"
    assert str(readme["Exported at (UTC)"]).endswith("+00:00")
    instructions = " ".join(str(value) for value in readme.values())
    assert "yes, partial or no" in instructions and "not_applicable" in instructions and "reason" in instructions
    assert "Item id" in instructions


def test_each_pillar_sheet_lists_every_item_in_order_with_current_answers(
    session: Session, official: User, assessment: Assessment
) -> None:
    workbook = open_workbook(export_xlsx(session, official, assessment))
    sheet = workbook["Prosecution"]
    assert [cell.value for cell in sheet[1]] == list(HEADERS)
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert list(rows) == MINI_ITEMS[:5]
    assert rows["PROS-1.1"][4:6] == ("no", "answered")
    assert rows["PROS-2.1"][4] == 3 and rows["PROS-2.1"][9] == 1
    assert rows["PROS-1.3"][4] is None and rows["PROS-1.3"][9] == 0
    protection = {row[0]: row for row in workbook["Protection"].iter_rows(min_row=2, values_only=True)}
    assert list(protection) == MINI_ITEMS[5:]
    assert protection["PROT-1.1"][7] == "SOP draft"
    assert "4: Used everywhere, with training and review." in protection["PROT-1.1"][3]


def test_the_answer_and_status_columns_offer_only_allowed_values(
    session: Session, official: User, assessment: Assessment
) -> None:
    sheet = open_workbook(export_xlsx(session, official, assessment))["Prosecution"]
    lists = {validation.formula1: str(validation.sqref) for validation in sheet.data_validations.dataValidation}
    assert lists['"yes,partial,no"'] == "E2"
    assert set(lists['"0,1,2,3,4"'].split()) == {"E3", "E4", "E5", "E6"}
    assert lists['"answered,dont_know,not_applicable"'] == "F2:F6"
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold and sheet["C2"].alignment.wrap_text


def test_a_comment_that_looks_like_a_formula_is_exported_as_text(
    session: Session, official: User, assessment: Assessment
) -> None:
    formula = '=HYPERLINK("http://x")'
    save_answer(session, official, assessment, "PROS-1.3", AnswerFields(level=2, comment=formula, evidence="+1"), 0)
    workbook = open_workbook(export_xlsx(session, official, assessment))
    sheet, row = find_row(workbook, "PROS-1.3")
    assert sheet.cell(row=row, column=8).value == "'" + formula
    assert sheet.cell(row=row, column=8).data_type == "s"
    assert sheet.cell(row=row, column=9).value == "'+1"
    csv_row = next(
        row for row in csv.reader(io.StringIO(export_csv(session, official, assessment))) if row[1] == "PROS-1.3"
    )
    assert csv_row[8] == "'" + formula and csv_row[9] == "'+1"


def test_a_neutralised_formula_comes_back_as_it_was(session: Session, official: User, assessment: Assessment) -> None:
    formula = '=HYPERLINK("http://x")'
    save_answer(session, official, assessment, "PROS-1.3", AnswerFields(level=2, comment=formula), 0)
    preview = preview_import(session, official, assessment, export_xlsx(session, official, assessment), "a.xlsx")
    assert row_of(preview, "PROS-1.3").status == "unchanged"


def test_the_csv_export_has_a_pillar_column_and_a_row_per_item(
    session: Session, official: User, assessment: Assessment
) -> None:
    rows = list(csv.reader(io.StringIO(export_csv(session, official, assessment))))
    assert rows[0] == ["Pillar", *HEADERS]
    assert [row[1] for row in rows[1:]] == MINI_ITEMS
    assert rows[1][0] == "Prosecution" and rows[1][5:7] == ["no", "answered"]


def test_the_json_export_has_metadata_and_every_answer_field(
    session: Session, official: User, assessment: Assessment
) -> None:
    data = export_json(session, official, assessment)
    assert data["assessment"]["title"] == "THA review 2026" and data["questionnaire"] == {"id": "mini", "version": "1"}
    answers = {answer["item_id"]: answer for answer in data["answers"]}
    assert list(answers) == ["PROS-1.1", "PROS-2.1", "PROT-1.1"]
    assert answers["PROT-1.1"]["level"] == 2 and answers["PROT-1.1"]["comment"] == "SOP draft"
    assert answers["PROT-1.1"]["version"] == 1
    assert {"value", "dont_know", "not_applicable", "reason", "evidence", "updated_at"} <= set(answers["PROT-1.1"])


def test_another_countrys_user_cannot_export_or_import(
    session: Session, make_user: Any, assessment: Assessment
) -> None:
    stranger = make_user("official", "PHL")
    for export in (export_xlsx, export_csv, export_json):
        with pytest.raises(NotFound):
            export(session, stranger, assessment)
    with pytest.raises(NotFound):
        preview_import(session, stranger, assessment, b"", "a.xlsx")


# --- import: round trips ------------------------------------------------------------------------


def test_a_filled_workbook_round_trips_into_saved_answers_with_history(
    session: Session, official: User, assessment: Assessment
) -> None:
    workbook = open_workbook(export_xlsx(session, official, assessment))
    fill(workbook, "PROS-1.1", answer="yes")
    fill(workbook, "PROS-1.3", answer=3, comment="Penal code s.12", evidence="https://example.org/code")
    fill(workbook, "PROS-2.2", status="dont_know")
    fill(workbook, "PROT-1.2", status="not_applicable", reason="Not a destination country")
    fill(workbook, "PROT-1.3", answer=1200)
    before = history_count(session, assessment)

    preview = preview_import(session, official, assessment, saved(workbook), "tha.xlsx")
    report = apply_import(session, official, assessment, preview)
    session.commit()

    assert report.applied == 5 and report.failed == 0 and report.skipped == 3
    answers = load_answers(session, assessment)
    assert (answers["PROS-1.1"].level, answers["PROS-1.1"].version) == (4, 2)
    assert (answers["PROS-1.3"].level, answers["PROS-1.3"].evidence) == (3, "https://example.org/code")
    assert answers["PROS-2.2"].dont_know
    assert answers["PROT-1.2"].not_applicable and answers["PROT-1.2"].reason == "Not a destination country"
    assert answers["PROT-1.3"].value == "1200"
    assert history_count(session, assessment) == before + 5


def test_a_filled_csv_round_trips_too(session: Session, official: User, assessment: Assessment) -> None:
    rows = list(csv.reader(io.StringIO(export_csv(session, official, assessment))))
    by_item = {row[1]: row for row in rows[1:]}
    by_item["PROS-1.2"][5] = "2"
    by_item["PROS-2.1"][5], by_item["PROS-2.1"][8] = "4", "-now specialised"
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)

    preview = preview_import(session, official, assessment, buffer.getvalue().encode(), "tha.csv")
    assert statuses(preview)["PROS-1.2"] == "new" and statuses(preview)["PROS-2.1"] == "changed"
    report = apply_import(session, official, assessment, preview)

    assert report.applied == 2
    answers = load_answers(session, assessment)
    assert answers["PROS-1.2"].level == 2
    assert (answers["PROS-2.1"].level, answers["PROS-2.1"].comment) == (4, "-now specialised")


# --- import: preview ------------------------------------------------------------------------------


def test_the_preview_tells_unchanged_changed_new_and_rejected_rows_apart(
    session: Session, official: User, assessment: Assessment
) -> None:
    workbook = open_workbook(export_xlsx(session, official, assessment))
    fill(workbook, "PROS-2.1", answer=1)
    fill(workbook, "PROS-2.2", answer=7)
    fill(workbook, "PROS-1.1", answer="maybe")
    fill(workbook, "PROS-1.3", answer=4)
    fill(workbook, "PROT-1.2", status="not_applicable")
    workbook["Protection"].append(["PROT-9.9", "", "", "", 2])

    preview = preview_import(session, official, assessment, saved(workbook), "tha.xlsx")

    assert statuses(preview) == {
        "PROS-1.1": "rejected",
        "PROS-1.2": "unchanged",
        "PROS-1.3": "new",
        "PROS-2.1": "changed",
        "PROS-2.2": "rejected",
        "PROT-1.1": "unchanged",
        "PROT-1.2": "rejected",
        "PROT-1.3": "unchanged",
        "PROT-9.9": "rejected",
    }
    assert row_of(preview, "PROT-9.9").message == "no such item"
    assert row_of(preview, "PROS-2.2").message == "level 7 is out of range: use 0 to 4"
    assert "use yes, partial or no" in row_of(preview, "PROS-1.1").message
    assert row_of(preview, "PROT-1.2").message == "not applicable needs a reason"
    changed = row_of(preview, "PROS-2.1")
    assert (changed.old["level"], changed.new["level"], changed.sheet, changed.row_number) == (3, 1, "Prosecution", 5)
    assert preview.counts() == {"unchanged": 3, "changed": 1, "new": 1, "rejected": 4, "conflict": 0}


def test_the_preview_writes_nothing(session: Session, official: User, assessment: Assessment) -> None:
    workbook = open_workbook(export_xlsx(session, official, assessment))
    fill(workbook, "PROS-2.1", answer=1)
    revision, changes = assessment.revision, history_count(session, assessment)
    preview_import(session, official, assessment, saved(workbook), "tha.xlsx")
    assert load_answers(session, assessment)["PROS-2.1"].level == 3
    assert (assessment.revision, history_count(session, assessment)) == (revision, changes)


def test_a_row_given_both_a_new_status_and_the_old_answer_takes_the_status(
    session: Session, official: User, assessment: Assessment
) -> None:
    workbook = open_workbook(export_xlsx(session, official, assessment))
    fill(workbook, "PROS-2.1", status="dont_know")
    row = row_of(preview_import(session, official, assessment, saved(workbook), "tha.xlsx"), "PROS-2.1")
    assert row.status == "changed" and row.new["dont_know"] and row.new["level"] is None


def test_an_edited_item_id_or_version_column_is_rejected(
    session: Session, official: User, assessment: Assessment
) -> None:
    workbook = open_workbook(export_xlsx(session, official, assessment))
    fill(workbook, "PROS-2.1", version="one")
    sheet, row = find_row(workbook, "PROS-2.2")
    sheet.cell(row=row, column=1, value="PROS-2.1")
    rows = preview_import(session, official, assessment, saved(workbook), "tha.xlsx").rows
    rejected = [row.message for row in rows if row.item_id == "PROS-2.1"]
    assert rejected == [
        "the Version column was changed: it must stay as exported",
        "this item is also on Prosecution row 5: only the first is imported",
    ]


# --- import: conflicts ----------------------------------------------------------------------------


def test_an_answer_changed_on_the_web_after_the_export_is_a_conflict(
    session: Session, official: User, assessment: Assessment, make_user: Any
) -> None:
    workbook = open_workbook(export_xlsx(session, official, assessment))
    fill(workbook, "PROS-2.1", answer=1)
    colleague = make_user("official", "THA")
    save_answer(session, colleague, assessment, "PROS-2.1", AnswerFields(level=4), 1)

    preview = preview_import(session, official, assessment, saved(workbook), "tha.xlsx")
    conflict = row_of(preview, "PROS-2.1")
    assert conflict.status == "conflict" and "changed on the web" in conflict.message
    assert (conflict.old["level"], conflict.new["level"], conflict.version) == (4, 1, 2)

    report = apply_import(session, official, assessment, preview)
    assert report.applied == 0 and load_answers(session, assessment)["PROS-2.1"].level == 4

    report = apply_import(session, official, assessment, preview, accept_conflicts={"PROS-2.1"})
    assert report.applied == 1
    assert (
        load_answers(session, assessment)["PROS-2.1"].level,
        load_answers(session, assessment)["PROS-2.1"].version,
    ) == (1, 3)


def test_a_row_left_as_exported_keeps_a_later_web_answer(
    session: Session, official: User, assessment: Assessment
) -> None:
    data = export_xlsx(session, official, assessment)
    save_answer(session, official, assessment, "PROS-2.1", AnswerFields(level=4), 1)
    row = row_of(preview_import(session, official, assessment, data, "tha.xlsx"), "PROS-2.1")
    assert row.status == "unchanged" and "web answer is kept" in row.message


def test_a_change_between_preview_and_apply_fails_that_row_only(
    session: Session, official: User, assessment: Assessment
) -> None:
    workbook = open_workbook(export_xlsx(session, official, assessment))
    fill(workbook, "PROS-2.1", answer=1)
    fill(workbook, "PROS-2.2", answer=2)
    preview = preview_import(session, official, assessment, saved(workbook), "tha.xlsx")
    save_answer(session, official, assessment, "PROS-2.1", AnswerFields(level=4), 1)

    report = apply_import(session, official, assessment, preview)

    outcomes = {entry.item_id: entry.outcome for entry in report.outcomes}
    assert outcomes["PROS-2.1"] == "failed" and outcomes["PROS-2.2"] == "applied"
    assert load_answers(session, assessment)["PROS-2.1"].level == 4


# --- import: files that cannot be imported -------------------------------------------------------


def test_a_file_that_is_not_a_workbook_or_csv_is_refused(
    session: Session, official: User, assessment: Assessment
) -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("word/document.xml", "<w:document/>")
    for data, name in (
        (b"%PDF-1.7 ...", "report.pdf"),
        (b"PK\x03\x04broken", "a.xlsx"),
        (archive.getvalue(), "a.docx"),
    ):
        with pytest.raises(WorkbookError, match="not an Excel workbook"):
            preview_import(session, official, assessment, data, name)


def test_a_workbook_without_ctsat_columns_is_refused(session: Session, official: User, assessment: Assessment) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Name", "Score"])
    with pytest.raises(WorkbookError, match="not an Excel workbook"):
        preview_import(session, official, assessment, saved(workbook), "scores.xlsx")


def test_files_over_five_megabytes_or_two_thousand_rows_are_refused(
    session: Session, official: User, assessment: Assessment
) -> None:
    with pytest.raises(WorkbookError, match="larger than 5 MB"):
        preview_import(session, official, assessment, b"x" * (5 * 1024 * 1024 + 1), "big.csv")
    many = "Item id,Answer\n" + "PROS-1.1,yes\n" * 2001
    with pytest.raises(WorkbookError, match="more than 2,000 rows"):
        preview_import(session, official, assessment, many.encode(), "many.csv")


def test_who_cannot_change_the_assessment_cannot_import(
    session: Session, make_user: Any, official: User, assessment: Assessment
) -> None:
    data = export_xlsx(session, official, assessment)
    with pytest.raises(PermissionDenied):
        preview_import(session, make_user("admin"), assessment, data, "tha.xlsx")
    assessment.status = "submitted"
    with pytest.raises(PermissionDenied):
        preview_import(session, official, assessment, data, "tha.xlsx")


def test_a_semicolon_csv_saved_by_excel_with_a_byte_order_mark_is_read(
    session: Session, official: User, assessment: Assessment
) -> None:
    data = "\ufeffItem id;Answer;Status;Comment\r\nPROS-2.2;2;;Seen in 2025\r\nPROS-1.1;Partial;;\r\n".encode()
    preview = preview_import(session, official, assessment, data, "excel.csv")
    assert statuses(preview) == {"PROS-2.2": "new", "PROS-1.1": "conflict"}
    assert row_of(preview, "PROS-2.2").new["comment"] == "Seen in 2025"
    assert row_of(preview, "PROS-1.1").new["level"] == 2  # no Version column: a differing answer is a conflict


def test_an_untouched_export_imports_as_all_unchanged(session: Session, official: User, assessment: Assessment) -> None:
    preview = preview_import(session, official, assessment, export_xlsx(session, official, assessment), "tha.xlsx")
    assert set(statuses(preview).values()) == {"unchanged"} and len(preview.rows) == len(MINI_ITEMS)
    assert apply_import(session, official, assessment, preview).applied == 0


def test_a_workbook_from_another_assessment_shows_every_difference_as_a_conflict(
    session: Session, make_user: Any, official: User, assessment: Assessment
) -> None:
    questionnaire = get_questionnaire(session, "mini", "1")
    other = start_assessment(session, make_user("coordinator", "THA"), "THA", questionnaire, "THA review 2027", [])
    save_answer(session, official, other, "PROS-2.1", AnswerFields(level=1), 0)
    workbook = open_workbook(export_xlsx(session, official, assessment))
    preview = preview_import(session, official, other, saved(workbook), "tha-2026.xlsx")
    assert "another assessment" in preview.warnings[0]
    assert statuses(preview)["PROS-2.1"] == "conflict" and statuses(preview)["PROS-1.1"] == "new"
