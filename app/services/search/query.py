"""What the user typed, made safe: a short list of terms that every result must contain.

Nothing the user types reaches a query language as syntax. Control characters go,
the text is cut to ``MAX_QUERY_LENGTH`` characters, "quoted phrases" stay together,
other words lose the punctuation around them, and at most ``MAX_TERMS`` distinct
terms remain. The backends quote every term themselves (FTS5 strings, bound
parameters), so quotes, operators and SQL fragments are just text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
TRIGRAM = 3  # the shortest term a trigram index can look up
PREFIX_LENGTH = 3  # word terms this long also match longer words that start with them
# Typo tolerance is for names: a few words at most.
NAME_WORDS = 3
NAME_LENGTH = 40

# Scripts that do not put spaces between words: Thai, Lao, Tibetan, Myanmar, Khmer, Tai Tham,
# Balinese, Javanese, Chinese, Japanese kana, and their extensions.
NO_SPACE_RANGES = (
    (0x0E00, 0x0FFF),
    (0x1000, 0x109F),
    (0x1780, 0x17FF),
    (0x19E0, 0x19FF),
    (0x1A20, 0x1AAF),
    (0x1B00, 0x1B7F),
    (0x2E80, 0x31FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xA980, 0xA9FF),
    (0xAA60, 0xAA7F),
    (0xF900, 0xFAFF),
    (0xFF66, 0xFF9F),
    (0x20000, 0x3FFFF),
)
# Han and kana: scripts where words of one or two characters are common. PostgreSQL indexes every
# one- and two-character piece of their runs (``short_grams``, migration 0017; same ranges there).
GRAM_RANGES = (
    (0x2E80, 0x31FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0xFF66, 0xFF9F),
    (0x20000, 0x3FFFF),
)
_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')
_SPACES = re.compile(r"\s+")
_INVISIBLE_SPACES = {"\u200b", "\ufeff", "\u2028", "\u2029"}


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    terms: tuple[str, ...]
    truncated: bool = False

    @property
    def empty(self) -> bool:
        return not self.terms

    @property
    def could_be_a_name(self) -> bool:
        """Short enough to look for names close to it when nothing matches exactly."""
        return len(self.terms) <= NAME_WORDS and len(text_of(self)) <= NAME_LENGTH

    @property
    def word_terms(self) -> tuple[str, ...]:
        """Terms in scripts that separate words with spaces (Latin, Cyrillic, Arabic, Devanagari, Hangul...)."""
        return tuple(term for term in self.terms if not written_without_spaces(term))

    @property
    def trigram_terms(self) -> tuple[str, ...]:
        """Terms in scripts without spaces between words, long enough for a trigram index."""
        return tuple(term for term in self.terms if written_without_spaces(term) and len(term) >= TRIGRAM)

    @property
    def short_terms(self) -> tuple[str, ...]:
        """Terms in scripts without spaces that are too short for a trigram index (e.g. two Chinese characters)."""
        return tuple(term for term in self.terms if written_without_spaces(term) and len(term) < TRIGRAM)


def written_without_spaces(term: str) -> bool:
    return any(low <= ord(char) <= high for char in term for low, high in NO_SPACE_RANGES)


def in_gram_ranges(term: str) -> bool:
    """Every character is Han or kana (see ``GRAM_RANGES``)."""
    return all(any(low <= ord(char) <= high for low, high in GRAM_RANGES) for char in term)


def clean_text(text: str) -> str:
    """NFC text without control, private-use or unassigned characters (stored and typed text alike)."""
    kept = []
    for char in unicodedata.normalize("NFC", text):
        category = unicodedata.category(char)
        if char in _INVISIBLE_SPACES or (category == "Cc" and char not in "\n\t"):
            kept.append(" ")
        elif category not in ("Cs", "Co", "Cn"):
            kept.append(char)
    return "".join(kept)


def parse_query(raw: str) -> ParsedQuery:
    text = _SPACES.sub(" ", clean_text(raw)).strip()
    truncated = len(text) > MAX_QUERY_LENGTH
    if truncated:
        text = text[:MAX_QUERY_LENGTH].rstrip()
    terms: list[str] = []
    seen: set[str] = set()
    for match in _TOKEN.finditer(text):
        phrase, word = match.groups()
        term = _SPACES.sub(" ", phrase).strip() if phrase is not None else _strip_punctuation(word)
        if term and term.casefold() not in seen and len(terms) < MAX_TERMS:
            seen.add(term.casefold())
            terms.append(term)
    return ParsedQuery(text=text, terms=tuple(terms), truncated=truncated)


def _strip_punctuation(word: str) -> str:
    start, end = 0, len(word)
    while start < end and unicodedata.category(word[start])[0] in "PS":
        start += 1
    while end > start and unicodedata.category(word[end - 1])[0] in "PS":
        end -= 1
    return word[start:end]


def like_pattern(term: str) -> str:
    """``%term%`` for LIKE/ILIKE with ``\\`` as the escape character."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def text_of(query: ParsedQuery) -> str:
    """The terms as plain words (no quotes): what names are compared with."""
    return " ".join(query.terms)
