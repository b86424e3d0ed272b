"""Backups of the database and the instance folder, restores, and keeping the newest N.

A backup is one ``ctsat-backup-<UTC time>.tar.gz`` (readable by its owner only) holding:

- ``manifest.json``: format, creation time, database kind and schema revision;
- the database: ``database.sqlite3`` made with SQLite's online backup API (a consistent copy
  while the app keeps writing) or ``database.pgdump`` from ``pg_dump --format=custom``;
- ``instance/…``: the instance folder's own files (evidence, uploads, the generated secret key,
  mail outbox, demo logins), without the SQLite database file (copied above), the report cache
  (rebuilt on demand), the queue's storage and the backups themselves.

``backup`` is what both ``ctsat backup DIR`` and the nightly task call; ``scheduled_backup``
is the nightly task's body (backup into BACKUP_DIR, then keep the newest BACKUP_KEEP).
Passwords never appear on a command line: pg_dump and pg_restore get them in PGPASSWORD.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import make_url, text

from app.models.database import make_engine
from app.services.migrations import upgrade
from app.services.readiness import known_revisions

FORMAT = 1
PREFIX = "ctsat-backup-"
SUFFIX = ".tar.gz"
SQLITE_MEMBER = "database.sqlite3"
POSTGRES_MEMBER = "database.pgdump"
INSTANCE_MEMBER = "instance"
# Instance entries never backed up: rebuilt on demand, transient, or the backups themselves.
SKIPPED_FOLDERS = frozenset({"report-cache", "backups"})
SKIPPED_SUFFIXES = (".partial", ".db-wal", ".db-shm", ".sqlite3-wal", ".sqlite3-shm")
SKIPPED_PREFIXES = ("huey", "tasks.db")  # the task queue's SQLite storage (instance/tasks.db)


class BackupError(Exception):
    """What is wrong with a backup or a restore, in plain words."""


@dataclass(frozen=True)
class Manifest:
    format: int
    created: str
    database: str  # "sqlite" or "postgresql"
    revision: str | None

    @classmethod
    def read(cls, data: dict[str, Any]) -> Manifest:
        try:
            return cls(int(data["format"]), str(data["created"]), str(data["database"]), data.get("revision"))
        except (KeyError, TypeError, ValueError):
            raise BackupError("the backup's manifest.json is not one CTSAT wrote") from None


def database_kind(url: str) -> str:
    return "sqlite" if url.startswith("sqlite") else "postgresql"


def sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(database).resolve()


def _postgres_env(url: str) -> dict[str, str]:
    """libpq's environment for ``url``: the password travels here, never on a command line."""
    parsed = make_url(url)
    env = dict(os.environ)
    for name, value in (
        ("PGHOST", parsed.host),
        ("PGPORT", parsed.port),
        ("PGUSER", parsed.username),
        ("PGPASSWORD", parsed.password),
        ("PGDATABASE", parsed.database),
    ):
        if value is not None:
            env[name] = str(value)
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (Debian package postgresql-client)")
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def _revision(url: str) -> str | None:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:  # noqa: BLE001 - a database never migrated has no revision
        return None
    finally:
        engine.dispose()


def _instance_files(instance: Path, skipped: set[Path]) -> Iterator[Path]:
    if not instance.is_dir():
        return
    for path in sorted(instance.rglob("*")):
        relative = path.relative_to(instance)
        if not path.is_file() or path.is_symlink() or path.resolve() in skipped:
            continue
        if relative.parts[0] in SKIPPED_FOLDERS or path.name.startswith(SKIPPED_PREFIXES):
            continue
        if path.name.endswith(SKIPPED_SUFFIXES):
            continue
        yield path


