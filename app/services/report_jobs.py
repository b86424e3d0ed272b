"""Report downloads for the web: instant when nothing changed, and never holding a request for long.

Two cache levels, both in ``INSTANCE_PATH/report-cache`` (a folder that several servers can share):

- documents by *content key*: ``<key>.<format>``, where the key is the hash of the final HTML and
  the report's assets (``app.reporting.builder.report_key``), so two requests that would print
  the same document share one file, and any change to what is printed makes a new one;
- an *input fingerprint* (assessment id, revision and last change, actions, evidence files, the
  library, peers' shared assessments, the previous cycle, the questionnaire's checksum, the report folder's
  files, language, date, kind and format: one query and a look at the folder) mapped to the
  content key of the document it gave. A repeat download whose fingerprint is known is served
  from the file without building anything.

A document that is not cached is written in the request when it should take less than
``REPORT_INLINE_SECONDS`` (4 s by default) and no other report is being rendered in this
process; otherwise the task queue renders it (``render_report``: a ``ctsat worker`` process, on any
server that shares the cache folder; the request's HTML is all it needs, no database) and the user
is sent to a status page that refreshes itself until the file is there. Where tasks run in the web
process (``CTSAT_TASKS=immediate``: the tests), one background thread per process renders it instead.
Across processes the files are the truth: ``<key>.pending`` says a rendering is under
way somewhere (for ``PENDING_SECONDS`` at most), ``<key>.failed`` that it failed.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, literal, select
from sqlalchemy.orm import Session, aliased

from app.models import Action, Assessment, Country, EvidenceFile, LibraryEntry, QuestionnaireVersion
from app.reporting.documents import PreparedReport, prepare_report, produce
from app.reporting.fetcher import ReportAssets
from app.services.queue import huey, logged
from app.services.reports import check_report, gap_report_input, report_assets

logger = logging.getLogger(__name__)

CACHE_FOLDER = "report-cache"
INLINE_SECONDS = 4.0
PENDING_SECONDS = 600
KEPT_DOCUMENTS = 400
_KNOWN_LIMIT = 4096
_known: dict[tuple[str, str], str] = {}  # (cache folder, fingerprint) -> content key, per process


@dataclass(frozen=True)
class ReportRequest:
    """Which document, in which language, as of which day (the report prints its date)."""

    kind: str
    format: str
    language: str
    today: date


@dataclass(frozen=True)
class ReportSettings:
    assets: ReportAssets
    cache: ReportCache
    inline_seconds: float = INLINE_SECONDS


def report_settings(config: Mapping[str, Any]) -> ReportSettings:
    """From the app's configuration: REPORTS_PATH, INSTANCE_PATH and REPORT_INLINE_SECONDS."""
    folder = Path(config["INSTANCE_PATH"]) / CACHE_FOLDER
    inline = float(config.get("REPORT_INLINE_SECONDS", INLINE_SECONDS))
    return ReportSettings(report_assets(config), ReportCache(folder), inline)


# ------------------------------------------------------------------------------------ the cache


