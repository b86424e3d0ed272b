"""The gap-analysis PDF: our whole build against WeasyPrint alone on the same HTML, and a cached repeat.

Run with `make bench-report` (or `.venv/bin/python -m bench.report --help`). In a scratch instance
(temporary directory, SQLite) it loads the questionnaires, creates a fully answered assessment
whose report has at least 25 pages (every applicable item answered: most fully in place, enough
gaps at lower levels to fill the pages, a few actions and comments), signs in with Flask's test
client and then, in rounds that alternate so that load from elsewhere falls on both alike:

- ours: a download of /assessments/<id>/report.pdf with an empty report cache: fingerprint,
  everything read from the database, scores, context, HTML, PDF, cache write, response;
- WeasyPrint alone: the same final HTML (its hash is the cached file's name) laid out and written
  by WeasyPrint with the report's URL fetcher and fonts, nothing else.

Then it downloads the same report again (served from the cache) and reports the median time.
The last line is

    RESULT report_s=<ours> overhead_ratio=<ours/weasyprint-only> cached_ms=<repeat download> peak_mb=<n>

Times are medians of the rounds (wall clock); peak_mb is the process's peak resident memory.
"""

from __future__ import annotations

import argparse
import gc
import random
import re
import resource
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from app.reporting.builder import report_key
from app.services.reports import report_assets

ROOT = Path(__file__).resolve().parent.parent
EMAIL = "official.bench@example.org"


@dataclass(frozen=True)
class Options:
    rounds: int
    repeats: int
    min_pages: int
    gaps: int
    content: Path
    keep: bool


def parse_options(argv: list[str]) -> Options:
    parser = argparse.ArgumentParser(prog="python -m bench.report", description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="measured rounds of each (default 3)")
    parser.add_argument("--repeats", type=int, default=20, help="cached downloads timed (default 20)")
    parser.add_argument("--min-pages", type=int, default=25, help="fewest pages the report must have (default 25)")
    parser.add_argument("--gaps", type=int, default=8, help="items answered below target at first (default 8)")
    parser.add_argument("--content", type=Path, default=ROOT / "questionnaires", help="questionnaires folder")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    found = parser.parse_args(argv)
    return Options(found.rounds, found.repeats, found.min_pages, found.gaps, found.content, found.keep)


# ---------------------------------------------------------------------------- scratch instance


def make_app(folder: Path, content: Path) -> Any:
    """An app on a new SQLite database in ``folder`` with ``content`` loaded; reports render in the request."""
    from app.services.catalog import forget_cached
    from app.services.content import load_content
    from app.services.migrations import upgrade
    from app.web.database import db
    from app.web.factory import create_app

    url = f"sqlite:///{folder / 'ctsat.db'}"
    upgrade(url)
    app = create_app(
        {
            "DATABASE_URL": url,
            "INSTANCE_PATH": folder,
            "SECRET_KEY": secrets.token_hex(32),
            "QUESTIONNAIRES_PATH": content,
            "REPORT_INLINE_SECONDS": 600,
        }
    )
    with app.app_context():
        load_content(db(), content)
        db().commit()
    forget_cached()
    return app


def answer_everything(app: Any, gaps: int, password: str) -> int:
    """A fully answered assessment of Thailand: ``gaps`` items below target, the rest fully in place."""
    from app.core.answers import AnswerFields
    from app.models import Action
    from app.services.accounts import create_user
    from app.services.assessments import save_answer, start_assessment
    from app.services.catalog import latest_questionnaire
    from app.web.database import db

    with app.app_context():
        session = db()
        coordinator = create_user(
            session, "coordinator.bench@example.org", "Coordinator", password, "coordinator", "THA"
        )
        official = create_user(session, EMAIL, "Official", password, "official", "THA")
        questionnaire = latest_questionnaire(session)
        roles = ["origin", "transit", "destination"]
        assessment = start_assessment(session, coordinator, "THA", questionnaire, "Bench report", roles)
        scored = [item for item in questionnaire.items.values() if item.scored]
        chance = random.Random(2026)
        below = {item.id for item in chance.sample(scored, min(gaps, len(scored)))}
        for number, item in enumerate(scored):
            if item.id in below:
                level = chance.choice([0, 2]) if item.type == "yes_no" else chance.randint(0, 3)
            else:
                level = 4
            comment = f"Reviewed by the working group in session {number % 7 + 1}." if number % 5 == 0 else ""
            save_answer(session, official, assessment, item.id, AnswerFields(level=level, comment=comment), 0)
        measures = list(questionnaire.measures)
        for number in range(8):
            session.add(
                Action(
                    assessment_id=assessment.id,
                    position=number,
                    title=f"Action {number + 1}: close the gaps of measure {measures[number % len(measures)]}",
                    measure_id=measures[number % len(measures)],
                    lead_agency="Ministry of Social Development and Human Security",
                    partners="Royal Thai Police; IOM",
                    start=date(2027, 1, 1),
                    end=date(2027, 12, 31),
                    budget="THB 1,500,000",
                    indicator="Share of frontline officers trained",
                )
            )
        session.commit()
        return assessment.id


def sign_in(client: Any, password: str) -> None:
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
        r'csrf-token" content="([^"]+)"', page
    )
    assert token, "no CSRF token on the sign-in page"
    response = client.post("/login", data={"email": EMAIL, "password": password, "csrf_token": token.group(1)})
    assert response.status_code == 302, f"sign-in failed: {response.status_code}"


