"""Offline work: export an assessment as an Excel workbook, CSV or JSON, and import a filled
workbook or CSV back, first as a row-by-row preview (nothing written), then applied through
``save_answer`` so permissions, history and optimistic locking hold as on the web.

- ``layout``: the columns, limits and words both directions share; formula neutralising.
- ``export``: the workbook, CSV and JSON downloads.
- ``read``: parsing an uploaded file into raw rows.
- ``preview``: what each row would do (unchanged, changed, new, rejected, conflict).
- ``apply``: saving the previewed rows the user confirmed.
- ``uploads``: keeping an uploaded file on disk between its preview and its confirmation.
"""

from __future__ import annotations

from app.services.workbook.apply import ApplyOutcome, ApplyReport, apply_import
from app.services.workbook.export import MIMETYPES, download_name, export_csv, export_json, export_xlsx
from app.services.workbook.layout import (
    HEADERS,
    MAX_BYTES,
    MAX_ROWS,
    STATUSES,
    WorkbookError,
    neutralise,
    restore,
)
from app.services.workbook.preview import ImportPreview, ImportRow, RowStatus, preview_import
from app.services.workbook.uploads import (
    PreviewChanged,
    UploadMissing,
    confirm_import,
    discard_upload,
    preview_state,
    stage_import,
)

__all__ = [
    "HEADERS",
    "MAX_BYTES",
    "MAX_ROWS",
    "MIMETYPES",
    "STATUSES",
    "ApplyOutcome",
    "ApplyReport",
    "ImportPreview",
    "ImportRow",
    "PreviewChanged",
    "RowStatus",
    "UploadMissing",
    "WorkbookError",
    "apply_import",
    "confirm_import",
    "discard_upload",
    "download_name",
    "export_csv",
    "export_json",
    "export_xlsx",
    "neutralise",
    "preview_import",
    "preview_state",
    "restore",
    "stage_import",
]
