"""The translators' catalogues: they compile, keep the English placeholders, and cover the code.

Every language's interface catalogue must be complete (``INTERFACE_COMPLETE``); the
``FULLY_TRANSLATED`` languages must also have the whole questionnaire translated (issue 14 ships
them complete), while the others may fall back to English there, text by text.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo

from app.core.loader import load_questionnaire
from app.core.translation import text_units
from app.services.translations import interface_catalogue, questionnaire_catalogue, read_catalogue
from config import LANGUAGES, ROOT, TRANSLATIONS

TRANSLATED = [language for language in LANGUAGES if language != "en"]
FULLY_TRANSLATED = ["th", "id", "vi"]
INTERFACE_COMPLETE = TRANSLATED  # every interface string in every language (issue 14)
QUESTIONNAIRE = ROOT / "questionnaires" / "ctsat-1.0"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|\{\w+\}")


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def strings(message: Message) -> tuple[str, ...]:
    return tuple(message.string) if isinstance(message.string, tuple | list) else (message.string,)


def english(message: Message) -> tuple[str, ...]:
    return tuple(message.id) if isinstance(message.id, tuple | list) else (message.id,)


def catalogues() -> list[tuple[str, Path]]:
    found = [(language, interface_catalogue(TRANSLATIONS, language)) for language in TRANSLATED]
    found += [(language, questionnaire_catalogue(QUESTIONNAIRE, language)) for language in TRANSLATED]
    return [(language, path) for language, path in found if path.exists()]


@pytest.mark.parametrize(("language", "path"), catalogues(), ids=lambda value: str(value)[-40:])
def test_every_catalogue_compiles(language: str, path: Path) -> None:
    write_mo(io.BytesIO(), read_catalogue(path, language))


@pytest.mark.parametrize(("language", "path"), catalogues(), ids=lambda value: str(value)[-40:])
def test_translations_keep_the_english_placeholders(language: str, path: Path) -> None:
    wrong = []
    for message in read_catalogue(path, language):
        if not message.id:
            continue
        expected = set().union(*(placeholders(text) for text in english(message)))
        for text in strings(message):
            # a plural form may leave out the number (Thai and Chinese have one form; "%(num)s" stays)
            if text and placeholders(text) != expected and placeholders(text) | {"%(num)s"} != expected:
                wrong.append(f"{english(message)[0]!r}: {text!r}")
    assert not wrong, "\n".join(wrong)


def extracted_ids() -> set[str]:
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None, "N_": None}
    return {
        message if isinstance(message, str) else message[0]
        for _, _, message, _, _ in extract_from_dir(ROOT, method_map, options_map, keywords=keywords)
    }


def test_every_string_of_the_code_is_in_the_catalogues() -> None:
    template = read_catalogue(TRANSLATIONS / "messages.pot")
    missing = sorted(
        extracted_ids() - {str(message.id if isinstance(message.id, str) else message.id[0]) for message in template}
    )
    assert not missing, f"run `ctsat translations export` to add: {missing[:10]}"


@pytest.mark.parametrize("language", INTERFACE_COMPLETE)
def test_fully_translated_languages_translate_every_interface_string(language: str) -> None:
    template = read_catalogue(TRANSLATIONS / "messages.pot")
    catalog: Catalog = read_catalogue(interface_catalogue(TRANSLATIONS, language), language)
    untranslated = [
        message.id
        for message in template
        if message.id and not all(strings(catalog.get(message.id) or Message(message.id, "")))
    ]
    assert not untranslated, f"{language}: {len(untranslated)} untranslated, e.g. {untranslated[:5]}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_questionnaire_catalogues_hold_only_current_texts(language: str) -> None:
    path = questionnaire_catalogue(QUESTIONNAIRE, language)
    if not path.exists():
        pytest.skip("no catalogue for this language")
    current = {(unit.context, unit.english) for unit in text_units(load_questionnaire(QUESTIONNAIRE))}
    stale = [
        message.context
        for message in read_catalogue(path, language)
        if message.id and (message.context, message.id) not in current
    ]
    assert not stale, f"run `ctsat translations export`: {stale[:5]}"


@pytest.mark.parametrize("language", FULLY_TRANSLATED)
def test_fully_translated_languages_translate_the_whole_questionnaire(language: str) -> None:
    """Issue 14: measure texts, questions, level descriptors and guidance in Thai, Indonesian and
    Vietnamese, string by string (a text changed in English counts as untranslated until redone)."""
    catalog = read_catalogue(questionnaire_catalogue(QUESTIONNAIRE, language), language)
    translated = {(m.context, m.id) for m in catalog if m.id and m.string and not m.fuzzy}
    missing = [
        unit.context
        for unit in text_units(load_questionnaire(QUESTIONNAIRE))
        if (unit.context, unit.english) not in translated
    ]
    assert not missing, f"{language}: {len(missing)} questionnaire texts untranslated, e.g. {missing[:5]}"


TEMPLATE_TAGS = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
NOT_WORDS = {"CTSAT", "sitemap.xml"}  # the product's name and a file name


def ignorable(text: str) -> bool:
    """Not words for a reader: the product's name, a file name, CSS class names from a block."""
    words = " ".join(re.sub(r"[–/·|]", " ", text).split())
    return words in NOT_WORDS or bool(re.fullmatch(r"[a-z0-9_ -]*--[a-z0-9_ -]*", words))


@pytest.mark.parametrize("folder", [ROOT / "app" / "web" / "templates", ROOT / "reports"], ids=["web", "reports"])
def test_every_template_text_goes_through_gettext(folder: Path) -> None:
    unwrapped = []
    for path in sorted(folder.rglob("*.html")):
        # scripts, styles and text marked lang="en" (deliberately English, like the switcher's own label) aside
        skipped = r"<script.*?</script>|<style.*?</style>|<span[^>]*lang=\"en\"[^>]*>[^<]*</span>"
        text = re.sub(skipped, " ", TEMPLATE_TAGS.sub(" ", path.read_text()), flags=re.S)
        texts = [match.strip() for match in re.findall(r">([^<>]+)<", text)]
        texts += re.findall(r'(?:title|aria-label|placeholder|alt)="([^"]*)"', text)
        unwrapped += [f"{path.name}: {t!r}" for t in texts if re.search(r"[A-Za-z]{2,}", t) and not ignorable(t)]
    assert not unwrapped, unwrapped[:10]
