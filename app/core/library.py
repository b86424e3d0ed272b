"""The knowledge base that items link to: resources, practices, challenges,
principles, instruments, country profiles and the tag vocabulary."""

from __future__ import annotations

from functools import cached_property
from typing import Literal

from pydantic import Field

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
    unverified: list[str] = Field(default_factory=list)


class Practice(Model):
    id: Slug
    title: str
    country: str | None = None
    region: str | None = None
    year: int | None = Field(default=None, ge=1900, le=2100)
    measures: list[str] = Field(min_length=1)
    tags: list[Slug] = Field(default_factory=list)
    description: LocalText
    source: str
    source_url: str | None = None
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
    unverified: list[str] = Field(default_factory=list)
    notes: str | None = None


class Library(Model):
    tags: list[Tag] = Field(default_factory=list)
    resources: list[Resource] = Field(default_factory=list)
    practices: list[Practice] = Field(default_factory=list)
    challenges: list[Challenge] = Field(default_factory=list)
    principles: list[Principle] = Field(default_factory=list)
    instruments: list[Instrument] = Field(default_factory=list)
    countries: list[Country] = Field(default_factory=list)

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


LIBRARY_FILES: dict[str, type[Model]] = {
    "tags": Tag,
    "resources": Resource,
    "practices": Practice,
    "challenges": Challenge,
    "principles": Principle,
    "instruments": Instrument,
    "countries": Country,
}
