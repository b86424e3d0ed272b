"""Country names in the reader's interface language (see ``app.core.countries``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import get_locale

from app.core import countries


def reader_language() -> str:
    return str(get_locale() or "en")


def country_label(country: Any, english_name: str | None = None) -> str:
    """A country (anything with ``code`` and ``name``, or a code and its English name) named for the reader."""
    if country is None or isinstance(country, str):
        return countries.country_label(country, english_name, reader_language())
    return countries.country_label(country.code, country.name, reader_language())


def names_by_code(found: Iterable[Any]) -> dict[str, str]:
    """{code: name for the reader} for countries with ``code`` and ``name``, in order of that name."""
    return countries.country_labels(((country.code, country.name) for country in found), reader_language())
