"""What each searchable thing contributes to the index: title, body text, facets and its page.

Pure functions from core objects to ``Document`` values. Bodies hold the text in
every language the source has, so that a Thai or Chinese word finds its entry.
Paths are those of the public resource centre (the ``library`` blueprint).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from app.core.editorial import MeasureText
from app.core.library import Country, IndicatorSet, Instrument, LawEntry, Practice, Resource
from app.core.questionnaire import SOURCE_LANGUAGE, Item, Measure, Pillar, Questionnaire
from app.services.rich_text import plain_text
from app.services.search.query import clean_text

TagLabels = Mapping[str, Mapping[str, str]]


@dataclass(frozen=True)
class Document:
    kind: str
    key: str
    title: str
    body: str
    path: str
    pillars: tuple[str, ...] = ()
    measures: tuple[str, ...] = ()
    type: str | None = None
    country: str | None = None
    year: int | None = None
    languages: tuple[str, ...] = ()
    text_languages: tuple[str, ...] = ()  # the languages its own text is in (not a facet)

    def values(self) -> dict[str, Any]:
        """Column values for ``SearchDocument``: clean text, multi-valued facets as ``|a|b|``."""
        return {
            "kind": self.kind,
            "key": self.key,
            "title": clean_text(self.title).strip()[:2000],
            "body": clean_text(self.body).strip(),
            "path": self.path[:300],
            "pillars": _joined(self.pillars)[:200],
            "measures": _joined(self.measures),
            "type": self.type,
            "country": self.country,
            "year": self.year,
            "languages": _joined(self.languages)[:200],
            "text_languages": _joined(self.text_languages)[:200],
        }


def _joined(values: Iterable[str]) -> str:
    unique = list(dict.fromkeys(value for value in values if value))
    return f"|{'|'.join(unique)}|" if unique else ""


def _texts(*texts: Mapping[str, str] | str | None) -> list[str]:
    """Every language's text, English first, without empty ones."""
    result: list[str] = []
    for text in texts:
        if isinstance(text, str):
            result.append(text)
        elif text:
            result.extend(value for _, value in sorted(text.items(), key=lambda pair: pair[0] != SOURCE_LANGUAGE))
    return [value for value in result if value]


def _in(*texts: Mapping[str, str] | str | None) -> tuple[str, ...]:
    """The languages of the texts (plain strings are English); English first."""
    found = [SOURCE_LANGUAGE] if any(isinstance(text, str) and text for text in texts) else []
    found += [language for text in texts if isinstance(text, Mapping) for language, value in text.items() if value]
    return tuple(sorted(set(found), key=lambda language: (language != SOURCE_LANGUAGE, language)))


def _body(*parts: Mapping[str, str] | str | None) -> str:
    return "\n".join(plain_text(text) for text in _texts(*parts))  # editors' rich text without its tags


def _tag_texts(tags: Iterable[str], labels: TagLabels) -> list[str]:
    return [text for tag in tags for text in _texts(labels.get(tag))]


def resource_document(resource: Resource, labels: TagLabels, pillar_of_measure: Mapping[str, str]) -> Document:
    return Document(
        kind="resource",
        key=resource.id,
        title=resource.title,
        body=_body(resource.summary, resource.publisher, resource.part, *_tag_texts(resource.tags, labels)),
        path=f"/resources/{resource.id}",
        pillars=(*resource.pillars, *(pillar_of_measure[m] for m in resource.measures if m in pillar_of_measure)),
        measures=tuple(resource.measures),
        type=resource.type,
        year=resource.year,
        # The language facet of a resource is the publication's: a Thai summary of an English
        # report makes it findable in Thai, not a Thai publication.
        languages=tuple(resource.languages),
        text_languages=_in(resource.title, resource.summary),
    )


def practice_document(practice: Practice, labels: TagLabels, pillar_of_measure: Mapping[str, str]) -> Document:
    return Document(
        kind="practice",
        key=practice.id,
        title=practice.title,
        body=_body(practice.description, practice.region, practice.source, *_tag_texts(practice.tags, labels)),
        path=f"/practices/{practice.id}",
        pillars=tuple(pillar_of_measure[m] for m in practice.measures if m in pillar_of_measure),
        measures=tuple(practice.measures),
        country=practice.country,
        year=practice.year,
        languages=tuple(practice.description),
        text_languages=_in(practice.title, practice.description),
    )


