"""Several servers, one truth: two gunicorn servers of the app on one PostgreSQL database and one
Redis (the task queue and the rate limits), with one queue consumer (``ctsat worker``), all
started by this test on one machine with a shared instance folder, as docs/deploy.md sets up
several servers. Whatever one server does, the other sees:

- sign-in failures on one server count on the other (per account in the database, per address in Redis);
- a session ended on one server ("sign out everywhere") is ended on the other;
- a report asked for on one server is rendered by the consumer and downloaded from the other;
- a ``ctsat load`` of changed content is seen by both without a restart;
- autosaves of one answer from both servers: one wins, the other gets 409 with the winner's
  answer, and no acknowledged answer is lost.

Runs when DATABASE_URL points at PostgreSQL (CI); needs redis-server (Debian package
redis-server, in .ci/packages.txt): skipped without it, except in CI, where it fails.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import redis
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.models.database import make_engine
from app.services import throttle
from app.services.accounts import create_user
from app.services.assessments import start_assessment
from app.services.catalog import latest_questionnaire
from app.services.content import load_content
from app.services.migrations import upgrade
from tests.browser.conftest import free_port
from tests.conftest import FIXTURE_CONTENT, PASSWORD, ROOT, postgres_url
from tests.operations.conftest import scratch_database

pytestmark = pytest.mark.postgres

BIN = Path(sys.executable).parent
SECRET_KEY = "several-servers-one-secret"
ADDRESS_LIMIT = 40  # sign-in tries per minute and address: room for every test's sign-ins
OLD_ITEM_TEXT = "Are penalties proportionate to the gravity of the offence?"
NEW_ITEM_TEXT = "Are penalties proportionate to the gravity of the offence? (reloaded)"
OLD_RESOURCE_TITLE = "Test investigation manual"
NEW_RESOURCE_TITLE = "Reloaded investigation manual"


@dataclass
class Cluster:
    a: str  # the two servers' base URLs
    b: str
    database_url: str
    redis_url: str
    content: Path  # the content folder both servers were loaded from (a copy this test may change)
    environment: dict[str, str]
    assessment_id: int
    worker_log: Path


def _redis_server() -> str:
    found = shutil.which("redis-server")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("redis-server is not installed (Debian package redis-server, listed in .ci/packages.txt)")
        pytest.skip("redis-server is not installed (Debian package redis-server)")
    return found


def _wait_for(url: str, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (OSError, urllib.error.HTTPError):
            time.sleep(0.2)
    raise RuntimeError(f"{what} did not become ready at {url}")


def _start(stack: ExitStack, command: list[str], environment: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """A process in its own group, stopped (with all its children) when the stack closes."""
    output = stack.enter_context(log.open("wb"))
    process = subprocess.Popen(
        command, cwd=ROOT, env=environment, start_new_session=True, stdout=output, stderr=subprocess.STDOUT
    )

    def stop() -> None:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)

    stack.callback(stop)
    return process


def _prepare_database(url: str, content: Path) -> int:
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        load_content(session, content)
        coordinator = create_user(session, "coordinator@servers.example", "Coordinator", PASSWORD, "coordinator", "THA")
        for name in ("throttle", "session", "report", "autosave"):
            create_user(session, f"{name}@servers.example", f"Official {name}", PASSWORD, "official", "THA")
        session.flush()
        assessment = start_assessment(session, coordinator, "THA", latest_questionnaire(session), "Servers", [])
        session.commit()
        assessment_id = assessment.id
    engine.dispose()
    return assessment_id


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    if postgres_url() is None:
        pytest.skip("needs DATABASE_URL pointing at PostgreSQL")
    redis_server = _redis_server()
    folder = tmp_path_factory.mktemp("servers")
    content = folder / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    for url in scratch_database("postgresql", folder, "servers"):
        assessment_id = _prepare_database(url, content)
        with ExitStack() as stack:
            redis_port = free_port()
            (folder / "redis").mkdir()
            redis_command = [
                redis_server,
                "--port",
                str(redis_port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(folder / "redis"),
            ]
            _start(stack, [*redis_command, "--save", "", "--appendonly", "no"], dict(os.environ), folder / "redis.log")
            redis_url = f"redis://127.0.0.1:{redis_port}"
            environment = {key: value for key, value in os.environ.items() if key != "CTSAT_TASKS"}
            environment.update(
                {
                    "DATABASE_URL": url,
                    "SECRET_KEY": SECRET_KEY,
                    "CTSAT_INSTANCE": str(folder / "instance"),  # shared: report cache, evidence
                    "CTSAT_QUESTIONNAIRES": str(content),
                    "REDIS_URL": f"{redis_url}/0",
                    "RATELIMIT_STORAGE_URI": f"{redis_url}/1",
                    "CTSAT_LOGIN_RATE_LIMIT": f"{ADDRESS_LIMIT} per minute",
                    "CTSAT_REPORT_INLINE_SECONDS": "0",  # every PDF goes to the queue
                    "CTSAT_BACKUP_HOUR": "off",
                    "CTSAT_REQUEST_LOG": "0",
                }
            )
            _wait_for_redis(redis_url)
            ports = [free_port(), free_port()]
            for port in ports:
                gunicorn = [str(BIN / "gunicorn"), "--workers", "1", "--bind", f"127.0.0.1:{port}", "wsgi:app"]
                _start(stack, gunicorn, environment, folder / f"gunicorn-{port}.log")
            worker_log = folder / "worker.log"
            _start(stack, [str(BIN / "ctsat"), "worker"], environment, worker_log)
            for port in ports:
                _wait_for(f"http://127.0.0.1:{port}/readyz", "gunicorn")
            a, b = (f"http://127.0.0.1:{port}" for port in ports)
            yield Cluster(a, b, url, redis_url, content, environment, assessment_id, worker_log)


def _wait_for_redis(url: str) -> None:
    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + 20
    while True:
        try:
            client.ping()
            return
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
        finally:
            client.close()


class Browser:
    """A cookie jar talking to one server; ``on`` gives another browser with the same cookies."""

    def __init__(self, server: str, jar: http.cookiejar.CookieJar | None = None) -> None:
        self.server = server
        self.jar = jar if jar is not None else http.cookiejar.CookieJar()
        no_redirects = type("NoRedirects", (urllib.request.HTTPRedirectHandler,), {"redirect_request": lambda *a: None})
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), no_redirects)

    def on(self, server: str) -> Browser:
        jar = http.cookiejar.CookieJar()
        for cookie in self.jar:
            jar.set_cookie(cookie)
        return Browser(server, jar)

    def open(
        self, path: str, form: dict[str, str] | None = None, *, json_body: Any = None, method: str | None = None
    ) -> tuple[int, bytes, dict[str, str]]:
        data, headers = None, {}
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
        if json_body is not None:
            data = json.dumps(json_body).encode()
            headers = {"Content-Type": "application/json", "X-CSRFToken": self.api_token()}
        request = urllib.request.Request(self.server + path, data=data, headers=headers, method=method)
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read(), dict(error.headers)

    def page(self, path: str) -> str:
        status, body, _ = self.open(path)
        assert status == 200, f"{self.server}{path}: {status}"
        return body.decode()

    def token(self, path: str = "/login") -> str:
        found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', self.open(path)[1].decode())
        assert found, f"{path} has a CSRF token"
        return found.group(1)

    def api_token(self) -> str:
        if not hasattr(self, "_api_token"):
            found = re.search(r'<meta name="csrf-token" content="([^"]+)"', self.page("/"))
            assert found, "the home page has the API's CSRF token"
            self._api_token = found.group(1)
        return self._api_token

    def sign_in(self, email: str, password: str = PASSWORD) -> int:
        return self.open("/login", {"csrf_token": self.token(), "email": email, "password": password})[0]


def test_sign_in_failures_on_one_server_are_counted_on_the_other(cluster: Cluster) -> None:
    email = "throttle@servers.example"
    servers = [cluster.a, cluster.b] * throttle.FREE_FAILURES
    failures = [Browser(server).sign_in(email, "not the password") for server in servers[: throttle.FREE_FAILURES]]
    assert failures == [401] * throttle.FREE_FAILURES
    assert [Browser(server).sign_in(email) for server in (cluster.b, cluster.a)] == [429, 429]


def test_the_per_address_limit_is_counted_in_redis_across_both_servers(cluster: Cluster) -> None:
    limits = redis.Redis.from_url(f"{cluster.redis_url}/1")
    try:
        limits.flushdb()  # this test's own count (the other tests sign in from this address too)
        browsers = [Browser(cluster.a), Browser(cluster.b)]
        tokens = [browser.token() for browser in browsers]
        tries = [
            browsers[i % 2].open("/login", {"csrf_token": tokens[i % 2], "email": f"n{i}@x.example", "password": "x"})[
                0
            ]
            for i in range(ADDRESS_LIMIT + 2)
        ]
        assert tries[:ADDRESS_LIMIT] == [401] * ADDRESS_LIMIT  # a new address each time: only the per-address limit
        assert tries[ADDRESS_LIMIT:] == [429, 429]
        assert limits.keys("LIMITS*"), "the count is kept in Redis"
    finally:
        limits.flushdb()
        limits.close()
    engine = make_engine(cluster.database_url)
    with engine.connect() as connection:
        in_database = connection.execute(text("SELECT count(*) FROM throttle_counters WHERE key LIKE 'limit/%'"))
        assert in_database.scalar() == 0
    engine.dispose()


def test_a_session_ended_on_one_server_is_ended_on_the_other(cluster: Cluster) -> None:
    on_a = Browser(cluster.a)
    assert on_a.sign_in("session@servers.example") == 302
    on_b = on_a.on(cluster.b)
    assert on_b.open("/account/")[0] == 200
    assert on_a.open("/account/sign-out-everywhere", {"csrf_token": on_a.token("/account/")})[0] == 302
    assert on_b.open("/account/")[0] == 302  # sent to sign in
    assert on_a.on(cluster.a).open("/account/")[0] == 302


def test_a_report_asked_for_on_one_server_is_rendered_by_the_worker_and_downloaded_from_the_other(
    cluster: Cluster,
) -> None:
    on_a = Browser(cluster.a)
    assert on_a.sign_in("report@servers.example") == 302
    path = f"/assessments/{cluster.assessment_id}/summary.pdf"
    status, _, headers = on_a.open(path)
    assert status == 302 and "/reports/summary/status" in headers["Location"], "sent to wait for the worker"
    on_b = on_a.on(cluster.b)
    deadline = time.monotonic() + 60
    while True:
        status, body, headers = on_b.open(path)
        if status == 200 or time.monotonic() > deadline:
            break
        assert status == 302, f"server B answers {status} while the worker renders"
        time.sleep(0.3)
    assert status == 200 and headers["Content-Type"] == "application/pdf" and body.startswith(b"%PDF")
    rendered = [json.loads(line) for line in cluster.worker_log.read_text().splitlines() if line.startswith("{")]
    assert [line["status"] for line in rendered if line.get("task") == "report"] == ["ok"], "the worker rendered it"


def _change_content(folder: Path) -> None:
    for path, old, new in (
        (folder / "mini-1" / "prosecution.yaml", OLD_ITEM_TEXT, NEW_ITEM_TEXT),
        (folder / "library" / "resources.yaml", f"title: {OLD_RESOURCE_TITLE}", f"title: {NEW_RESOURCE_TITLE}"),
    ):
        source = path.read_text()
        assert old in source
        path.write_text(source.replace(old, new))


def test_a_content_load_is_seen_by_both_servers_without_a_restart(cluster: Cluster) -> None:
    pages = {"/policy/measures/PROS-1": (OLD_ITEM_TEXT, NEW_ITEM_TEXT)}
    pages["/resources/investigation-manual"] = (OLD_RESOURCE_TITLE, NEW_RESOURCE_TITLE)
    browsers = [Browser(cluster.a), Browser(cluster.b)]
    for browser in browsers:  # both servers hold the content in memory now
        for path, (old, new) in pages.items():
            page = browser.page(path)
            assert old in page and new not in page
    _change_content(cluster.content)
    subprocess.run(
        [str(BIN / "ctsat"), "load", "--path", str(cluster.content)],
        cwd=ROOT,
        env=cluster.environment,
        check=True,
        capture_output=True,
    )
    for browser in browsers:
        for path, (_, new) in pages.items():
            assert new in browser.page(path), f"{browser.server}{path} shows the loaded content"


def _save(browser: Browser, assessment_id: int, item_id: str, comment: str, version: int) -> tuple[int, Any]:
    path = f"/api/v1/assessments/{assessment_id}/answers/{item_id}"
    body = {"answer": str(version % 5), "comment": comment, "version": version}
    status, answer, _ = browser.open(path, json_body=body, method="PUT")
    return status, json.loads(answer)


def _at_once(
    browsers: dict[str, Browser], assessment_id: int, item_id: str, label: str, version: int
) -> dict[str, tuple[int, Any]]:
    """Each browser saves ``version`` of the item at the same moment (a thread each)."""
    results: dict[str, tuple[int, Any]] = {}

    def save(name: str) -> None:
        results[name] = _save(browsers[name], assessment_id, item_id, f"{label} on {name}", version)

    threads = [threading.Thread(target=save, args=(name,)) for name in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_autosaves_from_both_servers_give_409_to_the_stale_one_and_lose_no_answer(cluster: Cluster) -> None:
    on_a = Browser(cluster.a)
    assert on_a.sign_in("autosave@servers.example") == 302
    on_b = on_a.on(cluster.b)
    item, assessment = "PROS-2.1", cluster.assessment_id
    assert _save(on_a, assessment, item, "first, on A", 0)[0] == 200
    status, answer = _save(on_b, assessment, item, "stale, on B", 0)
    assert status == 409 and answer["current"]["comment"] == "first, on A" and answer["current"]["version"] == 1
    acknowledged = {1: "first, on A"}
    version = 1
    for round_ in range(6):  # both servers save the same version at the same moment
        results = _at_once({"A": on_a, "B": on_b}, assessment, item, f"round {round_}", version)
        statuses = sorted(status for status, _ in results.values())
        assert statuses == [200, 409], f"round {round_}: {results}"
        winner = next(name for name, (status, _) in results.items() if status == 200)
        loser = results["B" if winner == "A" else "A"][1]
        version = results[winner][1]["version"]
        assert loser["current"]["version"] == version, "the stale save is shown the winner's answer"
        assert loser["current"]["comment"] == f"round {round_} on {winner}"
        acknowledged[version] = f"round {round_} on {winner}"
    engine = make_engine(cluster.database_url)
    with engine.connect() as connection:
        stored = connection.execute(
            text("SELECT version, comment FROM answers WHERE assessment_id = :a AND item_id = :i"),
            {"a": assessment, "i": item},
        ).one()
        history = connection.execute(
            text('SELECT version, "after" FROM answer_changes WHERE assessment_id = :a AND item_id = :i'),
            {"a": assessment, "i": item},
        ).all()
    engine.dispose()
    assert tuple(stored) == (version, acknowledged[version])
    kept = {row[0]: (row[1] if isinstance(row[1], dict) else json.loads(row[1]))["comment"] for row in history}
    assert kept == acknowledged, "every acknowledged answer is in the history, in order"
