"""Read a file of answers (``item_id: level``) for ``ctsat score``.

Values: a level 0–4; ``yes``/``partial``/``no`` (or 4/2/0) for yes/no items, quoted or not
(YAML reads an unquoted yes/no as true/false); ``dont_know``; or a mapping
``{not_applicable: reason}``. Number and text items take their value as it is.

A file that is not UTF-8 text, or that answers an item twice, is rejected with a message that
says where. Answers that cannot count are accepted with a warning (``answer_warnings``): an
item hidden by its parent's answer counts as not in place (PRODUCT.md, conditional items), an
item that refers to another (``same_as``) is scored under that item, and an item outside the
country's profile is left out.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from app.core.answers import Answer, AssessmentInput, check_answer, parse_level
from app.core.errors import N_, AnswerError
from app.core.questionnaire import Questionnaire
from app.core.scoring import score_assessment

DONT_KNOW = frozenset({"dont_know", "don't know", "dk", "unknown"})
ROLES = ("origin", "transit", "destination")


class _DuplicateKey(Exception):
    def __init__(self, key: str, first: int, second: int) -> None:
        super().__init__(key)
        self.key, self.first, self.second = key, first, second


class _StrictLoader(yaml.SafeLoader):
    """A safe loader that refuses a key written twice in the same mapping."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            line = key_node.start_mark.line + 1
            if key in seen:
                raise _DuplicateKey(str(key), seen[key], line)
            seen[key] = line
        return super().construct_mapping(node, deep=deep)


def _json_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise _DuplicateKey(key, 0, 0)
        found[key] = value
    return found


def _text(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise AnswerError(
            str(path),
            N_("is not UTF-8 text (byte 0x%(byte)s on line %(line)s): save the file as UTF-8 and try again"),
            field="file",
            byte=f"{raw[error.start]:02x}",
            line=line,
        ) from None


def _load(path: Path) -> Any:
    text = _text(path)
    try:
        if path.suffix.lower() == ".json":
            return json.loads(text, object_pairs_hook=_json_pairs)
        return yaml.load(text, Loader=_StrictLoader)  # a SafeLoader that refuses duplicate keys
    except _DuplicateKey as duplicate:
        where = f" (lines {duplicate.first} and {duplicate.second})" if duplicate.first else ""
        raise AnswerError(
            duplicate.key,
            N_("is answered twice%(where)s: keep one answer"),
            field="item_id",
            where=where,
        ) from None
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        raise AnswerError(str(path), N_("cannot be read: %(error)s"), field="file", error=error) from None


def answer_from_value(questionnaire: Questionnaire, item_id: str, raw: Any) -> Answer:
    item = questionnaire.items.get(str(item_id))
    if item is None:
        raise AnswerError(str(item_id), N_("no such item in this questionnaire"), field="item_id")
    if isinstance(raw, dict):
        reason = raw.get("not_applicable")
        if not isinstance(reason, str) or not reason.strip():
            raise AnswerError(item.id, N_("write not applicable as {not_applicable: <reason>}"), field="reason")
        return check_answer(questionnaire, Answer(item.id, not_applicable=True, reason=reason))
    if isinstance(raw, str) and raw.strip().lower() in DONT_KNOW:
        return Answer(item.id, dont_know=True)
    if isinstance(raw, bool):
        # YAML 1.1 reads an unquoted yes/no as true/false.
        if item.type != "yes_no":
            raise AnswerError(
                item.id, N_("yes or no is not an answer to a %(type)s item: use a level from 0 to 4"), type=item.type
            )
        raw = "yes" if raw else "no"
    if not item.scored:
        return check_answer(questionnaire, Answer(item.id, value=str(raw)))
    return Answer(item.id, level=parse_level(item, raw))


def read_answers_file(path: Path, questionnaire: Questionnaire, profile: str = "") -> AssessmentInput:
    data = _load(path)
    if not isinstance(data, dict):
        raise AnswerError(str(path), N_("must be a mapping of item ids to answers"), field="file")
    answers = {str(key): answer_from_value(questionnaire, str(key), value) for key, value in data.items()}
    roles = frozenset(part.strip() for part in profile.split(",") if part.strip())
    unknown = roles.difference(ROLES)
    if unknown:
        raise AnswerError(
            "--profile",
            N_("unknown profile %(unknown)s: use %(roles)s"),
            field="profile",
            unknown=", ".join(sorted(unknown)),
            roles=", ".join(ROLES),
        )
    return AssessmentInput(answers=answers, roles=roles)


def answer_warnings(questionnaire: Questionnaire, data: AssessmentInput) -> list[str]:
    """Answers that were read but do not count, each with the reason."""
    scores = score_assessment(questionnaire, data)
    warnings = []
    for item_id, answer in data.answers.items():
        result = scores.items.get(item_id)
        if result is None or answer.is_empty or answer.not_applicable:
            continue
        item = questionnaire.items[item_id]
        if result.state == "hidden" and item.show_if is not None:
            warnings.append(
                f"{item_id}: answered, but asked only when {item.show_if.item} is at least"
                f" {item.show_if.at_least}; hidden by that answer, it counts as not in place"
            )
        elif result.state == "referenced":
            warnings.append(f"{item_id}: answered and scored under {item.same_as}; this answer is not counted")
        elif result.state == "excluded":
            roles = ", ".join(item.applies_to)
            warnings.append(f"{item_id}: applies only to countries of {roles}, not to this profile; not counted")
    return warnings
