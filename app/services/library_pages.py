"""What the public resource centre shows, built from the library and the questionnaire.

Plain functions over core objects. The cross-references (which items and measures a
resource helps with, which practices a country has, ...) are worked out once per pair of
cached questionnaire and library objects, so a page costs no more database work than the
catalogue's own freshness check.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from sqlalchemy.orm import Session

from app.core.countries import country_label
from app.core.errors import NotFound
from app.core.library import Challenge, Country, Library, Practice, Resource
from app.core.numbers import is_int
from app.core.questionnaire import Item, Measure, Pillar, Questionnaire
from app.services.catalog import get_library, latest_questionnaire

Entry = TypeVar("Entry", Resource, Practice, Challenge)
REGIONAL = "regional"  # the practices filter value for entries with a region instead of a country
PROFILE_SECTIONS = ("laws", "action_plans", "sops", "mous")


@dataclass(frozen=True)
class Links:
    """The measures and items a library entry helps with, in questionnaire order."""

    measures: tuple[str, ...] = ()
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class Linked(Generic[Entry]):
    """A library entry on a measure page, with the measure's items that link to it by name."""

    entry: Entry
    items: tuple[str, ...]


@dataclass(frozen=True)
class ResourceCentre:
    questionnaire: Questionnaire
    library: Library
    resource_links: dict[str, Links]
    practice_links: dict[str, Links]
    challenge_links: dict[str, Links]
    countries: dict[str, Country]
    practices_by_country: dict[str, tuple[Practice, ...]]

    @property
    def pillars(self) -> list[Pillar]:
        return self.questionnaire.pillars

    def pillar(self, pillar_id: str) -> Pillar:
        found = next((pillar for pillar in self.pillars if pillar.id == pillar_id), None)
        if found is None:
            raise NotFound(f"pillar {pillar_id}")
        return found

    def country_name(self, code: str | None, language: str = "en") -> str:
        """The country's name in ``language`` (its stored English name if Babel has none)."""
        if code is None:
            return ""
        country = self.countries.get(code)
        if country:
            return country_label(code, country.name, language)
        # A country outside the Bali Process: the name its practices give (never a bare code if named).
        practice = next((p for p in self.practices_by_country.get(code, ()) if p.country_name), None)
        return country_label(code, practice.country_name if practice and practice.country_name else code, language)


def _links(pairs: list[tuple[str, str | None]], questionnaire: Questionnaire) -> Links:
    """``pairs`` of (measure id, item id or None), deduplicated and put in questionnaire order."""
    measure_order = {measure_id: index for index, measure_id in enumerate(questionnaire.measures)}
    item_order = {item_id: index for index, item_id in enumerate(questionnaire.items)}
    measures = {measure_id for measure_id, _item in pairs if measure_id in measure_order}
    items = {item_id for _measure, item_id in pairs if item_id in item_order}
    return Links(
        tuple(sorted(measures, key=measure_order.__getitem__)), tuple(sorted(items, key=item_order.__getitem__))
    )


def _explicit_links(questionnaire: Questionnaire, attribute: str) -> dict[str, list[tuple[str, str | None]]]:
    """Library id → (measure, item) for every item that names it in ``attribute``."""
    found: dict[str, list[tuple[str, str | None]]] = {}
    for measure in questionnaire.measures.values():
        for item in measure.items:
            for entry_id in getattr(item, attribute):
                found.setdefault(entry_id, []).append((measure.id, item.id))
    return found


def build_resource_centre(questionnaire: Questionnaire, library: Library) -> ResourceCentre:
    resource_pairs = _explicit_links(questionnaire, "resources")
    practice_pairs = _explicit_links(questionnaire, "practices")
    challenge_pairs = _explicit_links(questionnaire, "challenges")
    by_country: dict[str, list[Practice]] = {}
    for practice in library.practices:
        if practice.country:
            by_country.setdefault(practice.country, []).append(practice)
    return ResourceCentre(
        questionnaire=questionnaire,
        library=library,
        resource_links={
            r.id: _links([*((m, None) for m in r.measures), *resource_pairs.get(r.id, [])], questionnaire)
            for r in library.resources
        },
        practice_links={
            p.id: _links([*((m, None) for m in p.measures), *practice_pairs.get(p.id, [])], questionnaire)
            for p in library.practices
        },
        challenge_links={c.id: _links(challenge_pairs.get(c.id, []), questionnaire) for c in library.challenges},
        countries={country.code: country for country in library.countries},
        practices_by_country={code: tuple(found) for code, found in by_country.items()},
    )


_lock = threading.Lock()
_cached: ResourceCentre | None = None


def resource_centre(questionnaire: Questionnaire, library: Library) -> ResourceCentre:
    """The centre for these objects, rebuilt only when the catalogue hands out new ones."""
    global _cached
    cached = _cached
    if cached is not None and cached.questionnaire is questionnaire and cached.library is library:
        return cached
    centre = build_resource_centre(questionnaire, library)
    with _lock:
        _cached = centre
    return centre


