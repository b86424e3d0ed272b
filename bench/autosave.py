"""Autosave throughput of the app against a bare Flask + SQLAlchemy upsert, and the results page time.

Run with `make bench-autosave` (or `.venv/bin/python -m bench.autosave --help`). In a scratch
instance (temporary directory, SQLite; with --postgres URL, that PostgreSQL database, whose public
and bench_bare schemas are DROPPED and recreated: the bare upsert then runs on PostgreSQL too) it
serves the app and bench/bare_app.py side by side with
gunicorn (2 sync workers each) and drives them in turn with wrk (16 connections; bench/autosave.lua
PUTs one answer per request, with the session cookie and CSRF header for the app). The measured
time is split into slices run bare, ours, ours, bare, ... so that load from elsewhere on the
machine falls on both alike. Then it times the results page of a fully answered assessment
(server time from gunicorn's access log). The last line is

    RESULT autosave_ratio=<ours/bare req/s> p95_ms=<ours> errors=<n>

errors counts responses other than 2xx and the intended 409 conflicts, plus socket errors, in
the measured runs of both servers.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import resource
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
LUA_SCRIPT = ROOT / "bench" / "autosave.lua"
BIN = Path(sys.executable).parent
USER_AGENT = "ctsat-bench"
OFFICIAL_EMAIL = "official.bench@example.org"
WORKERS = 2


@dataclass(frozen=True)
class Options:
    duration: int
    warmup: int
    slices: int
    connections: int
    threads: int
    results_requests: int
    app: str
    py_spy: Path | None
    keep: bool
    postgres: str | None = None


@dataclass(frozen=True)
class Prepared:
    """What the prepare step made in the scratch database."""

    warmup_id: int
    slice_ids: list[int]
    results_id: int
    items: list[str]


@dataclass(frozen=True)
class WrkRun:
    """One or more wrk runs against one server, merged."""

    requests: int
    duration_s: float
    latency_us: Counter[int]
    ok: int
    conflicts: int
    other_status: int
    socket_errors: int
    worker_cpu_s: float
    wrk_cpu_s: float

    @property
    def rps(self) -> float:
        return self.requests / self.duration_s

    @property
    def errors(self) -> int:
        return self.other_status + self.socket_errors

    @property
    def cpu_ms_per_request(self) -> float:
        return 1000 * self.worker_cpu_s / max(self.requests, 1)

    def percentile_ms(self, percent: float) -> float:
        """Nearest rank, as wrk computes it."""
        total = sum(self.latency_us.values())
        rank = max(1, round(percent / 100 * total + 0.5))
        seen = 0
        for value in sorted(self.latency_us):
            seen += self.latency_us[value]
            if seen >= rank:
                return value / 1000
        return 0.0

    def __add__(self, other: WrkRun) -> WrkRun:
        return WrkRun(
            self.requests + other.requests,
            self.duration_s + other.duration_s,
            self.latency_us + other.latency_us,
            self.ok + other.ok,
            self.conflicts + other.conflicts,
            self.other_status + other.other_status,
            self.socket_errors + other.socket_errors,
            self.worker_cpu_s + other.worker_cpu_s,
            self.wrk_cpu_s + other.wrk_cpu_s,
        )

    def line(self, name: str) -> str:
        return (
            f"{name:<5} {self.rps:6.0f} req/s  p50 {self.percentile_ms(50):5.1f} ms"
            f"  p95 {self.percentile_ms(95):5.1f} ms  p99 {self.percentile_ms(99):5.1f} ms"
            f"  worker CPU {self.cpu_ms_per_request:.2f} ms/req  ({self.requests} requests:"
            f" {self.ok} ok, {self.conflicts} conflicts, {self.errors} errors;"
            f" wrk used {100 * self.wrk_cpu_s / self.duration_s:.0f}% of a core)"
        )


@dataclass
class Client:
    """A tiny HTTP client over loopback that keeps cookies (gunicorn sync workers close every connection)."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    csrf: str = ""

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: Mapping[str, str] | None = None
    ) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            sent = {"User-Agent": USER_AGENT, **(headers or {})}
            if self.cookies:
                sent["Cookie"] = self.cookie_header()
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            data = response.read()
            for value in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, data
        finally:
            connection.close()

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())


