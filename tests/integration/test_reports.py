"""Reports of an assessment: who may download them (the same people as the results), what the
service gathers for them from the database, the ``ctsat report`` command, and the cache and
background jobs that make a repeat download instant and a long report no burden on the request."""

from __future__ import annotations

import os
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.cli import cli
from app.core.answers import AnswerFields
from app.models import Action, Assessment, LibraryEntry
from app.reporting.documents import produce
from app.reporting.docx import DOCX_MIMETYPE
from app.reporting.xlsx import XLSX_MIMETYPE
from app.services import report_jobs
from app.services.assessments import save_answer, start_assessment
from app.services.catalog import get_questionnaire
from app.services.report_jobs import JOBS
from app.services.reports import gap_report_input, report_file_name
from tests.conftest import login


def answered(
    session: Session, make_user: Any, country: str = "THA", levels: dict[str, int] | None = None
) -> Assessment:
    """An assessment of the mini questionnaire with ``levels`` answered, each with a comment."""
    questionnaire = get_questionnaire(session, "mini", "1")
    assessment = start_assessment(session, make_user("coordinator", country), country, questionnaire, "Review", [])
    official = make_user("official", country)
    for item_id, level in (levels or {"PROS-1.1": 2, "PROS-2.1": 0}).items():
        save_answer(session, official, assessment, item_id, AnswerFields(level=level, comment=f"On {item_id}"), 0)
    session.commit()
    return assessment


def url(assessment: Assessment) -> str:
    return f"/assessments/{assessment.id}/report.pdf"


def with_previous(session: Session, make_user: Any) -> Assessment:
    """An assessment that follows an earlier cycle of the same country."""
    previous = answered(session, make_user, levels={"PROS-1.1": 0, "PROS-2.1": 2})
    assessment = answered(session, make_user, levels={"PROS-1.1": 2, "PROS-2.1": 0})
    assessment.previous_id = previous.id
    session.commit()
    return assessment


@pytest.mark.parametrize("role", ["official", "coordinator"])
def test_the_countrys_people_download_the_report_as_pdf(
    client: FlaskClient, session: Session, make_user: Any, role: str
) -> None:
    assessment = answered(session, make_user)
    login(client, make_user(role, "THA").email)
    response = client.get(url(assessment))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    disposition = response.headers["Content-Disposition"]
    assert disposition == f'attachment; filename="{report_file_name(assessment)}"'
    assert "no-store" in response.headers["Cache-Control"]


def test_an_admin_downloads_any_countrys_report(client: FlaskClient, session: Session, make_user: Any) -> None:
    assessment = answered(session, make_user)
    login(client, make_user("admin").email)
    assert client.get(url(assessment)).status_code == 200


@pytest.mark.parametrize(("role", "country"), [("official", "PHL"), ("coordinator", "PHL"), ("facilitator", None)])
def test_people_who_cannot_see_the_results_get_404(
    client: FlaskClient, session: Session, make_user: Any, role: str, country: str | None
) -> None:
    assessment = answered(session, make_user)
    login(client, make_user(role, country).email)
    response = client.get(url(assessment))
    assert response.status_code == 404
    assert not response.data.startswith(b"%PDF")


def test_anonymous_visitors_are_sent_to_sign_in(client: FlaskClient, session: Session, make_user: Any) -> None:
    assessment = answered(session, make_user)
    response = client.get(url(assessment))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_missing_assessment_is_404(client: FlaskClient, make_user: Any) -> None:
    login(client, make_user("official", "THA").email)
    assert client.get("/assessments/999999/report.pdf").status_code == 404


def test_the_report_input_gathers_comments_actions_names_and_the_previous_cycle(
    session: Session, make_user: Any
) -> None:
    previous = answered(session, make_user, levels={"PROS-1.1": 0})
    assessment = answered(session, make_user, levels={"PROS-1.1": 2, "PROS-2.1": 0})
    assessment.previous_id, assessment.confidentiality = previous.id, "Restricted"
    session.add(Action(assessment_id=assessment.id, position=2, title="Second", measure_id="PROS-2"))
    session.add(Action(assessment_id=assessment.id, position=1, title="First", start=date(2027, 1, 1)))
    session.commit()
    data = gap_report_input(session, assessment, today=date(2026, 11, 23))
    assert (data.meta.country_name, data.meta.native_name) == ("Thailand", "ประเทศไทย")
    assert (data.meta.confidentiality, data.meta.generated) == ("Restricted", date(2026, 11, 23))
    assert data.notes["PROS-2.1"].comment == "On PROS-2.1"
    assert [action.title for action in data.actions] == ["First", "Second"]
    assert data.previous is not None and data.previous.scores.items["PROS-1.1"].level == 0
    assert [gap.item_id for gap in data.results.gaps] == ["PROS-1.1", "PROS-2.1"]