def open_resource_centre(session: Session) -> ResourceCentre:
    return resource_centre(latest_questionnaire(session), get_library(session))


# ---------------------------------------------------------------------------- measure pages


@dataclass(frozen=True)
class MeasurePage:
    pillar: Pillar
    measure: Measure
    items: tuple[tuple[Item, int], ...]  # (item, nesting depth)
    resources: tuple[Linked[Resource], ...]
    practices: tuple[Linked[Practice], ...]
    challenges: tuple[Linked[Challenge], ...]
    previous: Measure | None = None
    next: Measure | None = None


def _depth(item: Item, items: Mapping[str, Item]) -> int:
    depth, parent = 0, item.parent
    while parent is not None and parent in items and depth < 5:
        depth, parent = depth + 1, items[parent].parent
    return depth


def _linked(measure: Measure, attribute: str, entries: Iterable[Entry], listed: set[str]) -> tuple[Linked[Entry], ...]:
    """Entries the measure's items name first (in item order), then those listing the measure."""
    named: dict[str, list[str]] = {}
    for item in measure.items:
        for entry_id in getattr(item, attribute):
            named.setdefault(entry_id, []).append(item.id)
    by_id = {entry.id: entry for entry in entries}
    first = [Linked(by_id[entry_id], tuple(items)) for entry_id, items in named.items() if entry_id in by_id]
    rest = [Linked(by_id[entry_id], ()) for entry_id in by_id if entry_id in listed and entry_id not in named]
    return tuple(first + rest)


def measure_page(centre: ResourceCentre, measure_id: str) -> MeasurePage:
    questionnaire = centre.questionnaire
    measure = questionnaire.measures.get(measure_id)
    if measure is None:
        raise NotFound(f"measure {measure_id}")
    library = centre.library
    order = list(questionnaire.measures.values())
    index = list(questionnaire.measures).index(measure_id)
    items = {item.id: item for item in measure.items}
    return MeasurePage(
        pillar=centre.pillar(questionnaire.pillar_of_measure[measure_id]),
        measure=measure,
        items=tuple((item, _depth(item, items)) for item in measure.items),
        resources=_linked(measure, "resources", library.resources, _listing(library.resources, measure_id)),
        practices=_linked(measure, "practices", library.practices, _listing(library.practices, measure_id)),
        challenges=_linked(measure, "challenges", library.challenges, set()),
        previous=order[index - 1] if index > 0 else None,
        next=order[index + 1] if index + 1 < len(order) else None,
    )


def _listing(entries: Iterable[Resource] | Iterable[Practice], measure_id: str) -> set[str]:
    return {entry.id for entry in entries if measure_id in entry.measures}


@dataclass(frozen=True)
class MeasureCounts:
    items: int
    resources: int
    practices: int


def measure_counts(centre: ResourceCentre) -> dict[str, MeasureCounts]:
    """For each measure: its items and the resources and practices its page lists."""
    resources: dict[str, int] = {}
    practices: dict[str, int] = {}
    for links, counts in ((centre.resource_links, resources), (centre.practice_links, practices)):
        for found in links.values():
            for measure_id in found.measures:
                counts[measure_id] = counts.get(measure_id, 0) + 1
    return {
        measure_id: MeasureCounts(len(measure.items), resources.get(measure_id, 0), practices.get(measure_id, 0))
        for measure_id, measure in centre.questionnaire.measures.items()
    }


# ---------------------------------------------------------------------------- single entries


def resource(centre: ResourceCentre, resource_id: str) -> Resource:
    found = centre.library.resource_by_id.get(resource_id)
    if found is None:
        raise NotFound(f"resource {resource_id}")
    return found


def practice(centre: ResourceCentre, practice_id: str) -> Practice:
    found = centre.library.practice_by_id.get(practice_id)
    if found is None:
        raise NotFound(f"practice {practice_id}")
    return found


def country(centre: ResourceCentre, code: str) -> Country:
    found = centre.countries.get(code)
    if found is None:
        raise NotFound(f"country {code}")
    return found


def resources_by_type(centre: ResourceCentre) -> list[tuple[str, list[Resource]]]:
    """Resources grouped by type (in the order types are declared), newest first within a type."""
    groups: dict[str, list[Resource]] = {}
    for entry in centre.library.resources:
        groups.setdefault(entry.type, []).append(entry)
    order = list(RESOURCE_TYPE_ORDER)
    return [
        (kind, sorted(found, key=lambda r: (-(r.year or 0), r.title.casefold())))
        for kind, found in sorted(groups.items(), key=lambda pair: order.index(pair[0]) if pair[0] in order else 99)
    ]


RESOURCE_TYPE_ORDER = (
    "treaty",
    "declaration",
    "model-law",
    "guideline",
    "policy-guide",
    "handbook",
    "toolkit",
    "training-manual",
    "indicators",
    "issue-brief",
    "report",
)


