"""One rule for whole numbers typed by people: ASCII digits only, within a stated range.

``int()`` takes "٣", " 3 ", "3_000" and any number of digits, while ``"²".isdigit()`` is True yet
``int("²")`` raises, and database integer columns stop at 64 bits. Every form, URL, API field and
workbook cell that carries a number goes through :func:`parse_int`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.core.errors import N_, CtsatError

INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)
# Row ids and answer versions are INTEGER columns: 32-bit signed on PostgreSQL, where a larger
# number in a query is a database error, not "no such row".
INT32_MAX = 2**31 - 1
# A stored row id: positive and within its column.
ID_RANGE = (1, INT32_MAX)
_DIGITS = re.compile(r"[0-9]{1,19}")
_SIGNED_DIGITS = re.compile(r"-?[0-9]{1,19}")


class NumberError(CtsatError):
    """Text that is not a whole number in the allowed range."""


def parse_int(raw: object, minimum: int = 0, maximum: int = INT64_MAX, *, field: str = "number") -> int:
    """``raw`` (text, or an int from JSON) as an int in ``minimum..maximum``, else NumberError.

    Text may be surrounded by spaces; a minus sign is accepted only when ``minimum`` is negative.
    """
    if isinstance(raw, bool):
        raise NumberError(N_("%(what)s must be a whole number"), what=field)
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str):
        text = raw.strip()
        pattern = _SIGNED_DIGITS if minimum < 0 else _DIGITS
        if not pattern.fullmatch(text):
            raise NumberError(N_("%(what)s must be a whole number"), what=field)
        value = int(text)
    else:
        raise NumberError(N_("%(what)s must be a whole number"), what=field)
    if not minimum <= value <= maximum:
        raise NumberError(
            N_("%(what)s must be between %(minimum)s and %(maximum)s"), what=field, minimum=minimum, maximum=maximum
        )
    return value


def parse_optional_int(raw: object, minimum: int = 0, maximum: int = INT64_MAX, *, field: str = "number") -> int | None:
    """Like :func:`parse_int`, but ``None`` or blank text means no number."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    return parse_int(raw, minimum, maximum, field=field)


def is_int(raw: object, minimum: int = 0, maximum: int = INT64_MAX) -> bool:
    """Whether :func:`parse_int` would accept ``raw``."""
    try:
        parse_int(raw, minimum, maximum)
    except NumberError:
        return False
    return True


def int_or(raw: object, default: int, minimum: int = 0, maximum: int = INT64_MAX) -> int:
    """:func:`parse_int`'s number, or ``default`` when ``raw`` is not one (for callers that then explain why)."""
    try:
        return parse_int(raw, minimum, maximum)
    except NumberError:
        return default


# ---------------------------------------------------------------------------- numbers as a locale writes them

SPACES = " \u00a0\u202f"  # space, no-break space, narrow no-break space: always a thousands separator
_MINUS = "-\u2212"
_MAX_NUMBER_LENGTH = 40


class AmbiguousNumber(NumberError):
    """Text a person could mean as two different numbers (e.g. "1.234": 1.234 or 1234)."""


@dataclass(frozen=True)
class NumberSymbols:
    """How a language writes numbers (from Babel: ``get_decimal_symbol``, ``get_group_symbol`` and
    the grouping sizes of its decimal pattern). Thousands separated by spaces are accepted everywhere."""

    decimal: str = "."
    group: str = ","
    grouping: tuple[int, int] = (3, 3)  # the last group's size, the others' (2 in "12,34,567")

    @property
    def example(self) -> str:
        """1234567.5 as this language writes it, for messages."""
        group = self.group if self.group not in SPACES else "\u00a0"
        first, other = self.grouping
        digits, groups = "1234567", []
        groups.append(digits[-first:])
        digits = digits[:-first]
        while digits:
            groups.insert(0, digits[-other:])
            digits = digits[:-other]
        return group.join(groups) + self.decimal + "5"


ENGLISH = NumberSymbols()


