"""A workshop under load: 60 participants answering while the facilitator's board polls.

Run with `make bench-workshop` (or `.venv/bin/python -m bench.workshop --help`). In a scratch
instance (temporary directory, SQLite) it loads the content and the demo data, sets up a workshop
for ten countries through the services and lets 60 participants (six per country, spread over the
pillars) join it. gunicorn serves the app (2 sync workers, as bench/autosave.py does). Every
participant signs in through the login form and then, like a person at the workshop, goes through
the items of their pillar, saving an answer every 2 to 5 seconds (a PUT to the autosave API with
the session cookie and CSRF header, the version it last saw; a colleague of the same country and
pillar may have saved the item first, which is the intended 409 conflict). The facilitator's board polls its JSON every
5 seconds with If-None-Match, as board.js does, for the answering period and a quiet period after
it (the room discusses, nobody saves). The last line is

    RESULT workshop_p95_ms=<p95 of every request> errors=<n> board_304_ratio=<share of polls answered 304>

errors counts responses other than 2xx, 304 and the intended 409 conflicts, plus socket errors.
Latencies are round trips measured by the client threads (one thread per participant).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from bench.autosave import (
    ACCESS_FORMAT,
    BIN,
    USER_AGENT,
    WORKERS,
    Client,
    logged_errors,
    run_step,
    scratch_environment,
    serve,
)

PARTICIPANTS = 60
COUNTRIES = 10
BOARD_EVERY_S = 5.0
THINK_S = (2.0, 5.0)
COLLEAGUES_SHARE = 0.1  # of the saves go to an item of a colleague's measure
LEVELS = ("0", "2", "4")  # valid for maturity and yes/no items alike
FACILITATOR_EMAIL = "facilitator.bench@example.org"


@dataclass(frozen=True)
class Person:
    email: str
    assessment_id: int
    items: list[str]  # the items of this person's share of their pillar's measures
    colleagues_items: list[str]  # the rest of the pillar, answered by colleagues of the same country


@dataclass(frozen=True)
class Prepared:
    workshop_id: int
    participants: list[Person]


@dataclass
class Tally:
    """What every thread saw, by kind of request (save, board 200, board 304)."""

    latencies_ms: dict[str, list[float]] = field(default_factory=dict)
    statuses: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, status: int | str, elapsed_ms: float | None) -> None:
        with self.lock:
            self.statuses[f"{kind} {status}"] += 1
            if elapsed_ms is not None:
                self.latencies_ms.setdefault(kind, []).append(elapsed_ms)

    def all_latencies(self) -> list[float]:
        return [value for values in self.latencies_ms.values() for value in values]

    @property
    def errors(self) -> int:
        fine = {"save 200", "save 409", "board 200", "board 304"}
        return sum(count for key, count in self.statuses.items() if key not in fine)

    @property
    def board_304_ratio(self) -> float:
        polls = self.statuses["board 200"] + self.statuses["board 304"] + self.statuses["board error"]
        return self.statuses["board 304"] / polls if polls else 0.0


def percentile(values: list[float], percent: float) -> float:
    """Nearest rank."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(percent / 100 * len(ordered) + 0.5) - 1))]


# ---------------------------------------------------------------- scratch data


def prepare(output: Path) -> None:
    """Runs inside the scratch environment: the demo data, then a 60-participant workshop."""
    from sqlalchemy import select

    from app.models import Country
    from app.services.accounts import create_user
    from app.services.catalog import latest_questionnaire
    from app.services.demo import DEMO_COUNTRIES, seed_demo
    from app.services.workshop_admission import JoinChoice, request_to_join
    from app.services.workshops import WorkshopSettings, create_workshop, workshop_assessments
    from app.web.database import db
    from app.web.factory import create_app

    password = os.environ["BENCH_PASSWORD"]
    with create_app().app_context():
        session = db()
        seed_demo(session, Path(os.environ["CTSAT_INSTANCE"]) / "demo-logins.txt")
        states = session.scalars(select(Country.code).filter_by(kind="state").order_by(Country.code))
        countries = (list(DEMO_COUNTRIES) + [code for code in states if code not in DEMO_COUNTRIES])[:COUNTRIES]
        questionnaire = latest_questionnaire(session)
        facilitator = create_user(session, FACILITATOR_EMAIL, "Bench facilitator", password, "facilitator", None)
        settings = WorkshopSettings("Bench workshop", None, None, "Bangkok", False, [], countries)
        workshop = create_workshop(session, facilitator, questionnaire, settings)
        assessments = workshop_assessments(session, workshop)
        seats = [
            (countries[n % len(countries)], questionnaire.pillars[n % len(questionnaire.pillars)])
            for n in range(PARTICIPANTS)
        ]
        people = []
        for number, (code, pillar) in enumerate(seats):
            email = f"participant{number + 1}.bench@example.org"
            user = create_user(session, email, f"Participant {number + 1}", password, "official", code)
            request_to_join(session, user, workshop, JoinChoice(code, "Bench agency", pillar.id))
            # Colleagues of one country and pillar share its measures out among themselves.
            colleagues = [n for n, seat in enumerate(seats) if seat == (code, pillar)]
            share = pillar.measures[colleagues.index(number) :: len(colleagues)]
            own = [item.id for measure in share for item in measure.items if item.scored]
            every = [item.id for measure in pillar.measures for item in measure.items if item.scored]
            people.append(Person(email, assessments[code].id, own, [item for item in every if item not in own]))
        session.commit()
        prepared = {"workshop_id": workshop.id, "participants": [person.__dict__ for person in people]}
    output.write_text(json.dumps(prepared))


