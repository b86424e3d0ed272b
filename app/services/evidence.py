"""Evidence files: documents officials attach to an answer (a law, an SOP, an MOU, statistics).

Files are stored outside the web root, in the evidence folder (``instance/evidence/`` unless
``EVIDENCE_PATH`` says otherwise, so a backup of the instance folder includes them), under a
random name; the database keeps the name people gave them, the kind found in their content,
their size and SHA-256. Only people who may read the assessment get them, and only as downloads.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.errors import N_, CtsatError, NotFound, PermissionDenied
from app.core.evidence_types import document_kind
from app.models import Assessment, EvidenceFile, User
from app.security import can_answer, can_manage
from app.services.assessments import questionnaire_of

DEFAULT_LIMIT = 20 * 1024 * 1024
CHUNK = 64 * 1024
NAME_LIMIT = 200


class EvidenceError(CtsatError, ValueError):
    """The file cannot be attached (a clear message for the user)."""


@dataclass(frozen=True)
class EvidenceStore:
    """A folder of evidence files, named by random keys. (An S3-compatible store would offer
    the same three methods.)"""

    folder: Path
    limit: int = DEFAULT_LIMIT

    def path(self, key: str) -> Path:
        if not key.isalnum():
            raise NotFound("no such file")
        return self.folder / key

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)


def evidence_store(config: Mapping[str, Any]) -> EvidenceStore:
    """From the app's configuration: EVIDENCE_PATH (default INSTANCE_PATH/evidence) and EVIDENCE_MAX_BYTES."""
    folder = Path(config.get("EVIDENCE_PATH") or Path(config["INSTANCE_PATH"]) / "evidence")
    return EvidenceStore(folder, int(config.get("EVIDENCE_MAX_BYTES") or DEFAULT_LIMIT))


def clean_filename(raw: str) -> str:
    """The name people gave the file, without folders, control characters or quotes."""
    name = unicodedata.normalize("NFC", raw.replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(char for char in name if unicodedata.category(char)[0] != "C" and char not in '"<>')
    return name.strip(" .")[:NAME_LIMIT] or "evidence"


def _receive(stream: IO[bytes], store: EvidenceStore) -> tuple[str, int, str]:
    """Copy the upload into the store under a new key, stopping past the size limit."""
    store.folder.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(16)
    digest, size = hashlib.sha256(), 0
    target = store.path(key)
    with target.open("xb") as file:
        os.chmod(target, 0o600)
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > store.limit:
                break
            digest.update(chunk)
            file.write(chunk)
    if size > store.limit:
        target.unlink()
        raise EvidenceError(N_("the file is larger than %(limit)s MB"), limit=f"{store.limit / (1024 * 1024):g}")
    return key, size, digest.hexdigest()


def attach_evidence(
    session: Session,
    user: User,
    assessment: Assessment,
    item_id: str,
    filename: str,
    stream: IO[bytes],
    store: EvidenceStore,
) -> EvidenceFile:
    if not can_answer(user, assessment):
        raise PermissionDenied(N_("only your country's officials can add evidence, while the assessment is a draft"))
    if item_id not in questionnaire_of(session, assessment).items:
        raise NotFound("no such item")
    key, size, sha256 = _receive(stream, store)
    kind = document_kind(store.path(key))
    if size == 0 or kind is None:
        store.delete(key)
        raise EvidenceError(
            N_("attach a PDF, Word (DOCX), Excel (XLSX), OpenDocument (ODT, ODS) or image (PNG, JPEG, WebP) file")
        )
    row = EvidenceFile(
        assessment_id=assessment.id,
        item_id=item_id,
        filename=clean_filename(filename),
        kind=kind,
        size=size,
        sha256=sha256,
        storage_key=key,
        uploaded_by=user.id,
    )
    session.add(row)
    session.flush()
    return row


def evidence_of(session: Session, assessment: Assessment, item_id: str | None = None) -> list[EvidenceFile]:
    """The assessment's evidence files (of one item), by item then upload time, in one query."""
    query = select(EvidenceFile).filter_by(assessment_id=assessment.id)
    if item_id is not None:
        query = query.filter_by(item_id=item_id)
    return list(session.scalars(query.order_by(EvidenceFile.item_id, EvidenceFile.uploaded_at, EvidenceFile.id)))


def evidence_counts(session: Session, assessment: Assessment) -> dict[str, int]:
    """Item id → how many files are attached to it."""
    query = (
        select(EvidenceFile.item_id, func.count())
        .filter(EvidenceFile.assessment_id == assessment.id)
        .group_by(EvidenceFile.item_id)
    )
    return {item_id: count for item_id, count in session.execute(query)}


def find_evidence(session: Session, assessment: Assessment, file_id: int) -> EvidenceFile:
    """One file of this assessment (the caller has checked that the user may read it)."""
    row = session.get(EvidenceFile, file_id)
    if row is None or row.assessment_id != assessment.id:
        raise NotFound("no such file")
    return row


def remove_evidence(session: Session, user: User, assessment: Assessment, row: EvidenceFile) -> str:
    """Whoever attached it, or the coordinator, removes a file while the assessment is a draft.
    Returns its storage key: delete it from the store once the transaction is committed."""
    if not can_answer(user, assessment) or (row.uploaded_by != user.id and not can_manage(user, assessment)):
        raise PermissionDenied(N_("only the person who attached the file, or the coordinator, can remove it"))
    session.delete(row)
    session.flush()
    return row.storage_key