def indicators_document(indicator_set: IndicatorSet, pillar_of_measure: Mapping[str, str]) -> Document:
    """A set of weighted victim identification indicators: found by the signs it lists."""
    signs = [indicator.text for dimension in indicator_set.dimensions for indicator in dimension.indicators]
    titles = [dimension.title for dimension in indicator_set.dimensions]
    return Document(
        kind="indicators",
        key=indicator_set.id,
        title=_english(indicator_set.title),
        body=_body(indicator_set.summary, indicator_set.rule, *titles, *signs),
        path=f"/indicators/{indicator_set.id}",
        pillars=tuple(dict.fromkeys(pillar_of_measure[m] for m in indicator_set.measures if m in pillar_of_measure)),
        measures=tuple(indicator_set.measures),
        languages=tuple(indicator_set.title),
        text_languages=_in(indicator_set.title, indicator_set.summary),
    )


def instrument_document(instrument: Instrument) -> Document:
    return Document(
        kind="instrument",
        key=instrument.id,
        title=instrument.title,
        body=_body(instrument.short_title, instrument.requires),
        path=f"/instruments#{instrument.id}",
        type=instrument.scope,
        year=instrument.adopted,
        languages=tuple(instrument.requires),
        text_languages=_in(instrument.title, instrument.requires),
    )


def _law_texts(entries: Iterable[LawEntry]) -> list[str]:
    return [text for entry in entries for text in (entry.title, entry.note) if text]


def country_document(country: Country) -> Document:
    return Document(
        kind="country",
        key=country.code,
        title=country.name,
        body=_body(
            country.official_name,
            country.native_name,
            country.subregion,
            country.coordinating_body,
            *_law_texts([*country.laws, *country.action_plans, *country.sops, *country.mous]),
            country.notes,
        ),
        path=f"/countries/{country.code}",
        type=country.kind,
        country=country.code,
    )


def bare_country_document(code: str, name: str, subregion: str | None, kind: str) -> Document:
    """A country row without a loaded profile (e.g. added by an administrator)."""
    return Document(
        kind="country",
        key=code,
        title=name,
        body=_body(subregion),
        path=f"/countries/{code}",
        type=kind,
        country=code,
    )


def questionnaire_documents(
    questionnaire: Questionnaire, measure_texts: Mapping[str, MeasureText] | None = None
) -> Iterator[Document]:
    """Measures (with the texts editors wrote for them, if any) and their items."""
    for pillar in questionnaire.pillars:
        for measure in pillar.measures:
            yield measure_document(pillar, measure, (measure_texts or {}).get(measure.id))
            for item in measure.items:
                yield item_document(pillar, measure, item)


def measure_document(pillar: Pillar, measure: Measure, texts: MeasureText | None = None) -> Document:
    edited = (texts.policy_measures, texts.methodology) if texts else ()
    return Document(
        kind="measure",
        key=measure.id,
        title=_titles(measure.id, measure.title),
        body=_body(measure.summary, *edited),
        path=f"/policy/measures/{measure.id}",
        pillars=(pillar.id,),
        measures=(measure.id,),
        languages=(*measure.title, *measure.summary),
        text_languages=_in(measure.title, measure.summary, *edited),
    )


def item_document(pillar: Pillar, measure: Measure, item: Item) -> Document:
    other_questions = {k: v for k, v in item.question.items() if k != SOURCE_LANGUAGE}
    levels = [text for level in sorted(item.levels) for text in _texts(item.levels[level])]
    return Document(
        kind="item",
        key=item.id,
        title=f"{item.id} {_english(item.question)}",
        body=_body(item.guidance, other_questions, *levels),
        path=f"/policy/measures/{measure.id}#item-{item.id}",
        pillars=(pillar.id,),
        measures=(measure.id,),
        languages=tuple(item.question),
        text_languages=_in(item.question, item.guidance),
    )


def _titles(prefix: str, title: Mapping[str, str]) -> str:
    """The English title, then its translations, one per line: a search in Thai matches the Thai
    title as a title (not lost in a body holding the summary in every language), and the results
    show the line that matched (service.shown_title)."""
    others = [text for language, text in title.items() if language != SOURCE_LANGUAGE and text]
    return "\n".join([f"{prefix} {_english(title)}", *(f"{prefix} {text}" for text in others)])


def _english(text: Mapping[str, str]) -> str:
    return text.get(SOURCE_LANGUAGE) or next(iter(text.values()), "")
