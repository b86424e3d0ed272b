"""PostgreSQL backend: full-text search (stemmed English, ts_rank, ts_headline) plus pg_trgm.

As on SQLite, terms in scripts that separate words with spaces match words that
start with them: here through the stemmed ``search_vector`` (``'traffick':*``
also finds "trafficked"). Terms in Thai, Khmer, Chinese and other scripts
without spaces, and words the English configuration drops (stop words such as
"the"), match anywhere in the text with ILIKE, served by the pg_trgm index.
Names close to the query are found with ``<%`` (word_similarity) on the
title's trigram index. User text only ever reaches PostgreSQL as bound
parameters; tsquery text is built from word characters alone.
"""

from __future__ import annotations

import re

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from app.services.search.query import PREFIX_LENGTH, ParsedQuery, like_pattern, text_of
from app.services.search.similarity import THRESHOLD, rank_by_name
from app.services.search.snippets import START, STOP, terms_pattern

DOCUMENT_TEXT = "(title || ' ' || body)"  # the expression of ix_search_documents_text_trgm
HEADLINE = f'StartSel="{START}", StopSel="{STOP}", MaxWords=35, MinWords=20, MaxFragments=2, FragmentDelimiter=" … "'
CANDIDATES = 50
_WORD = re.compile(r"\w+")


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
        tsqueries = []
        for number, term in enumerate(query.terms):
            self.params[f"p{number}"] = like_pattern(term)
            like = "LIKE" if term.lower() == term.upper() else "ILIKE"  # caseless scripts compare faster
            substring = f"{DOCUMENT_TEXT} {like} :p{number}"
            if term in query.short_terms:
                # Too short for the trigram index, so every row is read: comparing title and body
                # apart spares building their concatenation for each (a space-less term of one or
                # two characters cannot span the two).
                substring = f"(title {like} :p{number} OR body {like} :p{number})"
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


def stop_words(session: Session, query: ParsedQuery) -> frozenset[str]:
    """Word terms the English configuration drops (``numnode`` 0), asked in one round trip.

    Decided before the search query, not inside it, so that query never carries an
    ``OR <substring>`` branch that keeps the planner from the full-text index alone.
    """
    words = {term: tsquery_text(term) for term in query.word_terms}
    asked = {f"w{number}": text_ for number, text_ in enumerate(words.values()) if text_}
    if not asked:
        return frozenset()
    columns = ", ".join(f"numnode(to_tsquery('english', :{name}))" for name in asked)
    counts = dict(zip(asked, session.execute(text(f"SELECT {columns}"), asked).one(), strict=True))
    by_text = {text_: counts[name] for name, text_ in asked.items()}
    return frozenset(term for term, text_ in words.items() if text_ and by_text[text_] == 0)


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
    # Not for terms too short for any index: there every row must be read anyway.
    if terms.tsquery is None or query.short_terms:
        return [(row[0], row[1]) for row in session.execute(text(sql), terms.params)]
    session.execute(text("SELECT set_config('enable_seqscan', 'off', true)"))
    try:
        return [(row[0], row[1]) for row in session.execute(text(sql), terms.params)]
    finally:
        session.execute(text("SELECT set_config('enable_seqscan', 'on', true)"))


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


def snippets(session: Session, query: ParsedQuery, ids: list[int]) -> dict[int, tuple[str | None, str | None]]:
    """ts_headline for documents the word terms match; the others get the service's window."""
    terms = _Terms(query, stop_words(session, query))
    if not ids or terms.tsquery is None:
        return {}
    statement = text(
        f"SELECT id, ts_headline('english', body, {terms.tsquery}, :options) FROM search_documents "
        f"WHERE id IN :ids AND search_vector @@ ({terms.tsquery})"
    ).bindparams(bindparam("ids", expanding=True))
    rows = session.execute(statement, {**terms.params, "options": HEADLINE, "ids": ids})
    return {row[0]: (None, row[1]) for row in rows if START in row[1]}