# ---------------------------------------------------------------- clients


class Browser(Client):
    """The bench client, also returning response headers (the board's ETag)."""

    def fetch(self, path: str, headers: Mapping[str, str]) -> tuple[int, bytes, str | None]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(
                "GET", path, headers={"User-Agent": USER_AGENT, "Cookie": self.cookie_header(), **headers}
            )
            response = connection.getresponse()
            return response.status, response.read(), response.headers.get("ETag")
        finally:
            connection.close()


def sign_in(port: int, email: str, password: str) -> Browser:
    browser = Browser(port)
    _status, page = browser.request("GET", "/login")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.decode())
    if token is None:
        raise SystemExit("no csrf_token field on /login")
    form = urlencode({"csrf_token": token.group(1), "email": email, "password": password}).encode()
    status, page = browser.request("POST", "/login", form, {"Content-Type": "application/x-www-form-urlencoded"})
    if status != 302:
        raise SystemExit(f"sign-in of {email} failed with {status}: {page[:300]!r}")
    status, page = browser.request("GET", "/")
    found = re.search(r'<meta name="csrf-token" content="([^"]+)"', page.decode())
    if status != 200 or found is None:
        raise SystemExit(f"no csrf-token meta tag on / for {email} (status {status})")
    browser.csrf = found.group(1)
    return browser


def participant(browser: Browser, person: Person, until: float, tally: Tally, seed: int) -> None:
    """Go through the items of the person's measures, saving one every 2-5 s; now and then
    change a colleague's item instead (with the version last seen, which may be out of date)."""
    chance = random.Random(seed)
    versions: dict[str, int] = {}
    position = chance.randrange(len(person.items))
    time.sleep(chance.uniform(0, THINK_S[1]))  # people do not all click at the same moment
    while time.monotonic() < until:
        if person.colleagues_items and chance.random() < COLLEAGUES_SHARE:
            item = chance.choice(person.colleagues_items)
        else:
            item, position = person.items[position % len(person.items)], position + 1
        body = json.dumps({"answer": chance.choice(LEVELS), "version": versions.get(item, 0)}).encode()
        headers = {"Content-Type": "application/json", "X-CSRFToken": browser.csrf}
        started = time.perf_counter()
        try:
            status, data = browser.request(
                "PUT", f"/api/v1/assessments/{person.assessment_id}/answers/{item}", body, headers
            )
        except OSError:
            tally.add("save", "socket error", None)
        else:
            tally.add("save", status, 1000 * (time.perf_counter() - started))
            versions[item] = _version_after(status, data, versions.get(item, 0))
        time.sleep(chance.uniform(*THINK_S))


def _version_after(status: int, data: bytes, version: int) -> int:
    """The item's version after a save (200) or the other person's version (409)."""
    if status not in (200, 409):
        return version
    body = json.loads(data)
    current = body if status == 200 else body.get("current") or {"version": 0}
    return int(current["version"])


def board(browser: Browser, workshop_id: int, until: float, tally: Tally) -> None:
    """Poll the board JSON every 5 s with If-None-Match, as board.js does."""
    etag: str | None = None
    while time.monotonic() < until:
        polled = time.monotonic()
        headers = {"Accept": "application/json", **({"If-None-Match": etag} if etag else {})}
        started = time.perf_counter()
        try:
            status, _data, new_etag = browser.fetch(f"/api/v1/workshops/{workshop_id}/board", headers)
        except OSError:
            tally.add("board", "error", None)
        else:
            tally.add("board", status, 1000 * (time.perf_counter() - started))
            etag = new_etag or etag
        time.sleep(max(0.0, polled + BOARD_EVERY_S - time.monotonic()))


# ---------------------------------------------------------------- main


