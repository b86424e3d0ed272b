"""Turn what a browser sends for one item (form fields or JSON) into AnswerFields.

One radio group per item, ``answer``, carries a level ("0"–"4"; "0"/"2"/"4" for
yes/no items), "dont_know" or "not_applicable"; number and text items send ``value``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.numbers import get_decimal_symbol, get_group_symbol
from flask_babel import get_locale

from app.core.answers import MAX_TEXT, AnswerFields, parse_level
from app.core.errors import AnswerError
from app.core.numbers import (
    ENGLISH,
    INT32_MAX,
    INT64_MIN,
    NumberError,
    NumberSymbols,
    is_int,
    parse_int,
    parse_number_text,
)
from app.core.questionnaire import Item

SPECIAL = ("dont_know", "not_applicable")


def _text(raw: Mapping[str, Any], name: str, item_id: str) -> str:
    value = raw.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise AnswerError(item_id, f"{name} must be text", field=name)
    if len(value) > MAX_TEXT:
        raise AnswerError(item_id, f"{name} is longer than {MAX_TEXT} characters", field=name)
    return value.strip()


def number_symbols(locale: object) -> NumberSymbols:
    """How the language writes numbers, from Babel (English's way for a locale Babel does not know)."""
    try:
        parsed = Locale.parse(str(locale or "en"))
    except (ValueError, UnknownLocaleError):
        return ENGLISH
    pattern = parsed.decimal_formats.get(None)
    primary, secondary = pattern.grouping if pattern is not None else (3, 3)
    grouping = (primary, secondary) if 0 < primary < 10 and 0 < secondary < 10 else (3, 3)
    return NumberSymbols(get_decimal_symbol(parsed), get_group_symbol(parsed), grouping)


def interface_symbols() -> NumberSymbols:
    """How the signed-in user's (or visitor's) interface language writes numbers."""
    return number_symbols(get_locale())


def _number(value: str, item_id: str, symbols: NumberSymbols) -> str:
    try:
        return parse_number_text(value, symbols)
    except NumberError as error:
        raise AnswerError(item_id, error.message, field="value", **error.params) from None


def parse_fields(item: Item, raw: Mapping[str, Any], symbols: NumberSymbols = ENGLISH) -> AnswerFields:
    """Raises AnswerError naming the field when the input does not fit the item. A number item's
    value is read the way ``symbols`` say (the interface language's) and kept in plain form."""
    answer = raw.get("answer")
    answer = "" if answer is None else str(answer).strip()
    comment, evidence = _text(raw, "comment", item.id), _text(raw, "evidence", item.id)
    reason = _text(raw, "reason", item.id)
    if answer == "not_applicable":
        if not reason:
            raise AnswerError(item.id, "not applicable needs a reason", field="reason")
        return AnswerFields(not_applicable=True, reason=reason, comment=comment, evidence=evidence)
    if answer == "dont_know":
        return AnswerFields(dont_know=True, comment=comment, evidence=evidence)
    if not item.scored:
        value = _text(raw, "value", item.id)
        if value and item.type == "number":
            value = _number(value, item.id, symbols)
        return AnswerFields(value=value or None, comment=comment, evidence=evidence)
    if answer and not is_int(answer, INT64_MIN):
        raise AnswerError(item.id, f"'{answer}' is not an answer to this item", field="answer")
    try:
        level = parse_level(item, int(answer)) if answer else None
    except AnswerError as error:
        raise AnswerError(item.id, error.message, field="answer", **error.params) from None
    return AnswerFields(level=level, comment=comment, evidence=evidence)


def parse_version(raw: Any, item_id: str) -> int:
    """An answer's version as sent back by a form or the API: a whole number from 0."""
    try:
        return parse_int(raw, 0, INT32_MAX, field="version")
    except NumberError:
        raise AnswerError(item_id, "version must be a whole number (0 for a new answer)", field="version") from None


def answer_choice(fields: AnswerFields) -> str:
    """The radio value that shows ``fields``."""
    if fields.not_applicable:
        return "not_applicable"
    if fields.dont_know:
        return "dont_know"
    return "" if fields.level is None else str(fields.level)


def fingerprint(fields: AnswerFields) -> str:
    """A short digest of an answer, sent with the form so an untouched item is not re-saved."""
    return hashlib.sha256(repr(fields).encode()).hexdigest()[:16]
