"""Checks that span a whole questionnaire or library (beyond each value's type):
links, ``show_if`` conditions, parent cycles, bands and languages."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from app.core.errors import Problem
from app.core.library import Library
from app.core.questionnaire import LEVELS, Item, Questionnaire

ProblemAt = Callable[[str, tuple[str | int, ...], str], Problem]


def check_questionnaire(
    questionnaire: Questionnaire,
    library: Library | None,
    at: ProblemAt,
    check_items: bool = True,
    broken: set[str] | None = None,
) -> list[Problem]:
    """Rules across the file. ``broken`` names items that failed to load: a reference
    to one of them is not reported again as unknown."""
    problems = _check_bands(questionnaire, at)
    problems += _check_scale(questionnaire, at)
    if not check_items:
        return problems
    known = set(questionnaire.items) | (broken or set())
    for item in questionnaire.items.values():
        problems += _check_item(item, questionnaire, at, known)
        if library is not None:
            problems += _check_links(item, library, at)
    if library is not None:
        problems += check_crosswalk_codes(questionnaire, library, at)
    problems += _check_parent_cycles(questionnaire, at)
    problems += _check_languages(questionnaire, at)
    return problems


def _check_bands(questionnaire: Questionnaire, at: ProblemAt) -> list[Problem]:
    scoring = questionnaire.scoring
    bands = sorted(scoring.bands, key=lambda band: band.min)
    problems = []
    expected = 0.0
    for band in bands:
        index = scoring.bands.index(band)
        if band.min != expected:
            problems.append(
                at(
                    "questionnaire",
                    ("scoring", "bands", index, "min"),
                    "bands must cover 0–100 without gaps or overlaps:"
                    f" expected a band starting at {expected:g}, found {band.min:g}",
                )
            )
        if band.max <= band.min:
            problems.append(
                at("questionnaire", ("scoring", "bands", index, "max"), "a band's max must be above its min")
            )
        expected = band.max
    if expected != 100:
        problems.append(
            at("questionnaire", ("scoring", "bands"), f"bands must cover 0–100: the highest band ends at {expected:g}")
        )
    if scoring.critical_cap not in {band.id for band in bands}:
        problems.append(
            at("questionnaire", ("scoring", "critical_cap"), f"critical_cap names no band: '{scoring.critical_cap}'")
        )
    return problems


def _check_scale(questionnaire: Questionnaire, at: ProblemAt) -> list[Problem]:
    if sorted(questionnaire.scale) != list(LEVELS):
        return [at("questionnaire", ("scale",), "the scale must describe exactly the levels 0, 1, 2, 3 and 4")]
    return []


def _check_item(item: Item, questionnaire: Questionnaire, at: ProblemAt, known: set[str]) -> list[Problem]:
    key = f"item:{item.id}"
    problems = []
    if item.levels and item.type != "maturity":
        problems.append(at(key, ("levels",), "level descriptors are for maturity items only"))
    for level in item.levels:
        if level not in LEVELS:
            problems.append(at(key, ("levels", level), f"level {level} is not on the 0–4 scale"))
    if item.parent is not None and item.parent not in known:
        problems.append(at(key, ("parent",), f"parent names an unknown item '{item.parent}'"))
    if item.show_if is not None and (item.show_if.item in questionnaire.items or item.show_if.item not in known):
        problems += _check_show_if(item, questionnaire, at)
    problems += _check_critical(item, at)
    if item.same_as is not None:
        problems += _check_same_as(item, questionnaire, at, known)
    return problems


def _check_critical(item: Item, at: ProblemAt) -> list[Problem]:
    """A critical item says why (the duty and its source); only critical items carry a reason."""
    key = f"item:{item.id}"
    if item.critical and not item.critical_reason.get("en", "").strip():
        return [at(key, ("critical",), "a critical item needs a critical_reason: the duty and its source")]
    if item.critical_reason and not item.critical:
        return [at(key, ("critical_reason",), "critical_reason is only for items marked critical: true")]
    if item.critical and not item.scored:
        return [at(key, ("critical",), f"a {item.type} item is not scored and cannot be critical")]
    return []


def _check_same_as(item: Item, questionnaire: Questionnaire, at: ProblemAt, known: set[str]) -> list[Problem]:
    """``same_as`` names another scored item that is itself answered (not a reference), and the
    referring item carries no score of its own (no critical flag, nothing depends on it)."""
    key = f"item:{item.id}"
    target = questionnaire.items.get(item.same_as or "")
    if target is None:
        if item.same_as in known:
            return []
        return [at(key, ("same_as",), f"same_as names an unknown item '{item.same_as}'")]
    if target.id == item.id:
        return [at(key, ("same_as",), "an item cannot refer to itself")]
    if target.same_as is not None:
        return [
            at(key, ("same_as",), f"'{target.id}' is itself a reference (to '{target.same_as}'): refer to that item")
        ]
    if target.type != item.type:
        return [at(key, ("same_as",), f"'{target.id}' is a {target.type} item, this one is {item.type}")]
    problems = []
    if item.critical:
        problems.append(at(key, ("critical",), "a reference is scored under the item it names: mark that one critical"))
    if item.id in questionnaire.children:
        problems.append(
            at(key, ("same_as",), "other items depend on this one (show_if): they must depend on the answered item")
        )
    return problems


def _check_show_if(item: Item, questionnaire: Questionnaire, at: ProblemAt) -> list[Problem]:
    assert item.show_if is not None
    key = f"item:{item.id}"
    target = questionnaire.items.get(item.show_if.item)
    value = item.show_if.at_least
    if target is None:
        return [at(key, ("show_if", "item"), f"show_if names an unknown item '{item.show_if.item}'")]
    if target.id == item.id:
        return [at(key, ("show_if", "item"), "an item cannot depend on itself")]
    if target.type == "maturity" and not (isinstance(value, int) and 1 <= value <= 4):
        return [at(key, ("show_if", "at_least"), f"'{value}' is not a level of maturity item {target.id} (use 1–4)")]
    if target.type == "yes_no" and value not in ("partial", "yes"):
        return [
            at(
                key,
                ("show_if", "at_least"),
                f"'{value}' is not an answer of yes/no item {target.id} (use partial or yes)",
            )
        ]
    if target.type not in ("maturity", "yes_no"):
        return [
            at(key, ("show_if", "item"), f"show_if can only depend on a maturity or yes/no item, not {target.type}")
        ]
    return []


def _check_links(item: Item, library: Library, at: ProblemAt) -> list[Problem]:
    key = f"item:{item.id}"
    problems = []
    known: dict[str, Mapping[str, object]] = {
        "resources": library.resource_by_id,
        "practices": library.practice_by_id,
        "challenges": library.challenge_by_id,
    }
    for resource_id in item.resource_parts:
        if resource_id not in item.resources:
            problems.append(
                at(key, ("resource_parts", resource_id), f"'{resource_id}' is not among this item's resources")
            )
    for field_name, index in known.items():
        for position, link in enumerate(getattr(item, field_name)):
            if link not in index:
                problems.append(at(key, (field_name, position), f"links to an unknown {field_name[:-1]} '{link}'"))
    tag_ids = {tag.id for tag in library.tags}
    if tag_ids:
        for position, tag in enumerate(item.tags):
            if tag not in tag_ids:
                problems.append(at(key, ("tags", position), f"unknown tag '{tag}' (see library/tags.yaml)"))
    return problems


def _check_parent_cycles(questionnaire: Questionnaire, at: ProblemAt) -> list[Problem]:
    problems = []
    for item in questionnaire.items.values():
        seen = {item.id}
        current = item
        while current.parent is not None and current.parent in questionnaire.items:
            if current.parent in seen:
                problems.append(
                    at(
                        f"item:{item.id}",
                        ("parent",),
                        f"parent chain loops back: {' → '.join([*seen, current.parent])}",
                    )
                )
                break
            seen.add(current.parent)
            current = questionnaire.items[current.parent]
    return problems


def _texts(questionnaire: Questionnaire) -> Iterator[tuple[str, tuple[str | int, ...], dict[str, str]]]:
    """Every translatable text with where it was written."""
    yield "questionnaire", ("title",), questionnaire.title
    for level, text in questionnaire.scale.items():
        yield "questionnaire", ("scale", level), text
    for index, band in enumerate(questionnaire.scoring.bands):
        yield "questionnaire", ("scoring", "bands", index, "label"), band.label
    for pillar in questionnaire.pillars:
        yield f"pillar:{pillar.id}", ("title",), pillar.title
        for measure in pillar.measures:
            yield f"measure:{measure.id}", ("title",), measure.title
            for item in measure.items:
                yield f"item:{item.id}", ("question",), item.question
                if item.guidance:
                    yield f"item:{item.id}", ("guidance",), item.guidance
                for level, text in item.levels.items():
                    yield f"item:{item.id}", ("levels", level), text


def _check_languages(questionnaire: Questionnaire, at: ProblemAt) -> list[Problem]:
    problems = []
    for key, path, text in _texts(questionnaire):
        missing = [language for language in questionnaire.languages if not text.get(language, "").strip()]
        if missing:
            problems.append(at(key, path, f"missing text in declared language(s): {', '.join(missing)}"))
    return problems


def check_library(library: Library, at: ProblemAt) -> list[Problem]:
    """Links inside the library: tags, instrument resources."""
    problems = []
    tag_ids = {tag.id for tag in library.tags}
    tagged: list[tuple[str, list[str]]] = [(f"resources:{r.id}", r.tags) for r in library.resources]
    tagged += [(f"practices:{p.id}", p.tags) for p in library.practices]
    if tag_ids:
        for key, tags in tagged:
            for position, tag in enumerate(tags):
                if tag not in tag_ids:
                    problems.append(at(key, ("tags", position), f"unknown tag '{tag}' (see tags.yaml)"))
    problems += _check_indicator_sets(library, at)
    problems += _check_frameworks(library, at)
    problems += _check_treaties(library, at)
    problems += _check_practice_countries(library, at)
    problems += _check_duties(library, at)
    for instrument in library.instruments:
        if instrument.resource and instrument.resource not in library.resource_by_id:
            problems.append(
                at(
                    f"instruments:{instrument.id}",
                    ("resource",),
                    f"links to an unknown resource '{instrument.resource}'",
                )
            )
    return problems


def _check_indicator_sets(library: Library, at: ProblemAt) -> list[Problem]:
    """Each set names a known resource as its source; no dimension or indicator twice."""
    problems = []
    for indicator_set in library.indicator_sets:
        key = f"indicator_sets:{indicator_set.id}"
        if indicator_set.source not in library.resource_by_id:
            problems.append(at(key, ("source",), f"links to an unknown resource '{indicator_set.source}'"))
        seen_dimensions: set[str] = set()
        for d_index, dimension in enumerate(indicator_set.dimensions):
            if dimension.id in seen_dimensions:
                problems.append(at(key, ("dimensions", d_index, "id"), f"duplicate dimension '{dimension.id}'"))
            seen_dimensions.add(dimension.id)
            seen_texts: set[str] = set()
            for i_index, indicator in enumerate(dimension.indicators):
                text = indicator.text.get("en", "").strip().casefold()
                if text in seen_texts:
                    path = ("dimensions", d_index, "indicators", i_index, "text")
                    problems.append(at(key, path, "the same indicator is listed twice in this dimension"))
                seen_texts.add(text)
    return problems


def _check_frameworks(library: Library, at: ProblemAt) -> list[Problem]:
    problems = []
    for framework in library.frameworks:
        key = f"frameworks:{framework.id}"
        if framework.source and framework.source not in library.resource_by_id:
            problems.append(at(key, ("source",), f"links to an unknown resource '{framework.source}'"))
        codes = [entry.code for entry in framework.entries]
        for index, code in enumerate(codes):
            if code in codes[:index]:
                problems.append(at(key, ("entries", index, "code"), f"duplicate code '{code}'"))
    return problems


def _check_treaties(library: Library, at: ProblemAt) -> list[Problem]:
    """Each treaty once per country; an unknown status carries no dates (nothing unchecked is shown as fact)."""
    problems = []
    for country in library.countries:
        seen: set[str] = set()
        for index, entry in enumerate(country.treaties):
            key = f"countries:{country.code}"
            if entry.treaty in seen:
                problems.append(at(key, ("treaties", index, "treaty"), f"'{entry.treaty}' is listed twice"))
            seen.add(entry.treaty)
            dated = [name for name in ("signed", "ratified", "in_force") if getattr(entry, name)]
            if entry.status == "unknown" and dated:
                problems.append(
                    at(key, ("treaties", index, "status"), f"an unknown status cannot have dates ({', '.join(dated)})")
                )
            if entry.status == "not-party" and (entry.ratified or entry.in_force):
                problems.append(
                    at(key, ("treaties", index, "status"), "a State that is not a party has no ratification")
                )
    return problems


def _check_practice_countries(library: Library, at: ProblemAt) -> list[Problem]:
    """A practice from a country without a profile names the country, so that no page shows a bare code."""
    if not library.countries:
        return []
    codes = {country.code for country in library.countries}
    return [
        at(f"practices:{p.id}", ("country",), f"'{p.country}' has no country profile: add country_name")
        for p in library.practices
        if p.country and p.country not in codes and not p.country_name
    ]


def _check_duties(library: Library, at: ProblemAt) -> list[Problem]:
    """A duty is mapped to items or says why it is out of scope, not both."""
    problems = []
    for duty in library.duties:
        if duty.items and duty.out_of_scope:
            problems.append(at(f"duties:{duty.id}", ("out_of_scope",), "a duty mapped to items is not out of scope"))
    return problems


def check_library_measures(library: Library, questionnaire: Questionnaire, at: ProblemAt) -> list[Problem]:
    """Measures named by indicator sets and items named by duties exist in the questionnaire."""
    problems = []
    for duty in library.duties:
        for position, item_id in enumerate(duty.items):
            if item_id not in questionnaire.items:
                problems.append(
                    at(
                        f"duties:{duty.id}",
                        ("items", position),
                        f"names an item that {questionnaire.key} does not have: '{item_id}'",
                    )
                )
    for indicator_set in library.indicator_sets:
        for position, measure_id in enumerate(indicator_set.measures):
            if measure_id not in questionnaire.measures:
                problems.append(
                    at(
                        f"indicator_sets:{indicator_set.id}",
                        ("measures", position),
                        f"names a measure that {questionnaire.key} does not have: '{measure_id}'",
                    )
                )
    return problems


def check_crosswalk_codes(questionnaire: Questionnaire, library: Library, at: ProblemAt) -> list[Problem]:
    """Each crosswalk code of an item is defined in ``library/frameworks.yaml`` (once that file exists)."""
    problems = []
    for framework in library.frameworks:
        codes = {entry.code for entry in framework.entries}
        for item in questionnaire.items.values():
            for position, code in enumerate(item.crosswalk.get(framework.id, [])):
                if code not in codes:
                    problems.append(
                        at(
                            f"item:{item.id}",
                            ("crosswalk", framework.id, position),
                            f"'{code}' is not a {framework.id} code of library/frameworks.yaml",
                        )
                    )
    return problems
