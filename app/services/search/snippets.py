"""Highlighted text as safe HTML: escape everything, then add <mark> around matches.

The backends mark matches with two control characters (``START``/``STOP``) that
clean text never contains; ``marked_html`` escapes the text and only then turns
those markers into tags, so stored text can never inject markup.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from typing import NamedTuple

from markupsafe import Markup, escape

from app.services.search.query import PREFIX_LENGTH

START, STOP = "\x02", "\x03"
SNIPPET_LENGTH = 220
ELLIPSIS = "…"
_MARKED = re.compile(f"{START}([^{START}{STOP}]*){STOP}")


class StoredHit(NamedTuple):
    """What a page of results shows of one search document, as a backend reads it."""

    id: int
    kind: str
    key: str
    title: str
    path: str
    body: str
    type: str | None
    country: str | None
    year: int | None
    snippet: str | None = None  # the body with matches marked, where the backend marks them itself


HIT_COLUMNS = "id, kind, key, title, path, body, type, country, year"


def marked_html(text: str) -> Markup:
    """HTML for text in which matches are wrapped in START/STOP markers (line breaks shown as " · ")."""
    html = str(escape(text))
    html = _MARKED.sub(lambda match: f"<mark>{match.group(1)}</mark>" if match.group(1) else "", html)
    return Markup(html.replace(START, "").replace(STOP, "").replace("\n", " · "))


def terms_pattern(terms: Sequence[str], word_starts: Collection[str] = ()) -> re.Pattern[str] | None:
    """A case-insensitive pattern for the terms: those in ``word_starts`` match at the start of a word
    and take the whole word (as a word index with prefix queries matches), the others match anywhere."""
    parts = []
    for term in sorted({term for term in terms if term}, key=len, reverse=True):
        words = [re.escape(word) for word in re.split(r"\W+", term) if word]
        if term in word_starts and words:
            tail = r"\w*" if len(term) >= PREFIX_LENGTH else r"(?!\w)"
            parts.append(r"(?<!\w)" + r"\W+".join(words) + tail)
        else:
            parts.append(re.escape(term))
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def mark(text: str, pattern: re.Pattern[str] | None) -> str:
    """``text`` with every match of ``pattern`` wrapped in markers."""
    if pattern is None:
        return text
    return pattern.sub(lambda match: f"{START}{match.group(0)}{STOP}" if match.group(0) else "", text)


def window(marked: str, length: int = SNIPPET_LENGTH) -> str:
    """A piece of ``marked`` text about ``length`` long around its first marker."""
    if len(marked) <= length:
        return marked
    first = marked.find(START)
    start = 0 if first < length // 2 else _word_start(marked, first - length // 3)
    end = _word_end(marked, start + length)
    piece = marked[start:end]
    if piece.count(START) > piece.count(STOP):
        piece += STOP
    return (ELLIPSIS if start else "") + piece + (ELLIPSIS if end < len(marked) else "")


def _word_start(text: str, position: int) -> int:
    """``position`` moved to the start of a word when a space is near (Thai and Chinese have none)."""
    space = text.rfind(" ", max(0, position - 20), position + 1)
    if space < 0:
        space = text.find(" ", position, position + 20)
    return space + 1 if space >= 0 else position


def _word_end(text: str, position: int) -> int:
    space = text.find(" ", position, position + 20)
    return space if space >= 0 else min(len(text), position)
