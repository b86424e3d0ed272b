"""Text in every member state's script prints with real glyphs from embedded Noto fonts and
comes back out of the PDF as text (pdffonts and pdftotext, as a reader's tools see it)."""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass

import pytest

from app.core.actions import ActionFields
from app.core.library import Library
from app.core.questionnaire import Questionnaire
from app.reporting.inputs import ItemNote
from tests.reporting.conftest import Rendered, mini_input, pdf_tool, render

CJK = r"Noto-Sans-CJK-(?:SC|TC|JP|KR)(?:-Bold)?"
# Script → (sample text, the embedded font pdffonts must list for it).
SAMPLES = {
    "thai": ("การค้ามนุษย์ ความคิดเห็นของเจ้าหน้าที่ การกระทำ น้ำ", r"Noto-Sans-Thai(?:-Bold)?"),
    "khmer": ("ការជួញដូរមនុស្ស ព្រះរាជាណាចក្រកម្ពុជា", r"Noto-Sans-Khmer(?:-Bold)?"),
    "lao": ("ສປປ ລາວ ການຄ້າມະນຸດ ຄຳ", r"Noto-Sans-Lao(?:-Bold)?"),
    "myanmar": ("မြန်မာ လူကုန်ကူးမှု", r"Noto-Sans-Myanmar(?:-Bold)?"),
    "sinhala": ("ශ්‍රී ලංකා මිනිස් ජාවාරම", r"Noto-Sans-Sinhala(?:-Bold)?"),
    "devanagari": ("भारत नेपाल मानव तस्करी", r"Noto-Sans-Devanagari(?:-Bold)?"),
    "bengali": ("বাংলাদেশ মানব পাচার", r"Noto-Sans-Bengali(?:-Bold)?"),
    "arabic": ("العراق الاتجار بالبشر", r"Noto-Naskh-Arabic(?:-Bold)?"),
    "persian": ("ایران قاچاق انسان", r"Noto-Naskh-Arabic(?:-Bold)?"),
    "chinese": ("中华人民共和国 人口贩运", CJK),
    "japanese": ("日本国 人身取引", CJK),
    "korean": ("대한민국 인신매매", CJK),
    "vietnamese": ("Việt Nam mua bán người", r"Noto-Sans(?:-Bold)?"),
    "mongolian": ("Монгол Улс хүн худалдаалах", r"Noto-Sans(?:-Bold)?"),
}
# Khmer and Myanmar place some marks before the consonant they follow (ក្រ, မြ). WeasyPrint maps
# each glyph to one piece of text for the whole document, so pdftotext repeats or misplaces those
# marks; the glyphs on the page are right (see the PNG check in reports/README.md).
REORDERED = {"khmer", "myanmar"}
BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Multilingual:
    rendered: Rendered
    log: list[str]


@pytest.fixture(scope="module")
def multilingual_run(mini: Questionnaire, mini_library: Library) -> Multilingual:
    """A report with every script in comments, country names, titles and the action plan,
    and what WeasyPrint logged while rendering it."""
    texts = [text for text, _ in SAMPLES.values()]
    notes = {item_id: ItemNote(comment=" · ".join(texts)) for item_id in ("PROS-1.2", "PROS-2.1", "PROT-1.2")}
    actions = [ActionFields(text, "PROT-1", lead_agency=text) for text in texts]
    data = mini_input(
        mini,
        mini_library,
        levels={"PROS-1.1": 2, "PROS-1.2": 1, "PROS-2.1": 0, "PROT-1.1": 4, "PROT-1.2": 1},
        notes=notes,
        actions=actions,
        country_name="ព្រះរាជាណាចក្រកម្ពុជា",
        native_name="ایران",
        assessment_title=" · ".join(texts),
    )
    messages: list[str] = []
    handler = _ListHandler(messages)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        rendered = render(data)
    finally:
        logger.removeHandler(handler)
    return Multilingual(rendered, messages)


class _ListHandler(logging.Handler):
    def __init__(self, messages: list[str]) -> None:
        super().__init__(logging.DEBUG)
        self.messages = messages

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture(scope="module")
def multilingual(multilingual_run: Multilingual) -> Rendered:
    return multilingual_run.rendered


def _plain(text: str) -> str:
    """Compared as NFKC: a Thai or Lao AM vowel comes back as its two marks (builder.text_for_pdf)."""
    return "".join(BIDI_MARKS.sub("", unicodedata.normalize("NFKC", text)).split())


@pytest.fixture(scope="module")
def extracted(multilingual: Rendered, tmp_path_factory: pytest.TempPathFactory) -> str:
    return _plain(pdf_tool("pdftotext", multilingual.pdf, tmp_path_factory.mktemp("text"), "-enc", "UTF-8"))


@pytest.fixture(scope="module")
def fonts(multilingual: Rendered, tmp_path_factory: pytest.TempPathFactory) -> list[list[str]]:
    listing = pdf_tool("pdffonts", multilingual.pdf, tmp_path_factory.mktemp("fonts"))
    return [line.split() for line in listing.splitlines()[2:] if line.strip()]


CLUSTER_REASON = (
    "pdftotext cannot rebuild Khmer and Myanmar clusters: WeasyPrint maps one text per glyph;"
    " the glyphs are right and every character comes back (tested above)"
)


@pytest.mark.parametrize("script", sorted(SAMPLES))
def test_the_scripts_noto_font_is_embedded(script: str, fonts: list[list[str]]) -> None:
    names = [row[0].split("+", 1)[-1] for row in fonts]
    assert any(re.fullmatch(SAMPLES[script][1], name) for name in names), names


def test_every_embedded_font_is_a_subset_noto_font(fonts: list[list[str]]) -> None:
    for row in fonts:
        name, embedded, subset = row[0], row[-5], row[-4]
        assert "+Noto-" in name and embedded == "yes" and subset == "yes", row


def test_no_character_fell_back_to_a_missing_glyph_and_every_font_loaded(multilingual_run: Multilingual) -> None:
    problems = [message for message in multilingual_run.log if ".notdef" in message or "cannot be loaded" in message]
    assert problems == []


@pytest.mark.parametrize(
    "script",
    [
        pytest.param(
            name,
            marks=pytest.mark.xfail(
                strict=True,
                reason=CLUSTER_REASON,
            ),
        )
        if name in REORDERED
        else name
        for name in sorted(SAMPLES)
    ],
)
def test_the_text_comes_back_out_of_the_pdf(script: str, extracted: str) -> None:
    for word in SAMPLES[script][0].split():
        assert _plain(word) in extracted, word


@pytest.mark.parametrize("script", sorted(REORDERED))
def test_every_character_of_reordering_scripts_comes_back(script: str, extracted: str) -> None:
    assert set(_plain(SAMPLES[script][0])) <= set(extracted)


def test_right_to_left_text_is_set_right_to_left(multilingual: Rendered) -> None:
    assert '<p class="cover__native" lang="und"><span dir="rtl">ایران</span></p>' in multilingual.html
    assert '<span dir="rtl">العراق الاتجار بالبشر</span>' in multilingual.html
