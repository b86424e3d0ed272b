"""Numbers typed the way a language writes them: one rule (app.core.numbers.parse_number_text),
the language's symbols passed in, never a silent misreading."""

from __future__ import annotations

import pytest

from app.core.numbers import ENGLISH, AmbiguousNumber, NumberError, NumberSymbols, parse_number_text

INDONESIAN = NumberSymbols(decimal=",", group=".")
NEPALI = NumberSymbols(decimal=".", group=",", grouping=(3, 2))


@pytest.mark.parametrize(
    ("typed", "plain"),
    [
        ("1234", "1234"),
        ("1,234", "1234"),
        ("1 234", "1234"),
        ("1\u00a0234", "1234"),
        ("1\u202f234", "1234"),
        ("1,234,567.5", "1234567.5"),
        (" 12.5 ", "12.5"),
        ("0.125", "0.125"),
        ("-3", "-3"),
        ("\u22123", "-3"),
        ("1.2340", "1.2340"),
    ],
)
def test_english_numbers(typed: str, plain: str) -> None:
    assert parse_number_text(typed, ENGLISH) == plain


@pytest.mark.parametrize(
    ("typed", "plain"),
    [
        ("1.234", "1234"),
        ("1.234.567", "1234567"),
        ("1.234,5", "1234.5"),
        ("1 234,5", "1234.5"),
        ("1\u202f234", "1234"),
        ("1,5", "1.5"),
        ("0,125", "0.125"),
    ],
)
def test_indonesian_and_vietnamese_numbers_group_with_dots(typed: str, plain: str) -> None:
    assert parse_number_text(typed, INDONESIAN) == plain


def test_nepali_lakh_grouping_and_plain_thousands_are_both_read() -> None:
    assert parse_number_text("12,34,567", NEPALI) == "1234567"
    assert parse_number_text("1,234,567", NEPALI) == "1234567"


@pytest.mark.parametrize(
    ("typed", "symbols"),
    [
        ("1,5", ENGLISH),  # never 15
        ("1,23", ENGLISH),
        ("12,34", ENGLISH),
        ("1.2.3", ENGLISH),
        ("1.234.567", ENGLISH),
        ("1,234.5", INDONESIAN),
        ("1.5", INDONESIAN),
        ("1 234.5", INDONESIAN),
        ("1,234 567", ENGLISH),
        ("٣", ENGLISH),
        ("3e5", ENGLISH),
        ("", ENGLISH),
        ("1.", ENGLISH),
        ("1" * 41, ENGLISH),
    ],
)
def test_anything_else_is_refused_never_guessed(typed: str, symbols: NumberSymbols) -> None:
    with pytest.raises(NumberError):
        parse_number_text(typed, symbols)


@pytest.mark.parametrize(("typed", "symbols"), [("1.234", ENGLISH), ("1,234", INDONESIAN), ("12,500", INDONESIAN)])
def test_three_decimals_after_a_lone_separator_are_ambiguous(typed: str, symbols: NumberSymbols) -> None:
    with pytest.raises(AmbiguousNumber) as raised:
        parse_number_text(typed, symbols)
    assert raised.value.params["decimal"] == typed + "0"


def test_an_ambiguous_number_may_be_taken_as_written_where_the_form_is_known() -> None:
    assert parse_number_text("1.234", ENGLISH, ambiguous_ok=True) == "1.234"


def test_the_example_in_messages_is_written_the_languages_way() -> None:
    assert ENGLISH.example == "1,234,567.5"
    assert INDONESIAN.example == "1.234.567,5"
    assert NEPALI.example == "12,34,567.5"
