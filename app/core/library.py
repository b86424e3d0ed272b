"""The knowledge base that items link to: resources, practices, challenges,
principles, instruments, country profiles, weighted victim identification
indicator sets, the crosswalk frameworks and the tag vocabulary."""

from __future__ import annotations

from datetime import date
from functools import cached_property
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field

from app.core.questionnaire import CountryRole, LocalText, Model, Slug

ResourceType = Literal[
    "treaty",
    "declaration",
    "model-law",
    "toolkit",
    "handbook",
    "guideline",
    "issue-brief",
    "report",
    "training-manual",
    "policy-guide",
    "indicators",
]


class Tag(Model):
    id: Slug
    label: LocalText


class Resource(Model):
    id: Slug
    title: str
    publisher: str
    year: int | None = Field(default=None, ge=1900, le=2100)
    type: ResourceType
    languages: list[str] = Field(default_factory=lambda: ["en"])
    url: str | None = None
    part: str | None = None
    pillars: list[Slug] = Field(default_factory=list)
    measures: list[str] = Field(default_factory=list)
    tags: list[Slug] = Field(default_factory=list)
    summary: LocalText = Field(default_factory=dict)
    note: str | None = None
    unverified: list[str] = Field(default_factory=list)


class Practice(Model):
    id: Slug
    title: str
    country: str | None = None
    country_name: str | None = None
    region: str | None = None
    year: int | None = Field(default=None, ge=1900, le=2100)
    measures: list[str] = Field(min_length=1)
    tags: list[Slug] = Field(default_factory=list)
    description: LocalText
    source: str
    source_url: str | None = None
    note: str | None = None
    unverified: list[str] = Field(default_factory=list)


class Challenge(Model):
    id: Slug
    pillar: Slug
    kind: Literal["strategic", "operational"]
    text: LocalText
    source: str | None = None


class Principle(Model):
    id: Slug
    title: LocalText
    text: LocalText


class Instrument(Model):
    id: Slug
    title: str
    short_title: str | None = None
    scope: Literal["international", "regional"]
    adopted: int | None = Field(default=None, ge=1900, le=2100)
    in_force: int | None = Field(default=None, ge=1900, le=2100)
    requires: LocalText
    url: str | None = None
    resource: Slug | None = None
    unverified: list[str] = Field(default_factory=list)


class LawEntry(Model):
    title: str
    year: int | None = Field(default=None, ge=1800, le=2100)
    url: str | None = None
    note: str | None = None


TreatyId = Literal["untoc", "tip-protocol", "actip", "p029", "crc-opsc"]
TREATIES: tuple[TreatyId, ...] = ("tip-protocol", "untoc", "actip", "p029", "crc-opsc")
TREATY_TITLES: dict[str, str] = {
    "tip-protocol": "UN Trafficking in Persons Protocol (2000)",
    "untoc": "UN Convention against Transnational Organized Crime (2000)",
    "actip": "ASEAN Convention against Trafficking in Persons, Especially Women and Children (2015)",
    "p029": "ILO Protocol of 2014 to the Forced Labour Convention (P029)",
    "crc-opsc": "Optional Protocol to the CRC on the sale of children, child prostitution and child pornography (2000)",
}


def _date_text(value: object) -> object:
    """YAML reads an unquoted 2004-03-30 as a date: keep it as ISO text."""
    return value.isoformat() if isinstance(value, date) else value


IsoDate = Annotated[str, BeforeValidator(_date_text), Field(pattern=r"^\d{4}-\d{2}-\d{2}$")]


class TreatyStatus(Model):
    """A State's status under one treaty, as its depositary records it (``source``).

    ``unknown`` means nobody has checked the depositary's record yet; dates are only given when
    read from a source, otherwise left empty and named in ``unverified``.
    """

    treaty: TreatyId
    status: Literal["party", "signatory", "not-party", "unknown"]
    signed: IsoDate | None = None
    ratified: IsoDate | None = None
    action: Literal["ratification", "accession", "acceptance", "approval", "succession"] | None = None
    in_force: IsoDate | None = None
    source: str = Field(pattern=r"^https?://")
    checked: IsoDate | None = None
    note: str | None = None
    unverified: list[str] = Field(default_factory=list)

    @property
    def title(self) -> str:
        return TREATY_TITLES[self.treaty]


class Country(Model):
    code: str = Field(pattern=r"^[A-Z]{3}$")
    name: str
    official_name: str | None = None
    native_name: str | None = None
    kind: Literal["state", "organisation"] = "state"
    subregion: str | None = None
    roles: list[CountryRole] = Field(default_factory=list)
    laws: list[LawEntry] = Field(default_factory=list)
    action_plans: list[LawEntry] = Field(default_factory=list)
    coordinating_body: str | None = None
    sops: list[LawEntry] = Field(default_factory=list)
    mous: list[LawEntry] = Field(default_factory=list)
    treaties: list[TreatyStatus] = Field(default_factory=list)
    unverified: list[str] = Field(default_factory=list)
    notes: str | None = None


