"""PostgreSQL backend: full-text search (stemmed English, ts_rank, ts_headline) plus pg_trgm.

As on SQLite, terms in scripts that separate words with spaces match words that
start with them: here through the stemmed ``search_vector`` (``'traffick':*``
also finds "trafficked"). Terms in Thai, Khmer, Chinese and other scripts
without spaces, and words the English configuration drops (stop words such as
"the"), match anywhere in the text with ILIKE, served by the pg_trgm index;
Chinese and Japanese terms of one or two characters, too short for trigrams, by
``short_grams`` (every one- and two-character piece of the Han and kana runs,
GIN-indexed; migration 0017) instead of reading every row.
Names close to the query are found with ``<%`` (word_similarity) on the
title's trigram index. User text only ever reaches PostgreSQL as bound
parameters; tsquery text is built from word characters alone.
"""

from __future__ import annotations

import re
from typing import Any, cast

from psycopg import ClientCursor, Connection
from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from app.services.search.query import PREFIX_LENGTH, TRIGRAM, ParsedQuery, in_gram_ranges, like_pattern, text_of
from app.services.search.similarity import THRESHOLD, rank_by_name
from app.services.search.snippets import HIT_COLUMNS, START, STOP, StoredHit, terms_pattern

DOCUMENT_TEXT = "(title || ' ' || body)"  # the expression of ix_search_documents_text_trgm
HEADLINE = f'StartSel="{START}", StopSel="{STOP}", MaxWords=35, MinWords=20, MaxFragments=2, FragmentDelimiter=" … "'
CANDIDATES = 50
STOP_WORDS_KEPT = 10_000
SEQSCAN = "SELECT set_config('enable_seqscan', '{}', true)"
_WORD = re.compile(r"\w+")
_PLACEHOLDER = re.compile(r"(?<![:\w]):(\w+)")  # ``:name`` of the statements built here (``::int`` casts are not)


def tsquery_text(term: str) -> str | None:
    """``victim <-> identification:*`` for a term of words; None when it has no word characters."""
    words = _WORD.findall(term)
    if not words:
        return None
    return " <-> ".join(words) + (":*" if len(term) >= PREFIX_LENGTH else "")


class _Terms:
    """Bound parameters and SQL pieces for the terms of one query."""

    def __init__(self, query: ParsedQuery, stop_words: frozenset[str] = frozenset()) -> None:
        self.params: dict[str, str] = {}
        self.conditions: list[str] = []
        self.in_title: list[str] = []
        self.indexed = True  # every condition can be answered by an index
        self.grams = False
        tsqueries = []
        for number, term in enumerate(query.terms):
            self.params[f"p{number}"] = like_pattern(term)
            like = "LIKE" if term.lower() == term.upper() else "ILIKE"  # caseless scripts compare faster
            substring = self._substring(number, term, like, query)
            words = tsquery_text(term) if term in query.word_terms else None
            if term in stop_words:  # the English configuration drops it: found as a substring, not ranked
                self.conditions.append(substring)
            elif words is None:
                self.conditions.append(substring)
                self.in_title.append(f"(title {like} :p{number})::int")
            else:
                self.params[f"w{number}"] = words
                tsquery = f"to_tsquery('english', :w{number})"
                tsqueries.append(tsquery)
                self.conditions.append(f"search_vector @@ {tsquery}")
        self.tsquery = " && ".join(tsqueries) if tsqueries else None

    def _substring(self, number: int, term: str, like: str, query: ParsedQuery) -> str:
        """The term anywhere in title or body, by the index that can answer it."""
        if term not in query.short_terms:
            self.indexed = self.indexed and len(term) >= TRIGRAM
            return f"{DOCUMENT_TEXT} {like} :p{number}"
        if in_gram_ranges(term):
            # One or two Han or kana characters: one of the pieces that short_grams indexes.
            self.params[f"g{number}"] = term
            self.grams = True
            return f"short_grams @> ARRAY[CAST(:g{number} AS text)]"
        # Too short for the trigram index, so every row is read: comparing title and body apart
        # spares building their concatenation for each (a space-less term of one or two
        # characters cannot span the two).
        self.indexed = False
        return f"(title {like} :p{number} OR body {like} :p{number})"


_stop_words: dict[str, bool] = {}  # tsquery text -> the English configuration drops it (fixed by the configuration)