# ---------------------------------------------------------------- scratch instance


BARE_SCHEMA = "bench_bare"


def scratch_environment(folder: Path, postgres: str | None = None) -> dict[str, str]:
    instance = folder / "instance"
    database = postgres or f"sqlite:///{instance / 'ctsat.db'}"
    # On PostgreSQL the bare app's table lives in a schema of its own in the same database.
    separator = "&" if "?" in (postgres or "") else "?"
    bare = f"{postgres}{separator}options=-csearch_path%3D{BARE_SCHEMA}" if postgres else None
    return {
        **os.environ,
        "CTSAT_INSTANCE": str(instance),
        "DATABASE_URL": database,
        "SECRET_KEY": secrets.token_hex(32),
        "BARE_DATABASE_URL": bare or f"sqlite:///{folder / 'bare' / 'bare.db'}",
        "BENCH_PASSWORD": secrets.token_urlsafe(16),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }


def run_step(command: list[str], env: Mapping[str, str]) -> str:
    done = subprocess.run(command, cwd=ROOT, env=dict(env), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def prepare(output: Path, slices: int) -> None:
    """Runs inside the scratch environment: users, an assessment per wrk run, one fully answered."""
    from sqlalchemy import insert

    from app.core.answers import AnswerFields
    from app.models import Answer, Assessment, Country
    from app.services.accounts import create_user
    from app.services.assessments import save_answer, start_assessment
    from app.services.catalog import latest_questionnaire
    from app.web.database import db
    from app.web.factory import create_app
    from bench.bare_app import create_schema

    with create_app().app_context():
        session = db()
        if session.get(Country, "THA") is None:
            session.add(Country(code="THA", name="Thailand", profile={}))
            session.flush()
        password = os.environ["BENCH_PASSWORD"]
        coordinator = create_user(
            session, "coordinator.bench@example.org", "Coordinator", password, "coordinator", "THA"
        )
        official = create_user(session, OFFICIAL_EMAIL, "Official", password, "official", "THA")
        questionnaire = latest_questionnaire(session)
        roles = ["origin", "transit", "destination"]
        titles = ["Bench warm-up", *(f"Bench autosave {n + 1}" for n in range(slices)), "Bench results"]
        made = [start_assessment(session, coordinator, "THA", questionnaire, title, roles).id for title in titles]
        scored = [item for item in questionnaire.items.values() if item.scored]
        # Every item already answered once (version 1), so wrk measures the common autosave: an update.
        answered = [(number, item.id) for number in made[:-1] for item in scored]
        rows = [
            {"assessment_id": a, "item_id": i, "level": 0, "version": 1, "updated_by": official.id} for a, i in answered
        ]
        session.execute(insert(Answer), rows)
        chance = random.Random(2026)
        full = session.get_one(Assessment, made[-1])
        for item in scored:
            level = chance.choice([0, 2, 4]) if item.type == "yes_no" else chance.randint(0, 4)
            save_answer(session, official, full, item.id, AnswerFields(level=level), 0)
        session.commit()
        prepared = Prepared(made[0], made[1:-1], made[-1], [item.id for item in scored])
    create_schema(os.environ["BARE_DATABASE_URL"], answered)
    output.write_text(json.dumps(prepared.__dict__))


# ---------------------------------------------------------------- servers


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def worker_cpu_seconds(self) -> float:
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for pid in self.workers():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / ticks


@contextmanager
def serve(target: str, env: Mapping[str, str], log: Path, extra: list[str] | None = None) -> Iterator[Server]:
    """gunicorn serving `target` on a free loopback port until the block ends (its whole process group)."""
    port = free_port()
    command = [str(BIN / "gunicorn"), "--workers", str(WORKERS), "--worker-class", "sync"]
    command += ["--bind", f"127.0.0.1:{port}", "--log-level", "warning", *(extra or []), target]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, env=dict(env), stdout=output, stderr=output, start_new_session=True
        )
    server = Server(process, port, log)
    try:
        wait_until_ready(server)
        yield server
    finally:
        stop(process)