IndicatorWeight = Literal["strong", "medium", "weak"]
INDICATOR_WEIGHTS: tuple[IndicatorWeight, ...] = ("strong", "medium", "weak")


class Indicator(Model):
    """One sign that a person may have been trafficked, weighted as its source weighs it."""

    weight: IndicatorWeight
    text: LocalText


class IndicatorDimension(Model):
    """A group of indicators for one element of the definition (e.g. deceptive recruitment)."""

    id: Slug
    title: LocalText
    indicators: list[Indicator] = Field(default_factory=list)

    def weighted(self, weight: str) -> list[Indicator]:
        return [indicator for indicator in self.indicators if indicator.weight == weight]


class IndicatorSet(Model):
    """Weighted victim identification indicators for one form of exploitation and audience.

    ``source`` is the resource the weights come from; ``rule`` says, only as the source
    states it, how many indicators of each weight make an element present.
    """

    id: Slug
    title: LocalText
    exploitation: Literal["general", "labour", "sexual"]
    audience: Literal["adults", "children", "all"]
    source: Slug
    part: str | None = None
    measures: list[str] = Field(default_factory=list)
    summary: LocalText = Field(default_factory=dict)
    rule: LocalText = Field(default_factory=dict)
    note: LocalText = Field(default_factory=dict)
    dimensions: list[IndicatorDimension] = Field(default_factory=list)
    unverified: list[str] = Field(default_factory=list)

    @property
    def indicator_count(self) -> int:
        return sum(len(dimension.indicators) for dimension in self.dimensions)


class FrameworkEntry(Model):
    """One standard, criterion or milestone of a framework that items crosswalk to."""

    code: str = Field(pattern=r"^[a-z]+-\d+$")
    label: LocalText
    summary: LocalText = Field(default_factory=dict)
    unverified: list[str] = Field(default_factory=list)


class Framework(Model):
    """A framework governments are rated against (``crosswalk`` keys of items name its id)."""

    id: Literal["tvpa", "walk_free"]
    title: LocalText
    source: Slug | None = None
    reference: str | None = None
    note: LocalText = Field(default_factory=dict)
    entries: list[FrameworkEntry] = Field(min_length=1)


DutyInstrument = Literal["tip-protocol", "untoc", "actip", "ohchr-principles", "fatf"]


class Duty(Model):
    """One duty of a binding instrument (or a standard) and the items that ask whether it is met.

    A duty no item asks names the reason in ``out_of_scope``; a binding duty with neither is
    *uncovered* (``ctsat content-report``).
    """

    id: Slug
    instrument: DutyInstrument
    article: str
    duty: str
    binding: bool = True
    items: list[str] = Field(default_factory=list)
    out_of_scope: str | None = None


class Library(Model):
    tags: list[Tag] = Field(default_factory=list)
    resources: list[Resource] = Field(default_factory=list)
    practices: list[Practice] = Field(default_factory=list)
    challenges: list[Challenge] = Field(default_factory=list)
    principles: list[Principle] = Field(default_factory=list)
    instruments: list[Instrument] = Field(default_factory=list)
    countries: list[Country] = Field(default_factory=list)
    indicator_sets: list[IndicatorSet] = Field(default_factory=list)
    frameworks: list[Framework] = Field(default_factory=list)
    duties: list[Duty] = Field(default_factory=list)

    @cached_property
    def resource_by_id(self) -> dict[str, Resource]:
        return {resource.id: resource for resource in self.resources}

    @cached_property
    def practice_by_id(self) -> dict[str, Practice]:
        return {practice.id: practice for practice in self.practices}

    @cached_property
    def country_names(self) -> dict[str, str]:
        return {country.code: country.name for country in self.countries}

    @cached_property
    def challenge_by_id(self) -> dict[str, Challenge]:
        return {challenge.id: challenge for challenge in self.challenges}

    @cached_property
    def indicator_set_by_id(self) -> dict[str, IndicatorSet]:
        return {indicator_set.id: indicator_set for indicator_set in self.indicator_sets}

    @cached_property
    def indicator_sets_of_resource(self) -> dict[str, list[IndicatorSet]]:
        found: dict[str, list[IndicatorSet]] = {}
        for indicator_set in self.indicator_sets:
            found.setdefault(indicator_set.source, []).append(indicator_set)
        return found

    @cached_property
    def indicator_sets_of_measure(self) -> dict[str, list[IndicatorSet]]:
        found: dict[str, list[IndicatorSet]] = {}
        for indicator_set in self.indicator_sets:
            for measure_id in dict.fromkeys(indicator_set.measures):
                found.setdefault(measure_id, []).append(indicator_set)
        return found

    @cached_property
    def framework_by_id(self) -> dict[str, Framework]:
        return {framework.id: framework for framework in self.frameworks}


LIBRARY_FILES: dict[str, type[Model]] = {
    "tags": Tag,
    "resources": Resource,
    "practices": Practice,
    "challenges": Challenge,
    "principles": Principle,
    "instruments": Instrument,
    "countries": Country,
    "indicator_sets": IndicatorSet,
    "frameworks": Framework,
    "duties": Duty,
}
