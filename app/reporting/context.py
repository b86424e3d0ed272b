"""From the core's results to the plain-value context of the gap-analysis report (``view``)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence

from app.core.actions import ActionFields
from app.core.countries import country_label, country_labels
from app.core.gaps import Gap
from app.core.guidance import Match
from app.core.library import Library
from app.core.questionnaire import Questionnaire, localise
from app.core.scoring import PillarResult, Scores
from app.reporting.annex import methodology
from app.reporting.charts import BarRow, PillarRow, measure_bars, pillar_bars
from app.reporting.cycles import comparison_view
from app.reporting.inputs import GapReportInput, ItemNote
from app.reporting.view import (
    ActionLine,
    ChallengeLine,
    Cover,
    EvidenceLine,
    GapCard,
    GapReport,
    ItemLine,
    PillarScore,
    PillarSection,
    PracticeLink,
    ResourceLink,
    ScoreLine,
    Summary,
)

Translate = Callable[[str], str]
RTL_LANGUAGES = frozenset({"ar", "fa", "ur", "ps", "he", "dv"})
TOP = 5
GAP_RESOURCES = 3
GAP_PRACTICES = 2
_RTL_CLASSES = frozenset({"R", "AL"})


def text_direction(text: str) -> str:
    """The direction of ``text``: rtl when its first strongly directional character is right-to-left."""
    for character in text:
        kind = unicodedata.bidirectional(character)
        if kind in _RTL_CLASSES:
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def _identity(text: str) -> str:
    return text


class _Builder:
    """Holds the inputs while the sections are assembled."""

    def __init__(self, data: GapReportInput, gettext: Translate) -> None:
        self.data = data
        self.q: Questionnaire = data.questionnaire
        self.library: Library = data.library
        self.scores: Scores = data.results.scores
        self.language = data.meta.language
        self._ = gettext
        self.tag_labels = {tag.id: localise(tag.label, self.language) for tag in data.library.tags}
        self.country_names = country_labels(self.library.country_names.items(), self.language)

    def text(self, value: dict[str, str]) -> str:
        return localise(value, self.language)

    def band(self, band_id: str | None) -> str | None:
        return self.text(self.q.band_by_id(band_id).label) if band_id else None

    # --------------------------------------------------------------------------- scores

    def overall(self) -> ScoreLine:
        scores = self.scores
        answered = sum(pillar.answered for pillar in scores.pillars.values())
        applicable = sum(pillar.applicable for pillar in scores.pillars.values())
        title = self.text(self.q.title)
        band = self.band(scores.overall_band)
        return ScoreLine("overall", title, "", scores.overall, band, scores.completeness, answered, applicable)

    def pillar_score(self, pillar_id: str) -> PillarScore:
        result: PillarResult = self.scores.pillars[pillar_id]
        title = self.text(next(p.title for p in self.q.pillars if p.id == pillar_id))
        return PillarScore(
            pillar_id,
            title,
            result.score,
            self.band(result.band),
            self.band(result.score_band),
            result.completeness,
            result.answered,
            result.applicable,
            result.capped_by,
            bool(result.capped_by) and result.band != result.score_band,
        )

    def measure_line(self, measure_id: str) -> ScoreLine:
        result = self.scores.measures[measure_id]
        title = self.text(self.q.measures[measure_id].title)
        return ScoreLine(
            measure_id,
            title,
            result.pillar_id,
            result.score,
            self.band(result.band),
            result.completeness,
            result.answered,
            result.applicable,
        )

    # ---------------------------------------------------------------------------- items

    def note(self, item_id: str) -> ItemNote:
        return self.data.notes.get(item_id) or ItemNote()

    def item_line(self, item_id: str) -> ItemLine:
        result = self.scores.items.get(item_id)
        measure_id = self.q.measure_of_item[item_id]
        return ItemLine(
            item_id,
            self.text(self.q.items[item_id].question),
            measure_id,
            self.q.pillar_of_measure[measure_id],
            result.level if result else None,
            self.note(item_id).comment,
        )

    def resource(self, match: Match) -> ResourceLink:
        resource = self.library.resource_by_id[match.id]
        return ResourceLink(
            resource.id,
            resource.title,
            resource.publisher,
            resource.year,
            match.part or resource.part,
            resource.url,
            match.explicit,
            match.same_measure,
            tuple(self.tag_labels.get(tag, tag) for tag in match.shared_tags),
        )

    def practice(self, match: Match) -> PracticeLink:
        practice = self.library.practice_by_id[match.id]
        country = (
            self.country_names.get(practice.country)
            or country_label(practice.country, practice.country_name or practice.country, self.language)
            if practice.country
            else None
        )
        return PracticeLink(
            practice.id,
            practice.title,
            country,
            practice.region,
            practice.year,
            match.explicit,
            match.same_measure,
            tuple(self.tag_labels.get(tag, tag) for tag in match.shared_tags),
        )

    def gap_card(self, rank: int, gap: Gap) -> GapCard:
        item = self.q.items[gap.item_id]
        guidance = self.data.results.guidance[gap.item_id]
        note = self.note(gap.item_id)
        names = self.country_names
        resources = [match for match in guidance.resources if match.id in self.library.resource_by_id]
        practices = [match for match in guidance.practices if match.id in self.library.practice_by_id]
        return GapCard(
            rank,
            gap.item_id,
            self.text(item.question),
            item.type,
            gap.measure_id,
            self.text(self.q.measures[gap.measure_id].title),
            gap.pillar_id,
            gap.level,
            gap.target,
            gap.priority,
            gap.critical,
            guidance.next_level,
            self.text(guidance.next_level_text) if guidance.next_level_text else None,
            tuple(item.sources),
            tuple(self.resource(match) for match in resources[:GAP_RESOURCES]),
            tuple(self.practice(match) for match in practices[:GAP_PRACTICES]),
            max(len(resources) - GAP_RESOURCES, 0),
            max(len(practices) - GAP_PRACTICES, 0),
            tuple(sorted(names.get(code, code) for code in self.data.peers.get(gap.item_id, ()))),
            note.comment,
            note.evidence,
        )

    # -------------------------------------------------------------------------- charts

    def pillar_chart(self) -> str:
        rows = [
            PillarRow(self.text(p.title), p.id, self.scores.pillars[p.id].score, self._previous_pillar(p.id))
            for p in self.q.pillars
        ]
        return pillar_bars(
            rows,
            title=self._("Score by pillar"),
            description=self._("Scores from 0 to 100; the table gives the values."),
            id_prefix="pillar-chart",
            rtl=self.language in RTL_LANGUAGES,
            current_label=self._("This cycle"),
            previous_label=self._("Previous cycle"),
        )

    def _previous_pillar(self, pillar_id: str) -> float | None:
        previous = self.data.previous
        result = previous.scores.pillars.get(pillar_id) if previous else None
        return result.score if result else None

    def measure_chart(self) -> str:
        rows = [
            BarRow(f"{m.id} {self.text(m.title)}", p.id, self.scores.measures[m.id].score)
            for p in self.q.pillars
            for m in p.measures
        ]
        return measure_bars(
            rows,
            title=self._("Score by measure"),
            description=self._("Scores from 0 to 100; the tables of each pillar give the values."),
            id_prefix="measure-chart",
            rtl=self.language in RTL_LANGUAGES,
            target_label=self._("Target"),
            spread_label=self._("Peers: lowest, median, highest"),
        )


def _cover(builder: _Builder) -> Cover:
    meta, q = builder.data.meta, builder.q
    return Cover(
        meta.country_name,
        meta.native_name if meta.native_name and meta.native_name != meta.country_name else None,
        meta.assessment_title,
        meta.status,
        meta.started,
        meta.generated,
        builder.text(q.title),
        q.version,
        meta.confidentiality,
        meta.final_reason,
    )


def _summary(builder: _Builder, cards: Sequence[GapCard]) -> Summary:
    results = builder.data.results
    return Summary(
        builder.overall(),
        tuple(builder.pillar_score(p.id) for p in builder.q.pillars),
        tuple(cards[:TOP]),
        tuple(builder.item_line(item_id) for item_id in results.strengths[:TOP]),
        len(results.gaps),
        len(results.strengths),
        len(results.data_gaps),
        len(results.unanswered),
        builder.pillar_chart(),
        builder.measure_chart(),
    )


def _pillar_sections(builder: _Builder, cards: Sequence[GapCard]) -> tuple[PillarSection, ...]:
    pillar_of_item = {
        item_id: builder.q.pillar_of_measure[measure_id] for item_id, measure_id in builder.q.measure_of_item.items()
    }
    sections = []
    for pillar in builder.q.pillars:
        own_strengths = [item_id for item_id in builder.data.results.strengths if pillar_of_item[item_id] == pillar.id]
        sections.append(
            PillarSection(
                pillar.id,
                builder.text(pillar.title),
                builder.text(pillar.summary),
                builder.pillar_score(pillar.id),
                tuple(builder.measure_line(measure.id) for measure in pillar.measures),
                tuple(builder.item_line(item_id) for item_id in own_strengths),
                tuple(card for card in cards if card.pillar_id == pillar.id),
            )
        )
    return tuple(sections)


def _challenges(builder: _Builder) -> tuple[ChallengeLine, ...]:
    titles = {pillar.id: builder.text(pillar.title) for pillar in builder.q.pillars}
    lines = []
    for challenge_id in builder.data.results.challenges:
        challenge = builder.library.challenge_by_id.get(challenge_id)
        if challenge is not None:
            title = titles.get(challenge.pillar, challenge.pillar)
            text = builder.text(challenge.text)
            lines.append(ChallengeLine(challenge.id, challenge.pillar, title, challenge.kind, text, challenge.source))
    return tuple(lines)


def _evidence(builder: _Builder, data: GapReportInput) -> tuple[EvidenceLine, ...]:
    """The documents attached to answers, in questionnaire order (items no longer asked last)."""
    order = {item_id: index for index, item_id in enumerate(builder.q.items)}
    lines = []
    for note in sorted(data.evidence, key=lambda note: (order.get(note.item_id, len(order)), note.filename)):
        item = builder.q.items.get(note.item_id)
        measure_id = builder.q.measure_of_item.get(note.item_id, "")
        pillar_id = builder.q.pillar_of_measure.get(measure_id, "")
        question = builder.text(item.question) if item else ""
        kilobytes = max(1, -(-note.size // 1024))
        lines.append(
            EvidenceLine(note.item_id, pillar_id, question, note.filename, note.kind, kilobytes, note.uploaded)
        )
    return tuple(lines)


def _actions(builder: _Builder, rows: Sequence[ActionFields]) -> tuple[ActionLine, ...]:
    lines = []
    for number, row in enumerate(rows, start=1):
        measure = builder.q.measures.get(row.measure_id or "")
        lines.append(
            ActionLine(
                number,
                row.title,
                row.measure_id,
                builder.text(measure.title) if measure else None,
                builder.q.pillar_of_measure.get(measure.id) if measure else None,
                tuple(row.item_ids),
                row.lead_agency,
                row.partners,
                row.start,
                row.end,
                row.budget,
                row.indicator,
                row.status,
            )
        )
    return tuple(lines)


def build_gap_context(data: GapReportInput, gettext: Translate = _identity) -> GapReport:
    """The gap-analysis report as plain values; ``gettext`` translates the chart titles."""
    builder = _Builder(data, gettext)
    cards = [builder.gap_card(rank, gap) for rank, gap in enumerate(data.results.gaps, start=1)]
    language = data.meta.language
    rtl = language in RTL_LANGUAGES
    return GapReport(
        data.meta.assessment_id,
        data.meta.revision,
        data.questionnaire.key,
        language,
        "rtl" if rtl else "ltr",
        data.meta.country_code,
        _cover(builder),
        _summary(builder, cards),
        _pillar_sections(builder, cards),
        tuple(builder.item_line(item_id) for item_id in data.results.data_gaps),
        _challenges(builder),
        _actions(builder, data.actions),
        (
            comparison_view(data.questionnaire, data.previous, data.results.scores, language, gettext, rtl)
            if data.previous
            else None
        ),
        methodology(data.questionnaire, data.library, data.meta.roles, data.results.scores, language),
        _evidence(builder, data),
    )
