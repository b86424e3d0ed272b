"""One rule for whole numbers typed by people: ASCII digits only, within a stated range.

``int()`` takes "٣", " 3 ", "3_000" and any number of digits, while ``"²".isdigit()`` is True yet
``int("²")`` raises, and database integer columns stop at 64 bits. Every form, URL, API field and
workbook cell that carries a number goes through :func:`parse_int`.
"""

from __future__ import annotations

import re

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
