"""With a real queue (not immediate), a long report is a task for a worker process: the web marks
it pending for every server, and the worker writes it into the shared cache."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.reporting.documents import PreparedReport
from app.reporting.fetcher import ReportAssets
from app.services import report_jobs
from app.services.queue import huey
from tests.conftest import ROOT


@pytest.fixture
def queued() -> Iterator[None]:
    """Tasks are queued rather than run at once (an in-memory queue this test empties itself)."""
    huey.immediate = False
    try:
        yield
    finally:
        huey.immediate = True


def test_a_long_report_is_queued_pending_and_written_by_the_worker(queued: None, tmp_path: Path) -> None:
    cache = report_jobs.ReportCache(tmp_path)
    assets = ReportAssets(ROOT / "reports")
    prepared = PreparedReport("gap", "pdf", "k" * 64, 30.0, html="<html><body><p>Report</p></body></html>")
    report_jobs.JOBS.submit(prepared, assets, cache)
    assert cache.pending(prepared.key) and cache.document(prepared.key, "pdf") is None
    assert not report_jobs.JOBS.running(prepared.key)  # no thread in the web process
    task = huey.dequeue()
    assert task is not None and task.name.endswith("render_report")
    huey.execute(task)
    found = cache.document(prepared.key, "pdf")
    assert found is not None and found.read_bytes().startswith(b"%PDF")
    assert not cache.pending(prepared.key)
