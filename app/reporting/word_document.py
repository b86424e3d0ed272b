"""A Word document built block by block (python-docx): headings, paragraphs, lists, tables whose
header row repeats, A4 pages with a header, and a footer with Word's own page fields."""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from app.reporting.wording import xml_text

MUTED = RGBColor(0x5C, 0x5C, 0x5C)


class WordDocument:
    """Appends headings, paragraphs, lists and tables to one document; all text is cleaned for XML."""

    def __init__(self) -> None:
        self.document: Any = Document()

    # ------------------------------------------------------------------------------ blocks

    def heading(self, text: str, level: int = 1) -> None:
        """A heading; each section (level 1) starts a new page, as in the PDF."""
        heading = self.document.add_heading(xml_text(text), level)
        heading.paragraph_format.page_break_before = level == 1

    def paragraph(self, text: str = "", *, bold_label: str = "", muted: bool = False, style: str | None = None) -> Any:
        paragraph = self.document.add_paragraph(style=style)
        if bold_label:
            paragraph.add_run(xml_text(bold_label) + " ").bold = True
        run = paragraph.add_run(xml_text(text))
        if muted:
            run.font.color.rgb = MUTED
        return paragraph

    def bullets(self, lines: Sequence[str]) -> None:
        for line in lines:
            self.paragraph(line, style="List Bullet")

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[int] = ()) -> Any:
        """A table whose header row (if ``headers``) repeats on every page; ``widths`` in millimetres."""
        columns = len(headers) or len(rows[0])
        table = self.document.add_table(rows=1 if headers else 0, cols=columns)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        if headers:
            header = table.rows[0]
            _repeat_header(header)
            for cell, text in zip(header.cells, headers, strict=True):
                cell.paragraphs[0].add_run(xml_text(text)).bold = True
        for values in rows:
            for cell, text in zip(table.add_row().cells, values, strict=True):
                cell.text = xml_text(text)
        if widths:
            table.autofit = False
            for column, width in zip(table.columns, widths, strict=True):
                column.width = Mm(width)
                for cell in column.cells:
                    cell.width = Mm(width)
        self.document.add_paragraph()
        return table

    # ------------------------------------------------------------------------ page furniture

    def pages(self, header: str, footer: str, page_words: tuple[str, str], rtl: bool = False) -> None:
        """A4, 20 mm margins, Noto Sans 10 pt; ``header`` on every page; ``footer`` then "Page x of y"."""
        section = self.document.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Mm(20))
        normal = self.document.styles["Normal"]
        normal.font.name, normal.font.size = "Noto Sans", Pt(10)
        if rtl:
            normal.element.get_or_add_pPr().append(OxmlElement("w:bidi"))
        top = section.header.paragraphs[0]
        top.text = xml_text(header)
        top.alignment = WD_ALIGN_PARAGRAPH.CENTER
        bottom = section.footer.paragraphs[0]
        bottom.alignment = WD_ALIGN_PARAGRAPH.CENTER
        bottom.add_run(xml_text(f"{footer} \u00b7 {page_words[0]} "))
        _field(bottom, "PAGE")
        bottom.add_run(xml_text(f" {page_words[1]} "))
        _field(bottom, "NUMPAGES")

    def save(self) -> bytes:
        buffer = BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()


def _repeat_header(row: Any) -> None:
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _field(paragraph: Any, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays out the pages."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, code), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == code:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {code} "
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)
