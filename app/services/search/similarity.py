"""Trigram similarity of a query to a name, for typo-tolerant matching ("Philipines").

Trigrams as PostgreSQL's pg_trgm makes them: words lower-cased and padded ("  w ",
so the start of a word counts more); two trigram sets are as similar as
shared / all. The backends find candidates with their trigram indexes; the
final decision and score are made here, the same on both.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

THRESHOLD = 0.45
_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def trigrams(text: str) -> set[str]:
    grams: set[str] = set()
    for word in words(text):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def inner_trigrams(text: str) -> list[str]:
    """The trigrams inside words (no padding): what an FTS5 trigram index can look up."""
    grams = {word[i : i + 3] for word in words(text) for i in range(len(word) - 2)}
    return sorted(grams)


def similarity(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def name_similarity(query: str, name: str) -> float:
    """How well every word of ``query`` matches some word of ``name`` (the worst word counts).

    "Philipines" is close to "Philippines"; "investigation treaty" is not close to
    "investigation manual", because "treaty" has no close word there.
    """
    name_words = [trigrams(word) for word in words(name)]
    query_words = [trigrams(word) for word in words(query)]
    if not name_words or not query_words:
        return 0.0
    return min(max(similarity(wanted, word) for word in name_words) for wanted in query_words)


def rank_by_name(query: str, candidates: Iterable[tuple[int, str]]) -> list[tuple[int, float]]:
    """The candidates (id, title) whose title is close to the query, with a score.

    Among equally close names, one that is nothing but the name scores a little higher.
    """
    whole = trigrams(query)
    found = []
    for id_, title in candidates:
        score = name_similarity(query, title)
        if score >= THRESHOLD:
            found.append((id_, score + 0.1 * similarity(whole, trigrams(title))))
    return found
