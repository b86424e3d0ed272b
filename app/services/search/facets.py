"""Facet filters (one value per facet) and their counts over the whole match set."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from itertools import chain
from operator import attrgetter
from typing import Any, NamedTuple

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


def _count(rows: Sequence[FacetRow], name: str) -> Counter[str]:
    values = list(map(attrgetter(_COLUMNS[name]), rows))
    if name in _MULTI_VALUED:
        combinations = Counter(values)  # few distinct combinations (pillars, languages): count those, then split
        if len(combinations) * 4 < len(values):
            counter: Counter[Any] = Counter()
            for combination, count in combinations.items():
                for value in combination:
                    counter[value] += count
        else:
            counter = Counter(chain.from_iterable(values))
    else:
        counter = Counter(values)
    return Counter({str(value): count for value, count in counter.items() if value is not None and value != ""})


def _count_every_facet(rows: Sequence[FacetRow]) -> dict[str, Counter[str]]:
    """Counts for every facet in one pass over the rows' precomputed "name=value" keys
    (strings hash once), instead of one pass per facet."""
    counters: dict[str, Counter[str]] = {name: Counter() for name in FACET_NAMES}
    for key, count in Counter(chain.from_iterable(map(attrgetter("keys"), rows))).items():
        name, _, value = key.partition("=")
        counters[name][value] = count
    return counters


def count_facets(rows: Sequence[FacetRow], facets: Facets) -> dict[str, list[FacetValue]]:
    """Counts per facet value over every matching row that passes the *other* filters.

    Leaving a facet's own filter out lets the page offer the other values of a
    facet that is already filtered on, with the number each would give.
    """
    selected = facets.selected()
    passing = [rows[position] for position in accepted(rows, facets)] if selected else rows
    counts = _count_every_facet(passing)
    result: dict[str, list[FacetValue]] = {}
    for name in FACET_NAMES:
        if name in selected:
            counts[name] = _count([rows[p] for p in accepted(rows, facets.without(name))], name)
        ordered = sorted(counts[name].items(), key=lambda pair: (-pair[1], pair[0]))
        result[name] = [FacetValue(value, count, selected.get(name) == value) for value, count in ordered]
    return result
