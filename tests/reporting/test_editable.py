"""The gap analysis and action plan as Word and Excel files: built from the PDF's own context, so
every number reads as in the PDF; headings, tables, the marking on every page; no formulas."""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook

from app.core.actions import ActionFields
from app.core.library import Library
from app.core.questionnaire import Questionnaire
from app.reporting.documents import prepare_report, produce
from app.reporting.inputs import GapReportInput, ItemNote
from tests.reporting.conftest import ASSETS, mini_input, page_texts

HOSTILE = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1:A9)", "\tTab", "<b>bold</b>\x07"]


@pytest.fixture(scope="module")
def data(mini: Questionnaire, mini_library: Library) -> GapReportInput:
    return mini_input(
        mini,
        mini_library,
        confidentiality="R&D only",
        previous={"PROS-1.1": 0, "PROS-1.3": 4},
        notes={"PROS-2.1": ItemNote(HOSTILE[0], HOSTILE[5])},
        actions=[
            ActionFields(
                HOSTILE[0], "PROT-1", ("PROT-1.2",), HOSTILE[1], HOSTILE[2], date(2027, 1, 1), None, HOSTILE[3]
            ),
            ActionFields("Train investigators", None, indicator=HOSTILE[4], status="in_progress"),
        ],
    )


def _document(data: GapReportInput, format: str) -> bytes:
    return produce(prepare_report("gap", format, data, ASSETS), ASSETS).content


@pytest.fixture(scope="module")
def pdf_words(data: GapReportInput, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The PDF's text as one line, with "3 / 4" read as "3/4" as pdftotext does."""
    pages = page_texts(_document(data, "pdf"), tmp_path_factory.mktemp("pdf"))
    return re.sub(r"\s*/\s*", "/", " ".join(" ".join(pages).split()))


@pytest.fixture(scope="module")
def word(data: GapReportInput) -> Any:
    return Document(BytesIO(_document(data, "docx")))


@pytest.fixture(scope="module")
def book(data: GapReportInput) -> Any:
    return load_workbook(BytesIO(_document(data, "xlsx")))


def _table(document: Any, first_header: str) -> list[list[str]]:
    table = next(t for t in document.tables if t.rows[0].cells[0].text == first_header)
    return [[cell.text for cell in row.cells] for row in table.rows[1:]]


def _rows(sheet: Any) -> list[tuple[Any, ...]]:
    return [row for row in sheet.iter_rows(min_row=2, values_only=True)]


def _measure_line(title: str, score: str, band: str, answered: str) -> str:
    """A measure's row as pdftotext reads it (a one-row table may come out with its header words between)."""
    return rf"{re.escape(title)} (Score Band )?{re.escape(score)} {re.escape(band)} (Answered )?{re.escape(answered)}"


# ------------------------------------------------------------------------------------------- Word


def test_the_word_document_has_the_pdfs_sections_as_headings(word: Any) -> None:
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "Executive summary",
        "Scores by measure",
        "Prosecution",
        "Protection",
        "Data gaps",
        "Challenges these gaps relate to",
        "Action plan",
        "Comparison with the previous cycle",
        "Annex: methodology",
    ]
    gap_titles = [p.text for p in word.paragraphs if p.style.name == "Heading 3"]
    assert gap_titles[0].startswith("PROS-1.1 ")


def test_the_word_documents_measure_scores_are_the_pdfs(word: Any, pdf_words: str) -> None:
    rows = _table(word, "Measure")
    assert len(rows) == 3
    for title, score, band, answered in rows:
        assert re.search(_measure_line(title, score, band, answered.replace(" ", "")), pdf_words), title


def test_the_word_documents_top_gaps_are_the_pdfs(word: Any, pdf_words: str) -> None:
    rows = _table(word, "#")
    assert [row[0] for row in rows] == ["1", "2", "3", "4", "5"]
    for rank, item, level, priority in rows:
        pattern = rf"{rank} {re.escape(item)} (CRITICAL )?{re.escape(level.replace(' ', ''))} {priority} "
        assert re.search(pattern, pdf_words), item


