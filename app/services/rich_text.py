"""Rich text written by editors: a small set of tags, cleaned by nh3 when saved and again when shown.

Plain text (as the YAML files hold it) passes through as escaped text, so every summary,
description and measure text can be shown with ``clean_html`` whatever its origin.
"""

from __future__ import annotations

import html
import re

import nh3

ALLOWED_TAGS = {"p", "ul", "ol", "li", "strong", "em", "a", "br"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}
_ALLOWED_TAG = re.compile(rf"</?(?:{'|'.join(sorted(ALLOWED_TAGS))})\b[^>]*>", re.IGNORECASE)


def clean_html(text: str) -> str:
    """``text`` with only the allowed tags, ``href`` only on links and only to web or mail addresses."""
    return nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


def plain_text(text: str) -> str:
    """The words of editors' rich text without its tags (for search); other text as it is."""
    if "<" not in text or not _ALLOWED_TAG.search(text):
        return text
    return html.unescape(_ALLOWED_TAG.sub(" ", text)).strip()