def wait_until_ready(server: Server, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise SystemExit(f"gunicorn exited:\n{server.log.read_text()}")
        try:
            Client(server.port).request("GET", "/")
        except OSError:
            time.sleep(0.1)
            continue
        if len(server.workers()) == WORKERS:
            return
        time.sleep(0.1)
    raise SystemExit(f"gunicorn did not start in {timeout:.0f} s:\n{server.log.read_text()}")


def stop(process: subprocess.Popen[bytes], signal_number: int = signal.SIGTERM) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal_number)
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass


# ---------------------------------------------------------------- the app's session


def sign_in(client: Client, password: str) -> None:
    """Sign in as the official through the login form and keep the CSRF token of the pages."""
    status, page = client.request("GET", "/login")
    token = _csrf_from_form(page.decode())
    form = urlencode({"csrf_token": token, "email": OFFICIAL_EMAIL, "password": password}).encode()
    status, page = client.request("POST", "/login", form, {"Content-Type": "application/x-www-form-urlencoded"})
    if status != 302:
        raise SystemExit(f"sign-in failed with {status}: {page[:500]!r}")
    status, page = client.request("GET", "/")
    found = re.search(r'<meta name="csrf-token" content="([^"]+)"', page.decode())
    if status != 200 or found is None:
        raise SystemExit(f"no csrf-token meta tag on / (status {status})")
    client.csrf = found.group(1)


def _csrf_from_form(html: str) -> str:
    for tag in re.findall(r"<input[^>]*>", html):
        if 'name="csrf_token"' in tag and (value := re.search(r'value="([^"]+)"', tag)):
            return value.group(1)
    raise SystemExit("no csrf_token field on /login")


def check_one_save(client: Client, assessment_id: int, item_id: str) -> None:
    """Fail early, with the server's words, if a PUT does not work the way wrk will send it."""
    body = json.dumps({"answer": "4", "version": 1}).encode()
    headers = {"Content-Type": "application/json", "X-CSRFToken": client.csrf}
    status, data = client.request("PUT", f"/api/v1/assessments/{assessment_id}/answers/{item_id}", body, headers)
    if status != 200:
        raise SystemExit(f"a test save failed with {status}: {data[:500]!r}")


# ---------------------------------------------------------------- wrk


