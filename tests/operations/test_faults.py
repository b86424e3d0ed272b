"""Faults: autosave under load while a gunicorn worker and then the master are killed with
SIGKILL, then a restart. Every save the server acknowledged is in the database with its value
(or a newer one the client sent and never heard back about), each answer's history has one row
per version, and the database passes its integrity check. On SQLite and PostgreSQL.

A test, not a benchmark: its load is a handful of sequential clients for a few seconds.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.models.database import make_engine
from app.services.accounts import create_user
from app.services.assessments import start_assessment
from app.services.catalog import latest_questionnaire
from app.services.content import load_content
from app.services.migrations import upgrade
from tests.browser.conftest import free_port
from tests.conftest import FIXTURE_CONTENT, PASSWORD, ROOT
from tests.operations.conftest import scratch_database

EMAIL = "official@faults.example"  # an official signs in with a password alone
ITEMS = ("PROS-1.3", "PROS-2.1", "PROS-2.2")


@dataclass
class Item:
    """What one client sent for one item and what the server acknowledged."""

    acknowledged: tuple[int, str] | None = None  # (version, comment) of the last 200
    unanswered: dict[int, str] = field(default_factory=dict)  # version it would have made → comment
    saves: int = 0


class Gunicorn:
    def __init__(self, url: str, instance: Path) -> None:
        self.port = free_port()
        self.environment = {
            **os.environ,
            "DATABASE_URL": url,
            "CTSAT_INSTANCE": str(instance),
            "CTSAT_QUESTIONNAIRES": str(FIXTURE_CONTENT),
            "SECRET_KEY": "faults-test-secret",
            "CTSAT_REQUEST_LOG": "0",
        }
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [str(Path(sys.executable).parent / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{self.port}"]
        self.process = subprocess.Popen(
            [*command, "wsgi:app"], cwd=ROOT, env=self.environment, start_new_session=True, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/readyz", timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def workers(self) -> list[int]:
        assert self.process is not None
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    def kill_a_worker(self) -> None:
        os.kill(self.workers()[0], signal.SIGKILL)

    def kill_the_master(self) -> None:
        """SIGKILL the master, then what a service manager does: kill what is left of the group."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        time.sleep(0.3)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)


@pytest.fixture
def site(backend: str, tmp_path: Path) -> Iterator[tuple[str, int, Gunicorn]]:
    for url in scratch_database(backend, tmp_path, "faults"):
        upgrade(url)
        engine = make_engine(url)
        with Session(engine) as session:
            load_content(session, FIXTURE_CONTENT)
            coordinator = create_user(
                session, "coordinator@faults.example", "Coordinator", PASSWORD, "coordinator", "THA"
            )
            create_user(session, EMAIL, "Fault Tester", PASSWORD, "official", "THA")
            session.flush()
            questionnaire = latest_questionnaire(session)
            assessment = start_assessment(session, coordinator, "THA", questionnaire, "Faults", [])
            session.commit()
            assessment_id = assessment.id
        engine.dispose()
        server = Gunicorn(url, tmp_path)
        server.start()
        try:
            yield url, assessment_id, server
        finally:
            server.stop()


def _sign_in(port: int) -> tuple[str, str]:
    """The session cookie and the CSRF token of a signed-in official."""
    base = f"http://127.0.0.1:{port}"
    no_redirects = type("NoRedirects", (urllib.request.HTTPRedirectHandler,), {"redirect_request": lambda *a: None})
    jar = urllib.request.HTTPCookieProcessor()
    opener = urllib.request.build_opener(jar, no_redirects)
    page = opener.open(base + "/login", timeout=10).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert token
    form = urllib.parse.urlencode({"email": EMAIL, "password": PASSWORD, "csrf_token": token.group(1)}).encode()
    try:
        opener.open(base + "/login", data=form, timeout=10)
    except urllib.error.HTTPError as redirect:
        assert redirect.code == 302
    home = opener.open(base + "/", timeout=10).read().decode()
    api_token = re.search(r'<meta name="csrf-token" content="([^"]+)"', home)
    assert api_token
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar.cookiejar)
    return cookie, api_token.group(1)