# ----------------------------------------------------------------------------------- measuring


def download(app: Any, client: Any, assessment_id: int, cache: Path | None) -> tuple[float, bytes]:
    """Seconds for one download of the gap PDF; ``cache`` set means into that (empty) cache folder."""
    if cache is not None:
        app.config["INSTANCE_PATH"] = cache
    gc.collect()  # neither side pays for the other's garbage
    started = time.perf_counter()
    response = client.get(f"/assessments/{assessment_id}/report.pdf")
    seconds = time.perf_counter() - started
    if response.status_code != 200 or not response.data.startswith(b"%PDF-"):
        raise SystemExit(f"the report download failed: {response.status_code} {response.headers.get('Location')}")
    return seconds, response.data


def final_html(app: Any, assessment_id: int) -> str:
    """The HTML the download printed (same input, same day, same language)."""
    from app.models import Assessment
    from app.reporting.documents import prepare_report
    from app.services.reports import gap_report_input
    from app.web.database import db

    with app.app_context():
        session = db()
        data = gap_report_input(session, session.get_one(Assessment, assessment_id), "en", date.today())
        html = prepare_report("gap", "pdf", data, report_assets(app.config)).html
    assert html is not None
    return html


def weasyprint_alone(app: Any) -> Callable[[str], tuple[float, int]]:
    """WeasyPrint laying out and writing ``html`` with the report's fetcher and fonts, nothing else."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    from app.reporting.fetcher import BASE_URL, report_fetcher

    assets = report_assets(app.config)
    fonts = FontConfiguration()

    def render(html: str) -> tuple[float, int]:
        gc.collect()
        started = time.perf_counter()
        document = HTML(string=html, base_url=BASE_URL, url_fetcher=report_fetcher(assets)).render(font_config=fonts)
        document.write_pdf()
        return time.perf_counter() - started, len(document.pages)

    return render


@dataclass(frozen=True)
class Prepared:
    app: Any
    client: Any
    assessment_id: int
    html: str
    pages: int
    alone: Callable[[str], tuple[float, int]]


def prepared_report(options: Options, folder: Path) -> Prepared:
    """A signed-in client and a report of at least ``min_pages`` (more gaps until it has them), all warm."""
    password = secrets.token_urlsafe(16)
    gaps = options.gaps
    while True:
        instance = folder / f"instance-{gaps}"
        instance.mkdir()
        app = make_app(instance, options.content)
        assessment_id = answer_everything(app, gaps, password)
        client = app.test_client()
        sign_in(client, password)
        download(app, client, assessment_id, instance / "warm-up")
        html = final_html(app, assessment_id)
        alone = weasyprint_alone(app)
        _, pages = alone(html)  # WeasyPrint's own fonts warm, as ours are
        if pages >= options.min_pages or gaps >= 400:
            return Prepared(app, client, assessment_id, html, pages, alone)
        print(f"{gaps} gaps give {pages} pages; trying {gaps + 10}", file=sys.stderr)
        gaps += 10


def benchmark(options: Options, folder: Path) -> None:
    prepared = prepared_report(options, folder)
    app, client, assessment_id, html, pages, alone = (
        prepared.app,
        prepared.client,
        prepared.assessment_id,
        prepared.html,
        prepared.pages,
        prepared.alone,
    )
    if pages < options.min_pages:
        raise SystemExit(f"the report has {pages} pages, fewer than {options.min_pages}")
    ours_times, alone_times = [], []
    for number in range(options.rounds):
        cache = folder / f"cache-{number}"
        if number % 2 == 0:
            ours_times.append(download(app, client, assessment_id, cache)[0])
            alone_times.append(alone(html)[0])
        else:
            alone_times.append(alone(html)[0])
            ours_times.append(download(app, client, assessment_id, cache)[0])
    cached = sorted(download(app, client, assessment_id, None)[0] for _ in range(options.repeats))
    stored = list((folder / f"cache-{options.rounds - 1}" / "report-cache").glob("*.pdf"))
    same_html = [path.stem for path in stored] == [report_key(html, report_assets(app.config))]
    ours, weasyprint = statistics.median(ours_times), statistics.median(alone_times)
    cached_ms = statistics.median(cached) * 1000
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"report: {pages} pages, {len(html) // 1000} kB of HTML; the cached file is the same HTML's: {same_html}")
    print(f"ours (whole download, empty cache): {', '.join(f'{t:.2f}' for t in ours_times)} s")
    print(f"WeasyPrint alone on the same HTML:  {', '.join(f'{t:.2f}' for t in alone_times)} s")
    print(f"cached download: median {cached_ms:.1f} ms, slowest {cached[-1] * 1000:.1f} ms of {len(cached)}")
    app.extensions["ctsat.engine"].dispose()
    print(
        f"RESULT report_s={ours:.2f} overhead_ratio={ours / weasyprint:.2f} cached_ms={cached_ms:.1f}"
        f" peak_mb={peak_mb:.0f}"
    )


def main(argv: list[str]) -> None:
    options = parse_options(argv)
    folder = Path(tempfile.mkdtemp(prefix="ctsat-bench-report-"))
    try:
        benchmark(options, folder)
    finally:
        if options.keep:
            print(f"scratch directory kept: {folder}", file=sys.stderr)
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
