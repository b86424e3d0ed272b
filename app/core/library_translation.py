"""Library text per language, from the library's translators' catalogues (pure: no files, no gettext).

The same pattern as the questionnaire's (``app.core.translation``): each translatable library
text is a *text unit*, keyed by where it sits (``resource/<id>/summary``,
``practice/<id>/description``, ``measure-text/<id>/methodology``) and its English text, so a
translation shows only while the English it was made from is unchanged.

Titles of publications, instrument names, laws and citations are never text units: a Thai title
appears only where the publication has one (written in the YAML itself).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from app.core.editorial import MeasureText
from app.core.library import Library
from app.core.questionnaire import SOURCE_LANGUAGE
from app.core.translation import Lookup, TextUnit

# (list in the library, context prefix, the translatable LocalText fields of each entry)
_FIELDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("tags", "tag", ("label",)),
    ("resources", "resource", ("summary",)),
    ("practices", "practice", ("description",)),
    ("challenges", "challenge", ("text",)),
    ("principles", "principle", ("title", "text")),
    ("instruments", "instrument", ("requires",)),
)
_MEASURE_FIELDS = ("policy_measures", "methodology")


def _library_texts(content: dict[str, Any]) -> Iterator[tuple[str, dict[str, str]]]:
    for name, prefix, fields in _FIELDS:
        for entry in content.get(name, []):
            for field in fields:
                if entry.get(field):
                    yield f"{prefix}/{entry['id']}/{field}", entry[field]


def _measure_texts(contents: Sequence[dict[str, Any]]) -> Iterator[tuple[str, dict[str, str]]]:
    for content in contents:
        for field in _MEASURE_FIELDS:
            if content.get(field):
                yield f"measure-text/{content['measure']}/{field}", content[field]


def library_text_units(library: Library, measure_texts: Sequence[MeasureText] = ()) -> list[TextUnit]:
    """Every translatable library text, in file order."""
    pairs = [
        *_library_texts(library.model_dump(mode="json")),
        *_measure_texts([text.model_dump(mode="json") for text in measure_texts]),
    ]
    return [TextUnit(context, text[SOURCE_LANGUAGE]) for context, text in pairs if text.get(SOURCE_LANGUAGE)]


def _merge(pairs: Iterator[tuple[str, dict[str, str]]], catalogues: Mapping[str, Lookup]) -> None:
    for context, text in pairs:
        english = text.get(SOURCE_LANGUAGE)
        if not english:
            continue
        for language, lookup in catalogues.items():
            translation = lookup.get((context, english))
            if translation and not text.get(language):  # a translation written in the YAML itself wins
                text[language] = translation


def library_with_translations(library: Library, catalogues: Mapping[str, Lookup]) -> Library:
    """The library with each language's catalogue merged into its texts (English fallback string by string)."""
    if not any(catalogues.values()):  # nothing translated yet: the library exactly as loaded
        return library
    content = library.model_dump(mode="json")
    _merge(_library_texts(content), catalogues)
    return Library.model_validate(content)


def measure_texts_with_translations(
    texts: Sequence[MeasureText], catalogues: Mapping[str, Lookup]
) -> list[MeasureText]:
    if not any(catalogues.values()):
        return list(texts)
    contents = [text.model_dump(mode="json") for text in texts]
    _merge(_measure_texts(contents), catalogues)
    return [MeasureText.model_validate(content) for content in contents]