@dataclass(frozen=True)
class ReportCache:
    """Documents by content key, the fingerprint index, and pending and failed markers."""

    folder: Path

    def document(self, key: str, format: str) -> Path | None:
        path = self.folder / f"{key}.{format}"
        return path if path.is_file() else None

    def store(self, key: str, format: str, content: bytes) -> Path:
        path = self.folder / f"{key}.{format}"
        self._write(path, content)
        self._prune()
        return path

    def key_for(self, fingerprint: str) -> str | None:
        known = _known.get((str(self.folder), fingerprint))
        if known is not None:
            return known
        try:
            key = (self.folder / "index" / fingerprint).read_text().strip()
        except OSError:
            return None
        self._know(fingerprint, key)
        return key

    def remember(self, fingerprint: str, key: str) -> None:
        if self.key_for(fingerprint) != key:
            self._write(self.folder / "index" / fingerprint, key.encode())
        self._know(fingerprint, key)

    def mark_pending(self, key: str) -> None:
        self._write(self.folder / f"{key}.pending", str(time.time()).encode())
        (self.folder / f"{key}.failed").unlink(missing_ok=True)

    def pending(self, key: str) -> bool:
        try:
            age = time.time() - (self.folder / f"{key}.pending").stat().st_mtime
        except OSError:
            return False
        return age < PENDING_SECONDS

    def finish(self, key: str, error: str | None = None) -> None:
        if error is not None:
            self._write(self.folder / f"{key}.failed", error.encode())
        (self.folder / f"{key}.pending").unlink(missing_ok=True)

    def failed(self, key: str) -> bool:
        return (self.folder / f"{key}.failed").is_file()

    def _know(self, fingerprint: str, key: str) -> None:
        if len(_known) >= _KNOWN_LIMIT:
            _known.clear()
        _known[(str(self.folder), fingerprint)] = key

    def _write(self, path: Path, content: bytes) -> None:
        """Write whole or not at all (a reader on another server never sees half a file)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(content)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def _prune(self) -> None:
        """Keep the newest KEPT_DOCUMENTS documents (index entries of removed ones just miss)."""
        documents = [path for path in self.folder.iterdir() if path.suffix in (".pdf", ".docx", ".xlsx")]
        if len(documents) <= KEPT_DOCUMENTS:
            return
        documents.sort(key=lambda path: path.stat().st_mtime)
        for path in documents[: len(documents) - KEPT_DOCUMENTS]:
            path.unlink(missing_ok=True)


# ------------------------------------------------------------------------------ the fingerprint


def _scalar(expression: Any, *where: Any) -> Any:
    return select(expression).where(*where).scalar_subquery()


def _database_state(session: Session, assessment: Assessment) -> tuple[object, ...]:
    """Everything in the database a report of ``assessment`` is built from, in one query."""
    peer = aliased(Assessment)
    previous = aliased(Assessment)
    sharing = (
        peer.sharing == "peers",
        peer.country_code != assessment.country_code,
        peer.questionnaire_id == assessment.questionnaire_id,
    )
    own = Action.assessment_id == assessment.id
    version = (
        QuestionnaireVersion.questionnaire_id == assessment.questionnaire_id,
        QuestionnaireVersion.version == assessment.questionnaire_version,
    )
    query = select(
        _scalar(func.count(Action.id), own),
        _scalar(func.max(Action.updated_at), own),
        _scalar(func.sum(Action.id), own),
        _scalar(func.count(EvidenceFile.id), EvidenceFile.assessment_id == assessment.id),
        _scalar(func.sum(EvidenceFile.id), EvidenceFile.assessment_id == assessment.id),
        select(func.count(LibraryEntry.id)).scalar_subquery(),
        select(func.max(LibraryEntry.updated_at)).scalar_subquery(),
        select(func.count(Country.code)).scalar_subquery(),
        select(func.max(Country.updated_at)).scalar_subquery(),
        _scalar(func.count(peer.id), *sharing),
        _scalar(func.max(peer.updated_at), *sharing),
        _scalar(func.sum(peer.revision), *sharing),
        _scalar(QuestionnaireVersion.checksum, *version),
        _scalar(previous.updated_at, previous.id == assessment.previous_id)
        if assessment.previous_id is not None
        else literal(None),
    )
    return tuple(session.execute(query).one())


def _assets_state(assets: ReportAssets) -> list[tuple[str, int, int]]:
    """Every file of the report folder (templates, stylesheets, fonts, catalogues): name, size, time."""
    found = []
    for folder in (assets.folder, assets.translations):
        if folder is not None and folder.is_dir():
            for path in folder.rglob("*"):
                if path.is_file():
                    stat = path.stat()
                    found.append((str(path), stat.st_size, stat.st_mtime_ns))
    return sorted(found)


# Raised when what a report may contain changes, so that no document cached under the old rule is
# sent again (2: a workshop assessment's reports name no peer countries).
CONTENT_RULES = 2


def input_fingerprint(session: Session, assessment: Assessment, request: ReportRequest, assets: ReportAssets) -> str:
    """A hash of what the document is built from; equal fingerprints give equal documents."""
    parts = (
        CONTENT_RULES,
        assessment.id,
        assessment.revision,
        str(assessment.updated_at),
        assessment.questionnaire_id,
        assessment.questionnaire_version,
        request,
        [str(value) for value in _database_state(session, assessment)],
        _assets_state(assets),
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()


# --------------------------------------------------------------------------------------- the jobs


class _Jobs:
    """Renders queued PDFs one at a time in one background thread of this process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue: deque[tuple[PreparedReport, ReportAssets, ReportCache]] = deque()
        self._active: set[str] = set()
        self._worker: threading.Thread | None = None

    def busy(self) -> bool:
        with self._lock:
            return bool(self._active)

    def running(self, key: str) -> bool:
        with self._lock:
            return key in self._active

    def submit(self, prepared: PreparedReport, assets: ReportAssets, cache: ReportCache) -> None:
        if not huey.immediate:
            cache.mark_pending(prepared.key)  # every server sees "preparing" until the worker finishes
            render_report(prepared, assets, cache)
            return
        with self._lock:
            if prepared.key in self._active:
                return
            self._active.add(prepared.key)
            cache.mark_pending(prepared.key)
            self._queue.append((prepared, assets, cache))
            if self._worker is None:
                self._worker = threading.Thread(target=self._run, name="ctsat-reports", daemon=True)
                self._worker.start()

    def wait(self, timeout: float = 60) -> bool:
        """Wait until the queue is empty (tests and benchmarks); False if it is not by ``timeout``."""
        deadline = time.monotonic() + timeout
        while self.busy():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return True

    def _run(self) -> None:
        while True:
            with self._lock:
                if not self._queue:
                    self._worker = None
                    return
                prepared, assets, cache = self._queue.popleft()
            self._render(prepared, assets, cache)

    def _render(self, prepared: PreparedReport, assets: ReportAssets, cache: ReportCache) -> None:
        try:
            render_now(prepared, assets, cache)
        finally:
            with self._lock:
                self._active.discard(prepared.key)


