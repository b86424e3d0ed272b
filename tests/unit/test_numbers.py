"""One rule for whole numbers people type: ASCII digits only, within the range the caller states."""

from __future__ import annotations

import pytest

from app.core.numbers import INT64_MAX, NumberError, int_or, is_int, parse_int


@pytest.mark.parametrize("raw", ["0", "7", " 42 ", "9223372036854775807"])
def test_ascii_digits_within_range_are_a_number(raw: str) -> None:
    assert parse_int(raw) == int(raw)


@pytest.mark.parametrize("raw", ["²", "٣", "𝟙", "3_000", "+3", "1e3", "", " ", "--2", "0x10", "3.0"])
def test_anything_but_ascii_digits_is_refused(raw: str) -> None:
    with pytest.raises(NumberError):
        parse_int(raw)


@pytest.mark.parametrize("raw", ["9223372036854775808", "1" * 5000, "99999999999999999999"])
def test_numbers_past_64_bits_are_refused_without_converting_them(raw: str) -> None:
    with pytest.raises(NumberError):
        parse_int(raw)


def test_a_minus_sign_is_accepted_only_where_negatives_are_allowed() -> None:
    assert parse_int("-3", -10, 10) == -3
    with pytest.raises(NumberError):
        parse_int("-3")


def test_the_range_is_checked_and_named_in_the_message() -> None:
    with pytest.raises(NumberError) as raised:
        parse_int("6", 1, 5, field="rating")
    assert str(raised.value) == "rating must be between 1 and 5"


def test_ints_from_json_are_range_checked_and_booleans_refused() -> None:
    assert parse_int(3, 0, 4) == 3
    for raw in (10**30, True, 1.0, None, [3]):
        with pytest.raises(NumberError):
            parse_int(raw, 0, INT64_MAX)


def test_int_or_gives_the_default_for_anything_that_is_not_a_number() -> None:
    assert int_or("²", 0) == 0
    assert int_or("12", 0) == 12
    assert is_int("12") and not is_int("٣")
