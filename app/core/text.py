"""Rules every stored text follows: no character a database cannot hold, and a stated maximum length."""

from __future__ import annotations

import re

# NUL (PostgreSQL text refuses it) and unpaired surrogates (no UTF-8 encoding exists).
_FORBIDDEN = re.compile("[\x00\ud800-\udfff]")


def has_forbidden_character(text: str) -> bool:
    """Whether ``text`` holds a NUL or an unpaired surrogate."""
    return _FORBIDDEN.search(text) is not None
