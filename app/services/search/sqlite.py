"""SQLite backend: FTS5, with a word index and a trigram index over the same documents.

Terms in scripts that separate words with spaces use ``search_words`` (unicode61
tokenizer, diacritics removed): a term matches words that start with it, and bm25
ranks quickly because it counts words. Terms in Thai, Khmer, Chinese and other
scripts without spaces use ``search_trigrams`` (trigram tokenizer): a term
matches anywhere in the text. Terms of those scripts shorter than three
characters cannot use a trigram index and are matched with LIKE on the rows the
other terms found (or on every row). Every term is an FTS5 string ("…", quotes
doubled), so user text is never FTS5 syntax.
"""

from __future__ import annotations

import re
from typing import cast

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from app.services.search.query import PREFIX_LENGTH, ParsedQuery, like_pattern, text_of
from app.services.search.similarity import inner_trigrams, rank_by_name
from app.services.search.snippets import HIT_COLUMNS, StoredHit, terms_pattern

TITLE_WEIGHT = "10.0, 1.0"  # bm25 weights of title and body: a title match counts ten times
CANDIDATES = 200


def fts_string(term: str, prefix: bool = False) -> str:
    return '"' + term.replace('"', '""') + '"' + (" *" if prefix else "")


def _words_query(query: ParsedQuery) -> str:
    return " ".join(fts_string(term, prefix=len(term) >= PREFIX_LENGTH) for term in query.word_terms)


def _trigrams_query(query: ParsedQuery) -> str:
    return " ".join(fts_string(term) for term in query.trigram_terms)


def _likes(query: ParsedQuery, params: dict[str, str]) -> list[str]:
    conditions = []
    for number, term in enumerate(query.short_terms):
        params[f"p{number}"] = like_pattern(term)
        conditions.append(f"(d.title LIKE :p{number} ESCAPE '\\' OR d.body LIKE :p{number} ESCAPE '\\')")
    return conditions


def matches(session: Session, query: ParsedQuery) -> list[tuple[int, float]]:
    """(document id, score) of every document that has all the terms; higher scores rank first."""
    params: dict[str, str] = {}
    likes = _likes(query, params)
    if query.word_terms or query.trigram_terms:
        table = "search_words" if query.word_terms else "search_trigrams"
        params["q"] = _words_query(query) if query.word_terms else _trigrams_query(query)
        sql = f"SELECT t.rowid, -bm25({table}, {TITLE_WEIGHT}) FROM {table} AS t WHERE {table} MATCH :q"
        if query.word_terms and query.trigram_terms:
            params["t"] = _trigrams_query(query)
            sql += " AND t.rowid IN (SELECT rowid FROM search_trigrams WHERE search_trigrams MATCH :t)"
        if likes:
            sql += f" AND EXISTS (SELECT 1 FROM search_documents AS d WHERE d.id = t.rowid AND {' AND '.join(likes)})"
    else:
        in_title = " + ".join(f"(d.title LIKE :p{number} ESCAPE '\\')" for number in range(len(likes)))
        sql = f"SELECT d.id, {in_title} FROM search_documents AS d WHERE {' AND '.join(likes)}"
    # Thousands of rows for a common word: the driver's own tuples, without SQLAlchemy's row objects.
    cursor = session.connection().connection.driver_connection.execute(sql, params)  # type: ignore[union-attr]
    return cast(list[tuple[int, float]], cursor.fetchall())


def similar(session: Session, query: ParsedQuery) -> list[tuple[int, float]]:
    """Documents whose title is close to the query: trigram candidates from the index, then similarity."""
    grams = inner_trigrams(text_of(query))
    if not grams:
        return []
    rows = session.execute(
        text(
            "SELECT t.rowid, d.title FROM search_trigrams AS t JOIN search_documents AS d ON d.id = t.rowid "
            f"WHERE search_trigrams MATCH :q ORDER BY bm25(search_trigrams, {TITLE_WEIGHT}) LIMIT {CANDIDATES}"
        ),
        {"q": "title : (" + " OR ".join(fts_string(gram) for gram in grams) + ")"},
    )
    return rank_by_name(text_of(query), ((row[0], row[1]) for row in rows))


def mark_pattern(query: ParsedQuery) -> re.Pattern[str] | None:
    """What to highlight: word terms at word starts (as search_words matches them), others anywhere."""
    return terms_pattern(query.terms, word_starts=query.word_terms)


def documents(session: Session, query: ParsedQuery | None, ids: list[int]) -> dict[int, StoredHit]:
    """The documents of a page, unmarked: the service marks ``mark_pattern`` in Python.

    FTS5's snippet() counts trigram tokens, so it gives at most 64 characters, and
    highlight() for a page costs as much as the search itself with prefix queries
    (3-6 ms at 5,000 documents); marking the ten documents in Python by the same
    rules costs a tenth of that.
    """
    statement = text(f"SELECT {HIT_COLUMNS} FROM search_documents WHERE id IN :ids")
    rows = session.execute(statement.bindparams(bindparam("ids", expanding=True)), {"ids": ids})
    return {row[0]: StoredHit(*row) for row in rows}
