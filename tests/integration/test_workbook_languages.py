"""The offline workbook in the user's language: headers, the Read me sheet and the lists' words
(yes / partial / no, answered / dont_know / not_applicable) translated; a workbook filled in Thai
comes back in, Thai list words and all."""

from __future__ import annotations

import io
from functools import cache
from typing import Any

import pytest
from babel.support import Translations
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from app.core.numbers import ENGLISH
from app.models import User
from app.services.translations import compile_interface
from app.services.workbook import HEADERS, WorkbookError, apply_import, preview_import
from app.services.workbook.words import WorkbookWords
from config import TRANSLATIONS
from tests.conftest import login
from tests.integration.test_api import new_assessment
from tests.integration.test_workbook import find_row, row_of, saved


@cache
def thai_catalogue() -> Translations:
    """The Thai interface catalogue, compiled first (the app compiles it too, but may not have yet)."""
    compile_interface(TRANSLATIONS, ["th"])
    return Translations.load(str(TRANSLATIONS), ["th"])


def thai(message: str, **values: Any) -> str:
    text = thai_catalogue().ugettext(message)
    assert text != message, f"{message!r} has no Thai translation"
    return text % values if values else text


def thai_words() -> WorkbookWords:
    return WorkbookWords.translated(
        lambda message, **values: (
            thai_catalogue().ugettext(message) % values if values else thai_catalogue().ugettext(message)
        ),
        ENGLISH,
    )


def download_in_thai(client: FlaskClient, session: Session, make_user: Any) -> tuple[Any, Any, User]:
    assessment = new_assessment(session, make_user)
    official: User = make_user("official", "THA", language="th")
    login(client, official.email)
    response = client.get(f"/assessments/{assessment.id}/export.xlsx")
    assert response.status_code == 200
    return assessment, load_workbook(io.BytesIO(response.data)), official


def test_the_workbook_speaks_thai(client: FlaskClient, session: Session, make_user: Any) -> None:
    _, workbook, _ = download_in_thai(client, session, make_user)
    assert workbook.worksheets[0].title == thai("Read me")[:31]
    sheet = workbook.worksheets[1]
    assert [cell.value for cell in sheet[1]] == [thai(header) for header in HEADERS]
    lists = [validation.formula1 for validation in sheet.data_validations.dataValidation]
    assert f'"{thai("yes")},{thai("partial")},{thai("no")}"' in lists
    assert f'"{thai("answered")},{thai("dont_know")},{thai("not_applicable")}"' in lists
    readme = " ".join(str(cell.value) for row in workbook.worksheets[0].iter_rows() for cell in row if cell.value)
    assert thai("How to fill in") in readme and "How to fill in" not in readme


def fill_in_thai(workbook: Any, item_id: str, header: str, value: Any) -> None:
    """Set the cell of ``item_id``'s row under the Thai header for the English ``header``."""
    sheet, row = find_row(workbook, item_id)
    headers = [cell.value for cell in sheet[1]]
    sheet.cell(row=row, column=headers.index(thai(header)) + 1, value=value)


def test_a_workbook_filled_in_thai_comes_back_in(client: FlaskClient, session: Session, make_user: Any) -> None:
    assessment, workbook, official = download_in_thai(client, session, make_user)
    fill_in_thai(workbook, "PROS-1.1", "Answer", thai("yes"))
    fill_in_thai(workbook, "PROS-1.2", "Status", thai("dont_know"))
    fill_in_thai(workbook, "PROT-1.2", "Status", thai("not_applicable"))
    fill_in_thai(workbook, "PROT-1.2", "Reason (for not applicable)", "ไม่ใช่ประเทศปลายทาง")
    preview = preview_import(session, official, assessment, saved(workbook), "tha.xlsx", thai_words())
    assert row_of(preview, "PROS-1.1").new["level"] == 4
    assert row_of(preview, "PROS-1.2").new["dont_know"] is True
    assert row_of(preview, "PROT-1.2").new["not_applicable"] is True
    assert apply_import(session, official, assessment, preview, []).applied == 3


def test_english_words_still_work_in_a_thai_upload(client: FlaskClient, session: Session, make_user: Any) -> None:
    assessment, workbook, official = download_in_thai(client, session, make_user)
    fill_in_thai(workbook, "PROS-1.1", "Answer", "partial")
    preview = preview_import(session, official, assessment, saved(workbook), "tha.xlsx", thai_words())
    assert row_of(preview, "PROS-1.1").new["level"] == 2


def test_a_thai_workbook_is_not_read_as_english(client: FlaskClient, session: Session, make_user: Any) -> None:
    assessment, workbook, official = download_in_thai(client, session, make_user)
    with pytest.raises(WorkbookError):
        preview_import(session, official, assessment, saved(workbook), "tha.xlsx")  # English words only