def warm_up(facilitator: Browser, someone: Browser, prepared: Prepared) -> None:
    """Untimed: both workers load the questionnaire and build the board once."""
    for _ in range(2 * WORKERS):
        facilitator.fetch(f"/api/v1/workshops/{prepared.workshop_id}/board", {"Accept": "application/json"})
        someone.request("GET", f"/api/v1/assessments/{prepared.participants[0].assessment_id}")


def run(prepared: Prepared, port: int, password: str, seconds: int, quiet: int) -> Tally:
    facilitator = sign_in(port, FACILITATOR_EMAIL, password)
    browsers = [sign_in(port, person.email, password) for person in prepared.participants]
    warm_up(facilitator, browsers[0], prepared)
    tally = Tally()
    start = time.monotonic()
    answering_until, board_until = start + seconds, start + seconds + quiet
    threads = [threading.Thread(target=board, args=(facilitator, prepared.workshop_id, board_until, tally))]
    for number, (browser, person) in enumerate(zip(browsers, prepared.participants, strict=True)):
        threads.append(threading.Thread(target=participant, args=(browser, person, answering_until, tally, number)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally


def report(tally: Tally, seconds: int, quiet: int) -> None:
    saves = tally.latencies_ms.get("save", [])
    boards = tally.latencies_ms.get("board", [])
    print(
        f"{PARTICIPANTS} participants in {COUNTRIES} countries answering for {seconds} s (one save every"
        f" {THINK_S[0]:.0f}-{THINK_S[1]:.0f} s each), the board polling every {BOARD_EVERY_S:.0f} s"
        f" for {seconds + quiet} s; gunicorn {WORKERS} sync workers; SQLite (WAL)"
    )
    for kind, values in (("saves", saves), ("board polls", boards)):
        print(
            f"{kind:<12} {len(values):5d} requests  p50 {percentile(values, 50):6.1f} ms"
            f"  p95 {percentile(values, 95):6.1f} ms  max {max(values, default=0):6.1f} ms"
        )
    print("responses: " + ", ".join(f"{key}: {count}" for key, count in sorted(tally.statuses.items())))


def report_server_times(access_log: Path) -> None:
    """Time spent in the app (gunicorn's access log), apart from waiting for a CPU on a busy machine."""
    times: dict[str, list[float]] = {"saves": [], "board polls": []}
    for line in access_log.read_text().splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[0] == "ACCESS":
            kind = "board polls" if parts[1].startswith("/api/v1/workshops/") else "saves"
            if parts[1].startswith("/api/v1/"):
                times[kind].append(int(parts[3]) / 1000)
    for kind, values in times.items():
        print(f"  in the app: {kind:<12} p50 {percentile(values, 50):6.1f} ms  p95 {percentile(values, 95):6.1f} ms")


def parse_options(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=60, help="seconds of answering (default 60)")
    parser.add_argument("--quiet", type=int, default=15, help="seconds the board polls after answering (default 15)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory and print it")
    parser.add_argument("--prepare", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.seconds < 1 or options.quiet < 0:
        parser.error("--seconds must be at least 1 and --quiet at least 0")
    return options


def main(argv: list[str]) -> None:
    options = parse_options(argv)
    if options.prepare:
        prepare(options.prepare)
        return
    folder = Path(tempfile.mkdtemp(prefix="ctsat-bench-workshop-"))
    try:
        env = scratch_environment(folder) | {"CTSAT_LOGIN_RATE_LIMIT": "10000 per minute"}
        run_step([str(BIN / "ctsat"), "db-upgrade"], env)
        run_step([str(BIN / "ctsat"), "load"], env)
        run_step([sys.executable, "-m", "bench.workshop", "--prepare", str(folder / "prepared.json")], env)
        data = json.loads((folder / "prepared.json").read_text())
        prepared = Prepared(data["workshop_id"], [Person(**person) for person in data["participants"]])
        access_log = folder / "access.log"
        logging = ["--access-logfile", str(access_log), "--access-logformat", ACCESS_FORMAT]
        with serve("wsgi:app", env, folder / "app.log", logging) as server:
            tally = run(prepared, server.port, env["BENCH_PASSWORD"], options.seconds, options.quiet)
        report(tally, options.seconds, options.quiet)
        report_server_times(access_log)
        for error, count in logged_errors(folder / "app.log").most_common(3):
            print(f"  the server logged {count} x {error}")
        p95 = percentile(tally.all_latencies(), 95)
        print(f"RESULT workshop_p95_ms={p95:.1f} errors={tally.errors} board_304_ratio={tally.board_304_ratio:.2f}")
    finally:
        if options.keep:
            print(f"scratch directory kept: {folder}", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
