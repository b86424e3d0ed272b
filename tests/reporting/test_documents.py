"""Preparing a report before writing it: a key that changes exactly when the document would, and
an estimate of the time writing will take (so the web can choose between waiting and a job)."""

from __future__ import annotations

from datetime import date

import pytest

from app.core.library import Library
from app.core.questionnaire import Questionnaire
from app.reporting.documents import EDITABLE_SECONDS, ReportUnavailable, check_report, prepare_report
from tests.reporting.conftest import ASSETS, MINI_LEVELS, mini_input


def _key(mini: Questionnaire, library: Library, kind: str = "gap", format: str = "pdf", **changes: object) -> str:
    return prepare_report(kind, format, mini_input(mini, library, previous={}, **changes), ASSETS).key


def test_the_same_input_gives_the_same_key(mini: Questionnaire, mini_library: Library) -> None:
    assert _key(mini, mini_library) == _key(mini, mini_library)


@pytest.mark.parametrize(
    "change",
    [
        {"levels": {**MINI_LEVELS, "PROT-1.2": 3}},
        {"generated": date(2026, 11, 24)},
        {"confidentiality": "Restricted"},
        {"language": "fr"},
    ],
)
def test_anything_the_report_prints_changes_the_key(
    mini: Questionnaire, mini_library: Library, change: dict[str, object]
) -> None:
    assert _key(mini, mini_library, **change) != _key(mini, mini_library)


def test_each_report_and_format_has_its_own_key(mini: Questionnaire, mini_library: Library) -> None:
    keys = {
        _key(mini, mini_library, kind, format)
        for kind, format in [
            ("gap", "pdf"),
            ("gap", "docx"),
            ("gap", "xlsx"),
            ("summary", "pdf"),
            ("comparison", "pdf"),
        ]
    }
    assert len(keys) == 5


def test_a_pdf_carries_its_html_and_an_estimate_that_grows_with_it(mini: Questionnaire, mini_library: Library) -> None:
    summary = prepare_report("summary", "pdf", mini_input(mini, mini_library), ASSETS)
    gap = prepare_report("gap", "pdf", mini_input(mini, mini_library), ASSETS)
    assert summary.html and gap.html and summary.context is None
    assert 0 < summary.estimate < gap.estimate


def test_an_editable_file_carries_the_pdfs_context(mini: Questionnaire, mini_library: Library) -> None:
    prepared = prepare_report("gap", "xlsx", mini_input(mini, mini_library), ASSETS)
    assert prepared.html is None and prepared.context is not None
    assert prepared.context.summary.overall.score == mini_input(mini, mini_library).results.scores.overall
    assert prepared.estimate == EDITABLE_SECONDS


@pytest.mark.parametrize(
    ("kind", "format", "message"),
    [
        ("workshop", "pdf", "unknown report 'workshop'"),
        ("summary", "xlsx", "the summary report is made as pdf, not xlsx"),
        ("gap", "odt", "the gap report is made as pdf, docx, xlsx, not odt"),
    ],
)
def test_reports_that_do_not_exist_are_refused_with_a_reason(kind: str, format: str, message: str) -> None:
    with pytest.raises(ReportUnavailable, match=message):
        check_report(kind, format)