def _well_grouped(groups: list[str], grouping: tuple[int, int]) -> bool:
    first, other = grouping
    if not all(group.isascii() and group.isdigit() for group in groups) or len(groups[-1]) != first:
        return False
    middle = groups[1:-1]
    return all(len(group) == other for group in middle) and 1 <= len(groups[0]) <= other


def _whole_part(text: str, symbols: NumberSymbols, shown: str) -> str:
    """The digits of the part before the decimal symbol, thousands separators checked and removed."""
    group = " " if symbols.group in SPACES else symbols.group
    for space in SPACES:
        text = text.replace(space, " ")
    marks = {mark for mark in (" ", group) if mark in text}
    if not marks:
        if not (text.isascii() and text.isdigit()):
            raise NumberError(N_("'%(value)s' is not a number as written here (e.g. %(example)s)"),
                              value=shown, example=symbols.example)  # fmt: skip
        return text
    if len(marks) > 1:
        raise NumberError(N_("'%(value)s' mixes two kinds of thousands separator"), value=shown)
    groups = text.split(marks.pop())
    if not any(_well_grouped(groups, grouping) for grouping in {symbols.grouping, (3, 3)}):
        raise NumberError(N_("'%(value)s' is not a number as written here (e.g. %(example)s)"),
                          value=shown, example=symbols.example)  # fmt: skip
    return "".join(groups)


def parse_number_text(raw: str, symbols: NumberSymbols = ENGLISH, *, ambiguous_ok: bool = False) -> str:
    """``raw`` as a number written the way ``symbols`` say, in one plain form: ASCII digits, an
    optional leading "-", an optional "." and decimals (``"1.234,5"`` in Indonesian → ``"1234.5"``).

    Never guesses: a separator that does not fit the language's way is a NumberError, and text that
    could mean two numbers (one "." or "," followed by exactly three digits, e.g. "1,234" where
    "," is the decimal symbol) is an AmbiguousNumber unless ``ambiguous_ok``.
    """
    shown = raw.strip()
    text = shown
    if not text or len(text) > _MAX_NUMBER_LENGTH:
        raise NumberError(N_("'%(value)s' is not a number"), value=shown[:_MAX_NUMBER_LENGTH])
    sign = "-" if text[0] in _MINUS else ""
    text = text[1:].strip() if sign else text
    whole, _, decimals = text.partition(symbols.decimal) if symbols.decimal in text else (text, "", "")
    if symbols.decimal in text and (not decimals or not (decimals.isascii() and decimals.isdigit())):
        raise NumberError(N_("'%(value)s' is not a number as written here (e.g. %(example)s)"),
                          value=shown, example=symbols.example)  # fmt: skip
    digits = _whole_part(whole, symbols, shown)
    if (
        not ambiguous_ok
        and symbols.decimal in ".,"
        and len(decimals) == 3
        and whole == digits
        and len(digits) <= 3
        and digits != "0"
    ):
        raise AmbiguousNumber(
            N_("'%(value)s' could mean two numbers: write thousands without a separator (%(whole)s) "
               "or give one more decimal (%(decimal)s)"),
            value=shown, whole=f"{sign}{digits}{decimals}", decimal=f"{shown}0",
        )  # fmt: skip
    return f"{sign}{digits}.{decimals}" if decimals else f"{sign}{digits}"


def format_number_text(plain: str, symbols: NumberSymbols = ENGLISH) -> str:
    """A number kept in plain form ("1234.5") as the language writes it in a form field, without
    thousands separators ("1234,5"), so that it reads back the same; other text as it is."""
    try:
        if parse_number_text(plain, ENGLISH, ambiguous_ok=True) != plain or "," in plain:
            return plain
    except NumberError:
        return plain
    written = plain.replace(".", symbols.decimal)
    try:
        parse_number_text(written, symbols)
    except AmbiguousNumber:
        return written + "0"  # "1.234" is written "1,2340" where "," is the decimal symbol
    except NumberError:
        return plain
    return written
