"""The workshop report's context: plain values the template ``reports/workshop.html`` reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.reporting.workshop_inputs import Progress


@dataclass(frozen=True)
class WorkshopCover:
    title: str
    starts_on: date | None
    ends_on: date | None
    venue: str
    online: bool
    facilitator: str
    generated: date
    questionnaire_title: str
    questionnaire_version: str
    countries: int
    participants: int


@dataclass(frozen=True)
class PillarLabel:
    id: str
    title: str


@dataclass(frozen=True)
class CountryAttendance:
    code: str
    name: str
    people: int
    agencies: tuple[tuple[str, int], ...]
    pillars: tuple[int, ...]  # participants per pillar, in the order of ``WorkshopReport.pillars``


@dataclass(frozen=True)
class AttendeeLine:
    name: str
    country: str
    agency: str
    pillar: str


@dataclass(frozen=True)
class MeasureRow:
    """One measure across the countries of a table (progress or scores; None: not applicable)."""

    id: str
    title: str
    pillar_id: str
    progress: tuple[Progress, ...] = ()
    scores: tuple[float | None, ...] = ()


@dataclass(frozen=True)
class CountryTable:
    """A table of measures by countries, at most ``COLUMNS`` countries wide."""

    countries: tuple[str, ...]
    rows: tuple[MeasureRow, ...]
    totals: tuple[Progress, ...] = ()


@dataclass(frozen=True)
class ItemMention:
    item_id: str
    pillar_id: str
    question: str
    item_type: str
    level: int


@dataclass(frozen=True)
class PillarLine:
    id: str
    title: str
    score: float | None
    band: str | None


@dataclass(frozen=True)
class NamedCountry:
    """A country shown by name with its results (the workshop's terms allow it)."""

    code: str
    name: str
    overall: float | None
    band: str | None
    completeness: float
    pillars: tuple[PillarLine, ...]
    strengths: tuple[ItemMention, ...]
    gaps: tuple[ItemMention, ...]
    strength_count: int
    gap_count: int


@dataclass(frozen=True)
class SpreadRow:
    """Scores of one measure across countries, none named (None: fewer than three scores)."""

    id: str
    title: str
    pillar_id: str
    countries: int
    minimum: float | None
    median: float | None
    maximum: float | None
    with_gaps: int | None


@dataclass(frozen=True)
class Aggregate:
    countries: int
    rows: tuple[SpreadRow, ...]
    chart: str


@dataclass(frozen=True)
class StrategyView:
    title: str
    measures: tuple[tuple[str, str], ...]
    actions: str
    lead: str
    resources: tuple[str, ...]


@dataclass(frozen=True)
class GroupView:
    name: str
    kind: str
    pillar_id: str | None
    countries: tuple[str, ...]
    people: int
    strategies: tuple[StrategyView, ...]


@dataclass(frozen=True)
class EvaluationLine:
    text: str
    kind: str
    answered: int
    mean: float | None
    counts: tuple[tuple[str, int], ...]
    texts: tuple[str, ...]
    earlier: tuple[str, ...] = ()


@dataclass(frozen=True)
class WorkshopReport:
    language: str
    direction: str
    cover: WorkshopCover
    summary: tuple[str, ...]
    pillars: tuple[PillarLabel, ...]
    attendance: tuple[CountryAttendance, ...]
    attendees: tuple[AttendeeLine, ...]
    progress: tuple[CountryTable, ...]
    progress_chart: str
    country_progress: str
    heat_map: str
    named: tuple[NamedCountry, ...]
    named_scores: tuple[CountryTable, ...]
    aggregate: Aggregate | None
    terms: str
    terms_title: str
    terms_lines: tuple[str, str, str]
    groups: tuple[GroupView, ...]
    responses: int
    evaluation: tuple[EvaluationLine, ...]
