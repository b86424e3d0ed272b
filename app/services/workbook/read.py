"""Read an uploaded workbook or CSV file into raw rows, refusing what is not one of ours."""

from __future__ import annotations

import csv
import io
import warnings
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePath

from openpyxl import load_workbook

from app.core.errors import N_
from app.services.workbook.layout import (
    HEADERS,
    MAX_BYTES,
    MAX_ROWS,
    MAX_UNZIPPED,
    NOT_OURS,
    WorkbookError,
    restore,
)
from app.services.workbook.words import ENGLISH_WORDS, WorkbookWords


@dataclass(frozen=True)
class RawRow:
    sheet: str
    row_number: int
    cells: dict[str, str]  # column key → text; only the columns the file has
    numbers: frozenset[str] = frozenset()  # columns whose cell is a spreadsheet number, not typed text


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, datetime | date):
        value = value.isoformat()
    return restore(str(value)).strip()


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _table(
    sheet: str, rows: Iterable[Sequence[object]], counted: list[int], header_keys: dict[str, str]
) -> list[RawRow]:
    """The data rows under the first header row that has Item id and Answer columns (in English or
    the uploader's language)."""
    columns: dict[str, int] | None = None
    found: list[RawRow] = []
    for number, values in enumerate(rows, start=1):
        texts = [_text(value) for value in values]
        if not any(texts):
            continue
        if columns is None:
            keys = [header_keys.get(text.split("(")[0].strip().casefold()) for text in texts]
            if "item_id" in keys and "answer" in keys:
                columns = {key: index for index, key in reversed(list(enumerate(keys))) if key}
            elif number > 10:
                return []
            continue
        counted[0] += 1
        if counted[0] > MAX_ROWS:
            raise WorkbookError(
                N_("The file has more than %(rows)s rows: upload one exported from CTSAT."), rows=f"{MAX_ROWS:,}"
            )
        cells = {k: texts[i] if i < len(texts) else "" for k, i in columns.items()}
        numbers = frozenset(k for k, i in columns.items() if i < len(values) and _is_number(values[i]))
        found.append(RawRow(sheet, number, cells, numbers))
    return found


def _read_xlsx(data: bytes, words: WorkbookWords) -> tuple[list[RawRow], dict[str, str]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED:
                raise WorkbookError(N_("The workbook is too large once unpacked: upload one exported from CTSAT."))
    except zipfile.BadZipFile:
        raise WorkbookError(NOT_OURS) from None
    rows: list[RawRow] = []
    meta: dict[str, str] = {}
    counted = [0]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about harmless things in files from Excel
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                for sheet in workbook.worksheets:
                    values = sheet.iter_rows(max_col=len(HEADERS) + 6, values_only=True)
                    if sheet.title in words.sheet_names("readme"):
                        meta = {_text(row[0]): _text(row[1]) for row in values if len(row) > 1 and row[0]}
                    elif sheet.title not in words.sheet_names("evidence"):
                        rows += _table(sheet.title, values, counted, words.header_keys())
            finally:
                workbook.close()
    except WorkbookError:
        raise
    except Exception:  # openpyxl raises many kinds of error on a damaged or foreign file
        raise WorkbookError(NOT_OURS) from None
    return rows, meta


def _read_csv(data: bytes, words: WorkbookWords) -> list[RawRow]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise WorkbookError(N_("This CSV file is not in UTF-8: in Excel, save it as 'CSV UTF-8'.")) from None
    if "\x00" in text:
        raise WorkbookError(NOT_OURS)
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    try:
        return _table("CSV", csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [0], words.header_keys())
    except csv.Error:
        raise WorkbookError(NOT_OURS) from None


def read_file(data: bytes, filename: str, words: WorkbookWords = ENGLISH_WORDS) -> tuple[list[RawRow], dict[str, str]]:
    if len(data) > MAX_BYTES:
        raise WorkbookError(N_("The file is larger than %(megabytes)s MB."), megabytes=MAX_BYTES // (1024 * 1024))
    if data.startswith(b"PK\x03\x04"):
        rows, meta = _read_xlsx(data, words)
    elif PurePath(filename).suffix.lower() == ".csv":
        rows, meta = _read_csv(data, words), {}
    else:
        raise WorkbookError(NOT_OURS)
    if not rows:
        raise WorkbookError(NOT_OURS)
    return rows, meta