def _autosave(
    port: int, assessment_id: int, item_id: str, signed_in: tuple[str, str], record: Item, stop: threading.Event
) -> None:
    """One person's autosave: sequential saves of one item, resending after a failure, as the page does."""
    cookie, token = signed_in
    url = f"http://127.0.0.1:{port}/api/v1/assessments/{assessment_id}/answers/{item_id}"
    version = 0
    while not stop.is_set():
        record.saves += 1
        comment = f"{item_id} save {record.saves}"
        body = json.dumps({"level": record.saves % 5, "comment": comment, "version": version}).encode()
        headers = {"Content-Type": "application/json", "Cookie": cookie, "X-CSRFToken": token}
        request = urllib.request.Request(url, data=body, headers=headers, method="PUT")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                version = json.loads(response.read())["version"]
                record.acknowledged = (version, comment)
            time.sleep(0.01)  # a brisk typist, not a flood: the machine is shared
        except urllib.error.HTTPError as error:
            if error.code == 409:  # a save whose answer was lost did reach the database
                version = json.loads(error.read())["current"]["version"]
            else:
                record.unanswered[version + 1] = comment
                time.sleep(0.05)
        except (OSError, http.client.HTTPException, ValueError):  # refused, reset or cut: down or restarting
            record.unanswered[version + 1] = comment
            time.sleep(0.05)


def _until_each_acknowledged(records: dict[str, Item], more_than: int = 0) -> None:
    """Wait (at most 30 s) until every client has had a save acknowledged above both ``more_than``
    and its last acknowledged version when called: each has gone on saving."""
    floor = {item_id: max(more_than, r.acknowledged[0] if r.acknowledged else 0) for item_id, r in records.items()}
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if all(r.acknowledged is not None and r.acknowledged[0] > floor[i] for i, r in records.items()):
            return
        time.sleep(0.05)
    raise AssertionError(f"the saves stopped being acknowledged: {records}")


def test_every_acknowledged_save_survives_killed_workers_and_master(site: tuple[str, int, Gunicorn]) -> None:
    url, assessment_id, server = site
    records = {item_id: Item() for item_id in ITEMS}
    signed_in = _sign_in(server.port)
    stop = threading.Event()
    clients = [
        threading.Thread(
            target=_autosave, args=(server.port, assessment_id, item_id, signed_in, records[item_id], stop)
        )
        for item_id in ITEMS
    ]
    for client in clients:
        client.start()
    _until_each_acknowledged(records, more_than=2)
    server.kill_a_worker()
    _until_each_acknowledged(records)
    server.kill_the_master()
    time.sleep(0.5)
    server.start()
    _until_each_acknowledged(records)
    stop.set()
    for client in clients:
        client.join(timeout=30)

    engine = make_engine(url)
    with engine.connect() as connection:
        stored = {
            row.item_id: (row.version, row.comment)
            for row in connection.execute(
                text("SELECT item_id, version, comment FROM answers WHERE assessment_id = :a"), {"a": assessment_id}
            )
        }
        history = dict(
            connection.execute(
                text("SELECT item_id, count(*) FROM answer_changes WHERE assessment_id = :a GROUP BY item_id"),
                {"a": assessment_id},
            ).all()
        )
        if url.startswith("sqlite"):
            assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    engine.dispose()
    for item_id, record in records.items():
        assert record.acknowledged is not None, f"{item_id}: no save was acknowledged at all"
        version, comment = stored[item_id]
        acknowledged_version, acknowledged_comment = record.acknowledged
        assert version >= acknowledged_version, f"{item_id}: acknowledged version {acknowledged_version} lost"
        if version == acknowledged_version:
            assert comment == acknowledged_comment
        else:  # newer than the last acknowledgement: a save sent whose answer was lost on the way back
            assert record.unanswered.get(version) == comment
        assert history[item_id] == version, f"{item_id}: one history row per version"
    assert sum(record.saves for record in records.values()) > 3 * len(ITEMS), "the load kept going"
