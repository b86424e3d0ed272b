"""What the workshop report is built from: plain values and the core's objects.

``app.services.workshop_report`` gathers these from the database; tests fill them by hand.
Privacy is decided by the workshop's sharing terms (``app.core.workshop_terms``, ``for_report``):
a country's ``scores`` (over the workshop's measures only) are given only when the terms let the
report show results, by name ("everyone", "facilitators") or only in spreads over at least three
countries ("anonymous"); under "private" every country brings its progress and nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from app.core.library import Library
from app.core.questionnaire import Questionnaire
from app.core.scoring import Scores
from app.core.workshop_terms import DEFAULT_TERMS, check_terms, for_report


@dataclass(frozen=True)
class WorkshopMeta:
    workshop_id: int
    title: str
    starts_on: date | None
    ends_on: date | None
    venue: str
    online: bool
    facilitator: str
    generated: date
    language: str = "en"


@dataclass(frozen=True)
class Attendee:
    """One participant: name, country code, agency and pillar of expertise."""

    name: str
    country_code: str
    agency: str
    pillar_id: str


@dataclass(frozen=True)
class Progress:
    """Answered and applicable items of one measure."""

    answered: int
    applicable: int


@dataclass(frozen=True)
class CountryInput:
    """An invited country: its progress per measure, and its scores when the terms show results."""

    code: str
    name: str
    progress: Mapping[str, Progress]
    scores: Scores | None = None


@dataclass(frozen=True)
class StrategyInput:
    title: str
    measures: Sequence[str]
    actions: str
    lead: str
    resources: Sequence[str]


@dataclass(frozen=True)
class GroupInput:
    """A group: ``kind`` pillar (``people`` participants) or similar/custom (member countries)."""

    name: str
    kind: str
    pillar_id: str | None
    countries: Sequence[str]
    people: int
    strategies: Sequence[StrategyInput] = ()


@dataclass(frozen=True)
class QuestionResult:
    """One evaluation question: mean and counts of ratings, counts of options, or the texts given."""

    text: str
    kind: str
    answered: int
    mean: float | None = None
    counts: Sequence[tuple[str, int]] = ()
    texts: Sequence[str] = ()
    earlier: Sequence[str] = ()  # answers to an earlier version of the question (another type)


@dataclass(frozen=True)
class WorkshopReportInput:
    meta: WorkshopMeta
    questionnaire: Questionnaire
    library: Library
    scope: Sequence[str]
    countries: Sequence[CountryInput]
    attendees: Sequence[Attendee] = ()
    groups: Sequence[GroupInput] = ()
    summary: str = ""
    responses: int = 0
    evaluation: Sequence[QuestionResult] = field(default_factory=tuple)
    terms: str = DEFAULT_TERMS

    def __post_init__(self) -> None:
        check_terms(self.terms)
        if not for_report(self.terms).results:
            given = [country.code for country in self.countries if country.scores is not None]
            if given:
                raise ValueError(f"the terms {self.terms!r} show no results: no scores may be given ({given})")
