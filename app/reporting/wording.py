"""The report's words and numbers for writers that are not templates (DOCX, XLSX).

The same texts as ``reports/partials/macros.html`` and the same Babel formats as the PDF's
filters, so a score reads "48.3" (or "48,3") in the PDF, the Word document and the spreadsheet.
Every word goes through the report's message catalogue (``_``, ``ngettext``).
"""

from __future__ import annotations

import datetime
import re
from gettext import NullTranslations

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

NO_VALUE = "\u2013"
# Characters XML 1.0 cannot hold (Word and Excel files are XML): removed from user text.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` without the control characters an XML document cannot hold."""
    return _NOT_XML.sub("", text)


def _locale(language: str) -> Locale:
    try:
        return Locale.parse(language.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return Locale.parse("en")


class Wording:
    """Translated words and formatted numbers in one language."""

    def __init__(self, translations: NullTranslations, language: str) -> None:
        self.translations = translations
        self.language = language
        self.locale = _locale(language)

    def _(self, text: str, **values: object) -> str:
        translated = self.translations.gettext(text)
        return translated % values if values else translated

    def ngettext(self, singular: str, plural: str, num: int) -> str:
        return self.translations.ngettext(singular, plural, num) % {"num": num}

    # ------------------------------------------------------------------------------ numbers

    def decimal(self, value: float, pattern: str) -> str:
        return format_decimal(value, format=pattern, locale=self.locale)

    def score(self, value: float | None) -> str:
        return NO_VALUE if value is None else self.decimal(value, "0.0")

    def delta(self, value: float | None) -> str:
        if value is None:
            return NO_VALUE
        if value > 0:
            return "+" + self.score(value)
        return "\u2212" + self.score(-value) if value < 0 else self.score(0)

    def percent(self, value: float) -> str:
        return format_percent(value, locale=self.locale)

    def date(self, value: datetime.date | None, style: str = "long") -> str:
        return "" if value is None else format_date(value, format=style, locale=self.locale)

    def whole(self, value: float | None) -> str:
        return NO_VALUE if value is None else str(int(value))

    # -------------------------------------------------------------------------------- words

    def band(self, label: str | None) -> str:
        return label or self._("No score yet")

    def assessment_status(self, status: str) -> str:
        words = {"draft": self._("Draft"), "submitted": self._("Submitted for review"), "final": self._("Final")}
        return words.get(status, status)

    def action_status(self, status: str) -> str:
        words = {
            "planned": self._("Planned"),
            "in_progress": self._("In progress"),
            "done": self._("Done"),
            "delayed": self._("Delayed"),
            "dropped": self._("Dropped"),
        }
        return words.get(status, status)

    def level(self, item_type: str, value: int | None) -> str:
        if value is None:
            return NO_VALUE
        if item_type == "yes_no":
            return {0: self._("No"), 2: self._("Partly"), 4: self._("Yes")}.get(value, str(value))
        return str(value)

    def period(self, start: datetime.date | None, end: datetime.date | None) -> str:
        if start is None and end is None:
            return ""
        return f"{self.date(start, 'medium')} \u2013 {self.date(end, 'medium')}".strip()
