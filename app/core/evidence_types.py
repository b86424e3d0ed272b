"""What kind of document a file is, read from its content (never from its name or the type a
browser claims): PDF, Word (DOCX), Excel (XLSX), OpenDocument text and spreadsheet (ODT, ODS),
and PNG, JPEG or WebP images. Anything else is refused, including old binary Office files,
HTML, SVG (it can carry script) and executables.

Office and OpenDocument files are ZIP archives: only their table of contents and the few-byte
``mimetype`` entry are read, so a ZIP bomb is never expanded.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

MEDIA_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "webp": "image/webp",
}
_OPEN_DOCUMENT = {MEDIA_TYPES["odt"]: "odt", MEDIA_TYPES["ods"]: "ods"}
_OOXML = {"word/document.xml": "docx", "xl/workbook.xml": "xlsx"}
_MAX_MIMETYPE_ENTRY = 100


def _by_signature(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def _in_zip(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            for name, kind in _OOXML.items():
                if name in names and "[Content_Types].xml" in names:
                    return kind
            if "mimetype" in names and archive.getinfo("mimetype").file_size <= _MAX_MIMETYPE_ENTRY:
                return _OPEN_DOCUMENT.get(archive.read("mimetype").decode("ascii", "replace").strip())
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, NotImplementedError):
        return None
    return None


def document_kind(path: Path) -> str | None:
    """The kind of the file at ``path`` (a key of MEDIA_TYPES), or None if it is not one we accept."""
    with path.open("rb") as file:
        head = file.read(16)
    if head.startswith(b"PK\x03\x04"):
        return _in_zip(path)
    return _by_signature(head)
