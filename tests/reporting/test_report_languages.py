"""Reports in the assessment's language: the report's own words from the interface's catalogues,
the script's Noto font embedded, right-to-left for Arabic, and the draft-translation line."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.library import Library
from app.core.questionnaire import Questionnaire
from app.reporting.builder import load_translations
from app.reporting.fetcher import ReportAssets
from app.services.translations import compile_interface
from config import LANGUAGES, TRANSLATIONS
from tests.reporting.conftest import ROOT, mini_input, pdf_tool, render

ASSETS = ReportAssets(ROOT / "reports", translations=TRANSLATIONS)
TITLE = "Gap-analysis report"
FONTS = {"th": "Noto-Sans-Thai", "km": "Noto-Sans-Khmer", "my": "Noto-Sans-Myanmar", "ar": "Arabic"}


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogues() -> None:
    """The app compiles stale catalogues when it starts; these tests use the catalogues without an app."""
    compile_interface(TRANSLATIONS, LANGUAGES)


@pytest.fixture
def mini_and_library(mini: Questionnaire, mini_library: Library) -> tuple[Questionnaire, Library]:
    return mini, mini_library


def translated_title(language: str) -> str:
    return load_translations(ASSETS, language).gettext(TITLE)


@pytest.mark.parametrize("language", sorted(FONTS))
def test_a_report_in_the_language_uses_its_words_and_embeds_its_script(
    language: str, mini_and_library: tuple[Questionnaire, Library], tmp_path: Path
) -> None:
    title = translated_title(language)
    if title == TITLE:
        pytest.skip(f"the {language} catalogue does not translate the report's words yet")
    rendered = render(mini_input(*mini_and_library, language=language), ASSETS)
    assert f'lang="{language}"' in rendered.html and title in rendered.html
    assert FONTS[language] in pdf_tool("pdffonts", rendered.pdf, tmp_path)
    if language in ("th", "ar"):  # pdftotext cannot rebuild Khmer and Myanmar clusters (see test_scripts)
        text = "".join(pdf_tool("pdftotext", rendered.pdf, tmp_path, "-enc", "UTF-8").split())
        assert title.split()[0][:5] in text  # pdftotext may move Thai marks inside a word: its start


def test_an_arabic_report_reads_right_to_left(mini_and_library: tuple[Questionnaire, Library]) -> None:
    rendered = render(mini_input(*mini_and_library, language="ar"), ASSETS)
    assert 'dir="rtl"' in rendered.html


def test_a_draft_translation_says_so_and_english_does_not(mini_and_library: tuple[Questionnaire, Library]) -> None:
    thai = render(mini_input(*mini_and_library, language="th"), ASSETS).html
    english = render(mini_input(*mini_and_library, language="en"), ASSETS).html
    assert thai.count('class="draft-translation"') == 1 and 'class="draft-translation"' not in english
