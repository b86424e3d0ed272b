"""Evidence files: officials attach documents to an answer; the type is checked by content and
the size is limited; files live outside the web root and go only, as downloads, to people who
may read the assessment."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from app.models import Assessment, EvidenceFile
from app.services.catalog import get_questionnaire
from app.services.cycles import CycleSettings, change_status, start_cycle
from app.services.reports import gap_report_input
from app.services.workbook.export import export_json, export_xlsx
from app.services.workbook.read import read_file
from tests.conftest import csrf_token, login

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def cycle(session: Session, make_user: Any) -> tuple[Assessment, Any]:
    coordinator = make_user("coordinator", "THA")
    settings = CycleSettings("Review 2026", ["origin"], "Confidential", "private", {})
    assessment = start_cycle(session, coordinator, "THA", get_questionnaire(session, "mini", "1"), settings)
    session.commit()
    return assessment, coordinator


def upload(client: FlaskClient, assessment: Assessment, content: bytes, name: str, item: str = "PROS-1.3") -> Any:
    page = f"/assessments/{assessment.id}/items/{item}/evidence"
    token = csrf_token(client.get(page).get_data(as_text=True))
    data = {"csrf_token": token, "file": (io.BytesIO(content), name)}
    return client.post(page, data=data, content_type="multipart/form-data")


def test_an_official_attaches_a_pdf_and_colleagues_download_it(
    app: Flask, client: FlaskClient, session: Session, make_user: Any
) -> None:
    assessment, coordinator = cycle(session, make_user)
    official = make_user("official", "THA")
    login(client, official.email)
    assert upload(client, assessment, PDF, "Anti-Trafficking Act 2008.pdf").status_code == 302
    row = session.query(EvidenceFile).one()
    assert (row.item_id, row.kind, row.filename, row.size) == (
        "PROS-1.3",
        "pdf",
        "Anti-Trafficking Act 2008.pdf",
        len(PDF),
    )
    stored = Path(app.config["INSTANCE_PATH"]) / "evidence" / row.storage_key
    assert stored.read_bytes() == PDF
    page = client.get(f"/assessments/{assessment.id}/items/PROS-1.3/evidence").get_data(as_text=True)
    assert "Anti-Trafficking Act 2008.pdf" in page
    colleague = app.test_client()
    login(colleague, coordinator.email)
    response = colleague.get(f"/assessments/{assessment.id}/evidence/{row.id}")
    body = response.get_data()
    response.close()  # the file is streamed from the store
    assert response.status_code == 200 and body == PDF and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in response.headers["Content-Security-Policy"]
    measure = colleague.get(f"/assessments/{assessment.id}/measures/PROS-1").get_data(as_text=True)
    assert "1 evidence file" in measure


def test_a_file_is_judged_by_its_content_not_its_name(client: FlaskClient, session: Session, make_user: Any) -> None:
    assessment, coordinator = cycle(session, make_user)
    login(client, coordinator.email)
    response = upload(client, assessment, b"<html><script>alert(1)</script></html>", "law.pdf")
    assert response.status_code == 400 and "attach a PDF, Word (DOCX)" in response.get_data(as_text=True)
    assert session.query(EvidenceFile).count() == 0


def test_files_over_the_size_limit_are_refused_and_nothing_is_kept(
    app: Flask, client: FlaskClient, session: Session, make_user: Any
) -> None:
    app.config["EVIDENCE_MAX_BYTES"] = 256 * 1024  # small: the test client spools larger bodies to disk
    assessment, coordinator = cycle(session, make_user)
    login(client, coordinator.email)
    response = upload(client, assessment, PDF + b"0" * (256 * 1024), "statistics.pdf")
    assert response.status_code == 400 and "larger than 0.25 MB" in response.get_data(as_text=True)
    assert session.query(EvidenceFile).count() == 0
    assert list((Path(app.config["INSTANCE_PATH"]) / "evidence").iterdir()) == []


def test_other_countries_never_get_the_file(app: Flask, client: FlaskClient, session: Session, make_user: Any) -> None:
    assessment, coordinator = cycle(session, make_user)
    login(client, coordinator.email)
    upload(client, assessment, PDF, "mou.pdf")
    row = session.query(EvidenceFile).one()
    outsider = app.test_client()
    login(outsider, make_user("coordinator", "PHL").email)
    assert outsider.get(f"/assessments/{assessment.id}/evidence/{row.id}").status_code == 404
    assert outsider.get(f"/assessments/{assessment.id}/items/PROS-1.3/evidence").status_code == 404
    other, _coordinator = cycle(session, make_user)
    assert client.get(f"/assessments/{other.id}/evidence/{row.id}").status_code == 404  # not this assessment's


def test_a_final_assessment_takes_no_new_files(client: FlaskClient, session: Session, make_user: Any) -> None:
    assessment, coordinator = cycle(session, make_user)
    change_status(session, coordinator, assessment, "final", reason="Reporting deadline")
    session.commit()
    login(client, coordinator.email)
    assert "Attach a document" not in client.get(f"/assessments/{assessment.id}/items/PROS-1.3/evidence").get_data(
        as_text=True
    )
    assert upload(client, assessment, PDF, "late.pdf").status_code == 403


def test_the_uploader_removes_a_file_and_it_leaves_the_store(
    app: Flask, client: FlaskClient, session: Session, make_user: Any
) -> None:
    assessment, coordinator = cycle(session, make_user)
    login(client, coordinator.email)
    upload(client, assessment, PDF, "old sop.pdf")
    row = session.query(EvidenceFile).one()
    page = f"/assessments/{assessment.id}/items/PROS-1.3/evidence"
    token = csrf_token(client.get(page).get_data(as_text=True))
    assert (
        client.post(f"/assessments/{assessment.id}/evidence/{row.id}/remove", data={"csrf_token": token}).status_code
        == 302
    )
    assert session.query(EvidenceFile).count() == 0
    assert not (Path(app.config["INSTANCE_PATH"]) / "evidence" / row.storage_key).exists()


def test_evidence_files_go_into_the_report_and_the_workbook(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    assessment, coordinator = cycle(session, make_user)
    login(client, coordinator.email)
    upload(client, assessment, PDF, "national action plan.pdf")
    data = gap_report_input(session, assessment)
    assert [(note.item_id, note.filename) for note in data.evidence] == [("PROS-1.3", "national action plan.pdf")]
    workbook = load_workbook(io.BytesIO(export_xlsx(session, coordinator, assessment)), read_only=True)
    try:
        rows = list(workbook["Evidence files"].iter_rows(values_only=True))
    finally:
        workbook.close()
    assert rows[1][:3] == ("PROS-1.3", "national action plan.pdf", "PDF")
    assert export_json(session, coordinator, assessment)["evidence_files"][0]["filename"] == "national action plan.pdf"


def test_a_workbook_with_its_evidence_sheet_uploads_back(client: FlaskClient, session: Session, make_user: Any) -> None:
    assessment, coordinator = cycle(session, make_user)
    login(client, coordinator.email)
    upload(client, assessment, PDF, "sop.pdf")
    rows, _meta = read_file(export_xlsx(session, coordinator, assessment), "answers.xlsx")
    assert rows and all(row.sheet != "Evidence files" for row in rows)
