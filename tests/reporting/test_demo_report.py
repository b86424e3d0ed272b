"""The demo assessment's report (real ctsat-1.0 content, half answered), rendered once: page
count, headings, bookmarks, whole gap cards, no text outside the page box, and speed."""

from __future__ import annotations

import re

import pytest

from tests.reporting.conftest import Rendered, bookmark_labels, elements_on_pages, overflowing_text, page_texts

PILLARS = ["Governance and partnership", "Prevention", "Protection", "Prosecution"]


@pytest.fixture(scope="module")
def pages(demo_report: Rendered, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return page_texts(demo_report.pdf, tmp_path_factory.mktemp("demo"))


def test_the_demo_report_has_a_reasonable_number_of_pages_all_numbered(demo_report: Rendered, pages: list[str]) -> None:
    assert 25 <= demo_report.pages <= 60
    assert f"Page {demo_report.pages} of {demo_report.pages}" in pages[-1]


def test_the_demo_report_has_every_section_heading(pages: list[str]) -> None:
    headings = {line.strip() for text in pages for line in text.splitlines()}
    for heading in ["Contents", "Executive summary", "Scores by measure", *PILLARS, "Data gaps", "Action plan"]:
        assert heading in headings
    assert "Annex: methodology" in headings and "Comparison with the previous cycle" not in headings


def test_the_demo_bookmarks_nest_pillar_subsections(demo_report: Rendered) -> None:
    labels = bookmark_labels(demo_report.document)
    top = [label for level, label, _ in labels if level == 1]
    # the overview first, then the per-measure detail of each pillar in the annex
    assert top[:4] == ["Contents", "Executive summary", "Scores by measure", "Top gaps by pillar, with the next step"]
    annex = top.index("Annex: gaps and strengths by measure")
    assert top[annex + 1 : annex + 5] == PILLARS and top[-1] == "Annex: methodology"
    start = next(i for i, (level, label, _) in enumerate(labels) if (level, label) == (1, "Governance and partnership"))
    after_governance = [label for level, label, _ in labels[start + 1 :] if level == 2]
    assert after_governance[:3] == ["Measures", "Strengths", "Gaps, in order of priority"]
    pages = [page for level, _, page in labels if level == 1]
    assert pages == sorted(pages)


def test_every_gap_card_is_on_one_page(demo_report: Rendered) -> None:
    cards = elements_on_pages(demo_report.document, "gap-card")
    assert len(cards) == demo_report.html.count('<article class="gap-card')
    assert [pages for pages in cards.values() if len(pages) > 1] == []


def test_no_text_overflows_the_page_box(demo_report: Rendered) -> None:
    assert overflowing_text(demo_report.document) == []


def test_no_page_is_left_blank(pages: list[str]) -> None:
    for number, text in enumerate(pages[1:], start=2):
        body = [
            line for line in text.splitlines() if line.strip() and not re.match(r"(Page \d+ of \d+|Thailand —)", line)
        ]
        assert body, f"page {number} has only its header and footer"


def test_twenty_five_pages_take_under_three_seconds(demo_report: Rendered) -> None:
    """CPU time of HTML, layout and PDF together, per 25 pages (fonts already loaded)."""
    assert demo_report.cpu_seconds / demo_report.pages * 25 < 3.0, demo_report.cpu_seconds
