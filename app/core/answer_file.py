"""Read a file of answers (``item_id: level``) for ``ctsat score``.

Values: a level 0–4; ``yes``/``partial``/``no`` (or 4/2/0) for yes/no items;
``dont_know``; or a mapping ``{not_applicable: reason}``. Number and text items
take their value as it is.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from app.core.answers import Answer, AssessmentInput, check_answer, parse_level
from app.core.errors import N_, AnswerError
from app.core.questionnaire import Questionnaire

DONT_KNOW = frozenset({"dont_know", "don't know", "dk", "unknown"})
ROLES = ("origin", "transit", "destination")


def _load(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    try:
        return json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
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
