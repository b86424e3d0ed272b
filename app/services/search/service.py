"""The search use case: match, rank, filter by facets, count facets, page, highlight."""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter
from types import ModuleType
from typing import Any, Protocol, cast

from markupsafe import Markup
from sqlalchemy.orm import Session

from app.services.search import postgres, sqlite
from app.services.search.cache import facet_rows
from app.services.search.facets import FacetRow, Facets, FacetTable, FacetValue, accepted
from app.services.search.query import MAX_QUERY_LENGTH, ParsedQuery, parse_query
from app.services.search.snippets import StoredHit, mark, marked_html, window

PER_PAGE = 10


Scored = list[tuple[int, float]]  # (document id, score): higher scores rank first


class Backend(Protocol):
    def matches(self, session: Session, query: ParsedQuery) -> Scored: ...
    def similar(self, session: Session, query: ParsedQuery) -> Scored: ...
    def mark_pattern(self, query: ParsedQuery) -> re.Pattern[str] | None: ...
    def documents(self, session: Session, query: ParsedQuery | None, ids: list[int]) -> dict[int, StoredHit]: ...


@dataclass(frozen=True)
class Hit:
    kind: str
    key: str
    title: Markup
    path: str
    snippet: Markup
    type: str | None
    country: str | None
    year: int | None


@dataclass(frozen=True)
class SearchResults:
    """One page of hits; ``total`` counts every hit after the filters, ``matched`` before them."""

    query: str
    facets: Facets
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    matched: int = 0
    page: int = 1
    pages: int = 1
    per_page: int = PER_PAGE
    counts: dict[str, list[FacetValue]] = field(default_factory=dict)
    truncated: bool = False
    fuzzy: bool = False
    empty_query: bool = False
    max_length: int = MAX_QUERY_LENGTH

    @property
    def first(self) -> int:
        """The position of the first hit on this page (1-based)."""
        return (self.page - 1) * self.per_page + 1


def backend_for(session: Session) -> Backend:
    module: ModuleType = postgres if session.get_bind().dialect.name == "postgresql" else sqlite
    return module  # each backend module has the protocol's functions


def search(
    session: Session,
    query: str,
    facets: Facets | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
    language: str | None = None,
) -> SearchResults:
    """One page of results for what the user typed; never raises for any text or page number.

    With ``language`` (the searcher's), entries whose text is in that language come first, each
    group in score order."""
    parsed = parse_query(query)
    facets = facets or Facets()
    if parsed.empty:
        return SearchResults(query=parsed.text, facets=facets, truncated=parsed.truncated, empty_query=True)
    backend = backend_for(session)
    scored = backend.matches(session, parsed)
    fuzzy = not scored
    if fuzzy and parsed.could_be_a_name:
        scored = backend.similar(session, parsed)
    scored, rows, table = _with_facets(session, scored)
    passing = [scored[position] for position in accepted(rows, facets)] if facets.selected() else scored
    pages = max(1, -(-len(passing) // per_page))
    page = min(max(page, 1), pages)
    # nlargest is stable: equal keys keep the backend's order (by document id).
    ranked = heapq.nlargest(page * per_page, passing, key=_ranking(scored, rows, language))[(page - 1) * per_page :]
    return SearchResults(
        query=parsed.text,
        facets=facets,
        hits=_hits(session, backend, parsed, [id_ for id_, _ in ranked], fuzzy),
        total=len(passing),
        matched=len(scored),
        page=page,
        pages=pages,
        per_page=per_page,
        counts=table.counts(table.mask(map(itemgetter(0), scored)), facets),
        truncated=parsed.truncated,
        fuzzy=fuzzy and bool(scored),
    )


def _ranking(scored: Scored, rows: list[FacetRow], language: str | None) -> Callable[[tuple[int, float]], Any]:
    """Score order; with a language other than English, entries with text in it first."""
    if not language or language == "en":
        return itemgetter(1)
    preferred = {id_ for (id_, _), row in zip(scored, rows, strict=True) if language in row.text_languages}
    return lambda pair: (pair[0] in preferred, pair[1])


def _with_facets(session: Session, scored: Scored) -> tuple[Scored, list[FacetRow], FacetTable]:
    """The matches and, in the same order, their facet values (from the per-process copy)."""
    table = facet_rows(session)
    rows = list(map(table.rows.get, map(itemgetter(0), scored)))
    if None in rows:  # written by another process since the copy was made: read again
        table = facet_rows(session, refresh=True)
        scored = [pair for pair in scored if pair[0] in table.rows]
        rows = [table.rows[id_] for id_, _ in scored]
    return scored, cast(list[FacetRow], rows), table


def shown_title(title: str, pattern: re.Pattern[str] | None) -> str:
    """A measure's stored title holds its translations one per line: show the first line the
    search matched (a Thai search shows the Thai title), else the first (English)."""
    lines = title.split("\n")
    return next((line for line in lines if pattern is not None and pattern.search(line)), lines[0])


def _hits(session: Session, backend: Backend, query: ParsedQuery, ids: list[int], fuzzy: bool) -> list[Hit]:
    if not ids:
        return []
    rows = backend.documents(session, None if fuzzy else query, ids)
    pattern = None if fuzzy else backend.mark_pattern(query)
    hits = []
    for row in (rows[id_] for id_ in ids if id_ in rows):
        hits.append(
            Hit(
                kind=row.kind,
                key=row.key,
                title=marked_html(mark(shown_title(row.title, pattern), pattern)),
                path=row.path,
                snippet=marked_html(row.snippet or window(mark(row.body, pattern))),
                type=row.type,
                country=row.country,
                year=row.year,
            )
        )
    return hits
