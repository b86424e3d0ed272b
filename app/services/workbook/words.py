"""The words of an offline file in the user's language: column headers, sheet names, the Read me
sheet, and the words the lists offer (yes / partial / no; answered / dont_know / not_applicable).

The web passes its gettext and the language's number symbols in
(``WorkbookWords.translated(gettext, symbols)``); the English words are
always understood on import too, so a file keeps working whoever uploads it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from app.core.errors import N_, Translate, english
from app.core.numbers import ENGLISH, NumberSymbols
from app.core.questionnaire import YES_NO_LEVELS

HEADER_IDS = (
    N_("Item id"),
    N_("Measure"),
    N_("Question"),
    N_("Guidance"),
    N_("Answer"),
    N_("Status"),
    N_("Reason (for not applicable)"),
    N_("Comment"),
    N_("Evidence"),
    N_("Version"),
)
# The columns an upload is read from (Measure, Question and Guidance are only there to read).
HEADER_KEYS = ("item_id", None, None, None, "answer", "status", "reason", "comment", "evidence", "version")
YES_NO_IDS = {"yes": N_("yes"), "partial": N_("partial"), "no": N_("no")}
STATUS_IDS = {"answered": N_("answered"), "dont_know": N_("dont_know"), "not_applicable": N_("not_applicable")}
SHEET_IDS = {"readme": N_("Read me"), "evidence": N_("Evidence files"), "assessment_id": N_("Assessment id")}


def _list_word(text: str) -> str:
    """A word as a spreadsheet list may hold it: no comma or quote (they separate the list)."""
    return " ".join(text.replace(",", " ").replace('"', " ").split())


@dataclass(frozen=True)
class WorkbookWords:
    translate: Translate = english
    numbers: NumberSymbols = ENGLISH  # how numbers typed in the file are read
    headers: tuple[str, ...] = HEADER_IDS
    yes_no: dict[str, str] = field(default_factory=lambda: dict(YES_NO_IDS))  # English word → shown word
    statuses: dict[str, str] = field(default_factory=lambda: dict(STATUS_IDS))  # key → shown word
    sheets: dict[str, str] = field(default_factory=lambda: dict(SHEET_IDS))

    @classmethod
    def translated(cls, translate: Translate, numbers: NumberSymbols = ENGLISH) -> WorkbookWords:
        return cls(
            translate=translate,
            numbers=numbers,
            headers=tuple(str(translate(text)) for text in HEADER_IDS),
            yes_no={word: _list_word(str(translate(text))) for word, text in YES_NO_IDS.items()},
            statuses={key: _list_word(str(translate(text))) for key, text in STATUS_IDS.items()},
            sheets={key: str(translate(text)) for key, text in SHEET_IDS.items()},
        )

    def header_keys(self) -> dict[str, str]:
        """Lower-cased header text (without a parenthesis) → column key, in English and this language."""
        keys = {}
        for headers in (HEADER_IDS, self.headers):
            for text, key in zip(headers, HEADER_KEYS, strict=True):
                if key:
                    keys[_bare(text)] = key
        return keys

    def yes_no_level(self, raw: str) -> int | None:
        """The level a yes/partial/no word (English or this language's) stands for."""
        word = raw.strip().casefold()
        for english_word, shown in self.yes_no.items():
            if word in (english_word, shown.casefold()):
                return YES_NO_LEVELS[english_word]
        return None

    def status_key(self, raw: str) -> str | None:
        word = raw.strip().casefold()
        return next((key for key, shown in self.statuses.items() if shown.casefold() == word), None)

    def sheet_names(self, key: str) -> Iterable[str]:
        return {SHEET_IDS[key], self.sheets[key]}


def _bare(header: str) -> str:
    return header.split("(")[0].strip().casefold()


ENGLISH_WORDS = WorkbookWords()
