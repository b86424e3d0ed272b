"""Render a report: context → HTML (Jinja templates of ``reports/``) → PDF (WeasyPrint), once.

- ``gap_report(data, assets)``: the context (plain values, ``view.GapReport``), which a DOCX or
  XLSX writer can use as well;
- ``render_html(template, assets, language, **context)``: the HTML, with text escaped and numbers
  and dates formatted by Babel for the report's language; ``report_key(html, assets)`` is a cache
  key for its PDF;
- ``layout(html, assets)``: the laid-out WeasyPrint document (pages, bookmarks), fetching only
  the report's own assets;
- ``build_gap_pdf(data, assets)``: the gap-analysis report as PDF bytes, with its page count and
  the seconds it took.

WeasyPrint is imported on first use (it is slow to load). Fonts declared by ``@font-face`` are
loaded once per process into one FontConfiguration per asset folder; rendering holds a lock
because WeasyPrint's font machinery is not thread-safe.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from gettext import NullTranslations
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from babel.support import Translations
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from app.reporting.context import build_gap_context, text_direction
from app.reporting.fetcher import BASE_URL, MEDIA_TYPES, FetchLog, ReportAssets, report_fetcher
from app.reporting.inputs import GapReportInput
from app.reporting.view import GapReport

GAP_TEMPLATE = "gap.html"

_lock = threading.RLock()
_environments: dict[tuple[ReportAssets, str], Environment] = {}
_font_configs: dict[ReportAssets, Any] = {}


@dataclass(frozen=True)
class RenderedReport:
    pdf: bytes
    pages: int
    seconds: float


def _locale(language: str) -> Locale:
    try:
        return Locale.parse(language.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return Locale.parse("en")


def load_translations(assets: ReportAssets, language: str) -> NullTranslations:
    """The report's message catalogue for ``language`` (none: the English text of the templates)."""
    if assets.translations is None:
        return NullTranslations()
    return Translations.load(str(assets.translations), [language])


def translation_is_draft(assets: ReportAssets, language: str) -> bool:
    """Whether the report's words in ``language`` include any a native-speaking reviewer has not
    approved (PO flag ``reviewed``, see ``app.services.translations``): the report then says so."""
    if assets.translations is None:
        return False
    po = assets.translations / language / "LC_MESSAGES" / "messages.po"
    if not po.exists():
        return False
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    return any(message.id and message.string and "reviewed" not in message.flags for message in catalog)


def _filters(locale: Locale) -> dict[str, Callable[..., str]]:
    def decimal(value: float, pattern: str | None = None) -> str:
        return format_decimal(value, format=pattern, locale=locale)

    def percent(value: float) -> str:
        return format_percent(value, locale=locale)

    def date_filter(value: date, style: str = "long") -> str:
        return format_date(value, format=style, locale=locale)

    return {"decimal": decimal, "percent": percent, "date": date_filter, "direction": text_direction}


def template_environment(assets: ReportAssets, language: str) -> Environment:
    """One Jinja environment per asset folder and language (templates compile once, reload when edited)."""
    key = (assets, language)
    environment = _environments.get(key)
    if environment is None:
        environment = Environment(
            loader=FileSystemLoader(assets.folder),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            extensions=["jinja2.ext.i18n"],
            trim_blocks=True,
            lstrip_blocks=True,
        )
        environment.install_gettext_translations(load_translations(assets, language), newstyle=True)  # type: ignore[attr-defined]
        environment.filters.update(_filters(_locale(language)))
        environment.globals["draft_translation"] = translation_is_draft(assets, language)
        _environments[key] = environment
    return environment


def render_html(template: str, assets: ReportAssets, language: str, **context: object) -> str:
    """The report's HTML from ``reports/<template>``; every value in ``context`` is escaped unless marked safe."""
    return template_environment(assets, language).get_template(template).render(**context)


def report_key(html: str, assets: ReportAssets) -> str:
    """A cache key for the PDF of ``html``: changes when the HTML or any asset of the reports folder
    (stylesheets, fonts, images) changes. Computing it costs a render_html, not a PDF."""
    digest = hashlib.sha256(html.encode())
    for path in sorted(assets.folder.rglob("*")):
        if path.is_file() and path.suffix.lstrip(".") in MEDIA_TYPES:
            stat = path.stat()
            digest.update(f"{path.relative_to(assets.folder)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def _font_config(assets: ReportAssets) -> Any:
    from weasyprint.text.fonts import FontConfiguration

    config = _font_configs.get(assets)
    if config is None:
        config = _font_configs[assets] = FontConfiguration()
    return config


# Thai and Lao AM vowels (ำ, ຳ) are drawn as two glyphs, NIKHAHIT + AA. WeasyPrint gives each
# glyph one text for the whole PDF, so copying or searching a Thai report read "ทำ" as "ทา", or
# every "า" as "ำ" ("การ" as "กำร"). Written as those two characters (Unicode's compatibility
# decomposition of the vowel) the page looks the same and its text comes back right.
_AM_VOWELS = str.maketrans({"\u0e33": "\u0e4d\u0e32", "\u0eb3": "\u0ecd\u0eb2"})


def text_for_pdf(html: str) -> str:
    """``html`` with the Thai and Lao AM vowels spelt as the two marks their glyphs are."""
    return html.translate(_AM_VOWELS)


def layout(html: str, assets: ReportAssets, log: FetchLog | None = None) -> Any:
    """The laid-out WeasyPrint document of ``html``: pages, boxes and bookmarks (tests inspect them)."""
    from weasyprint import HTML

    with _lock:
        fetcher = report_fetcher(assets, log)
        document = HTML(string=text_for_pdf(html), base_url=BASE_URL, url_fetcher=fetcher)
        return document.render(font_config=_font_config(assets))


def write_pdf(document: Any) -> bytes:
    with _lock:
        pdf: bytes = document.write_pdf()
    return pdf


def render_pdf(html: str, assets: ReportAssets, log: FetchLog | None = None) -> RenderedReport:
    """Lay out and write ``html`` once (page numbers of the contents resolve in the same pass)."""
    started = time.perf_counter()
    with _lock:
        document = layout(html, assets, log)
        pdf = write_pdf(document)
    return RenderedReport(pdf, len(document.pages), round(time.perf_counter() - started, 3))


def gap_report(data: GapReportInput, assets: ReportAssets) -> GapReport:
    """The report's context, with chart titles in the report's language."""
    translations = load_translations(assets, data.meta.language)
    return build_gap_context(data, translations.gettext)


def build_gap_pdf(data: GapReportInput, assets: ReportAssets, log: FetchLog | None = None) -> RenderedReport:
    """The country gap-analysis report as PDF."""
    started = time.perf_counter()
    report = gap_report(data, assets)
    html = render_html(GAP_TEMPLATE, assets, report.language, report=report)
    rendered = render_pdf(html, assets, log)
    return RenderedReport(rendered.pdf, rendered.pages, round(time.perf_counter() - started, 3))
