"""Backups: ``backup`` → wipe → ``restore`` gives back every row (answers, history, scores'
inputs, plans, library edits, users), the same results pages and the instance's own files, on
SQLite and PostgreSQL; old backups are pruned; a backup of the wrong kind is refused untouched."""

from __future__ import annotations

import json
import re
import shutil
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from app.core.answers import AnswerFields
from app.models import Answer, Assessment, User
from app.models.base import Base
from app.models.database import make_engine
from app.services.assessments import save_answer
from app.services.backups import BackupError, backup, backups_in, prune, read_manifest, restore
from app.services.content import load_content
from app.services.demo import seed_demo
from app.services.editorial import save_measure_text
from app.services.migrations import upgrade
from app.web.factory import create_app
from config import ROOT
from tests.conftest import csrf_token
from tests.operations.conftest import scratch_database

CSRF = re.compile(r'(name="csrf_token"[^>]*value=|name="csrf-token" content=)"[^"]+"')


@pytest.fixture
def site(backend: str, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A database with the real content, the demo data and more history, and an instance folder."""
    for url in scratch_database(backend, tmp_path, "backup"):
        instance = tmp_path / "instance"
        upgrade(url)
        engine = make_engine(url)
        with Session(engine, expire_on_commit=False) as session:
            load_content(session, ROOT / "questionnaires")
            seed_demo(session, instance / "demo-logins.txt")
            _more_history(session)
        engine.dispose()
        (instance / "evidence" / "7").mkdir(parents=True)
        (instance / "evidence" / "7" / "decree.pdf").write_bytes(b"%PDF-1.7 evidence \x00\xff")
        (instance / "report-cache").mkdir()
        (instance / "report-cache" / "abc.pdf").write_bytes(b"cached")
        yield url, instance


@pytest.fixture
def small_site(backend: str, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A database with the small test content only, and an instance folder with evidence and a cache."""
    for url in scratch_database(backend, tmp_path, "backup_small"):
        instance = tmp_path / "instance"
        upgrade(url)
        (instance / "evidence" / "7").mkdir(parents=True)
        (instance / "evidence" / "7" / "decree.pdf").write_bytes(b"%PDF-1.7")
        (instance / "demo-logins.txt").write_text("")
        (instance / "report-cache").mkdir()
        (instance / "report-cache" / "abc.pdf").write_bytes(b"cached")
        yield url, instance


def _more_history(session: Session) -> None:
    """A changed answer (two history rows) and a library edit, on top of the demo data."""
    coordinator = session.scalars(select(User).filter_by(email="coordinator.tha@demo.ctsat.example")).one()
    answer = session.scalars(
        select(Answer).join(Assessment).where(Assessment.country_code == "THA", Assessment.status == "draft")
    ).first()
    assert answer is not None
    assessment = session.get(Assessment, answer.assessment_id)
    assert assessment is not None
    fields = AnswerFields(
        level=answer.level,
        value=answer.value,
        dont_know=answer.dont_know,
        not_applicable=answer.not_applicable,
        reason=answer.reason,
        comment="Revised after the workshop",
        evidence=answer.evidence,
    )
    save_answer(session, coordinator, assessment, answer.item_id, fields, answer.version)
    editor = session.scalars(select(User).filter_by(role="editor")).first()
    assert editor is not None
    save_measure_text(session, editor, "PROT-1", "Edited in the web before the backup.", "")
    session.commit()


def rows(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (and the schema revision), in primary-key order."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            found = {
                table.name: [tuple(row) for row in connection.execute(select(table).order_by(*table.primary_key))]
                for table in Base.metadata.sorted_tables
            }
            found["alembic_version"] = list(connection.execute(text("SELECT version_num FROM alembic_version")))
            return found
    finally:
        engine.dispose()


def pages(url: str, instance: Path) -> dict[str, str]:
    """Thailand's official's results and plan pages, signed in with the password kept in the instance
    (the official, who signs in with a password alone; the coordinator also needs a second factor)."""
    password = next(
        line.split("\t")[1]
        for line in (instance / "demo-logins.txt").read_text().splitlines()
        if line.startswith("official.tha@")
    )
    app = create_app({"SECRET_KEY": "backup-test", "DATABASE_URL": url, "INSTANCE_PATH": instance})
    engine: Engine = app.extensions["ctsat.engine"]
    try:
        client = app.test_client()
        token = csrf_token(client.get("/login").get_data(as_text=True))
        signed_in = client.post(
            "/login", data={"email": "official.tha@demo.ctsat.example", "password": password, "csrf_token": token}
        )
        assert signed_in.status_code == 302
        with Session(engine) as session:
            ids = session.scalars(select(Assessment.id).filter_by(country_code="THA").order_by(Assessment.id)).all()
        found = {}
        for id_ in ids:
            for page in (f"/assessments/{id_}/results", f"/assessments/{id_}/plan"):
                response = client.get(page)
                assert response.status_code == 200, page
                found[page] = CSRF.sub("", response.get_data(as_text=True))
        return found
    finally:
        engine.dispose()


def wipe(url: str, instance: Path) -> None:
    if url.startswith("sqlite"):
        database = Path(url.removeprefix("sqlite:///"))
        for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
            path.unlink(missing_ok=True)
    else:
        engine = make_engine(url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
    shutil.rmtree(instance)


def test_backup_wipe_restore_gives_back_every_row_page_and_file(site: tuple[str, Path], tmp_path: Path) -> None:
    url, instance = site
    before_pages = pages(url, instance)  # signing in writes (throttle, last sign-in): read rows after
    before_rows = rows(url)
    archive = backup(url, instance, tmp_path / "backups")
    wipe(url, instance)
    restore(archive, url, instance)
    assert rows(url) == before_rows
    assert before_rows["answer_changes"] and before_rows["content_edits"] and before_rows["actions"]
    assert pages(url, instance) == before_pages
    assert (instance / "evidence" / "7" / "decree.pdf").read_bytes() == b"%PDF-1.7 evidence \x00\xff"
    assert not (instance / "report-cache").exists(), "restore empties the report cache"


def test_a_backup_holds_the_instance_files_but_not_the_report_cache_or_the_database_file(
    small_site: tuple[str, Path],
) -> None:
    url, instance = small_site
    archive = backup(url, instance, instance / "backups")
    with tarfile.open(archive) as opened:
        names = opened.getnames()
    assert "instance/evidence/7/decree.pdf" in names and "instance/demo-logins.txt" in names
    assert not [name for name in names if "report-cache" in name or "backups" in name or name.endswith(".db")]
    assert archive.stat().st_mode & 0o077 == 0, "a backup is readable by its owner only"
    assert read_manifest(archive).database == ("sqlite" if url.startswith("sqlite") else "postgresql")


def test_restore_refuses_a_backup_of_the_other_database_kind(small_site: tuple[str, Path], tmp_path: Path) -> None:
    url, instance = small_site
    archive = backup(url, instance, tmp_path / "backups")
    other = "postgresql+psycopg://nobody@127.0.0.1:1/none" if url.startswith("sqlite") else "sqlite:///x.db"
    with pytest.raises(BackupError, match="points at"):
        restore(archive, other, instance)


def test_restore_refuses_a_backup_from_newer_code(tmp_path: Path) -> None:
    archive = tmp_path / "newer.tar.gz"
    manifest = json.dumps({"format": 1, "created": "x", "database": "sqlite", "revision": "9999"}).encode()
    (tmp_path / "manifest.json").write_bytes(manifest)
    with tarfile.open(archive, "w:gz") as opened:
        opened.add(tmp_path / "manifest.json", arcname="manifest.json")
    with pytest.raises(BackupError, match="newer than this code"):
        restore(archive, f"sqlite:///{tmp_path / 'kept.db'}", tmp_path / "instance")
    assert not (tmp_path / "kept.db").exists()


def test_a_file_that_is_not_a_backup_is_refused_in_plain_words(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(BackupError, match="is not a CTSAT backup"):
        read_manifest(tmp_path / "notes.txt")


def test_prune_keeps_the_newest_backups(tmp_path: Path) -> None:
    names = [f"ctsat-backup-2026120{day}T020000000000Z.tar.gz" for day in range(1, 6)]
    for name in names:
        (tmp_path / name).write_bytes(b"")
    (tmp_path / "other-file.tar.gz").write_bytes(b"")
    deleted = prune(tmp_path, keep=2)
    assert [path.name for path in deleted] == names[:3]
    assert [path.name for path in backups_in(tmp_path)] == names[3:]
    assert (tmp_path / "other-file.tar.gz").exists()
