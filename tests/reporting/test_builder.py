"""The builder: templates that designers edit (reloaded, translated, escaped) and a cache key."""

from __future__ import annotations

import dataclasses
import shutil
from datetime import date
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from app.core.library import Library
from app.core.questionnaire import Questionnaire
from app.reporting.builder import gap_report, render_html, report_key
from app.reporting.fetcher import ReportAssets
from app.reporting.inputs import EvidenceNote
from tests.reporting.conftest import ASSETS, mini_input


def _copy(tmp_path: Path) -> ReportAssets:
    shutil.copytree(ASSETS.folder, tmp_path / "reports", ignore=shutil.ignore_patterns("*.ttf"))
    return ReportAssets(tmp_path / "reports", translations=tmp_path / "translations")


def _html(assets: ReportAssets, questionnaire: Questionnaire, library: Library, language: str = "en") -> str:
    report = gap_report(mini_input(questionnaire, library, language=language), assets)
    return render_html("gap.html", assets, report.language, report=report)


def test_an_edited_template_is_used_by_the_next_report(
    mini: Questionnaire, mini_library: Library, tmp_path: Path
) -> None:
    assets = _copy(tmp_path)
    assert "Executive summary" in _html(assets, mini, mini_library)
    summary = assets.folder / "partials" / "summary.html"
    summary.write_text(summary.read_text().replace('_("Executive summary")', '_("Key findings")'))
    html = _html(assets, mini, mini_library)
    assert "Key findings" in html and ">Executive summary<" not in html.split('id="summary"')[1]


def test_the_reports_words_come_from_the_message_catalogue(
    mini: Questionnaire, mini_library: Library, tmp_path: Path
) -> None:
    assets = _copy(tmp_path)
    catalog = Catalog(locale="fr")
    catalog.add("Executive summary", "Résumé analytique")
    catalog.add("Page", "Page")
    folder = tmp_path / "translations" / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "messages.mo").open("wb") as file:
        write_mo(file, catalog)
    html = _html(assets, mini, mini_library, language="fr")
    assert "Résumé analytique" in html and 'lang="fr"' in html
    assert "23 novembre 2026" in html  # dates in the report's language


def test_context_values_are_escaped_unless_the_template_marks_them_safe(tmp_path: Path) -> None:
    assets = _copy(tmp_path)
    (assets.folder / "echo.html").write_text("{{ text }}|{{ chart|safe }}")
    html = render_html("echo.html", assets, "en", text="<img src=x>", chart="<svg></svg>")
    assert html == "&lt;img src=x&gt;|<svg></svg>"


def test_the_cache_key_follows_the_html_and_the_stylesheets(tmp_path: Path) -> None:
    assets = _copy(tmp_path)
    key = report_key("<p>a</p>", assets)
    assert report_key("<p>a</p>", assets) == key
    assert report_key("<p>b</p>", assets) != key
    css = assets.folder / "report.css"
    css.write_text(css.read_text() + "\n/* designer's change */\n")
    assert report_key("<p>a</p>", assets) != key


def test_the_reason_for_finalising_before_complete_is_printed_on_the_cover(
    mini: Questionnaire, mini_library: Library
) -> None:
    data = mini_input(mini, mini_library, status="final", final_reason="The minister asked for results in May")
    html = render_html("gap.html", ASSETS, "en", report=gap_report(data, ASSETS))
    cover = html.split('class="cover"')[1].split("</section>")[0]
    assert "Finalised before complete" in cover and "The minister asked for results in May" in cover


def test_a_complete_or_unfinalised_report_has_no_reason_line(mini: Questionnaire, mini_library: Library) -> None:
    assert "Finalised before complete" not in _html(ASSETS, mini, mini_library)


def test_evidence_files_are_listed_in_the_annex(mini: Questionnaire, mini_library: Library) -> None:
    data = dataclasses.replace(
        mini_input(mini, mini_library),
        evidence=[EvidenceNote("PROS-1.3", "Anti-Trafficking Act 2008.pdf", "pdf", 5000, date(2026, 4, 1))],
    )
    html = render_html("gap.html", ASSETS, "en", report=gap_report(data, ASSETS))
    annex = html.split('id="evidence"')[1].split("</section>")[0]
    assert "Annex: evidence files" in annex and "Anti-Trafficking Act 2008.pdf" in annex and "5 KB" in annex
    assert 'href="#evidence"' in html  # in the contents


def test_without_evidence_files_there_is_no_evidence_annex(mini: Questionnaire, mini_library: Library) -> None:
    assert "Annex: evidence files" not in _html(ASSETS, mini, mini_library)
