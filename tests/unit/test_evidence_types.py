"""Evidence files are recognised by their content, whatever their name says."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from app.core.evidence_types import document_kind


def zipped(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "jpeg"),
        (b"RIFF\x10\x00\x00\x00WEBPVP8 ", "webp"),
        (b"<html><script>alert(1)</script>", None),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", None),
        (b"MZ\x90\x00\x03\x00", None),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", None),  # an old binary .doc or .xls
        (b"", None),
    ],
)
def test_signatures_decide_the_kind(tmp_path: Path, content: bytes, kind: str | None) -> None:
    path = tmp_path / "upload.pdf"
    path.write_bytes(content)
    assert document_kind(path) == kind


def test_office_and_opendocument_files_are_told_apart_by_their_parts(tmp_path: Path) -> None:
    types = b"<Types/>"
    assert document_kind(zipped(tmp_path / "a", {"[Content_Types].xml": types, "word/document.xml": b"<w/>"})) == "docx"
    assert document_kind(zipped(tmp_path / "b", {"[Content_Types].xml": types, "xl/workbook.xml": b"<x/>"})) == "xlsx"
    odt = {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<c/>"}
    assert document_kind(zipped(tmp_path / "c", odt)) == "odt"


def test_other_zip_archives_and_broken_ones_are_refused(tmp_path: Path) -> None:
    assert document_kind(zipped(tmp_path / "a.docx", {"payload.exe": b"MZ"})) is None
    broken = tmp_path / "b.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    assert document_kind(broken) is None
