"""Offline work on the web: download the assessment, upload it back, check the preview, confirm."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import time
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app.core.answers import AnswerFields
from app.models import Answer, Assessment, User
from app.services.assessments import save_answer, start_assessment
from app.services.catalog import get_questionnaire
from tests.conftest import csrf_token, login
from tests.integration.test_workbook import fill, open_workbook, saved

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def official(make_user: Any) -> User:
    user: User = make_user("official", "THA")
    return user


@pytest.fixture
def assessment(session: Session, make_user: Any, official: User) -> Assessment:
    """A THA draft with PROS-2.1 at level 3."""
    questionnaire = get_questionnaire(session, "mini", "1")
    assessment = start_assessment(session, make_user("coordinator", "THA"), "THA", questionnaire, "THA review", [])
    save_answer(session, official, assessment, "PROS-2.1", AnswerFields(level=3), 0)
    session.commit()
    return assessment


@pytest.fixture
def signed_in(client: FlaskClient, official: User) -> FlaskClient:
    login(client, official.email)
    return client


def export_url(assessment: Assessment, suffix: str = "") -> str:
    return f"/assessments/{assessment.id}/export{suffix}"


def download(client: FlaskClient, assessment: Assessment, kind: str = "xlsx") -> bytes:
    response = client.get(export_url(assessment, f".{kind}"))
    assert response.status_code == 200
    return response.data


def filled_workbook(client: FlaskClient, assessment: Assessment, **answers: Any) -> bytes:
    """The downloaded workbook with ``answers`` (item id with "_" for "-" and ".": a value) typed in."""
    workbook = open_workbook(download(client, assessment))
    for key, value in answers.items():
        fill(workbook, key.replace("_", "-", 1).replace("_", "."), answer=value)
    return saved(workbook)


def upload(client: FlaskClient, assessment: Assessment, data: bytes, filename: str = "tha.xlsx") -> Any:
    token = csrf_token(client.get(export_url(assessment)).get_data(as_text=True))
    # Encoded in memory: the test client would spool a large body to a temporary file it may not close.
    boundary, body = encode_multipart({"csrf_token": token, "file": FileStorage(io.BytesIO(data), filename)})
    content_type = f"multipart/form-data; boundary={boundary}"
    return client.post(f"/assessments/{assessment.id}/import", data=body, content_type=content_type)


def confirm_form(page: str, accept: tuple[str, ...] = ()) -> dict[str, Any]:
    hidden = dict(re.findall(r'<input type="hidden" name="(csrf_token|token|state)" value="([^"]*)"', page))
    return {**hidden, "accept": list(accept)}


def confirm(client: FlaskClient, assessment: Assessment, form: dict[str, Any]) -> Any:
    return client.post(f"/assessments/{assessment.id}/import/confirm", data=form)


def stored_answers(session: Session, assessment: Assessment) -> dict[str, Answer]:
    session.expire_all()
    return {row.item_id: row for row in session.query(Answer).filter_by(assessment_id=assessment.id)}


def stored_uploads(app: Flask) -> list[Path]:
    folder = Path(app.config["INSTANCE_PATH"]) / "uploads"
    return sorted(folder.iterdir()) if folder.is_dir() else []


# --- the export page and downloads ---------------------------------------------------------------


def test_the_export_page_explains_offline_work_links_every_download_and_offers_an_upload(
    signed_in: FlaskClient, assessment: Assessment
) -> None:
    page = signed_in.get(export_url(assessment)).get_data(as_text=True)
    assert "<h2>Work offline</h2>" in page and "Check the preview" in page and "Confirm" in page
    for kind in ("xlsx", "csv", "json"):
        assert f'href="/assessments/{assessment.id}/export.{kind}"' in page
    assert '<label for="file">Filled workbook or CSV file</label>' in page
    assert 'accept=".xlsx,.csv"' in page and "at most 5 MB and 2,000 rows" in page
    assert 'enctype="multipart/form-data"' in page


@pytest.mark.parametrize(
    ("kind", "content_type"),
    [("xlsx", XLSX), ("csv", "text/csv; charset=utf-8"), ("json", "application/json")],
)
def test_each_download_has_its_content_type_and_is_an_attachment(
    signed_in: FlaskClient, assessment: Assessment, kind: str, content_type: str
) -> None:
    response = signed_in.get(export_url(assessment, f".{kind}"))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    expected = f'attachment; filename="ctsat-tha-assessment-{assessment.id}.{kind}"'
    assert response.headers["Content-Disposition"] == expected
    assert "no-store" in response.headers["Cache-Control"]


def test_the_downloads_hold_the_current_answers(signed_in: FlaskClient, assessment: Assessment) -> None:
    workbook = open_workbook(download(signed_in, assessment, "xlsx"))
    assert workbook.sheetnames == ["Read me", "Prosecution", "Protection"]
    text = download(signed_in, assessment, "csv").decode("utf-8")
    assert text.startswith("\ufeffPillar,Item id")
    rows = {row[1]: row for row in csv.reader(io.StringIO(text.lstrip("\ufeff")))}
    assert rows["PROS-2.1"][5] == "3"
    answers = json.loads(download(signed_in, assessment, "json"))["answers"]
    assert [(answer["item_id"], answer["level"]) for answer in answers] == [("PROS-2.1", 3)]


def test_another_countrys_user_finds_neither_the_page_nor_the_downloads_nor_the_upload(
    client: FlaskClient, make_user: Any, assessment: Assessment
) -> None:
    login(client, make_user("official", "PHL").email)
    for suffix in ("", ".xlsx", ".csv", ".json"):
        assert client.get(export_url(assessment, suffix)).status_code == 404
    token = csrf_token(client.get("/").get_data(as_text=True))
    form = {"csrf_token": token, "file": (io.BytesIO(b"Item id,Answer\n"), "a.csv")}
    response = client.post(f"/assessments/{assessment.id}/import", data=form, content_type="multipart/form-data")
    assert response.status_code == 404


def test_downloads_need_a_signed_in_user(client: FlaskClient, assessment: Assessment) -> None:
    response = client.get(export_url(assessment, ".xlsx"))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


# --- upload, preview, confirm ----------------------------------------------------------------------


def test_an_upload_previews_every_row_and_saves_nothing(
    signed_in: FlaskClient, session: Session, assessment: Assessment
) -> None:
    data = filled_workbook(signed_in, assessment, PROS_1_2=2, PROS_2_1=4, PROS_2_2=9)
    response = upload(signed_in, assessment, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Check the import before it is saved" in page and "tha.xlsx" in page
    for item_id in ("PROS-1.1", "PROS-1.2", "PROS-2.1", "PROS-2.2", "PROT-1.3"):
        assert f'<th scope="row">{item_id}' in page
    assert "level 9 is out of range: use 0 to 4" in page
    assert re.search(r"Level 3</td>\s*<td>\s*Level 4", page), "a changed row shows the old and the new answer"
    assert stored_answers(session, assessment)["PROS-2.1"].level == 3 and "PROS-1.2" not in stored_answers(
        session, assessment
    )


def test_confirming_saves_the_new_and_changed_answers_and_reports_what_happened(
    signed_in: FlaskClient, session: Session, assessment: Assessment
) -> None:
    data = filled_workbook(signed_in, assessment, PROS_1_2=2, PROS_2_1=4, PROS_2_2=9)
    page = upload(signed_in, assessment, data).get_data(as_text=True)
    response = confirm(signed_in, assessment, confirm_form(page))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/assessments/{assessment.id}")
    answers = stored_answers(session, assessment)
    assert (answers["PROS-1.2"].level, answers["PROS-2.1"].level) == (2, 4) and "PROS-2.2" not in answers
    overview = signed_in.get(response.headers["Location"]).get_data(as_text=True)
    assert "Import finished: 2 answer(s) saved, 6 row(s) skipped, 0 failed." in overview


def test_a_confirmed_upload_is_deleted_and_cannot_be_confirmed_again(
    app: Flask, signed_in: FlaskClient, assessment: Assessment
) -> None:
    page = upload(signed_in, assessment, filled_workbook(signed_in, assessment, PROS_1_2=2)).get_data(as_text=True)
    assert len(stored_uploads(app)) == 2  # the file and its sidecar
    assert confirm(signed_in, assessment, confirm_form(page)).status_code == 302
    assert stored_uploads(app) == []
    again = confirm(signed_in, assessment, confirm_form(page))
    assert again.status_code == 400
    assert "This upload has expired or was already used: please upload the file again." in again.get_data(as_text=True)


def test_cancelling_the_preview_saves_nothing(signed_in: FlaskClient, session: Session, assessment: Assessment) -> None:
    page = upload(signed_in, assessment, filled_workbook(signed_in, assessment, PROS_2_1=0)).get_data(as_text=True)
    cancel = re.search(r'<a href="([^"]+)">Cancel</a>', page)
    assert cancel and cancel.group(1) == export_url(assessment)
    assert signed_in.get(cancel.group(1)).status_code == 200
    assert stored_answers(session, assessment)["PROS-2.1"].level == 3


def test_a_conflict_shows_both_answers_and_keeps_the_web_answer_unless_ticked(
    signed_in: FlaskClient, session: Session, make_user: Any, assessment: Assessment
) -> None:
    data = filled_workbook(signed_in, assessment, PROS_2_1=1, PROS_1_3=2)
    save_answer(session, make_user("official", "THA"), assessment, "PROS-2.1", AnswerFields(level=4), 1)
    session.commit()
    page = upload(signed_in, assessment, data).get_data(as_text=True)
    assert "changed on the web after this file was exported" in page
    assert re.search(r"Level 4</td>\s*<td>\s*Level 1", page)
    assert '<input type="checkbox" name="accept" value="PROS-2.1">' in page
    confirm(signed_in, assessment, confirm_form(page))
    answers = stored_answers(session, assessment)
    assert answers["PROS-2.1"].level == 4 and answers["PROS-1.3"].level == 2


def test_a_ticked_conflict_takes_the_workbooks_value(
    signed_in: FlaskClient, session: Session, make_user: Any, assessment: Assessment
) -> None:
    data = filled_workbook(signed_in, assessment, PROS_2_1=1)
    save_answer(session, make_user("official", "THA"), assessment, "PROS-2.1", AnswerFields(level=4), 1)
    session.commit()
    page = upload(signed_in, assessment, data).get_data(as_text=True)
    confirm(signed_in, assessment, confirm_form(page, accept=("PROS-2.1",)))
    assert stored_answers(session, assessment)["PROS-2.1"].level == 1


def test_an_answer_changed_after_the_preview_shows_the_preview_again_and_saves_nothing(
    signed_in: FlaskClient, session: Session, make_user: Any, assessment: Assessment
) -> None:
    page = upload(signed_in, assessment, filled_workbook(signed_in, assessment, PROS_2_1=1, PROS_1_2=2)).get_data(
        as_text=True
    )
    save_answer(session, make_user("official", "THA"), assessment, "PROS-2.1", AnswerFields(level=0), 1)
    session.commit()
    response = confirm(signed_in, assessment, confirm_form(page))
    again = response.get_data(as_text=True)
    assert response.status_code == 409 and "Answers changed on the web while you were checking" in again
    assert '<input type="checkbox" name="accept" value="PROS-2.1">' in again
    assert "PROS-1.2" not in stored_answers(session, assessment)
    assert confirm(signed_in, assessment, confirm_form(again)).status_code == 302
    answers = stored_answers(session, assessment)
    assert (answers["PROS-2.1"].level, answers["PROS-1.2"].level) == (0, 2)


# --- files that cannot be imported ---------------------------------------------------------------


def test_a_file_that_is_not_a_ctsat_workbook_gets_400_with_the_reason_on_the_export_page(
    app: Flask, signed_in: FlaskClient, assessment: Assessment
) -> None:
    response = upload(signed_in, assessment, b"PK\x03\x04broken", "tha.xlsx")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "This is not an Excel workbook (.xlsx) or CSV file exported from CTSAT" in page
    assert '<label for="file">' in page and 'aria-invalid="true"' in page
    assert stored_uploads(app) == []


def test_a_file_of_another_type_is_refused(signed_in: FlaskClient, assessment: Assessment) -> None:
    response = upload(signed_in, assessment, b"%PDF-1.7", "report.pdf")
    assert response.status_code == 400
    assert "Upload an Excel workbook (.xlsx) or a CSV file (.csv)." in response.get_data(as_text=True)


def test_an_upload_without_a_file_asks_for_one(signed_in: FlaskClient, assessment: Assessment) -> None:
    token = csrf_token(signed_in.get(export_url(assessment)).get_data(as_text=True))
    response = signed_in.post(f"/assessments/{assessment.id}/import", data={"csrf_token": token})
    assert response.status_code == 400 and "Choose the file to upload." in response.get_data(as_text=True)


def test_a_file_over_the_upload_limit_is_refused_with_the_limit(signed_in: FlaskClient, assessment: Assessment) -> None:
    response = upload(signed_in, assessment, b"x" * (6 * 1024 * 1024), "big.csv")
    assert response.status_code == 400 and "larger than 5 MB" in response.get_data(as_text=True)


def test_a_request_over_the_app_wide_limit_gets_the_export_page_not_a_bare_error(
    signed_in: FlaskClient, assessment: Assessment
) -> None:
    response = upload(signed_in, assessment, b"x" * (11 * 1024 * 1024), "huge.csv")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The file is larger than 5 MB." in page and '<label for="file">' in page


# --- who may upload ---------------------------------------------------------------------------------


def test_an_admin_may_download_but_not_upload(
    client: FlaskClient, make_user: Any, assessment: Assessment, official: User
) -> None:
    login(client, make_user("admin").email)
    page = client.get(export_url(assessment)).get_data(as_text=True)
    assert "only your country's officials can upload answers" in page and 'type="file"' not in page
    assert client.get(export_url(assessment, ".xlsx")).status_code == 200
    response = upload(client, assessment, b"Item id,Answer\nPROS-1.1,yes\n", "a.csv")
    assert response.status_code == 403
    assert "This assessment cannot be changed now" in response.get_data(as_text=True)


def test_a_final_assessment_cannot_be_uploaded_to_or_confirmed(
    signed_in: FlaskClient, session: Session, assessment: Assessment
) -> None:
    page = upload(signed_in, assessment, filled_workbook(signed_in, assessment, PROS_1_2=2)).get_data(as_text=True)
    assessment.status = "final"
    session.commit()
    assert upload(signed_in, assessment, b"Item id,Answer\nPROS-1.1,yes\n", "a.csv").status_code == 403
    assert confirm(signed_in, assessment, confirm_form(page)).status_code == 403
    assert "PROS-1.2" not in stored_answers(session, assessment)


def test_an_upload_can_be_confirmed_only_by_the_user_who_made_it(
    signed_in: FlaskClient, app: Flask, session: Session, make_user: Any, assessment: Assessment
) -> None:
    page = upload(signed_in, assessment, filled_workbook(signed_in, assessment, PROS_1_2=2)).get_data(as_text=True)
    colleague = app.test_client()
    login(colleague, make_user("official", "THA").email)
    form = confirm_form(page) | {"csrf_token": csrf_token(colleague.get(export_url(assessment)).get_data(as_text=True))}
    response = confirm(colleague, assessment, form)
    assert response.status_code == 400 and "please upload the file again" in response.get_data(as_text=True)
    assert "PROS-1.2" not in stored_answers(session, assessment)


def test_upload_and_confirm_need_the_csrf_token(
    signed_in: FlaskClient, session: Session, assessment: Assessment
) -> None:
    data = filled_workbook(signed_in, assessment, PROS_1_2=2)
    form = {"file": (io.BytesIO(data), "tha.xlsx")}
    assert signed_in.post(f"/assessments/{assessment.id}/import", data=form).status_code == 400
    page = upload(signed_in, assessment, data).get_data(as_text=True)
    assert confirm(signed_in, assessment, confirm_form(page) | {"csrf_token": ""}).status_code == 400
    assert "PROS-1.2" not in stored_answers(session, assessment)


# --- stored uploads ------------------------------------------------------------------------------


def test_an_upload_is_kept_under_the_instance_folder_with_a_random_name(
    app: Flask, signed_in: FlaskClient, official: User, assessment: Assessment
) -> None:
    page = upload(signed_in, assessment, filled_workbook(signed_in, assessment, PROS_1_2=2)).get_data(as_text=True)
    token = confirm_form(page)["token"]
    assert re.fullmatch(r"[A-Za-z0-9_-]{32}", token)
    assert [path.name for path in stored_uploads(app)] == [f"{token}.json", f"{token}.upload"]
    sidecar = json.loads((Path(app.config["INSTANCE_PATH"]) / "uploads" / f"{token}.json").read_text())
    assert (sidecar["user_id"], sidecar["assessment_id"], sidecar["filename"]) == (
        official.id,
        assessment.id,
        "tha.xlsx",
    )


def test_uploads_older_than_a_day_are_deleted_when_a_new_one_is_stored(
    app: Flask, signed_in: FlaskClient, assessment: Assessment
) -> None:
    data = filled_workbook(signed_in, assessment, PROS_1_2=2)
    upload(signed_in, assessment, data)
    two_days_ago = time.time() - 2 * 24 * 60 * 60
    old = stored_uploads(app)
    for path in old:
        os.utime(path, (two_days_ago, two_days_ago))
    upload(signed_in, assessment, data)
    remaining = stored_uploads(app)
    assert len(remaining) == 2 and not set(old) & set(remaining)
