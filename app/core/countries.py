"""Country names in the reader's language.

Countries are stored under ISO 3166-1 alpha-3 codes with an English name; Babel names territories
by alpha-2 code. English keeps the stored name (the product's own English names); another language
gets Babel's territory name, or the stored English name when Babel has none. Official and native
names are never translated.
"""

from collections.abc import Iterable, Mapping
from functools import cache

from babel import Locale, UnknownLocaleError

# ISO 3166-1 alpha-3 -> alpha-2 for the countries in questionnaires/library/countries.yaml.
# Left out on purpose: FRA (the entry is "France (New Caledonia)": Babel's name for FR would drop
# New Caledonia) and the member organisations (ILO, IOM, UND, UNH), which have no ISO code.
ALPHA2: Mapping[str, str] = {
    "AFG": "AF", "ARE": "AE", "AUS": "AU", "BGD": "BD", "BRN": "BN", "BTN": "BT", "CHN": "CN",
    "FJI": "FJ", "HKG": "HK", "IDN": "ID", "IND": "IN", "IRN": "IR", "IRQ": "IQ", "JOR": "JO",
    "JPN": "JP", "KHM": "KH", "KIR": "KI", "KOR": "KR", "LAO": "LA", "LKA": "LK", "MAC": "MO",
    "MDV": "MV", "MMR": "MM", "MNG": "MN", "MYS": "MY", "NPL": "NP", "NRU": "NR", "NZL": "NZ",
    "PAK": "PK", "PHL": "PH", "PLW": "PW", "PNG": "PG", "PRK": "KP", "SGP": "SG", "SLB": "SB",
    "SYR": "SY", "THA": "TH", "TLS": "TL", "TON": "TO", "TUR": "TR", "USA": "US", "VNM": "VN",
    "VUT": "VU", "WSM": "WS",
}  # fmt: skip


@cache
def _territories(language: str) -> Mapping[str, str]:
    try:
        return Locale.parse(language).territories
    except (UnknownLocaleError, ValueError):
        return {}


def country_label(code: str | None, english_name: str | None, language: str | None) -> str:
    """The name of the country ``code`` (stored English name ``english_name``) for ``language``."""
    fallback = english_name or code or ""
    language = (language or "en").replace("-", "_")
    if not code or language.split("_")[0] == "en":
        return fallback
    alpha2 = ALPHA2.get(code)
    return (_territories(language).get(alpha2) if alpha2 else None) or fallback


def country_labels(pairs: Iterable[tuple[str, str]], language: str | None) -> dict[str, str]:
    """``(code, English name)`` pairs as {code: name in ``language``}, in order of the localised name."""
    named = [(code, country_label(code, name, language)) for code, name in pairs]
    return dict(sorted(named, key=lambda pair: pair[1]))