def _skipped_database_files(url: str) -> set[Path]:
    if database_kind(url) != "sqlite":
        return set()
    path = sqlite_path(url)
    return {path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")}


def backup(database_url: str, instance: Path, folder: Path, now: datetime | None = None) -> Path:
    """Write one backup archive into ``folder`` and return its path (written whole, then renamed)."""
    now = now or datetime.now(UTC)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{PREFIX}{now.strftime('%Y%m%dT%H%M%S%fZ')}{SUFFIX}"
    kind = database_kind(database_url)
    manifest = {"format": FORMAT, "created": now.isoformat(), "database": kind, "revision": _revision(database_url)}
    with tempfile.TemporaryDirectory(prefix="ctsat-backup-") as scratch:
        dump = Path(scratch) / (SQLITE_MEMBER if kind == "sqlite" else POSTGRES_MEMBER)
        if kind == "sqlite":
            _sqlite_copy(sqlite_path(database_url), dump)
        else:
            _run(
                ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}"],
                _postgres_env(database_url),
            )
        partial = target.with_name(target.name + ".partial")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=2).encode())
            archive.add(dump, arcname=dump.name)
            for path in _instance_files(instance, _skipped_database_files(database_url) | {folder.resolve()}):
                archive.add(path, arcname=f"{INSTANCE_MEMBER}/{path.relative_to(instance).as_posix()}")
        os.replace(partial, target)
    return target


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    with tempfile.SpooledTemporaryFile() as buffer:
        buffer.write(data)
        buffer.seek(0)
        archive.addfile(info, buffer)


def _sqlite_copy(source: Path, target: Path) -> None:
    """Page-by-page copy through SQLite's online backup API (readers and writers may go on)."""
    if not source.exists():
        raise BackupError(f"the SQLite database {source} does not exist")
    with _sqlite(source) as from_, _sqlite(target) as to:
        from_.backup(to)


@contextmanager
def _sqlite(path: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(path, timeout=30)
    try:
        yield connection
    finally:
        connection.close()


def read_manifest(archive_path: Path) -> Manifest:
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            member = archive.extractfile("manifest.json")
            if member is None:
                raise KeyError("manifest.json")
            return Manifest.read(json.loads(member.read()))
    except (tarfile.TarError, KeyError, OSError, json.JSONDecodeError) as error:
        raise BackupError(f"{archive_path} is not a CTSAT backup ({type(error).__name__})") from None


def restore(archive_path: Path, database_url: str, instance: Path) -> Manifest:
    """Replace the database and the instance files with the backup's, then migrate to head.

    Stop the app servers and the queue consumer first. Files in the instance folder that the
    backup does not hold are left alone; the report cache is emptied.
    """
    manifest = read_manifest(archive_path)
    kind = database_kind(database_url)
    if manifest.database != kind:
        raise BackupError(f"this backup holds a {manifest.database} database but DATABASE_URL points at {kind}")
    if manifest.revision is not None and manifest.revision not in known_revisions():
        raise BackupError(f"the backup's schema ({manifest.revision}) is newer than this code: upgrade CTSAT first")
    with tempfile.TemporaryDirectory(prefix="ctsat-restore-") as scratch, tarfile.open(archive_path, "r:gz") as archive:
        archive.extractall(scratch, filter="data")
        folder = Path(scratch)
        if kind == "sqlite":
            _restore_sqlite(folder / SQLITE_MEMBER, sqlite_path(database_url))
        else:
            _restore_postgres(folder / POSTGRES_MEMBER, database_url)
        _restore_instance(folder / INSTANCE_MEMBER, instance)
    upgrade(database_url)
    return manifest


def _restore_sqlite(copy: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    _sqlite_copy(copy, target)


def _restore_postgres(dump: Path, database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()
    env = _postgres_env(database_url)
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={env['PGDATABASE']}",
            str(dump),
        ],
        env,
    )


def _restore_instance(source: Path, instance: Path) -> None:
    instance.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(instance / "report-cache", ignore_errors=True)
    if not source.is_dir():
        return
    for path in sorted(source.rglob("*")):
        if path.is_file():
            target = instance / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)


def backups_in(folder: Path) -> list[Path]:
    """The folder's backups, oldest first (their names sort by time)."""
    return sorted(folder.glob(f"{PREFIX}*{SUFFIX}")) if folder.is_dir() else []


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups (at least one is always kept); returns the deleted."""
    found = backups_in(folder)
    doomed = found[: max(0, len(found) - max(keep, 1))]
    for path in doomed:
        path.unlink()
    return doomed


def scheduled_backup(config: Mapping[str, Any]) -> Path:
    """The nightly task's body (``app.web.tasks.nightly_backup``, which logs it): a backup into
    BACKUP_DIR, then keep the newest BACKUP_KEEP."""
    path = backup(config["DATABASE_URL"], Path(config["INSTANCE_PATH"]), Path(config["BACKUP_DIR"]))
    prune(Path(config["BACKUP_DIR"]), int(config["BACKUP_KEEP"]))
    return path
