"""The questionnaire model: pillars → measures → items, with scoring rules.

These are the shapes of the YAML files in ``questionnaires/`` (see its README);
``app.core.loader`` reads and validates them. Every model forbids unknown keys
so that a typo in a file is an error, not a silently ignored field.
"""

from __future__ import annotations

from functools import cached_property
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

SOURCE_LANGUAGE = "en"
LEVELS = (0, 1, 2, 3, 4)
YES_NO_LEVELS: dict[str, int] = {"no": 0, "partial": 2, "yes": 4}
ItemType = Literal["maturity", "yes_no", "number", "text"]
CountryRole = Literal["origin", "transit", "destination"]
SCORED_TYPES: frozenset[str] = frozenset({"maturity", "yes_no"})


def _as_local_text(value: object) -> object:
    """A plain string in a file is English text."""
    if isinstance(value, str):
        return {SOURCE_LANGUAGE: value}
    return value


LocalText = Annotated[dict[str, str], BeforeValidator(_as_local_text)]
ItemId = Annotated[str, Field(pattern=r"^[A-Z]{2,5}-\d+(\.\d+)*[a-z]?$")]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]


def localise(text: dict[str, str], language: str) -> str:
    """The text in ``language``, falling back to English, then to any text there is."""
    return text.get(language) or text.get(SOURCE_LANGUAGE) or next(iter(text.values()), "")


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ShowIf(Model):
    """Show an item only when ``item`` is answered at least ``at_least``.

    Only "at least" conditions exist, so a better answer never hides an item
    and raising an answer can never lower a score.
    """

    item: ItemId
    at_least: int | Literal["partial", "yes"]


class Item(Model):
    id: ItemId
    question: LocalText
    guidance: LocalText = Field(default_factory=dict)
    type: ItemType = "maturity"
    levels: dict[int, LocalText] = Field(default_factory=dict)
    weight: int = Field(default=1, ge=1, le=3)
    critical: bool = False
    critical_reason: LocalText = Field(default_factory=dict)
    same_as: ItemId | None = None
    parent: ItemId | None = None
    show_if: ShowIf | None = None
    applies_to: list[CountryRole] = Field(default_factory=list)
    tags: list[Slug] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    resources: list[Slug] = Field(default_factory=list)
    resource_parts: dict[Slug, str] = Field(default_factory=dict)
    practices: list[Slug] = Field(default_factory=list)
    challenges: list[Slug] = Field(default_factory=list)
    crosswalk: dict[Literal["tvpa", "walk_free"], list[str]] = Field(default_factory=dict)
    unit: LocalText | None = None

    @property
    def scored(self) -> bool:
        return self.type in SCORED_TYPES

    @property
    def referenced(self) -> bool:
        """Shown here but answered and scored once, under the item ``same_as`` names."""
        return self.same_as is not None


class Measure(Model):
    id: Annotated[str, Field(pattern=r"^[A-Z]{2,5}-\d+$")]
    title: LocalText
    summary: LocalText = Field(default_factory=dict)
    weight: float = Field(default=1, gt=0, le=10)
    tags: list[Slug] = Field(default_factory=list)
    items: list[Item] = Field(min_length=1)


class Pillar(Model):
    id: Slug
    title: LocalText
    summary: LocalText = Field(default_factory=dict)
    weight: float = Field(default=1, gt=0, le=10)
    measures: list[Measure] = Field(min_length=1)


class Band(Model):
    """Scores from ``min`` (inclusive) to ``max`` (exclusive; the top band includes 100)."""

    id: Slug
    label: LocalText
    min: float = Field(ge=0, le=100)
    max: float = Field(ge=0, le=100)


class Scoring(Model):
    bands: list[Band] = Field(min_length=1)
    critical_cap: Slug
    critical_level: int = Field(default=3, ge=1, le=4)
    strength_level: int = Field(default=3, ge=1, le=4)
    default_target: int = Field(default=4, ge=1, le=4)
    # Finalising an assessment less complete than this share (0-1) needs a written reason.
    finalise_completeness: float = Field(default=0, ge=0, le=1)


class Questionnaire(Model):
    id: Slug
    version: str = Field(pattern=r"^\d+(\.\d+)*$")
    title: LocalText
    description: LocalText = Field(default_factory=dict)
    languages: list[str] = Field(min_length=1)
    scale: dict[int, LocalText]
    scoring: Scoring
    pillars: list[Pillar] = Field(min_length=1)

    @cached_property
    def items(self) -> dict[str, Item]:
        return {item.id: item for pillar in self.pillars for measure in pillar.measures for item in measure.items}

    @cached_property
    def measures(self) -> dict[str, Measure]:
        return {measure.id: measure for pillar in self.pillars for measure in pillar.measures}

    @cached_property
    def measure_of_item(self) -> dict[str, str]:
        return {item.id: measure.id for measure in self.measures.values() for item in measure.items}

    @cached_property
    def pillar_of_measure(self) -> dict[str, str]:
        return {measure.id: pillar.id for pillar in self.pillars for measure in pillar.measures}

    @cached_property
    def children(self) -> dict[str, list[str]]:
        """Item id → ids of the items whose ``show_if`` depends on it."""
        result: dict[str, list[str]] = {}
        for item in self.items.values():
            if item.show_if:
                result.setdefault(item.show_if.item, []).append(item.id)
        return result

    @property
    def key(self) -> str:
        return f"{self.id}@{self.version}"

    def band_by_id(self, band_id: str) -> Band:
        return next(band for band in self.scoring.bands if band.id == band_id)
