"""What a report is built from: the core's objects plus a few plain values.

The service layer gathers these from the database (``app.services.reports``); tests and the
command line can fill them by hand. Nothing here touches the web or the database, so a report
can be built anywhere the core runs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from app.core.actions import ActionFields
from app.core.library import Library
from app.core.questionnaire import Questionnaire
from app.core.results import Results
from app.core.scoring import Scores


@dataclass(frozen=True)
class ReportMeta:
    """The assessment the report is about, as plain values."""

    assessment_id: int
    country_code: str
    country_name: str
    assessment_title: str
    status: str
    started: date
    generated: date
    confidentiality: str
    language: str = "en"
    native_name: str | None = None
    roles: tuple[str, ...] = ()
    revision: int = 0
    final_reason: str = ""  # why it was finalised below the completeness threshold


@dataclass(frozen=True)
class ItemNote:
    """What the country wrote beside an answer."""

    comment: str = ""
    evidence: str = ""


@dataclass(frozen=True)
class EvidenceNote:
    """A document attached to an answer, listed in the report's annex (the file stays in CTSAT)."""

    item_id: str
    filename: str
    kind: str
    size: int
    uploaded: date


@dataclass(frozen=True)
class PreviousCycle:
    """The scores of the cycle this one follows (``Assessment.previous_id``)."""

    title: str
    started: date
    scores: Scores
    item_map: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class GapReportInput:
    """Everything the country gap-analysis report shows.

    ``peers`` maps a gap's item id to the codes of countries that share their results and
    answer that item at the strength level; ``notes`` maps item ids to comments and evidence.
    """

    meta: ReportMeta
    questionnaire: Questionnaire
    library: Library
    results: Results
    notes: Mapping[str, ItemNote] = field(default_factory=dict)
    actions: Sequence[ActionFields] = ()
    previous: PreviousCycle | None = None
    peers: Mapping[str, Sequence[str]] = field(default_factory=dict)
    evidence: Sequence[EvidenceNote] = ()