def challenges_by_pillar(centre: ResourceCentre) -> list[tuple[Pillar | None, str, list[Challenge]]]:
    """(pillar, pillar id, challenges) in questionnaire pillar order; strategic before operational."""
    groups: dict[str, list[Challenge]] = {}
    for challenge in centre.library.challenges:
        groups.setdefault(challenge.pillar, []).append(challenge)
    pillars = {pillar.id: pillar for pillar in centre.pillars}
    order = [pillar.id for pillar in centre.pillars] + sorted(set(groups) - set(pillars))
    return [
        (pillars.get(pillar_id), pillar_id, sorted(groups[pillar_id], key=lambda c: c.kind != "strategic"))
        for pillar_id in order
        if pillar_id in groups
    ]


# ---------------------------------------------------------------------------- country profiles


@dataclass(frozen=True)
class Subregion:
    name: str | None  # None: member organisations and entries without a subregion
    countries: tuple[Country, ...] = field(default_factory=tuple)

    @property
    def slug(self) -> str:
        """An id for anchors: "South-East Asia" → "south-east-asia"."""
        return re.sub(r"[^a-z0-9]+", "-", (self.name or "other").casefold()).strip("-") or "other"


def subregions(centre: ResourceCentre, language: str = "en") -> list[Subregion]:
    """States grouped by subregion (by name), then the entries without one; by their name in ``language``."""
    groups: dict[str | None, list[Country]] = {}
    for entry in centre.library.countries:
        groups.setdefault(entry.subregion, []).append(entry)

    def ordered(found: list[Country]) -> tuple[Country, ...]:
        return tuple(sorted(found, key=lambda c: country_label(c.code, c.name, language)))

    named = sorted(name for name in groups if name is not None)
    result = [Subregion(name, ordered(groups[name])) for name in named]
    if None in groups:
        result.append(Subregion(None, ordered(groups[None])))
    return result


# ---------------------------------------------------------------------------- practice filters


@dataclass(frozen=True)
class PracticeQuery:
    """Valid filters (None: not filtered) and the names of parameters whose values were ignored."""

    measure: str | None = None
    country: str | None = None
    tag: str | None = None
    year: int | None = None
    ignored: tuple[str, ...] = ()

    def as_args(self) -> dict[str, str]:
        values = {"measure": self.measure, "country": self.country, "tag": self.tag, "year": self.year}
        return {name: str(value) for name, value in values.items() if value is not None}


def parse_practice_query(centre: ResourceCentre, args: Mapping[str, str]) -> PracticeQuery:
    """Read the filters from GET parameters; a value that names nothing known is ignored."""
    raw = {name: (args.get(name) or "").strip() for name in ("measure", "country", "tag", "year")}
    ignored: list[str] = []
    measure = raw["measure"].upper() or None
    if measure is not None and measure not in centre.questionnaire.measures:
        ignored.append("measure")
        measure = None
    country = raw["country"] or None
    if country is not None and country != REGIONAL:
        country = country.upper()
        if country not in centre.countries and country not in centre.practices_by_country:
            ignored.append("country")
            country = None
    tag = raw["tag"].lower() or None
    if tag is not None and tag not in {entry.id for entry in centre.library.tags}:
        ignored.append("tag")
        tag = None
    year: int | None = None
    if raw["year"]:
        if is_int(raw["year"], 1900, 2100):
            year = int(raw["year"])
        else:
            ignored.append("year")
    return PracticeQuery(measure, country, tag, year, tuple(ignored))


def _matches(entry: Practice, query: PracticeQuery, links: Links) -> bool:
    if query.measure is not None and query.measure not in links.measures:
        return False
    if query.country == REGIONAL and entry.country is not None:
        return False
    if query.country not in (None, REGIONAL) and entry.country != query.country:
        return False
    if query.tag is not None and query.tag not in entry.tags:
        return False
    return query.year is None or entry.year == query.year


def find_practices(centre: ResourceCentre, query: PracticeQuery, language: str = "en") -> list[Practice]:
    """Matching practices, by country name in ``language`` (regional ones last), then title."""
    found = [p for p in centre.library.practices if _matches(p, query, centre.practice_links[p.id])]

    def order(p: Practice) -> tuple[bool, str, str]:
        return (p.country is None, centre.country_name(p.country, language) or p.region or "", p.title)

    return sorted(found, key=order)


@dataclass(frozen=True)
class PracticeOptions:
    """The choices the filter form offers: only values some practice has."""

    countries: list[tuple[str, str]]
    tags: list[tuple[str, dict[str, str]]]
    years: list[int]


def practice_options(centre: ResourceCentre, language: str = "en") -> PracticeOptions:
    practices = centre.library.practices
    used_tags = {tag for entry in practices for tag in entry.tags}
    return PracticeOptions(
        countries=sorted(
            ((code, centre.country_name(code, language)) for code in centre.practices_by_country), key=lambda c: c[1]
        ),
        tags=[(tag.id, tag.label) for tag in centre.library.tags if tag.id in used_tags],
        years=sorted({entry.year for entry in practices if entry.year is not None}, reverse=True),
    )