def stop_words(session: Session, query: ParsedQuery) -> frozenset[str]:
    """Word terms the English configuration drops (``numnode`` 0), asked at most once per process.

    Decided before the search query, not inside it, so that query never carries an
    ``OR <substring>`` branch that keeps the planner from the full-text index alone.
    """
    words = {term: tsquery_text(term) for term in query.word_terms}
    unknown = sorted({text_ for text_ in words.values() if text_ and text_ not in _stop_words})
    if unknown:
        asked = {f"w{number}": text_ for number, text_ in enumerate(unknown)}
        columns = ", ".join(f"numnode(to_tsquery('english', :{name}))" for name in asked)
        counts = session.execute(text(f"SELECT {columns}"), asked).one()
        if len(_stop_words) > STOP_WORDS_KEPT:
            _stop_words.clear()
        _stop_words.update({text_: count == 0 for text_, count in zip(unknown, counts, strict=True)})
    return frozenset(term for term, text_ in words.items() if text_ and _stop_words.get(text_, False))


def matches(session: Session, query: ParsedQuery) -> list[tuple[int, float]]:
    """(document id, score) of every document that has all the terms; higher scores rank first."""
    terms = _Terms(query, stop_words(session, query))
    # ts_rank weighs title words (A) above body words (B); other terms score by being in the title.
    parts = []
    if terms.tsquery:
        parts.append(f"ts_rank(search_vector, {terms.tsquery})")
    if terms.in_title:
        parts.append(f"0.1 * ({' + '.join(terms.in_title)})")
    score = " + ".join(parts) or "0"  # only stop words: every match scores alike
    sql = f"SELECT id, {score} FROM search_documents WHERE {' AND '.join(terms.conditions)}"
    # The planner prices ``@@`` as cheap and reads every row for a word found in many documents;
    # the GIN bitmap is ~15x faster there (no per-row tsvector test), so it is told to take it.
    # Not when a term can use no index: there every row must be read anyway.
    force_index = terms.indexed and (terms.tsquery is not None or terms.grams)
    statements = [SEQSCAN.format("off"), sql, SEQSCAN.format("on")] if force_index else [sql]
    return _rows(session, statements, terms.params)


def _rows(session: Session, statements: list[str], params: dict[str, str]) -> list[tuple[int, float]]:
    """The rows of the statement that selects (ids and scores), as the driver's own tuples.

    Thousands of rows for a common word: building SQLAlchemy row objects for them costs more than
    PostgreSQL takes to find them. The statements go together, in one round trip; the others
    (``set_config``) return one column.
    """
    connection = cast(Connection[Any], session.connection().connection.driver_connection)
    cursor = ClientCursor(connection)  # several statements in one: parameters bound here, quoted
    try:
        cursor.execute("; ".join(_PLACEHOLDER.sub(r"%(\1)s", sql.replace("%", "%%")) for sql in statements), params)
        rows: list[tuple[int, float]] = []
        while True:
            if cursor.description is not None and len(cursor.description) == 2:
                rows = cursor.fetchall()
            if not cursor.nextset():
                return rows
    finally:
        cursor.close()


def similar(session: Session, query: ParsedQuery) -> list[tuple[int, float]]:
    """Candidates from the title's trigram index (``<%``, word_similarity), then the shared ranking."""
    wanted = text_of(query)
    session.execute(
        text("SELECT set_config('pg_trgm.word_similarity_threshold', :threshold, true)"), {"threshold": str(THRESHOLD)}
    )
    rows = session.execute(
        text(
            "SELECT id, title FROM search_documents WHERE :q <% title "
            f"ORDER BY word_similarity(:q, title) DESC, id LIMIT {CANDIDATES}"
        ),
        {"q": wanted},
    )
    return rank_by_name(wanted, ((row[0], row[1]) for row in rows))


def mark_pattern(query: ParsedQuery) -> re.Pattern[str] | None:
    """What to highlight where ts_headline does not: word terms at word starts, others anywhere."""
    return terms_pattern(query.terms, word_starts=query.word_terms)


def documents(session: Session, query: ParsedQuery | None, ids: list[int]) -> dict[int, StoredHit]:
    """The documents of a page, in one statement: with ts_headline's snippet where the word terms
    match the body (the others get the service's window)."""
    terms = _Terms(query, stop_words(session, query)) if query is not None else None
    params: dict[str, object] = {"ids": ids}
    snippet = "NULL"
    if terms is not None and terms.tsquery is not None:
        snippet = (
            f"CASE WHEN search_vector @@ ({terms.tsquery}) "
            f"THEN ts_headline('english', body, {terms.tsquery}, :options) END"
        )
        params |= {**terms.params, "options": HEADLINE}
    statement = text(f"SELECT {HIT_COLUMNS}, {snippet} FROM search_documents WHERE id IN :ids")
    rows = session.execute(statement.bindparams(bindparam("ids", expanding=True)), params)
    hits = {}
    for row in rows:
        marked = row[-1] if row[-1] and START in row[-1] else None
        hits[row[0]] = StoredHit._make([*row[:-1], marked])
    return hits
