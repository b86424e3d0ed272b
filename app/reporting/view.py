"""The report's context: plain values only (strings, numbers, dates, tuples of dataclasses).

Templates in ``reports/`` read these; so can any other writer of the same report (DOCX, XLSX).
Content text (questions, titles, band labels) is already localised; words of the report itself
("Score", "Gap", ...) belong to the templates, where they are translated. Scores are floats
rounded to 0.1 exactly as the core rounds them, so the report and the web page print the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.core.comparison import NotCompared


@dataclass(frozen=True)
class Cover:
    country_name: str
    native_name: str | None
    assessment_title: str
    status: str
    started: date
    generated: date
    questionnaire_title: str
    questionnaire_version: str
    marking: str
    final_reason: str = ""


@dataclass(frozen=True)
class ScoreLine:
    """A measure's (or the whole assessment's) score, band label and completeness."""

    id: str
    title: str
    pillar_id: str
    score: float | None
    band: str | None
    completeness: float
    answered: int
    applicable: int


@dataclass(frozen=True)
class PillarScore:
    id: str
    title: str
    score: float | None
    band: str | None
    score_band: str | None
    completeness: float
    answered: int
    applicable: int
    capped_by: tuple[str, ...]
    cap_lowered_band: bool


@dataclass(frozen=True)
class ResourceLink:
    id: str
    title: str
    publisher: str
    year: int | None
    part: str | None
    url: str | None
    explicit: bool
    same_measure: bool
    shared_tags: tuple[str, ...]


@dataclass(frozen=True)
class PracticeLink:
    id: str
    title: str
    country: str | None
    region: str | None
    year: int | None
    explicit: bool
    same_measure: bool
    shared_tags: tuple[str, ...]


@dataclass(frozen=True)
class GapCard:
    """One gap with its guidance; ``rank`` is its place among all gaps (1 = highest priority)."""

    rank: int
    item_id: str
    question: str
    item_type: str
    measure_id: str
    measure_title: str
    pillar_id: str
    level: int
    target: int
    priority: int
    critical: bool
    next_level: int | None
    next_level_text: str | None
    sources: tuple[str, ...]
    resources: tuple[ResourceLink, ...]
    practices: tuple[PracticeLink, ...]
    more_resources: int
    more_practices: int
    peers: tuple[str, ...]
    comment: str
    evidence: str


@dataclass(frozen=True)
class ItemLine:
    """An item named in a list (strengths, data gaps, critical items)."""

    item_id: str
    question: str
    measure_id: str
    pillar_id: str
    level: int | None
    comment: str


@dataclass(frozen=True)
class PillarSection:
    id: str
    title: str
    summary: str
    score: PillarScore
    measures: tuple[ScoreLine, ...]
    strengths: tuple[ItemLine, ...]
    gaps: tuple[GapCard, ...]


@dataclass(frozen=True)
class Summary:
    overall: ScoreLine
    pillars: tuple[PillarScore, ...]
    top_gaps: tuple[GapCard, ...]
    top_strengths: tuple[ItemLine, ...]
    gap_count: int
    strength_count: int
    data_gap_count: int
    unanswered_count: int
    pillar_chart: str
    measure_chart: str


@dataclass(frozen=True)
class ChallengeLine:
    id: str
    pillar_id: str
    pillar_title: str
    kind: str
    text: str
    source: str | None


@dataclass(frozen=True)
class ActionLine:
    number: int
    title: str
    measure_id: str | None
    measure_title: str | None
    pillar_id: str | None
    item_ids: tuple[str, ...]
    lead_agency: str
    partners: str
    start: date | None
    end: date | None
    budget: str
    indicator: str
    status: str


@dataclass(frozen=True)
class ChangeLine:
    """A score in the previous and this cycle; ``delta`` is None when either is missing."""

    id: str
    title: str
    pillar_id: str
    before: float | None
    after: float | None
    delta: float | None
    before_completeness: float | None = None
    after_completeness: float | None = None


@dataclass(frozen=True)
class ItemChange:
    item_id: str
    question: str
    before: float | None
    after: float | None


@dataclass(frozen=True)
class ComparisonView:
    previous_title: str
    previous_started: date
    overall: ChangeLine
    pillars: tuple[ChangeLine, ...]
    measures: tuple[ChangeLine, ...]
    improved: int
    declined: int
    unchanged: int
    declined_items: tuple[ItemChange, ...]
    chart: str
    not_compared: NotCompared = NotCompared()


@dataclass(frozen=True)
class BandLine:
    id: str
    label: str
    min: float
    max: float


@dataclass(frozen=True)
class WeightLine:
    id: str
    title: str
    weight: float


@dataclass(frozen=True)
class InstrumentLine:
    title: str
    short_title: str | None
    scope: str
    adopted: int | None


@dataclass(frozen=True)
class Methodology:
    scale: tuple[tuple[int, str], ...]
    bands: tuple[BandLine, ...]
    critical_cap: str
    critical_level: int
    strength_level: int
    default_target: int
    pillar_weights: tuple[WeightLine, ...]
    measure_weights: tuple[WeightLine, ...]
    measure_targets: tuple[WeightLine, ...]
    item_target_count: int
    critical_items: tuple[ItemLine, ...]
    item_count: int
    cited_sources: int
    instruments: tuple[InstrumentLine, ...]
    roles: tuple[str, ...]


@dataclass(frozen=True)
class EvidenceLine:
    """A document attached to an answer, for the annex."""

    item_id: str
    pillar_id: str
    question: str
    filename: str
    kind: str
    kilobytes: int
    uploaded: date


@dataclass(frozen=True)
class GapReport:
    """The whole country gap-analysis report."""

    assessment_id: int
    revision: int
    questionnaire_key: str
    language: str
    direction: str
    country_code: str
    cover: Cover
    summary: Summary
    pillars: tuple[PillarSection, ...]
    data_gaps: tuple[ItemLine, ...]
    challenges: tuple[ChallengeLine, ...]
    actions: tuple[ActionLine, ...]
    comparison: ComparisonView | None
    methodology: Methodology
    evidence: tuple[EvidenceLine, ...] = ()