def test_the_marking_is_in_every_pages_header_and_footer(word: Any) -> None:
    section = word.sections[0]
    assert section.header.paragraphs[0].text == "Thailand — Gap-analysis report — R&D only"
    footer = section.footer.paragraphs[0]
    assert footer.text.startswith("R&D only · Page ")
    assert "PAGE" in footer._p.xml and "NUMPAGES" in footer._p.xml


def test_word_tables_repeat_their_header_row(word: Any) -> None:
    plan = next(t for t in word.tables if t.rows[0].cells[1].text == "Action")
    assert "w:tblHeader" in plan.rows[0]._tr.xml
    assert [row.cells[0].text for row in plan.rows[1:]] == ["1", "2"]


def test_user_text_in_word_stays_text_without_control_characters(word: Any) -> None:
    text = "\n".join(p.text for p in word.paragraphs)
    assert "Comment: " + HOSTILE[0] in text
    assert "<b>bold</b>" in text and "\x07" not in text


# ------------------------------------------------------------------------------------------ Excel


def test_the_workbook_has_one_sheet_per_part(book: Any) -> None:
    assert book.sheetnames == [
        "Gap-analysis report",
        "Summary",
        "Measures",
        "Gaps",
        "Strengths",
        "Data gaps",
        "Action plan",
        "Comparison",
    ]


def test_the_workbooks_scores_are_the_pdfs_numbers(book: Any, pdf_words: str) -> None:
    for _pillar, measure_id, title, score, band, completeness, answered, applicable in _rows(book["Measures"]):
        assert isinstance(score, int | float) and isinstance(completeness, int | float)
        line = _measure_line(f"{measure_id} {title}", f"{score:.1f}", band, f"{answered}/{applicable}")
        assert re.search(line, pdf_words), measure_id
    _overall, score, band, completeness, _capped = _rows(book["Summary"])[0]
    assert f"Overall score Band Completeness {score:.1f} {band} {round(completeness * 100)}%" in pdf_words
    for pillar, score, band, completeness, _capped in _rows(book["Summary"])[1:]:
        stats = f"Score Band Completeness {score:.1f} {band} {round(completeness * 100)}%"
        assert re.search(rf"{pillar} [^%]{{0,300}}?{re.escape(stats)}", pdf_words), pillar  # the pillar's page


def test_the_workbooks_gaps_have_the_pdfs_ranks_levels_and_priorities(book: Any, pdf_words: str) -> None:
    gaps = _rows(book["Gaps"])
    assert [row[0] for row in gaps] == list(range(1, len(gaps) + 1))
    for rank, item_id, question, *_rest in gaps[:5]:
        level, target, priority = _rest[3:6]
        pattern = rf"{rank} {item_id} {re.escape(question)} (CRITICAL )?{level}/{target} {priority} "
        assert re.search(pattern, pdf_words), item_id


def test_numbers_and_dates_are_typed_cells_with_formats(book: Any) -> None:
    score = book["Measures"]["D2"]
    assert isinstance(score.value, float) and score.number_format == "0.0"
    assert book["Measures"]["F2"].number_format == "0%"
    start = book["Action plan"]["H2"]
    assert start.value.date() == date(2027, 1, 1) and start.number_format == "yyyy-mm-dd"


def test_no_cell_is_a_formula_whatever_the_user_typed(book: Any) -> None:
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    assert not [text for text in texts if text.startswith(("=", "+", "-", "@", "\t"))]
    assert "'" + HOSTILE[0] in texts and "'+1+1" in texts and "'@SUM(A1:A9)" in texts


def test_every_sheet_prints_the_marking_in_its_header_and_footer(book: Any) -> None:
    for sheet in book.worksheets:
        assert sheet.oddHeader.center.text == "Thailand — Gap-analysis report — R&&D only"
        assert sheet.oddFooter.center.text == "R&&D only · Page &P of &N"


def test_the_editable_files_are_what_office_programs_expect(data: GapReportInput, tmp_path: Path) -> None:
    docx, xlsx = _document(data, "docx"), _document(data, "xlsx")
    assert docx.startswith(b"PK") and xlsx.startswith(b"PK")
    (tmp_path / "report.docx").write_bytes(docx)
    assert Document(str(tmp_path / "report.docx")).core_properties.title == "Thailand — Gap-analysis report"
