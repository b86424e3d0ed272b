"""Country names in the reader's language: the alpha-3 → alpha-2 table and the one function that names."""

from __future__ import annotations

from pathlib import Path

import yaml
from babel import Locale

from app.core.countries import ALPHA2, country_label, country_labels

COUNTRIES = Path(__file__).parents[2] / "questionnaires" / "library" / "countries.yaml"
NOT_MAPPED = {"FRA", "ILO", "IOM", "UND", "UNH"}  # France (New Caledonia) and the member organisations


def test_every_library_country_has_an_alpha2_code_or_is_a_known_exception() -> None:
    codes = {entry["code"] for entry in yaml.safe_load(COUNTRIES.read_text(encoding="utf-8"))["countries"]}
    assert len(codes) == 49
    assert set(ALPHA2) == codes - NOT_MAPPED
    assert len(set(ALPHA2.values())) == len(ALPHA2)
    assert set(ALPHA2.values()) <= set(Locale.parse("en").territories)


def test_english_keeps_the_stored_name() -> None:
    assert country_label("THA", "Thailand", "en") == "Thailand"
    assert country_label("LAO", "Lao PDR", "en") == "Lao PDR"  # not Babel's "Laos"


def test_other_languages_take_babels_name() -> None:
    for language in ("th", "ar", "zh", "vi"):
        assert country_label("THA", "Thailand", language) == Locale.parse(language).territories["TH"]
    assert country_label("MAC", "Macau SAR", "th") == Locale.parse("th").territories["MO"]


def test_names_fall_back_to_the_stored_english_name() -> None:
    assert country_label("IOM", "IOM", "th") == "IOM"
    assert country_label("FRA", "France (New Caledonia)", "ar") == "France (New Caledonia)"
    assert country_label("XYZ", "Elsewhere", "th") == "Elsewhere"
    assert country_label("THA", "Thailand", "xx") == "Thailand"  # a language Babel does not know
    assert country_label(None, None, "th") == ""


def test_names_by_code_are_in_order_of_the_localised_name() -> None:
    pairs = [("THA", "Thailand"), ("AUS", "Australia"), ("IOM", "IOM")]
    thai = Locale.parse("th").territories
    assert country_labels(pairs, "en") == {"AUS": "Australia", "IOM": "IOM", "THA": "Thailand"}
    assert list(country_labels(pairs, "th").items()) == sorted(
        [("THA", thai["TH"]), ("AUS", thai["AU"]), ("IOM", "IOM")], key=lambda pair: pair[1]
    )
