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


def typos_allowed(word: str) -> int:
    """One typo in a word of four to eight letters, two in a longer one (none in shorter words)."""
    return 0 if len(word) < 4 else 1 if len(word) <= 8 else 2


def within_edits(a: str, b: str, limit: int) -> bool:
    """Whether ``a`` becomes ``b`` with at most ``limit`` insertions, deletions, substitutions or
    swaps of neighbouring letters (optimal string alignment distance), stopping early."""
    if abs(len(a) - len(b)) > limit:
        return False
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        row = [i]
        for j, other in enumerate(b, 1):
            cost = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (char != other))
            if i > 1 and j > 1 and char == b[j - 2] and a[i - 2] == other:
                cost = min(cost, previous2[j - 2] + 1)
            row.append(cost)
        if min(row) > limit:
            return False
        previous2, previous = previous, row
    return previous[-1] <= limit


def word_similarity(wanted: str, word: str) -> float:
    """Trigram similarity of two words, at least THRESHOLD when ``wanted`` is ``word`` with a typo or two."""
    score = similarity(trigrams(wanted), trigrams(word))
    if score < THRESHOLD and within_edits(wanted, word, typos_allowed(wanted)):
        return THRESHOLD
    return score


def name_similarity(query: str, name: str) -> float:
    """How well every word of ``query`` matches some word of ``name`` (the worst word counts).

    "Philipines" is close to "Philippines" and "victm identifcation" to "Victim identification"
    (a typo in each word); "investigation treaty" is not close to "investigation manual",
    because "treaty" has no close word there.
    """
    name_words = words(name)
    query_words = words(query)
    if not name_words or not query_words:
        return 0.0
    return min(max(word_similarity(wanted, word) for word in name_words) for wanted in query_words)


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
