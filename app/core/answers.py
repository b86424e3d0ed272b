"""Answers as plain data, and the rules an answer must follow to fit its item."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from app.core.errors import N_, AnswerError
from app.core.limits import ANSWER_TEXT
from app.core.numbers import ENGLISH, INT64_MIN, NumberError, is_int, parse_number_text
from app.core.questionnaire import LEVELS, YES_NO_LEVELS, Item, Questionnaire

MAX_TEXT = ANSWER_TEXT


@dataclass(frozen=True)
class Answer:
    """One item's answer. Yes/partial/no are stored as levels 4/2/0."""

    item_id: str
    level: int | None = None
    value: str | None = None
    dont_know: bool = False
    not_applicable: bool = False
    reason: str = ""

    @property
    def is_empty(self) -> bool:
        return self.level is None and not self.value and not self.dont_know and not self.not_applicable


@dataclass(frozen=True)
class AnswerFields:
    """Everything one answer says: what a user sends for an item, or what is stored for it."""

    level: int | None = None
    value: str | None = None
    dont_know: bool = False
    not_applicable: bool = False
    reason: str = ""
    comment: str = ""
    evidence: str = ""

    def snapshot(self) -> dict[str, Any]:
        return dict(self.__dict__)

    @property
    def is_empty(self) -> bool:
        return self == AnswerFields()


class StoredAnswer(Protocol):
    """A stored answer (a database row, a workbook row): the fields of AnswerFields."""

    level: int | None
    value: str | None
    dont_know: bool
    not_applicable: bool
    reason: str
    comment: str
    evidence: str


def answer_fields(row: StoredAnswer | None) -> AnswerFields:
    """A stored answer's fields (all empty for no answer)."""
    if row is None:
        return AnswerFields()
    return AnswerFields(row.level, row.value, row.dont_know, row.not_applicable, row.reason, row.comment, row.evidence)


@dataclass(frozen=True)
class AssessmentInput:
    """What scoring needs besides the questionnaire: the answers, the country's
    profile (origin/transit/destination; empty means all items apply) and targets."""

    answers: Mapping[str, Answer] = field(default_factory=dict)
    roles: frozenset[str] = frozenset()
    item_targets: Mapping[str, int] = field(default_factory=dict)
    measure_targets: Mapping[str, int] = field(default_factory=dict)


def parse_level(item: Item, raw: object) -> int:
    """A level from a number (0–4, or 0/2/4 for yes/no) or a yes/partial/no word."""
    if isinstance(raw, str):
        word = raw.strip().lower()
        if item.type == "yes_no" and word in YES_NO_LEVELS:
            return YES_NO_LEVELS[word]
        if is_int(word, INT64_MIN):
            raw = int(word)
        else:
            if item.type == "yes_no":
                raise AnswerError(item.id, N_("'%(raw)s' is not an answer here: use yes, partial or no"), raw=raw)
            raise AnswerError(item.id, N_("'%(raw)s' is not an answer here: use a level from 0 to 4"), raw=raw)
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise AnswerError(item.id, N_("'%(raw)s' is not a level"), raw=raw)
    allowed_levels = tuple(YES_NO_LEVELS.values()) if item.type == "yes_no" else LEVELS
    if raw not in allowed_levels:
        if item.type == "yes_no":
            raise AnswerError(item.id, N_("level %(raw)s is out of range: use 0 (no), 2 (partial) or 4 (yes)"), raw=raw)
        raise AnswerError(item.id, N_("level %(raw)s is out of range: use 0 to 4"), raw=raw)
    return raw


def check_answer(questionnaire: Questionnaire, answer: Answer) -> Answer:
    """Return ``answer`` if it fits its item, else raise :class:`AnswerError`."""
    item = questionnaire.items.get(answer.item_id)
    if item is None:
        raise AnswerError(answer.item_id, N_("no such item in this questionnaire"), field="item_id")
    if answer.dont_know and answer.not_applicable:
        raise AnswerError(item.id, N_("an answer cannot be both don't know and not applicable"), field="status")
    if answer.not_applicable and not answer.reason.strip():
        raise AnswerError(item.id, N_("not applicable needs a reason"), field="reason")
    if answer.level is not None:
        if not item.scored:
            raise AnswerError(item.id, N_("a %(type)s item takes a value, not a level"), type=item.type)
        parse_level(item, answer.level)
    if answer.value is not None:
        _check_value(item, answer.value)
    return answer


def _check_value(item: Item, value: str) -> None:
    if item.scored:
        raise AnswerError(item.id, N_("this item takes a level, not a value"), field="value")
    if len(value) > MAX_TEXT:
        raise AnswerError(item.id, N_("the value is longer than %(limit)s characters"), field="value", limit=MAX_TEXT)
    if item.type == "number" and value.strip():
        try:
            parse_number_text(value, ENGLISH, ambiguous_ok=True)  # input is read in its language first
        except NumberError:
            raise AnswerError(item.id, N_("'%(value)s' is not a number"), field="value", value=value) from None
