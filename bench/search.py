"""Search latency at 5,000 and 20,000 synthetic resources, through the whole search service.

Run with `make bench-search` (or `.venv/bin/python -m bench.search --help`). In a scratch SQLite
database (or, with --postgres URL, a PostgreSQL database whose public schema is DROPPED and
recreated) it migrates, loads the real content of questionnaires/, adds 5,000 synthetic resources
in English, Thai, Khmer and Chinese (bench/search_corpus.py), and times the rebuild of the index.
Then it runs a fixed mix of queries through `app.services.search.search` (matching, ranking,
facet counts over every match, one page of highlighted snippets): common words (one found in a
fifth or more of all documents), rare words, a phrase, two-word queries, Thai, Khmer and Chinese
words (one of two characters, below the trigram length), a misspelt name (the typo-tolerant
path), a filter and a later page. Each query runs once to warm up, then --rounds times; the
printed p95 is over all timed runs. It then adds resources up to 20,000 and runs the mix again.

As a baseline measured in the same run, each query is also timed through the backend's bare
match-and-rank query alone (no facets, page or snippets): `service/bare` shows the cost of the rest.
The last line is

    RESULT search_p95_ms=<5k> p95_20k_ms=<20k> index_rebuild_s=<5k>

where index_rebuild_s is a full rebuild at 5,000 resources: every search document deleted, then
`reindex` (documents built from the library and the questionnaire, written, full-text indexed).
On PostgreSQL the table is then vacuumed before the queries run, as autovacuum would soon after
such a rewrite (see `settle`): otherwise the queries time the dead rows the bench's own
delete-all left behind.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, delete, func, insert, select, text
from sqlalchemy.orm import Session

from app.models import LibraryEntry, SearchDocument
from app.models.database import make_engine
from app.services.content import load_content
from app.services.migrations import upgrade
from app.services.search import Facets, reindex, search
from app.services.search.query import parse_query
from app.services.search.service import backend_for
from bench.search_corpus import ROOT, Generator, read_knowledge_base

SIZES = (5_000, 20_000)


@dataclass(frozen=True)
class Query:
    label: str
    text: str
    facets: Facets = Facets()
    page: int = 1


@dataclass
class Timing:
    query: Query
    service_ms: list[float]
    bare_ms: list[float]
    total: int
    matched: int
    fuzzy: bool


def query_mix(rare: list[str]) -> list[Query]:
    return [
        Query("common word", "trafficking"),
        Query("common word", "victims"),
        Query("common word, filtered", "trafficking", Facets(type="handbook")),
        Query("common word, page 3", "trafficking", page=3),
        Query("phrase", '"victim identification"'),
        Query("two words", "labour exploitation"),
        Query("two words", "border officials"),
        Query("rare word", rare[0]),
        Query("rare word", rare[1]),
        Query("Thai word", "ผู้เสียหาย"),
        Query("Thai rare word", "การฟอกเงิน"),
        Query("Khmer word", "ជនរងគ្រោះ"),
        Query("Chinese word", "人口贩运"),
        Query("Chinese 2 chars", "洗钱"),
        Query("misspelt name", "Philipines"),
        Query("hostile", "'; DROP TABLE users; -- \" OR NEAR(a b)"),
    ]


def prepare(engine: Engine, url: str) -> None:
    if url.startswith("postgresql"):
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    upgrade(url)
    with Session(engine) as session:
        load_content(session, ROOT / "questionnaires")


def add_resources(engine: Engine, generator: Generator, start: int, stop: int) -> None:
    rows = [{"kind": "resources", "key": f"bench-{n:05d}", "data": generator.resource(n)} for n in range(start, stop)]
    with Session(engine) as session:
        for first in range(0, len(rows), 1000):
            session.execute(insert(LibraryEntry), rows[first : first + 1000])
        session.commit()


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def run_mix(engine: Engine, queries: list[Query], rounds: int) -> list[Timing]:
    timings: list[Timing] = []
    with Session(engine) as session:
        backend = backend_for(session)
        for query in queries:
            results = search(session, query.text, query.facets, query.page)  # warm-up
            timings.append(Timing(query, [], [], results.total, results.matched, results.fuzzy))
            session.rollback()
        for _ in range(rounds):
            for timing in timings:
                q = timing.query
                timing.service_ms.append(timed(lambda q=q: search(session, q.text, q.facets, q.page)))
                parsed = parse_query(q.text)
                timing.bare_ms.append(timed(lambda p=parsed: backend.matches(session, p)))
                session.rollback()
    return timings


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def report(size: int, documents: int, timings: list[Timing]) -> float:
    print(f"\n{size:,} synthetic resources ({documents:,} search documents)")
    print(f"{'query':<24} {'text':<22} {'matches':>8} {'share':>6} {'median ms':>10} {'p95 ms':>8} {'bare ms':>8}")
    for timing in timings:
        share = f"{timing.matched / documents:.0%}" if not timing.fuzzy else "fuzzy"
        print(
            f"{timing.query.label:<24} {timing.query.text[:22]:<22} {timing.total:>8,} {share:>6} "
            f"{statistics.median(timing.service_ms):>10.1f} {p95(timing.service_ms):>8.1f} "
            f"{statistics.median(timing.bare_ms):>8.1f}"
        )
    service = [ms for timing in timings for ms in timing.service_ms]
    bare = [ms for timing in timings for ms in timing.bare_ms]
    print(f"all queries: p95 {p95(service):.1f} ms, median {statistics.median(service):.1f} ms; ", end="")
    print(f"service/bare (total time) {sum(service) / max(sum(bare), 1e-9):.2f}")
    return p95(service)


def rebuild(engine: Engine) -> tuple[float, float]:
    """Seconds for an incremental reindex of new entries, and for a full rebuild from nothing."""
    with Session(engine) as session:
        started = time.perf_counter()
        reindex(session)
        session.commit()
        incremental = time.perf_counter() - started
        started = time.perf_counter()
        session.execute(delete(SearchDocument))
        reindex(session)
        session.commit()
        return incremental, time.perf_counter() - started


def settle(engine: Engine) -> float:
    """On PostgreSQL, VACUUM (ANALYZE) the index table after the rebuild: seconds taken.

    The rebuild deletes every row and writes them again; until a vacuum, the full-text indexes
    still point at the 20,000 dead rows too and every match's page is read twice, and the first
    read of each new row writes its hint bits. Autovacuum does this within a minute or two of
    such a rewrite (and the application never deletes everything: ``reindex`` writes what
    changed), so the queries are timed on the table as it then is, not on the bench's own debris.
    """
    if engine.dialect.name != "postgresql":
        return 0.0
    started = time.perf_counter()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM (ANALYZE) search_documents"))
    return time.perf_counter() - started


def count_documents(engine: Engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count(SearchDocument.id))) or 0


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", metavar="URL", help="run on this PostgreSQL database (its schema is dropped)")
    parser.add_argument("--rounds", type=int, default=15, help="timed runs of each query (default 15)")
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ctsat-bench-search-") as scratch:
        url = options.postgres or f"sqlite:///{Path(scratch) / 'search.db'}"
        engine = make_engine(url)
        print(f"database: {engine.dialect.name} {engine.url.render_as_string(hide_password=True)}")
        prepare(engine, url)
        generator = Generator(read_knowledge_base())
        queries = query_mix(generator.rare_words(2))
        results: list[float] = []
        rebuild_s = 0.0
        done = 0
        for size in SIZES:
            add_resources(engine, generator, done, size)
            incremental, full = rebuild(engine)
            print(f"\nindex: {size - done:,} new resources indexed in {incremental:.1f} s; full rebuild {full:.1f} s")
            if vacuumed := settle(engine):
                print(f"VACUUM (ANALYZE) after the rebuild, as autovacuum would: {vacuumed:.1f} s")
            rebuild_s = full if size == SIZES[0] else rebuild_s
            done = size
            results.append(report(size, count_documents(engine), run_mix(engine, queries, options.rounds)))
        engine.dispose()
    print(f"RESULT search_p95_ms={results[0]:.1f} p95_20k_ms={results[1]:.1f} index_rebuild_s={rebuild_s:.1f}")


if __name__ == "__main__":
    main(sys.argv[1:])