JOBS = _Jobs()


def render_now(prepared: PreparedReport, assets: ReportAssets, cache: ReportCache) -> None:
    """Write the document into the cache, or mark it failed (the status page says so; the log says why)."""
    error = None
    try:
        produced = produce(prepared, assets)
        cache.store(prepared.key, prepared.format, produced.content)
        logger.info("report %s rendered: %s pages in %.2f s", prepared.key[:12], produced.pages, produced.seconds)
    except Exception as failure:
        logger.exception("report %s failed", prepared.key[:12])
        error = f"{type(failure).__name__}: {failure}"
    finally:
        cache.finish(prepared.key, error)


@huey.task(context=True)  # type: ignore[untyped-decorator]  # huey ships no type hints
@logged("report")
def render_report(prepared: PreparedReport, assets: ReportAssets, cache: ReportCache) -> None:
    """The background rendering of one report, in a worker process (a failure is marked, not retried:
    the same input fails the same way)."""
    render_now(prepared, assets, cache)


# ------------------------------------------------------------------------------------ use cases


def deliver(session: Session, assessment: Assessment, request: ReportRequest, settings: ReportSettings) -> Path | None:
    """The cached document, written now if that is quick; None while a background job renders it.

    Raises ReportUnavailable for a report the assessment does not have (e.g. no previous cycle).
    """
    check_report(session, assessment, request.kind, request.format)
    cache = settings.cache
    fingerprint = input_fingerprint(session, assessment, request, settings.assets)
    key = cache.key_for(fingerprint)
    if key is not None:
        found = cache.document(key, request.format)
        if found is not None:
            return found
        if JOBS.running(key) or cache.pending(key):
            return None
    data = gap_report_input(session, assessment, request.language, request.today)
    prepared = prepare_report(request.kind, request.format, data, settings.assets)
    cache.remember(fingerprint, prepared.key)
    found = cache.document(prepared.key, request.format)
    if found is not None:
        return found
    if JOBS.running(prepared.key) or cache.pending(prepared.key):
        return None
    if prepared.html is None or (prepared.estimate <= settings.inline_seconds and not JOBS.busy()):
        return cache.store(prepared.key, request.format, produce(prepared, settings.assets).content)
    JOBS.submit(prepared, settings.assets, cache)
    return None


def report_status(session: Session, assessment: Assessment, request: ReportRequest, settings: ReportSettings) -> str:
    """``ready``, ``preparing``, ``failed``, or ``absent`` (nobody asked for this document yet)."""
    check_report(session, assessment, request.kind, request.format)
    cache = settings.cache
    key = cache.key_for(input_fingerprint(session, assessment, request, settings.assets))
    if key is None:
        return "absent"
    if cache.document(key, request.format) is not None:
        return "ready"
    if JOBS.running(key) or cache.pending(key):
        return "preparing"
    return "failed" if cache.failed(key) else "absent"
