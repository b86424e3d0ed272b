"""Questionnaire text per language, from translators' catalogues (pure: no files, no gettext).

Every piece of questionnaire text a person reads is a *text unit*: a context that says where
it sits (``PROT-1.1/question``, ``PROT-1.1/levels/2``, ``PROT-1/title``, ``scale/3``,
``band/emerging/label``) and its English text. Translators' catalogues (gettext PO files, one
per language, beside the questionnaire) key each translation by that context and the English
text (``msgctxt`` and ``msgid``), so a translation is used only while the English it was made
from is unchanged: when an editor rewrites the English, the old translation stops showing and
the English shows until a translator catches up — string by string.

Legal sources, ids and links are not text units: citations and instrument names are never
translated.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from app.core.questionnaire import SOURCE_LANGUAGE, Questionnaire

Lookup = Mapping[tuple[str, str], str]  # (context, English) → translation


@dataclass(frozen=True)
class TextUnit:
    context: str
    english: str


def _local_texts(content: dict[str, Any]) -> Iterator[tuple[str, dict[str, str]]]:
    """(context, the LocalText dict inside ``content``) for every translatable text of a dumped questionnaire."""
    yield "questionnaire/title", content["title"]
    if content.get("description"):
        yield "questionnaire/description", content["description"]
    for level, text in content["scale"].items():
        yield f"scale/{level}", text
    for band in content["scoring"]["bands"]:
        yield f"band/{band['id']}/label", band["label"]
    for pillar in content["pillars"]:
        yield from _titled(pillar["id"], pillar)
        for measure in pillar["measures"]:
            yield from _titled(measure["id"], measure)
            for item in measure["items"]:
                yield f"{item['id']}/question", item["question"]
                if item.get("guidance"):
                    yield f"{item['id']}/guidance", item["guidance"]
                for level, text in item.get("levels", {}).items():
                    yield f"{item['id']}/levels/{level}", text
                if item.get("unit"):
                    yield f"{item['id']}/unit", item["unit"]


def _titled(key: str, content: dict[str, Any]) -> Iterator[tuple[str, dict[str, str]]]:
    yield f"{key}/title", content["title"]
    if content.get("summary"):
        yield f"{key}/summary", content["summary"]


def text_units(questionnaire: Questionnaire) -> list[TextUnit]:
    """Every translatable text of the questionnaire, in reading order."""
    content = questionnaire.model_dump(mode="json")
    return [
        TextUnit(context, text[SOURCE_LANGUAGE]) for context, text in _local_texts(content) if text.get(SOURCE_LANGUAGE)
    ]


def with_translations(questionnaire: Questionnaire, catalogues: Mapping[str, Lookup]) -> Questionnaire:
    """The questionnaire with each language's catalogue merged into its texts.

    A translation applies only to the English it was made from; anything else stays as the
    file has it (English, or a translation written in the YAML itself), so ``localise`` falls
    back to English string by string. Languages with a catalogue join ``languages``.
    """
    if not catalogues:
        return questionnaire
    content = questionnaire.model_dump(mode="json")
    for context, text in _local_texts(content):
        english = text.get(SOURCE_LANGUAGE)
        if not english:
            continue
        for language, lookup in catalogues.items():
            translation = lookup.get((context, english))
            if translation:
                text[language] = translation
    content["languages"] = list(dict.fromkeys([*content["languages"], *catalogues]))
    return Questionnaire.model_validate(content)
