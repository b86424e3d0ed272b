"""How complete the content is: counts per measure and what is missing (``ctsat content-report``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from app.core.duplicates import near_duplicates
from app.core.editorial import MeasureText
from app.core.library import TREATIES, Library
from app.core.questionnaire import LEVELS, Questionnaire

MIN_ITEMS_PER_MEASURE = 5
MIN_RESOURCES_PER_MEASURE = 3
MIN_PRACTICES_PER_MEASURE = 2
PROFILE_FIELDS = ("laws", "action_plans", "coordinating_body", "sops", "mous")


@dataclass
class MeasureCounts:
    items: int = 0
    critical_items: int = 0
    resources: int = 0
    practices: int = 0


@dataclass
class ContentReport:
    items: int
    critical_items: int
    resources: int
    practices: int
    countries: int
    per_measure: dict[str, MeasureCounts]
    measures_below_minimum: dict[str, list[str]]
    items_without_sources: list[str]
    items_without_guidance: list[str]
    unlinked_resources: list[str]
    unlinked_practices: list[str]
    empty_country_profiles: list[str]
    missing_translations: dict[str, list[str]] = field(default_factory=dict)
    indicator_sets: int = 0
    indicators: int = 0
    indicator_sets_with_unverified_parts: list[str] = field(default_factory=list)
    crosswalk_codes_without_label: list[str] = field(default_factory=list)
    duties: int = 0
    duties_uncovered: list[str] = field(default_factory=list)
    duties_out_of_scope: dict[str, str] = field(default_factory=dict)
    critical_item_reasons: dict[str, str] = field(default_factory=dict)
    critical_items_without_reason: list[str] = field(default_factory=list)
    treaty_status_states: int = 0
    treaty_status_missing: dict[str, list[str]] = field(default_factory=dict)
    treaty_entries_unknown: int = 0
    treaty_entries_known: int = 0
    resources_with_url: int = 0
    practices_with_source_url: int = 0
    resources_without_url_or_note: list[str] = field(default_factory=list)
    practices_without_source_url_or_note: list[str] = field(default_factory=list)
    items_without_level_descriptors: list[str] = field(default_factory=list)
    measure_pages_without_content: list[str] = field(default_factory=list)
    near_duplicates: list[str] = field(default_factory=list)
    referenced_items: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["per_measure"] = {key: counts.__dict__ for key, counts in self.per_measure.items()}
        return data


def normalised_title(title: str) -> str:
    """For finding duplicates: lower case, letters and digits only."""
    return re.sub(r"[\W_]+", " ", title.casefold()).strip()


def _per_measure(questionnaire: Questionnaire, library: Library) -> dict[str, MeasureCounts]:
    counts = {measure_id: MeasureCounts() for measure_id in questionnaire.measures}
    for measure_id, measure in questionnaire.measures.items():
        counts[measure_id].items = len(measure.items)
        counts[measure_id].critical_items = sum(item.critical for item in measure.items)
    for entries, attribute in ((library.resources, "resources"), (library.practices, "practices")):
        for entry in entries:
            for measure_id in set(entry.measures):
                if measure_id in counts:
                    setattr(counts[measure_id], attribute, getattr(counts[measure_id], attribute) + 1)
    return counts


def _below_minimum(counts: dict[str, MeasureCounts]) -> dict[str, list[str]]:
    minimums = {
        "items": MIN_ITEMS_PER_MEASURE,
        "resources": MIN_RESOURCES_PER_MEASURE,
        "practices": MIN_PRACTICES_PER_MEASURE,
    }
    below: dict[str, list[str]] = {}
    for measure_id, measure in counts.items():
        short = [
            f"{name} {getattr(measure, name)} < {minimum}"
            for name, minimum in minimums.items()
            if getattr(measure, name) < minimum
        ]
        if short:
            below[measure_id] = short
    return below


def _unlinked(questionnaire: Questionnaire, library: Library) -> tuple[list[str], list[str]]:
    """Entries that no item links to and that serve no measure of the questionnaire."""
    linked_resources = {link for item in questionnaire.items.values() for link in item.resources}
    linked_practices = {link for item in questionnaire.items.values() for link in item.practices}
    linked_resources |= {instrument.resource for instrument in library.instruments if instrument.resource}
    measures = set(questionnaire.measures)
    resources = [
        r.id for r in library.resources if r.id not in linked_resources and not measures.intersection(r.measures)
    ]
    practices = [
        p.id for p in library.practices if p.id not in linked_practices and not measures.intersection(p.measures)
    ]
    return resources, practices


def _missing_translations(questionnaire: Questionnaire) -> dict[str, list[str]]:
    missing: dict[str, list[str]] = {}
    for language in questionnaire.languages:
        lacking = [item.id for item in questionnaire.items.values() if not item.question.get(language)]
        if lacking:
            missing[language] = lacking
    return missing


def _crosswalk_codes_without_label(questionnaire: Questionnaire, library: Library) -> list[str]:
    """``framework:code`` pairs items use that ``frameworks.yaml`` does not describe."""
    labelled = {(f.id, entry.code) for f in library.frameworks for entry in f.entries if entry.summary}
    used = {
        (name, code)
        for item in questionnaire.items.values()
        for name, codes in item.crosswalk.items()
        for code in codes
    }
    return sorted(f"{name}:{code}" for name, code in used - labelled)


def _treaty_gaps(library: Library) -> dict[str, list[str]]:
    """State → treaties without any entry (ACTIP only for states that list it)."""
    missing: dict[str, list[str]] = {}
    for country in library.countries:
        if country.kind != "state":
            continue
        listed = {entry.treaty for entry in country.treaties}
        lacking: list[str] = [treaty for treaty in TREATIES if treaty != "actip" and treaty not in listed]
        if lacking:
            missing[country.code] = lacking
    return missing


def _without_levels(questionnaire: Questionnaire) -> list[str]:
    """Maturity items (not references) lacking their own descriptor for any of the five levels."""
    return [
        item.id
        for item in questionnaire.items.values()
        if item.type == "maturity" and item.same_as is None and sorted(item.levels) != list(LEVELS)
    ]


def _duty_coverage(questionnaire: Questionnaire, library: Library) -> tuple[list[str], dict[str, str]]:
    uncovered = [
        duty.id
        for duty in library.duties
        if duty.binding and not duty.out_of_scope and not any(item in questionnaire.items for item in duty.items)
    ]
    out_of_scope = {duty.id: duty.out_of_scope for duty in library.duties if duty.out_of_scope}
    return uncovered, out_of_scope


def content_report(
    questionnaire: Questionnaire, library: Library, measure_texts: list[MeasureText] | None = None
) -> ContentReport:
    counts = _per_measure(questionnaire, library)
    items = list(questionnaire.items.values())
    resources, practices = _unlinked(questionnaire, library)
    states = [country for country in library.countries if country.kind == "state"]
    uncovered, out_of_scope = _duty_coverage(questionnaire, library)
    treaty_missing = _treaty_gaps(library)
    written = {t.measure for t in measure_texts or [] if t.policy_measures.get("en") and t.methodology.get("en")}
    return ContentReport(
        items=len(items),
        critical_items=sum(item.critical for item in items),
        resources=len(library.resources),
        practices=len(library.practices),
        countries=len(states),
        per_measure=counts,
        measures_below_minimum=_below_minimum(counts),
        items_without_sources=[item.id for item in items if not item.sources],
        items_without_guidance=[item.id for item in items if not item.guidance],
        unlinked_resources=resources,
        unlinked_practices=practices,
        empty_country_profiles=[c.code for c in states if not any(getattr(c, name) for name in PROFILE_FIELDS)],
        missing_translations=_missing_translations(questionnaire),
        indicator_sets=len(library.indicator_sets),
        indicators=sum(indicator_set.indicator_count for indicator_set in library.indicator_sets),
        indicator_sets_with_unverified_parts=[s.id for s in library.indicator_sets if s.unverified or s.note],
        crosswalk_codes_without_label=_crosswalk_codes_without_label(questionnaire, library),
        duties=len(library.duties),
        duties_uncovered=uncovered,
        duties_out_of_scope=out_of_scope,
        critical_item_reasons={
            i.id: i.critical_reason.get("en", "") for i in items if i.critical and i.critical_reason
        },
        critical_items_without_reason=[i.id for i in items if i.critical and not i.critical_reason.get("en")],
        treaty_status_states=sum(1 for c in states if c.treaties and c.code not in treaty_missing),
        treaty_status_missing=treaty_missing,
        treaty_entries_unknown=sum(1 for c in states for entry in c.treaties if entry.status == "unknown"),
        treaty_entries_known=sum(1 for c in states for entry in c.treaties if entry.status != "unknown"),
        resources_with_url=sum(1 for r in library.resources if r.url),
        practices_with_source_url=sum(1 for p in library.practices if p.source_url),
        resources_without_url_or_note=[r.id for r in library.resources if not r.url and not r.note],
        practices_without_source_url_or_note=[p.id for p in library.practices if not p.source_url and not p.note],
        items_without_level_descriptors=_without_levels(questionnaire),
        measure_pages_without_content=[m for m in questionnaire.measures if m not in written],
        near_duplicates=[str(pair) for pair in near_duplicates(questionnaire)],
        referenced_items={i.id: i.same_as for i in items if i.same_as},
    )
