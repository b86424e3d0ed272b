"""Editorial content outside the questionnaire, and country updates proposed by coordinators.

- ``MeasureText``: a measure's policy measures and implementation methodology as written by
  editors. Questionnaire versions never change once stored, so these texts live beside them
  (the ``measure-texts`` kind of the knowledge base, file ``library/measure-texts.yaml``).
- ``ProfileUpdate``: what a coordinator proposes for their country's profile (new entries and a
  coordinating body), the field-by-field ``profile_changes`` an editor reviews, and
  ``apply_update`` which gives the profile after approval.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from app.core.errors import Problem
from app.core.library import Country, LawEntry
from app.core.questionnaire import LocalText, Model
from app.core.source import read_yaml

MEASURE_TEXTS = "measure-texts"
ENTRY_SECTIONS = ("laws", "action_plans", "sops", "mous")


class MeasureText(Model):
    measure: str = Field(pattern=r"^[A-Z]{2,5}-\d+$")
    policy_measures: LocalText = Field(default_factory=dict)
    methodology: LocalText = Field(default_factory=dict)


class ProfileUpdate(Model):
    """Additions to a country profile; each entry carries its document link in ``url``."""

    laws: list[LawEntry] = Field(default_factory=list)
    action_plans: list[LawEntry] = Field(default_factory=list)
    sops: list[LawEntry] = Field(default_factory=list)
    mous: list[LawEntry] = Field(default_factory=list)
    coordinating_body: str | None = Field(default=None, max_length=500)

    @property
    def empty(self) -> bool:
        return not (any(getattr(self, section) for section in ENTRY_SECTIONS) or self.coordinating_body)


@dataclass(frozen=True)
class ProfileChange:
    """One field of a profile before and after an update (lists of entries, or a text)."""

    field: str
    current: list[LawEntry] | str | None
    proposed: list[LawEntry] | str | None
    added: tuple[LawEntry, ...] = ()


def apply_update(profile: Country, update: ProfileUpdate) -> Country:
    """The profile with the update's entries appended and its coordinating body set."""
    changes: dict[str, Any] = {
        section: [*getattr(profile, section), *getattr(update, section)]
        for section in ENTRY_SECTIONS
        if getattr(update, section)
    }
    if update.coordinating_body:
        changes["coordinating_body"] = update.coordinating_body
    return profile.model_copy(update=changes)


def profile_changes(profile: Country, update: ProfileUpdate) -> list[ProfileChange]:
    """Every field the update changes, with its current and proposed value."""
    found = []
    for section in ENTRY_SECTIONS:
        added = getattr(update, section)
        if added:
            current = list(getattr(profile, section))
            found.append(ProfileChange(section, current, [*current, *added], tuple(added)))
    if update.coordinating_body and update.coordinating_body != profile.coordinating_body:
        found.append(ProfileChange("coordinating_body", profile.coordinating_body, update.coordinating_body))
    return found


def read_measure_texts(file: Path, measure_ids: set[str] | None = None) -> tuple[list[MeasureText], list[Problem]]:
    """The measure texts of ``library/measure-texts.yaml`` (a missing file is none)."""
    if not file.exists():
        return [], []
    document, problems = read_yaml(file)
    if problems:
        return [], problems
    entries = document.data.get(MEASURE_TEXTS) if isinstance(document.data, dict) else None
    if not isinstance(entries, list):
        return [], [document.problem((), f"the file must hold a list under the key '{MEASURE_TEXTS}'")]
    texts: list[MeasureText] = []
    for index, entry in enumerate(entries):
        try:
            text = MeasureText.model_validate(entry)
        except ValidationError as error:
            for detail in error.errors():
                path = (MEASURE_TEXTS, index, *(part for part in detail["loc"] if isinstance(part, (str, int))))
                problems.append(document.problem(path, detail["msg"]))
            continue
        if measure_ids is not None and text.measure not in measure_ids:
            problems.append(document.problem((MEASURE_TEXTS, index, "measure"), f"unknown measure '{text.measure}'"))
        elif any(known.measure == text.measure for known in texts):
            problems.append(document.problem((MEASURE_TEXTS, index), f"duplicate measure '{text.measure}'"))
        else:
            texts.append(text)
    return texts, problems
