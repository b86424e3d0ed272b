"""An uploaded workbook or CSV with odd numbers or characters rejects the row, never the upload with a 500."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from sqlalchemy.orm import Session

from app.models import Assessment, User
from app.services.assessments import start_assessment
from app.services.catalog import get_questionnaire
from app.services.workbook import WorkbookError, export_csv, preview_import


@pytest.fixture
def official(make_user: Any) -> User:
    user: User = make_user("official", "THA")
    return user


@pytest.fixture
def assessment(session: Session, make_user: Any) -> Assessment:
    questionnaire = get_questionnaire(session, "mini", "1")
    found = start_assessment(session, make_user("coordinator", "THA"), "THA", questionnaire, "THA review", [])
    session.commit()
    return found


def upload_with(session: Session, official: User, assessment: Assessment, column: str, value: str) -> Any:
    """The exported CSV with ``value`` in ``column`` of the PROS-1.2 row, previewed."""
    rows = list(csv.reader(io.StringIO(export_csv(session, official, assessment))))
    columns = {heading.split("(")[0].strip(): number for number, heading in enumerate(rows[0])}
    row = next(row for row in rows if row[columns["Item id"]] == "PROS-1.2")
    row[columns["Answer"]] = "2"
    row[columns[column]] = value
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    data = buffer.getvalue().encode("utf-8", "surrogatepass")
    preview = preview_import(session, official, assessment, data, "tha.csv")
    return next(found for found in preview.rows if found.item_id == "PROS-1.2")


@pytest.mark.parametrize("answer", ["²", "٣", "--2", "1" * 5000, "99999999999999999999"])
def test_an_answer_that_is_not_a_level_rejects_its_row(
    session: Session, official: User, assessment: Assessment, answer: str
) -> None:
    assert upload_with(session, official, assessment, "Answer", answer).status == "rejected"


@pytest.mark.parametrize("version", ["²", "99999999999999999999", "1" * 5000, "-1"])
def test_a_version_that_is_not_a_64_bit_number_rejects_its_row(
    session: Session, official: User, assessment: Assessment, version: str
) -> None:
    row = upload_with(session, official, assessment, "Version", version)
    assert row.status == "rejected" and "Version" in row.message


@pytest.mark.parametrize("comment", ["a\x00b", "x\udfffy"])
def test_a_csv_with_a_character_no_database_can_store_is_refused_as_a_whole(
    session: Session, official: User, assessment: Assessment, comment: str
) -> None:
    with pytest.raises(WorkbookError):
        upload_with(session, official, assessment, "Comment", comment)
