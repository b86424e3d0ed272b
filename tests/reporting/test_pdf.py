"""The gap-analysis PDF as a reader sees it: cover, running header and footer, contents with page
numbers, bookmarks, metadata, sections, tables that repeat their header, escaped text."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from app.core.actions import ActionFields
from app.core.library import Library
from app.core.questionnaire import Questionnaire
from app.reporting.builder import build_gap_pdf
from app.reporting.inputs import ItemNote
from tests.reporting.conftest import (
    ASSETS,
    Rendered,
    bookmark_labels,
    elements_on_pages,
    mini_input,
    overflowing_text,
    page_texts,
    pdf_objects,
    pdf_tool,
    render,
)

TITLE = "National self-assessment 2026"
SECTIONS = [
    "Contents",
    "Executive summary",
    "Scores by measure",
    "Top gaps by pillar, with the next step",
    "Data gaps",
    "Challenges these gaps relate to",
    "Action plan",
    "Comparison with the previous cycle",
    "Annex: gaps and strengths by measure",
    "Prosecution",
    "Protection",
    "Annex: methodology",
]


def _actions(count: int) -> list[ActionFields]:
    return [
        ActionFields(
            f"Action {number}: train frontline officers on indicators",
            "PROT-1",
            ("PROT-1.1",),
            lead_agency="Ministry of Social Development and Human Security",
            partners="IOM; national NGOs",
            start=date(2027, 1, 1),
            end=date(2027, 12, 31),
            budget="THB 1,500,000",
            indicator="Officers trained",
            status="in_progress",
        )
        for number in range(1, count + 1)
    ]


@pytest.fixture(scope="module")
def mini_report(mini: Questionnaire, mini_library: Library) -> Rendered:
    data = mini_input(
        mini,
        mini_library,
        confidentiality="Restricted",
        actions=_actions(40),
        previous={"PROS-1.1": 0, "PROS-1.3": 4, "PROT-1.1": 2},
        notes={"PROS-2.1": ItemNote("Planned for 2027", "Cabinet resolution 3/2026")},
        peers={"PROS-2.1": ["PHL"]},
    )
    return render(data)


@pytest.fixture(scope="module")
def pages(mini_report: Rendered, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return page_texts(mini_report.pdf, tmp_path_factory.mktemp("pdf"))


def test_the_report_is_an_a4_pdf_whose_pages_match_the_footer(mini_report: Rendered, pages: list[str]) -> None:
    assert mini_report.pdf.startswith(b"%PDF-")
    assert len(pages) == mini_report.pages
    size = mini_report.document.pages[0]
    assert (round(size.width * 0.75), round(size.height * 0.75)) == (595, 842)  # points


def test_the_cover_names_country_script_cycle_dates_questionnaire_and_marking(pages: list[str]) -> None:
    cover = pages[0]
    for text in ("Thailand", "ประเทศไทย", "Gap-analysis report", TITLE, "March 2, 2026", "November 23, 2026"):
        assert text in cover
    assert "Mini questionnaire, version 1" in cover
    assert "RESTRICTED" in cover
    assert "Page 1 of" not in cover


def test_every_other_page_has_the_running_header_and_page_x_of_y(pages: list[str]) -> None:
    total = len(pages)
    for number, text in enumerate(pages[1:], start=2):
        assert "Thailand — Gap-analysis report — Restricted" in text
        assert f"Page {number} of {total}" in text


def test_the_bookmarks_follow_the_headings_without_gap_cards(mini_report: Rendered) -> None:
    labels = bookmark_labels(mini_report.document)
    assert [label for level, label, _ in labels if level == 1] == SECTIONS
    assert not any(label.startswith(("PROS-", "PROT-")) for _, label, _ in labels)
    assert b"/Outlines" in pdf_objects(mini_report.pdf)


def test_the_contents_give_the_page_each_section_starts_on(mini_report: Rendered, pages: list[str]) -> None:
    starts = {label: page for level, label, page in bookmark_labels(mini_report.document) if level == 1}
    contents = pages[1]
    for label in SECTIONS[1:]:
        match = re.search(rf"{re.escape(label)}[ .]*?(\d+)\s*$", contents, re.MULTILINE)
        assert match, f"{label} is not in the contents"
        assert int(match.group(1)) == starts[label], label


def test_each_pillar_starts_on_a_new_page(mini_report: Rendered, pages: list[str]) -> None:
    starts = {label: page for level, label, page in bookmark_labels(mini_report.document) if level == 1}
    for pillar in ("Prosecution", "Protection"):
        first_line = [line.strip() for line in pages[starts[pillar] - 1].splitlines() if line.strip()][1]
        assert first_line == pillar


def test_the_metadata_carry_title_author_and_language(mini_report: Rendered, tmp_path: Path) -> None:
    info = pdf_tool("pdfinfo", mini_report.pdf, tmp_path)
    assert f"Title:           Thailand — Gap-analysis report — {TITLE}" in info
    assert "Author:          Thailand, national self-assessment (CTSAT)" in info
    assert b"/Lang (en)" in pdf_objects(mini_report.pdf)


def test_scores_are_printed_as_on_the_results_page(
    mini: Questionnaire, mini_library: Library, pages: list[str]
) -> None:
    scores = mini_input(mini, mini_library).results.scores
    summary = next(text for text in pages if "Executive summary" in text and "Overall score" in text)
    assert f"{scores.overall:.1f}" in summary
    assert f"{round(scores.completeness * 100)}%" in summary
    assert "Band capped" in summary or "Critical item(s) below level 3: PROS-1.1" in summary


def test_gaps_show_guidance_peers_and_the_countrys_comment(pages: list[str]) -> None:
    text = " ".join(" ".join(page.split()) for page in pages)
    assert "Protocol to Prevent, Suppress and Punish Trafficking in Persons" in text
    assert "United Nations, 2000" in text
    assert "A specialised anti-trafficking police unit — Thailand" in text
    assert "Peers strong here Philippines" in text
    assert "Comment: Planned for 2027" in text and "Evidence: Cabinet resolution 3/2026" in text


def test_the_action_plan_table_repeats_its_header_on_every_page(pages: list[str]) -> None:
    plan_pages = [text for text in pages if "Action 1: " in text or re.search(r"Action \d+: train", text)]
    assert len(plan_pages) >= 2
    for text in plan_pages:
        words = " ".join(text.split())
        assert "# Action Lead agency and partners Period Budget Indicator Status" in words


def test_the_comparison_with_the_previous_cycle_is_shown(pages: list[str]) -> None:
    text = "\n".join(pages)
    assert "Previous cycle: Self-assessment 2024, started May 6, 2024." in text
    assert "Items that declined" in text


def test_no_comparison_section_without_a_previous_cycle(mini: Questionnaire, mini_library: Library) -> None:
    rendered = render(mini_input(mini, mini_library))
    assert "Comparison with the previous cycle" not in rendered.html


def test_no_text_overflows_the_page_and_gap_cards_stay_whole(mini_report: Rendered) -> None:
    assert overflowing_text(mini_report.document) == []
    assert all(len(pages) == 1 for pages in elements_on_pages(mini_report.document, "gap-card").values())


def test_user_text_is_escaped(mini: Questionnaire, mini_library: Library, tmp_path: Path) -> None:
    title = "<b>Bold</b> & <script>alert(1)</script> 50% done"
    rendered = render(mini_input(mini, mini_library, assessment_title=title))
    assert "<b>Bold</b>" not in rendered.html and "&lt;b&gt;Bold&lt;/b&gt; &amp; &lt;script&gt;" in rendered.html
    assert title in " ".join(pdf_tool("pdftotext", rendered.pdf, tmp_path, "-enc", "UTF-8").split())


def test_build_gap_pdf_reports_pages_and_time(mini: Questionnaire, mini_library: Library) -> None:
    rendered = build_gap_pdf(mini_input(mini, mini_library), ASSETS)
    assert rendered.pdf.startswith(b"%PDF-") and rendered.pages >= 8 and rendered.seconds > 0
