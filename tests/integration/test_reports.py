"""The gap-analysis PDF: who may download it (the same people as the results), what the service
gathers for it from the database, and the ``ctsat report`` command."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.cli import cli
from app.models import Action, Assessment
from app.services.assessments import AnswerFields, save_answer, start_assessment
from app.services.catalog import get_questionnaire
from app.services.reports import gap_report_input, report_file_name
from tests.conftest import login


@pytest.fixture(autouse=True)
def reports_blueprint(app: Flask) -> None:
    """Until app/web/factory.py registers the reports blueprint, register it for these tests."""
    if "reports" not in app.blueprints:
        from app.web.reports.routes import blueprint

        app.register_blueprint(blueprint)


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


@pytest.mark.parametrize("kind", ["comparison", "summary"])
def test_the_report_command_says_other_kinds_are_not_yet_available(kind: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["report", "1", "-o", str(tmp_path / "x.pdf"), "--kind", kind])
    assert result.exit_code == 1
    assert f"the {kind} report is not yet available" in result.output
    assert not (tmp_path / "x.pdf").exists()


def test_the_report_command_names_a_missing_assessment(
    app: Flask, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("app.cli._app", lambda overrides=None: app)
    result = CliRunner().invoke(cli, ["report", "999999", "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 1 and "no assessment 999999" in result.output
