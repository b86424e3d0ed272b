"""Numbers typed the way the user's interface language writes them ("1,234", "1 234", "1.234" in
Bahasa Indonesia), in the answering form, the autosave API and an uploaded workbook; never misread."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.core.answers import AnswerFields
from app.core.numbers import NumberSymbols
from app.models import Assessment, User
from app.services.assessments import load_answers, save_answer
from app.services.workbook import export_csv, export_xlsx, preview_import
from app.services.workbook.words import WorkbookWords
from tests.conftest import csrf_token, login
from tests.integration.test_api import new_assessment, put
from tests.integration.test_workbook import fill, open_workbook, row_of, saved

NUMBER_ITEM = "PROT-1.3"  # "How many victims were identified last year?"
INDONESIAN = WorkbookWords(numbers=NumberSymbols(decimal=",", group="."))  # a file read the Indonesian way


def official_in(client: FlaskClient, make_user: Any, language: str) -> User:
    user: User = make_user("official", "THA", language=language)
    login(client, user.email)
    return user


def stored_value(session: Session, assessment: Assessment) -> str | None:
    session.expire_all()
    answer = load_answers(session, assessment).get(NUMBER_ITEM)
    return answer.value if answer else None


def test_the_api_reads_thousands_the_english_way(client: FlaskClient, session: Session, make_user: Any) -> None:
    assessment = new_assessment(session, make_user)
    official_in(client, make_user, "en")
    assert put(client, assessment, NUMBER_ITEM, {"value": "1,234", "version": 0}).status_code == 200
    assert stored_value(session, assessment) == "1234"


def test_the_api_reads_dots_as_thousands_in_bahasa_indonesia(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    assessment = new_assessment(session, make_user)
    official_in(client, make_user, "id")
    assert put(client, assessment, NUMBER_ITEM, {"value": "1.234", "version": 0}).status_code == 200
    assert stored_value(session, assessment) == "1234"


def test_narrow_no_break_spaces_group_thousands_in_vietnamese(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    assessment = new_assessment(session, make_user)
    official_in(client, make_user, "vi")
    assert put(client, assessment, NUMBER_ITEM, {"value": "12\u202f500", "version": 0}).status_code == 200
    assert stored_value(session, assessment) == "12500"


def test_one_comma_five_in_english_is_refused_not_read_as_fifteen(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    assessment = new_assessment(session, make_user)
    official_in(client, make_user, "en")
    response = put(client, assessment, NUMBER_ITEM, {"value": "1,5", "version": 0})
    assert response.status_code == 400 and response.json["field"] == "value"
    assert "'1,5' is not a number as written here (e.g. 1,234,567.5)" in response.json["error"]
    assert stored_value(session, assessment) is None


def test_an_ambiguous_number_gets_a_clear_400(client: FlaskClient, session: Session, make_user: Any) -> None:
    assessment = new_assessment(session, make_user)
    official_in(client, make_user, "id")
    response = put(client, assessment, NUMBER_ITEM, {"value": "1,234", "version": 0})
    assert response.status_code == 400
    assert "1234" in response.json["error"] and "1,2340" in response.json["error"]


def test_the_form_reads_and_shows_numbers_the_languages_way(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    assessment = new_assessment(session, make_user)
    official_in(client, make_user, "id")
    page = f"/assessments/{assessment.id}/measures/PROT-1"
    token = csrf_token(client.get(page).get_data(as_text=True))
    response = client.post(
        page, data={"csrf_token": token, f"{NUMBER_ITEM}-value": "1.234,5", f"{NUMBER_ITEM}-version": "0"}
    )
    assert response.status_code in (200, 302, 303)
    assert stored_value(session, assessment) == "1234.5"
    assert 'value="1234,5"' in client.get(page).get_data(as_text=True)


def test_a_workbook_cell_typed_the_indonesian_way_is_read_so(
    session: Session, make_user: Any, client: FlaskClient
) -> None:
    assessment = new_assessment(session, make_user)
    official: User = make_user("official", "THA")
    workbook = open_workbook(export_xlsx(session, official, assessment))
    fill(workbook, NUMBER_ITEM, answer="1.234")
    preview = preview_import(session, official, assessment, saved(workbook), "a.xlsx", INDONESIAN)
    assert row_of(preview, NUMBER_ITEM).new["value"] == "1234"
    english = preview_import(session, official, assessment, saved(workbook), "a.xlsx")
    assert row_of(english, NUMBER_ITEM).status == "rejected"  # 1.234 in English could be 1234: asked, not guessed


def test_a_spreadsheet_number_is_taken_as_the_number_it_is(session: Session, make_user: Any) -> None:
    assessment = new_assessment(session, make_user)
    official: User = make_user("official", "THA")
    workbook = open_workbook(export_xlsx(session, official, assessment))
    fill(workbook, NUMBER_ITEM, answer=1234.5)
    preview = preview_import(session, official, assessment, saved(workbook), "a.xlsx", INDONESIAN)
    assert row_of(preview, NUMBER_ITEM).new["value"] == "1234.5"


def test_english_one_comma_five_in_a_workbook_is_rejected(session: Session, make_user: Any) -> None:
    assessment = new_assessment(session, make_user)
    official: User = make_user("official", "THA")
    workbook = open_workbook(export_xlsx(session, official, assessment))
    fill(workbook, NUMBER_ITEM, answer="1,5")
    row = row_of(preview_import(session, official, assessment, saved(workbook), "a.xlsx"), NUMBER_ITEM)
    assert row.status == "rejected" and "1,5" in row.message


def test_a_csv_exported_by_ctsat_reads_back_unchanged_in_bahasa_indonesia(session: Session, make_user: Any) -> None:
    assessment = new_assessment(session, make_user)
    official: User = make_user("official", "THA")
    save_answer(session, official, assessment, NUMBER_ITEM, AnswerFields(value="1234.5"), 0)
    session.commit()
    preview = preview_import(
        session, official, assessment, export_csv(session, official, assessment).encode(), "a.csv", INDONESIAN
    )
    row = row_of(preview, NUMBER_ITEM)
    assert row.status == "unchanged" and row.new["value"] == "1234.5"
