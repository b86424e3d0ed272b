"""The worker's nightly backup: the task writes a backup into BACKUP_DIR and keeps the newest
BACKUP_KEEP; it runs at the configured hour (UTC) or never when switched off; one worker makes
the night's backup however many run; a failure is listed for administrators. SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.models import TaskFailure
from app.services.backups import backups_in, read_manifest
from app.services.queue import huey
from app.web import tasks
from config import backup_hour
from tests.conftest import login

OLD = ("ctsat-backup-20261101T023000000000Z.tar.gz", "ctsat-backup-20261102T023000000000Z.tar.gz")


@pytest.fixture
def bound(app: Flask, tmp_path: Path) -> Iterator[Path]:
    """The app the tasks use, backing up into a folder of the test's with two older backups."""
    folder = tmp_path / "backups"
    folder.mkdir()
    for name in OLD:
        (folder / name).write_bytes(b"an older backup")
    app.config.update(BACKUP_DIR=folder, BACKUP_KEEP=2, BACKUP_HOUR=3)
    tasks.bind_app(app)
    try:
        yield folder
    finally:
        tasks._app = None


def test_the_nightly_task_writes_a_backup_and_keeps_the_newest(bound: Path) -> None:
    tasks.nightly_backup.call_local()
    kept = backups_in(bound)
    assert len(kept) == 2 and kept[0].name == OLD[1]
    manifest = read_manifest(kept[1])
    assert manifest.revision is not None and manifest.database in ("sqlite", "postgresql")


def test_it_runs_at_half_past_the_configured_hour_utc(app: Flask, bound: Path) -> None:
    assert tasks.backup_due(datetime(2026, 12, 8, 3, 30))
    assert not tasks.backup_due(datetime(2026, 12, 8, 3, 31))
    assert not tasks.backup_due(datetime(2026, 12, 8, 2, 30))
    app.config["BACKUP_HOUR"] = None
    assert not tasks.backup_due(datetime(2026, 12, 8, 3, 30))


def test_the_hour_is_read_from_the_environment_and_off_switches_it_off() -> None:
    assert backup_hour("2") == 2 and backup_hour("23") == 23
    assert backup_hour("off") is None and backup_hour(" OFF ") is None
    for wrong in ("24", "-1", "2:30", "", "٣"):
        with pytest.raises(ValueError, match="CTSAT_BACKUP_HOUR"):
            backup_hour(wrong)


def test_one_worker_makes_the_nights_backup_and_its_retry_may_try_again() -> None:
    day = date(2026, 12, 8)
    try:
        assert tasks.claim_backup(day, "first-worker")
        assert not tasks.claim_backup(day, "second-worker")
        assert tasks.claim_backup(day, "first-worker")  # a retry of the run that claimed it
        assert tasks.claim_backup(date(2026, 12, 9), "second-worker")
    finally:
        for key in ("ctsat.backup.2026-12-08", "ctsat.backup.2026-12-09"):
            huey.delete(key)


def test_a_failed_backup_is_listed_for_administrators(
    app: Flask, client: FlaskClient, session: Session, make_user: Any, bound: Path
) -> None:
    blocker = bound / "not-a-folder"
    blocker.write_bytes(b"")
    app.config["BACKUP_DIR"] = blocker / "backups"
    try:
        tasks.nightly_backup()  # queued: run at once here (CTSAT_TASKS=immediate), as a worker runs it
    finally:
        huey.delete(f"ctsat.backup.{datetime.now(UTC).date().isoformat()}")
    failure = session.query(TaskFailure).one()
    assert failure.task == "nightly_backup" and "NotADirectoryError" in failure.error
    assert failure.retries_left == 2
    login(client, make_user("admin").email)
    page = client.get("/admin/tasks").get_data(as_text=True)
    assert "nightly_backup" in page and "NotADirectoryError" in page
