"""Facet filters (one value per facet) and their counts over the whole match set."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from operator import attrgetter
from typing import NamedTuple

from app.models.search import KINDS

FACET_NAMES = ("kind", "pillar", "measure", "type", "country", "year", "language")
_PATTERNS = {
    "kind": re.compile("|".join(KINDS)),
    "pillar": re.compile(r"[a-z0-9][a-z0-9-]{0,59}"),
    "measure": re.compile(r"[A-Z]{2,5}-\d{1,3}"),
    "type": re.compile(r"[a-z0-9][a-z0-9-]{0,39}"),
    "country": re.compile(r"[A-Z]{3}"),
    "year": re.compile(r"(18|19|20|21)[0-9][0-9]"),
    "language": re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})?"),
}


class FacetRow(NamedTuple):
    """The facet values of one search document."""

    kind: str
    type: str | None
    country: str | None
    year: int | None
    pillars: tuple[str, ...]
    languages: tuple[str, ...]
    measures: tuple[str, ...]
    text_languages: tuple[str, ...] = ()  # not a facet: the languages its text is in, for ranking
    keys: tuple[str, ...] = ()  # every facet value as "name=value", for counting all facets in one pass

    @classmethod
    def from_columns(
        cls, kind: str, type_: str | None, country: str | None, year: int | None, *joined: str
    ) -> FacetRow:
        """From the stored columns, where multi-valued facets (and the text's languages) are joined as ``|a|b|``."""
        pillars, languages, measures, texts = (tuple(value for value in text.split("|") if value) for text in joined)
        single = {"kind": kind, "type": type_, "country": country, "year": year}
        keys = [f"{name}={value}" for name, value in single.items() if value is not None and value != ""]
        for name, values in (("pillar", pillars), ("language", languages), ("measure", measures)):
            keys += [f"{name}={value}" for value in values]
        return cls(kind, type_, country, year, pillars, languages, measures, texts, tuple(keys))


@dataclass(frozen=True)
class Facets:
    kind: str | None = None
    pillar: str | None = None
    measure: str | None = None
    type: str | None = None
    country: str | None = None
    year: str | None = None
    language: str | None = None

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> tuple[Facets, tuple[str, ...]]:
        """The valid filters in ``args`` and the names of those that were not valid (ignored)."""
        values: dict[str, str] = {}
        ignored: list[str] = []
        for name in FACET_NAMES:
            raw = (args.get(name) or "").strip()
            if not raw:
                continue
            value = raw.upper() if name in ("country", "measure") else raw.lower() if name != "language" else raw
            if _PATTERNS[name].fullmatch(value):
                values[name] = value
            else:
                ignored.append(name)
        return cls(**values), tuple(ignored)

    def selected(self) -> dict[str, str]:
        return {field.name: value for field in fields(self) if (value := getattr(self, field.name)) is not None}

    def without(self, name: str) -> Facets:
        return replace(self, **{name: None})


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int
    selected: bool


_COLUMNS = {
    "kind": "kind",
    "pillar": "pillars",
    "measure": "measures",
    "type": "type",
    "country": "country",
    "year": "year",
    "language": "languages",
}
_MULTI_VALUED = frozenset({"pillar", "measure", "language"})


def _predicate(name: str, value: str) -> Callable[[FacetRow], bool]:
    column = attrgetter(_COLUMNS[name])
    if name in _MULTI_VALUED:
        return lambda row: value in column(row)
    wanted: str | int = int(value) if name == "year" else value
    return lambda row: bool(column(row) == wanted)


def accepted(rows: Sequence[FacetRow], facets: Facets) -> list[int]:
    """Positions of the rows that pass every filter."""
    predicates = [_predicate(name, value) for name, value in facets.selected().items()]
    if not predicates:
        return list(range(len(rows)))
    return [position for position, row in enumerate(rows) if all(predicate(row) for predicate in predicates)]


class FacetTable:
    """The facet values of every search document, with one bit set per document and value.

    Counting facets over thousands of matches value by value cost more than finding the
    matches; here each facet value is a bit mask over the documents (its ``position``), so a
    count is the population count of two masks ANDed: a few hundred big-integer operations,
    whatever the number of matches.
    """

    def __init__(self, rows: Mapping[int, FacetRow]) -> None:
        self.rows = dict(rows)
        self.position = {id_: position for position, id_ in enumerate(self.rows)}
        bits: dict[str, bytearray] = {}
        size = (len(self.rows) + 7) // 8
        for position, row in enumerate(self.rows.values()):
            for key in row.keys:
                bits.setdefault(key, bytearray(size))[position >> 3] |= 1 << (position & 7)
        self.values: dict[str, list[tuple[str, int]]] = {name: [] for name in FACET_NAMES}
        for key, mask in bits.items():
            name, _, value = key.partition("=")
            self.values[name].append((value, int.from_bytes(mask, "little")))

    def mask(self, ids: Iterable[int]) -> int:
        """The bit mask of these documents."""
        bits = bytearray((len(self.rows) + 7) // 8)
        position = self.position
        for id_ in ids:
            at = position[id_]
            bits[at >> 3] |= 1 << (at & 7)
        return int.from_bytes(bits, "little")

    def _having(self, name: str, value: str) -> int:
        return next((mask for known, mask in self.values[name] if known == value), 0)

    def counts(self, matched: int, facets: Facets) -> dict[str, list[FacetValue]]:
        """Counts per facet value over the matches (``matched``, a mask) that pass the *other* filters.

        Leaving a facet's own filter out lets the page offer the other values of a
        facet that is already filtered on, with the number each would give.
        """
        selected = facets.selected()
        filters = {name: self._having(name, value) for name, value in selected.items()}
        result: dict[str, list[FacetValue]] = {}
        for name in FACET_NAMES:
            base = matched
            for other, mask in filters.items():
                if other != name:
                    base &= mask
            counted = [(value, count) for value, mask in self.values[name] if (count := (base & mask).bit_count())]
            ordered = sorted(counted, key=lambda pair: (-pair[1], pair[0]))
            result[name] = [FacetValue(value, count, selected.get(name) == value) for value, count in ordered]
        return result
