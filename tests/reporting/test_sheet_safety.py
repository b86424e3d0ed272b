"""The summary sheet, the cycle comparison and the editable files are as safe as the gap report:
hostile user text is printed as text and makes the renderer fetch nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from app.core.actions import ActionFields
from app.core.library import Library
from app.core.questionnaire import Questionnaire
from app.reporting.builder import render_pdf
from app.reporting.documents import prepare_report, produce
from app.reporting.fetcher import FetchLog
from app.reporting.inputs import GapReportInput, ItemNote
from tests.reporting.conftest import ASSETS, mini_input, pdf_tool
from tests.reporting.test_safety import _hostile, _Server


@pytest.fixture
def server() -> Iterator[_Server]:
    with _Server() as running:
        yield running


def _hostile_input(mini: Questionnaire, mini_library: Library, url: str) -> GapReportInput:
    hostile = _hostile(url)
    return mini_input(
        mini,
        mini_library,
        previous={"PROS-1.1": 0},
        assessment_title=hostile[0],
        country_name=hostile[2],
        native_name=hostile[5],
        confidentiality=hostile[1],
        notes={"PROS-2.1": ItemNote(comment=" ".join(hostile), evidence=hostile[3])},
        actions=[ActionFields(text, "PROT-1", lead_agency=text, start=date(2027, 1, 1)) for text in hostile],
    )


@pytest.mark.parametrize("kind", ["summary", "comparison"])
def test_hostile_text_in_the_short_reports_fetches_nothing(
    mini: Questionnaire, mini_library: Library, server: _Server, tmp_path: Path, kind: str
) -> None:
    prepared = prepare_report(kind, "pdf", _hostile_input(mini, mini_library, server.url), ASSETS)
    assert prepared.html is not None
    log = FetchLog()
    rendered = render_pdf(prepared.html, ASSETS, log)
    assert server.requests == [] and log.refused == []
    assert all(url.startswith("https://report.ctsat.invalid/") for url in log.served)
    text = " ".join(pdf_tool("pdftotext", rendered.pdf, tmp_path, "-enc", "UTF-8").split())
    assert '<img src="file:///etc/passwd">' in text


def test_hostile_text_in_the_editable_files_is_kept_as_text(
    mini: Questionnaire, mini_library: Library, server: _Server
) -> None:
    data = _hostile_input(mini, mini_library, server.url)
    word = Document(BytesIO(produce(prepare_report("gap", "docx", data, ASSETS), ASSETS).content))
    assert any('<img src="file:///etc/passwd">' in table.rows[0].cells[1].text for table in word.tables)
    book = load_workbook(BytesIO(produce(prepare_report("gap", "xlsx", data, ASSETS), ASSETS).content))
    actions = [row[1] for row in book["Action plan"].iter_rows(min_row=2, values_only=True)]
    assert actions[0] == '<img src="file:///etc/passwd">'
    assert server.requests == []