def run_wrk(
    server: Server, options: Options, seconds: int, assessment_id: int, items_file: Path, client: Client | None = None
) -> WrkRun:
    cookie, csrf = (client.cookie_header(), client.csrf) if client else ("", "")
    command = ["wrk", f"-t{options.threads}", f"-c{options.connections}", f"-d{seconds}s", "-s", str(LUA_SCRIPT)]
    command += [f"http://127.0.0.1:{server.port}", "--", str(assessment_id), str(items_file), str(options.threads)]
    command += ["1", cookie, csrf, USER_AGENT]
    cpu_before, wrk_before = server.worker_cpu_seconds(), _children_cpu_seconds()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    cpu, wrk_cpu = server.worker_cpu_seconds() - cpu_before, _children_cpu_seconds() - wrk_before
    lines = {line.split(" ", 1)[0]: line for line in done.stdout.splitlines() if line.startswith("WRK")}
    if done.returncode != 0 or "WRK" not in lines or "WRKHIST" not in lines:
        raise SystemExit(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    values = {key: int(value) for key, value in (pair.split("=") for pair in lines["WRK"].split()[1:])}
    histogram: Counter[int] = Counter()
    for pair in lines["WRKHIST"].removeprefix("WRKHIST").strip().split(","):
        if pair:
            latency, count = pair.split(":")
            histogram[int(latency)] += int(count)
    return WrkRun(
        requests=values["requests"],
        duration_s=values["duration_us"] / 1e6,
        latency_us=histogram,
        ok=values["s2xx"],
        conflicts=values["s409"],
        other_status=values["s_other"],
        socket_errors=values["connect"] + values["read"] + values["write"] + values["timeout"],
        worker_cpu_s=cpu,
        wrk_cpu_s=wrk_cpu,
    )


def _children_cpu_seconds() -> float:
    """CPU time of the waited-for children (each wrk run; the servers are not waited for until the end)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@contextmanager
def py_spy(server: Server, folder: Path | None) -> Iterator[None]:
    """Sample every worker with py-spy while the block runs (raw collapsed stacks, one file per worker).

    Idle time is not sampled, so slices in which the other server is driven add nothing."""
    if folder is None:
        yield
        return
    folder.mkdir(parents=True, exist_ok=True)
    samplers = [
        subprocess.Popen(
            [str(BIN / "py-spy"), "record", "--pid", str(pid), "--rate", "250", "--nonblocking"]
            + ["--format", "raw", "--output", str(folder / f"worker-{index}.txt")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for index, pid in enumerate(server.workers())
    ]
    try:
        yield
    finally:
        for sampler in samplers:
            stop(sampler, signal.SIGINT)


# ---------------------------------------------------------------- results page


def time_results_page(
    client: Client, access_log: Path, assessment_id: int, count: int
) -> tuple[list[float], list[float]]:
    """Round-trip and server times (ms) of `count` sequential requests after a warm-up of every worker."""
    path = f"/assessments/{assessment_id}/results"
    for _ in range(4 * WORKERS):
        status, _page = client.request("GET", path)
        if status != 200:
            raise SystemExit(f"the results page answered {status}")
    round_trips = []
    for _ in range(count):
        started = time.perf_counter()
        status, _page = client.request("GET", f"{path}?timed=1")
        round_trips.append(1000 * (time.perf_counter() - started))
        if status != 200:
            raise SystemExit(f"the results page answered {status}")
    deadline = time.monotonic() + 5
    while len(server_ms := server_times(access_log, f"{path}?timed=1")) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    return round_trips, server_ms


ACCESS_FORMAT = "ACCESS %(U)s?%(q)s %(s)s %(D)s"


def server_times(log: Path, request: str) -> list[float]:
    """Request times (ms) that gunicorn logged (in ACCESS_FORMAT) for `request`."""
    times = []
    for line in log.read_text().splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[0] == "ACCESS" and parts[1] == request:
            times.append(int(parts[3]) / 1000)
    return times


def logged_errors(log: Path) -> Counter[str]:
    """The exceptions a server logged (the last line of each traceback), by message."""
    pattern = re.compile(r"^[\w.]+(Error|Exception): .*")
    return Counter(line[:120] for line in log.read_text(errors="replace").splitlines() if pattern.match(line))


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


# ---------------------------------------------------------------- main


def parse_options(argv: list[str]) -> Options | tuple[Path, int]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10, help="seconds measured per server (default 10)")
    parser.add_argument("--slices", type=int, default=5, help="measured slices per server (default 5)")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per server (default 2)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--results-requests", type=int, default=50)
    parser.add_argument("--app", default="wsgi:app", help="the WSGI app measured as ours, e.g. a candidate change")
    parser.add_argument("--py-spy", type=Path, metavar="DIR", help="profile the app's workers into DIR")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory and print it")
    parser.add_argument("--postgres", metavar="URL", help="run on this PostgreSQL database (its schemas are dropped)")
    parser.add_argument("--prepare", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.prepare:
        return Path(args.prepare), args.slices
    if args.duration % args.slices:
        parser.error("--duration must be a multiple of --slices (wrk takes whole seconds)")
    py_spy_dir = args.py_spy.resolve() if args.py_spy else None
    if py_spy_dir and not (BIN / "py-spy").exists():
        parser.error(f"--py-spy needs {BIN / 'py-spy'} (.venv/bin/pip install py-spy)")
    return Options(
        args.duration,
        args.warmup,
        args.slices,
        args.connections,
        args.threads,
        args.results_requests,
        args.app,
        py_spy_dir,
        args.keep,
        args.postgres,
    )


def main(argv: list[str]) -> None:
    options = parse_options(argv)
    if isinstance(options, tuple):
        prepare(*options)
        return
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")
    folder = Path(tempfile.mkdtemp(prefix="ctsat-bench-"))
    try:
        benchmark(options, folder)
    finally:
        if options.keep:
            print(f"scratch directory kept: {folder}", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)


def reset_postgres(url: str) -> None:
    from sqlalchemy import text

    from app.models.database import make_engine
    from config import database_url

    os.environ["DATABASE_URL"] = url
    engine = make_engine(database_url())
    with engine.begin() as connection:
        connection.execute(
            text(
                f"DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public; "
                f"DROP SCHEMA IF EXISTS {BARE_SCHEMA} CASCADE; CREATE SCHEMA {BARE_SCHEMA}"
            )
        )
    engine.dispose()


def benchmark(options: Options, folder: Path) -> None:
    env = scratch_environment(folder, options.postgres)
    if options.postgres:
        reset_postgres(options.postgres)
    (folder / "bare").mkdir()
    run_step([str(BIN / "ctsat"), "db-upgrade"], env)
    run_step([str(BIN / "ctsat"), "load"], env)
    prepare_step = [sys.executable, "-m", "bench.autosave", "--prepare", str(folder / "prepared.json")]
    run_step([*prepare_step, "--slices", str(options.slices)], env)
    prepared = Prepared(**json.loads((folder / "prepared.json").read_text()))
    items_file = folder / "items.txt"
    items_file.write_text("".join(f"{item}\n" for item in prepared.items))
    seconds = options.duration // options.slices
    print(
        f"wrk: {options.connections} connections, {options.threads} threads; per server {options.warmup} s warm-up,"
        f" then {options.slices} x {seconds} s measured (bare and ours alternating);"
        f" gunicorn {WORKERS} sync workers each; {'PostgreSQL' if options.postgres else 'SQLite (WAL)'}"
    )

    with ExitStack() as servers:
        bare_server = servers.enter_context(serve("bench.bare_app:from_environment()", env, folder / "bare.log"))
        ours_server = servers.enter_context(serve(options.app, env, folder / "ours.log"))
        client = Client(ours_server.port)
        sign_in(client, env["BENCH_PASSWORD"])
        check_one_save(client, prepared.warmup_id, prepared.items[0])
        run_wrk(bare_server, options, options.warmup, prepared.warmup_id, items_file)
        run_wrk(ours_server, options, options.warmup, prepared.warmup_id, items_file, client)
        bare_runs: list[WrkRun] = []
        ours_runs: list[WrkRun] = []
        with py_spy(ours_server, options.py_spy):
            for number, assessment_id in enumerate(prepared.slice_ids):
                bare_first = number % 2 == 0
                if bare_first:
                    bare_runs.append(run_wrk(bare_server, options, seconds, assessment_id, items_file))
                ours_runs.append(run_wrk(ours_server, options, seconds, assessment_id, items_file, client))
                if not bare_first:
                    bare_runs.append(run_wrk(bare_server, options, seconds, assessment_id, items_file))
    bare, ours = sum(bare_runs[1:], bare_runs[0]), sum(ours_runs[1:], ours_runs[0])
    print(bare.line("bare"))
    print(ours.line("ours"))
    for name, log in (("bare", folder / "bare.log"), ("ours", folder / "ours.log")):
        for error, count in logged_errors(log).most_common(3):
            print(f"  {name} server logged {count} x {error}")
    print(f"worker CPU per request, bare/ours: {bare.cpu_ms_per_request / ours.cpu_ms_per_request:.2f}")
    if options.py_spy:
        print(f"py-spy profiles of the app's workers: {options.py_spy}")

    access_log = folder / "results-access.log"
    logging = ["--access-logfile", str(access_log), "--access-logformat", ACCESS_FORMAT]
    with serve(options.app, env, folder / "results.log", logging) as server:
        session = Client(server.port, dict(client.cookies), client.csrf)
        round_trips, server_ms = time_results_page(session, access_log, prepared.results_id, options.results_requests)
    if len(server_ms) != len(round_trips):
        raise SystemExit(f"expected {len(round_trips)} access log lines, found {len(server_ms)}")
    print(
        f"results page ({len(prepared.items)} scored items answered), {len(server_ms)} sequential requests:"
        f" server median {statistics.median(server_ms):.1f} ms, p95 {p95(server_ms):.1f} ms;"
        f" round trip median {statistics.median(round_trips):.1f} ms, p95 {p95(round_trips):.1f} ms"
    )
    print(f"results_page_ms={statistics.median(server_ms):.1f} results_page_p95_ms={p95(server_ms):.1f}")
    errors = ours.errors + bare.errors
    print(f"RESULT autosave_ratio={ours.rps / bare.rps:.2f} p95_ms={ours.percentile_ms(95):.1f} errors={errors}")


if __name__ == "__main__":
    main(sys.argv[1:])
