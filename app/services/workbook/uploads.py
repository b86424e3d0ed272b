"""An uploaded file kept on disk between its preview and the user's confirmation.

The file gets a random name (``secrets.token_urlsafe``) and a JSON sidecar that ties it to the
user and the assessment it was uploaded for, with the SHA-256 of its bytes. Confirming reads the
file back, previews it again and applies only if the preview is still the one the user saw.
Uploads older than a day are deleted whenever a new one is stored.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePath

from sqlalchemy.orm import Session

from app.core.errors import N_
from app.models import Assessment, User
from app.services.workbook.apply import ApplyReport, apply_import
from app.services.workbook.layout import WorkbookError
from app.services.workbook.preview import ImportPreview, preview_import
from app.services.workbook.words import ENGLISH_WORDS, WorkbookWords

LIFETIME_SECONDS = 24 * 60 * 60
TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")
MAX_FILENAME = 200


class UploadMissing(WorkbookError):
    """The stored upload is gone, expired, or not this user's for this assessment."""

    def __init__(self) -> None:
        super().__init__(N_("This upload has expired or was already used: please upload the file again."))


class PreviewChanged(Exception):
    """Answers changed on the web since the user saw the preview; ``preview`` is the new one."""

    def __init__(self, preview: ImportPreview) -> None:
        super().__init__("the preview changed")
        self.preview = preview


@dataclass(frozen=True)
class StoredUpload:
    token: str
    filename: str
    digest: str
    data: bytes


def preview_state(preview: ImportPreview) -> str:
    """A fingerprint of what the preview showed: the file and every row's status and version."""
    rows = [(row.sheet, row.row_number, row.item_id, row.status, row.version) for row in preview.rows]
    return hashlib.sha256(json.dumps([preview.digest, rows]).encode()).hexdigest()


def _paths(folder: Path, token: str) -> tuple[Path, Path]:
    return folder / f"{token}.upload", folder / f"{token}.json"


def purge_old_uploads(folder: Path, now: float | None = None) -> int:
    """Delete stored uploads (and stray files) older than a day; returns how many files went."""
    if not folder.is_dir():
        return 0
    limit, removed = (now or time.time()) - LIFETIME_SECONDS, 0
    for path in folder.iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
        except FileNotFoundError:  # another request removed it first
            continue
    return removed


def _write_private(path: Path, data: bytes) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)


def store_upload(folder: Path, user: User, assessment: Assessment, preview: ImportPreview, data: bytes) -> str:
    """Keep ``data`` (already previewed as ``preview``) for confirmation; returns its token."""
    purge_old_uploads(folder)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    token = secrets.token_urlsafe(24)
    upload, sidecar = _paths(folder, token)
    _write_private(upload, data)
    meta = {
        "user_id": user.id,
        "assessment_id": assessment.id,
        "filename": preview.filename[:MAX_FILENAME],
        "digest": preview.digest,
        "stored_at": time.time(),
    }
    _write_private(sidecar, json.dumps(meta).encode())
    return token


def load_upload(folder: Path, user: User, assessment: Assessment, token: str) -> StoredUpload:
    """The stored upload for this user and assessment; UploadMissing otherwise."""
    if not TOKEN.fullmatch(token or ""):
        raise UploadMissing()
    upload, sidecar = _paths(folder, token)
    try:
        meta = json.loads(sidecar.read_text())
        data = upload.read_bytes()
    except (OSError, ValueError):
        raise UploadMissing() from None
    fresh = time.time() - float(meta.get("stored_at", 0)) < LIFETIME_SECONDS
    ours = meta.get("user_id") == user.id and meta.get("assessment_id") == assessment.id
    if not (fresh and ours) or hashlib.sha256(data).hexdigest() != meta.get("digest"):
        raise UploadMissing()
    return StoredUpload(token, str(meta.get("filename") or "upload"), str(meta["digest"]), data)


def discard_upload(folder: Path, token: str) -> None:
    if TOKEN.fullmatch(token or ""):
        for path in _paths(folder, token):
            path.unlink(missing_ok=True)


def stage_import(
    session: Session,
    user: User,
    assessment: Assessment,
    folder: Path,
    data: bytes,
    filename: str,
    words: WorkbookWords = ENGLISH_WORDS,
) -> tuple[ImportPreview, str]:
    """Preview an uploaded file (in English or the language of ``words``) and, if it can be read,
    keep it for confirmation.

    Raises NotFound, PermissionDenied or WorkbookError (nothing is stored then).
    """
    name = PurePath(filename or "upload").name[:MAX_FILENAME]
    preview = preview_import(session, user, assessment, data, name, words)
    return preview, store_upload(folder, user, assessment, preview, data)


def confirm_import(
    session: Session,
    user: User,
    assessment: Assessment,
    folder: Path,
    token: str,
    state: str,
    accept_conflicts: Iterable[str],
    words: WorkbookWords = ENGLISH_WORDS,
) -> ApplyReport:
    """Apply a stored upload if its preview is still the one the user saw (``state``).

    Raises UploadMissing, PreviewChanged (with the new preview), NotFound or PermissionDenied.
    Flushes; the caller commits, then calls :func:`discard_upload`.
    """
    stored = load_upload(folder, user, assessment, token)
    preview = preview_import(session, user, assessment, stored.data, stored.filename, words)
    if preview.digest != stored.digest:
        raise UploadMissing()
    if preview_state(preview) != state:
        raise PreviewChanged(preview)
    return apply_import(session, user, assessment, preview, accept_conflicts)