def test_peers_are_only_countries_that_share_with_peers(session: Session, make_user: Any) -> None:
    assessment = answered(session, make_user, levels={"PROS-2.1": 0})
    sharing = answered(session, make_user, "PHL", {"PROS-2.1": 4})
    private = answered(session, make_user, "IDN", {"PROS-2.1": 4})
    sharing.sharing, private.sharing = "peers", "private"
    session.commit()
    assert gap_report_input(session, assessment).peers == {"PROS-2.1": ["PHL"]}


def test_the_report_command_writes_the_pdf(
    app: Flask, session: Session, make_user: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assessment = answered(session, make_user)
    monkeypatch.setattr("app.cli._app", lambda overrides=None: app)
    output = tmp_path / "report.pdf"
    result = CliRunner().invoke(cli, ["report", str(assessment.id), "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert output.read_bytes().startswith(b"%PDF-") and f"Wrote {output}" in result.output


@pytest.mark.parametrize(
    ("arguments", "magic"),
    [
        (["--kind", "summary"], b"%PDF-"),
        (["--format", "docx"], b"PK"),
        (["--kind", "gap", "--format", "xlsx"], b"PK"),
    ],
)
def test_the_report_command_writes_every_kind_and_format(
    app: Flask,
    session: Session,
    make_user: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    arguments: list[str],
    magic: bytes,
) -> None:
    assessment = answered(session, make_user)
    monkeypatch.setattr("app.cli._app", lambda overrides=None: app)
    output = tmp_path / "report.out"
    result = CliRunner().invoke(cli, ["report", str(assessment.id), "-o", str(output), *arguments])
    assert result.exit_code == 0, result.output
    assert output.read_bytes().startswith(magic)


def test_the_report_command_writes_the_comparison_with_the_previous_cycle(
    app: Flask, session: Session, make_user: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assessment = with_previous(session, make_user)
    monkeypatch.setattr("app.cli._app", lambda overrides=None: app)
    output = tmp_path / "comparison.pdf"
    result = CliRunner().invoke(cli, ["report", str(assessment.id), "-o", str(output), "--kind", "comparison"])
    assert result.exit_code == 0, result.output
    assert output.read_bytes().startswith(b"%PDF-")


def test_the_report_command_says_when_there_is_no_previous_cycle(
    app: Flask, session: Session, make_user: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assessment = answered(session, make_user)
    monkeypatch.setattr("app.cli._app", lambda overrides=None: app)
    result = CliRunner().invoke(
        cli, ["report", str(assessment.id), "-o", str(tmp_path / "x.pdf"), "--kind", "comparison"]
    )
    assert result.exit_code == 1 and "no previous cycle to compare with" in result.output
    assert not (tmp_path / "x.pdf").exists()


def test_the_report_command_refuses_a_summary_as_word(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["report", "1", "-o", str(tmp_path / "x.docx"), "--kind", "summary", "--format", "docx"]
    )
    assert result.exit_code == 1 and "the summary report is made as pdf, not docx" in result.output
    assert not (tmp_path / "x.docx").exists()


def test_the_report_command_names_a_missing_assessment(
    app: Flask, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("app.cli._app", lambda overrides=None: app)
    result = CliRunner().invoke(cli, ["report", "999999", "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 1 and "no assessment 999999" in result.output


# ------------------------------------------------------------------ every report, cached, in the background

DOWNLOADS = [
    ("report.pdf", "application/pdf", "gap-report-{id}.pdf"),
    ("summary.pdf", "application/pdf", "summary-report-{id}.pdf"),
    ("brief.pdf", "application/pdf", "brief-report-{id}.pdf"),
    ("report.docx", DOCX_MIMETYPE, "gap-report-{id}.docx"),
    ("report.xlsx", XLSX_MIMETYPE, "gap-report-{id}.xlsx"),
]


def signed_in(client: FlaskClient, make_user: Any, role: str = "official", country: str | None = "THA") -> FlaskClient:
    login(client, make_user(role, country).email)
    return client


@pytest.mark.parametrize(("path", "mimetype", "name"), DOWNLOADS)
def test_each_report_downloads_in_its_format(
    client: FlaskClient, session: Session, make_user: Any, path: str, mimetype: str, name: str
) -> None:
    assessment = answered(session, make_user)
    response = signed_in(client, make_user).get(f"/assessments/{assessment.id}/{path}")
    assert response.status_code == 200 and response.mimetype == mimetype
    assert response.headers["Content-Disposition"].endswith(f'-{name.format(id=assessment.id)}"')
    assert response.data.startswith(b"%PDF-" if path.endswith(".pdf") else b"PK")


def test_the_comparison_downloads_when_there_is_a_previous_cycle(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    assessment = with_previous(session, make_user)
    response = signed_in(client, make_user).get(f"/assessments/{assessment.id}/comparison.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")


def test_without_a_previous_cycle_the_comparison_is_404_with_a_reason(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    assessment = answered(session, make_user)
    response = signed_in(client, make_user).get(f"/assessments/{assessment.id}/comparison.pdf")
    assert response.status_code == 404
    assert "no previous cycle" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path", ["summary.pdf", "brief.pdf", "report.docx", "report.xlsx", "comparison.pdf", "reports/gap/status"]
)
def test_other_countries_get_404_for_every_report(
    client: FlaskClient, session: Session, make_user: Any, path: str
) -> None:
    assessment = with_previous(session, make_user)
    response = signed_in(client, make_user, "coordinator", "PHL").get(f"/assessments/{assessment.id}/{path}")
    assert response.status_code == 404
    assert b"Review" not in response.data


def test_the_results_page_lists_the_downloads(client: FlaskClient, session: Session, make_user: Any) -> None:
    assessment = answered(session, make_user)
    page = signed_in(client, make_user).get(f"/assessments/{assessment.id}/results").get_data(as_text=True)
    for path in ("report.pdf", "brief.pdf", "summary.pdf", "report.docx", "report.xlsx"):
        assert f'href="/assessments/{assessment.id}/{path}"' in page
    assert "comparison.pdf" not in page


def test_the_results_page_offers_the_comparison_after_a_previous_cycle(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    assessment = with_previous(session, make_user)
    page = signed_in(client, make_user).get(f"/assessments/{assessment.id}/results").get_data(as_text=True)
    assert f'href="/assessments/{assessment.id}/comparison.pdf"' in page


class Builds:
    """Counts the documents written (by patching ``produce`` where the service calls it)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        self.gate = threading.Event()
        self.gate.set()

        def counting(prepared: Any, assets: Any) -> Any:
            self.count += 1
            assert self.gate.wait(30)
            return produce(prepared, assets)

        monkeypatch.setattr(report_jobs, "produce", counting)


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> Builds:
    return Builds(monkeypatch)


def test_a_repeat_download_is_served_from_the_cache_without_building(
    client: FlaskClient, session: Session, make_user: Any, builds: Builds, monkeypatch: pytest.MonkeyPatch
) -> None:
    assessment = answered(session, make_user)
    signed_in(client, make_user)
    first = client.get(url(assessment))
    monkeypatch.setattr(report_jobs, "gap_report_input", lambda *args: pytest.fail("the input was gathered again"))
    again = client.get(url(assessment))
    assert again.status_code == 200 and again.data == first.data and builds.count == 1


@pytest.mark.parametrize("change", ["answer", "action", "marking", "library"])
def test_any_change_to_what_the_report_shows_makes_a_fresh_one(
    client: FlaskClient, session: Session, make_user: Any, builds: Builds, change: str
) -> None:
    assessment = answered(session, make_user)
    signed_in(client, make_user)
    first = client.get(url(assessment))
    if change == "answer":
        save_answer(session, make_user("official", "THA"), assessment, "PROS-1.2", AnswerFields(level=3), 0)
    elif change == "action":
        session.add(Action(assessment_id=assessment.id, position=1, title="Train investigators"))
    elif change == "marking":
        assessment.confidentiality = "Restricted"
    else:
        for entry in session.scalars(select(LibraryEntry).filter_by(kind="resources")):
            entry.data = {**entry.data, "title": entry.data["title"] + " (second edition)"}
    session.commit()
    again = client.get(url(assessment))
    assert again.status_code == 200 and again.data != first.data and builds.count == 2


def test_a_change_that_prints_nothing_new_reuses_the_document(
    client: FlaskClient, session: Session, make_user: Any, builds: Builds
) -> None:
    assessment = answered(session, make_user)
    signed_in(client, make_user)
    first = client.get(url(assessment))
    session.execute(update(LibraryEntry).values(updated_at=datetime.now(UTC) + timedelta(seconds=5)))
    session.commit()
    again = client.get(url(assessment))
    assert again.data == first.data and builds.count == 1


def test_a_slow_report_is_prepared_in_the_background_with_a_status_page(
    app: Flask, client: FlaskClient, session: Session, make_user: Any, builds: Builds
) -> None:
    app.config["REPORT_INLINE_SECONDS"] = 0
    assessment = answered(session, make_user)
    signed_in(client, make_user)
    builds.gate.clear()
    try:
        response = client.get(url(assessment))
        status_url = f"/assessments/{assessment.id}/reports/gap/status"
        assert response.status_code == 302 and response.headers["Location"] == status_url
        waiting = client.get(status_url).get_data(as_text=True)
        assert "being prepared" in waiting and '<meta http-equiv="refresh" content="3">' in waiting
        assert client.get(f"/assessments/{assessment.id}/results").status_code == 200  # others are served
        assert client.get(url(assessment)).status_code == 302 and builds.count == 1  # not queued twice
    finally:
        builds.gate.set()
    assert JOBS.wait(30)
    ready = client.get(status_url).get_data(as_text=True)
    assert "The report is ready." in ready and 'http-equiv="refresh"' not in ready
    assert f'href="{url(assessment)}"' in ready
    assert client.get(url(assessment)).data.startswith(b"%PDF-") and builds.count == 1


def test_a_failed_background_report_says_so_and_can_be_tried_again(
    app: Flask, client: FlaskClient, session: Session, make_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    app.config["REPORT_INLINE_SECONDS"] = 0
    monkeypatch.setattr(report_jobs, "produce", lambda prepared, assets: 1 / 0)
    assessment = answered(session, make_user)
    signed_in(client, make_user)
    assert client.get(url(assessment)).status_code == 302
    assert JOBS.wait(30)
    page = client.get(f"/assessments/{assessment.id}/reports/gap/status").get_data(as_text=True)
    assert "could not be prepared" in page and 'http-equiv="refresh"' not in page
    assert "Try again" in page and "ZeroDivisionError" not in page


def test_the_status_page_offers_to_prepare_a_report_nobody_asked_for_yet(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    assessment = answered(session, make_user)
    page = signed_in(client, make_user).get(f"/assessments/{assessment.id}/reports/summary/status")
    assert page.status_code == 200
    assert f'href="/assessments/{assessment.id}/summary.pdf"' in page.get_data(as_text=True)


def test_a_pending_mark_from_a_process_that_died_expires(tmp_path: Path) -> None:
    cache = report_jobs.ReportCache(tmp_path)
    cache.mark_pending("abc")
    assert cache.pending("abc")
    old = time.time() - report_jobs.PENDING_SECONDS - 1
    os.utime(tmp_path / "abc.pending", (old, old))
    assert not cache.pending("abc")


def test_the_cache_keeps_only_the_newest_documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report_jobs, "KEPT_DOCUMENTS", 2)
    cache = report_jobs.ReportCache(tmp_path)
    for number, key in enumerate(["old", "middle", "new"]):
        path = cache.store(key, "pdf", b"%PDF-")
        os.utime(path, (1000 + number, 1000 + number))
    assert sorted(path.name for path in tmp_path.glob("*.pdf")) == ["middle.pdf", "new.pdf"]
    assert not list(tmp_path.glob(".tmp-*"))


def test_another_server_finds_a_document_through_the_shared_index(tmp_path: Path) -> None:
    report_jobs.ReportCache(tmp_path).remember("fingerprint", "key")
    report_jobs._known.clear()  # as in a fresh process
    assert report_jobs.ReportCache(tmp_path).key_for("fingerprint") == "key"
