"""Load questionnaire and library files, reporting every problem with its line.

A questionnaire is a folder with a ``questionnaire.yaml`` (or a single file of
that shape) whose ``pillars`` are either inline mappings or names of pillar files
beside it. The knowledge base is a ``library/`` folder beside the questionnaire
folders. Loading never half-applies: either everything is valid and a model
comes back, or :class:`QuestionnaireError` lists every problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from app.core.editorial import MEASURE_TEXTS, read_measure_texts
from app.core.errors import Problem, QuestionnaireError
from app.core.library import LIBRARY_FILES, Library
from app.core.questionnaire import Item, Pillar, Questionnaire
from app.core.source import PathKey, SourceDocument, read_yaml
from app.core.validation import check_library, check_library_measures, check_questionnaire

QUESTIONNAIRE_FILE = "questionnaire.yaml"
LIBRARY_FOLDER = "library"
M = TypeVar("M", bound=BaseModel)
_STAND_IN_PILLAR = Pillar.model_validate(
    {
        "id": "stand-in",
        "title": "-",
        "measures": [{"id": "XX-1", "title": "-", "items": [{"id": "XX-1.1", "question": "-"}]}],
    }
)


@dataclass
class Located:
    """Where each id of a loaded questionnaire or library was written."""

    places: dict[str, tuple[SourceDocument, PathKey]] = field(default_factory=dict)

    def problem(self, key: str, suffix: PathKey, message: str) -> Problem:
        document, path = self.places[key]
        return document.problem((*path, *suffix), message)


def _validate(model: type[M], data: Any, document: SourceDocument, prefix: PathKey) -> tuple[M | None, list[Problem]]:
    try:
        return model.model_validate(data), []
    except ValidationError as error:
        problems = []
        for detail in error.errors():
            path = (*prefix, *(part for part in detail["loc"] if isinstance(part, (str, int))))
            message = detail["msg"]
            if detail["type"] == "extra_forbidden":
                message = f"unknown key '{path[-1]}'"
            elif detail["type"] == "missing":
                message = f"required key '{path[-1]}' is missing"
            problems.append(document.problem(path, message))
        return None, problems


def _salvage(raw: Any) -> tuple[Pillar | None, set[str]]:
    """The valid part of a broken pillar (items that validate on their own), and the
    ids of the items left out, so that the rest of the file can still be checked."""
    if not isinstance(raw, dict) or not isinstance(raw.get("measures"), list):
        return None, set()
    broken: set[str] = set()
    measures = []
    for measure in raw["measures"]:
        if not isinstance(measure, dict) or not isinstance(measure.get("items"), list):
            continue
        items = []
        for item in measure["items"]:
            try:
                items.append(Item.model_validate(item))
            except ValidationError:
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    broken.add(item["id"])
        measures.append({**measure, "items": items})
    try:
        return Pillar.model_validate({**raw, "measures": measures}), broken
    except ValidationError:
        return None, broken


def _pillar(
    entry: Any, index: int, document: SourceDocument, located: Located
) -> tuple[Pillar | None, list[Problem], set[str]]:
    """A pillar (inline or from its file), its problems and the ids of broken items."""
    if isinstance(entry, str):
        pillar_document, problems = read_yaml(Path(document.file).parent / entry)
        if problems:
            return None, problems, set()
        where: tuple[SourceDocument, PathKey] = (pillar_document, ())
        raw = pillar_document.data
    else:
        where, raw = (document, ("pillars", index)), entry
    pillar, problems = _validate(Pillar, raw, where[0], where[1])
    broken: set[str] = set()
    if pillar is None:
        pillar, broken = _salvage(raw)
    if pillar is not None:
        problems += _locate_pillar(pillar, raw, where, located)
    return pillar, problems, broken


def _raw_index(entries: Any, identifier: str, fallback: int) -> int:
    """Where the entry with ``identifier`` stands in the file's list."""
    if isinstance(entries, list):
        for position, entry in enumerate(entries):
            if isinstance(entry, dict) and entry.get("id") == identifier:
                return position
    return fallback


def _locate_pillar(pillar: Pillar, raw: Any, where: tuple[SourceDocument, PathKey], located: Located) -> list[Problem]:
    """Record where each id is written; a second use of an id is a problem."""
    document, prefix = where
    entries: list[tuple[str, PathKey]] = [(f"pillar:{pillar.id}", prefix)]
    raw_measures = raw.get("measures") if isinstance(raw, dict) else None
    for m_index, measure in enumerate(pillar.measures):
        m_raw = _raw_index(raw_measures, measure.id, m_index)
        measure_path = (*prefix, "measures", m_raw)
        entries.append((f"measure:{measure.id}", measure_path))
        raw_items = raw_measures[m_raw].get("items") if isinstance(raw_measures, list) else None
        for i_index, item in enumerate(measure.items):
            entries.append((f"item:{item.id}", (*measure_path, "items", _raw_index(raw_items, item.id, i_index))))
    problems = []
    for key, path in entries:
        if key in located.places:
            kind, _, identifier = key.partition(":")
            problems.append(document.problem((*path, "id"), f"duplicate {kind} id '{identifier}'"))
        else:
            located.places[key] = (document, path)
    return problems


def read_questionnaire(path: Path, library: Library | None) -> tuple[Questionnaire | None, list[Problem]]:
    """Read and check one questionnaire; ``library`` is what its links must name."""
    file = path / QUESTIONNAIRE_FILE if path.is_dir() else path
    document, problems = read_yaml(file)
    if problems or not isinstance(document.data, dict):
        return None, problems or [document.problem((), "a questionnaire must be a mapping")]
    located = Located()
    raw_pillars = document.data.get("pillars")
    if not isinstance(raw_pillars, list) or not raw_pillars:
        return None, [document.problem(("pillars",), "a questionnaire needs a list of pillars (files or mappings)")]
    pillars: list[Pillar] = []
    broken: set[str] = set()
    for index, entry in enumerate(raw_pillars):
        pillar, pillar_problems, broken_items = _pillar(entry, index, document, located)
        problems += pillar_problems
        broken |= broken_items
        if pillar is not None:
            pillars.append(pillar)
    pillars_valid = not problems
    # With a broken pillar, the rest is still checked (the valid part of it, or a
    # stand-in) so that one run reports every problem, not just the first.
    checked_pillars = pillars if pillars else [_STAND_IN_PILLAR]
    questionnaire, top_problems = _validate(Questionnaire, {**document.data, "pillars": checked_pillars}, document, ())
    problems += [p for p in top_problems if pillars_valid or not p.path.startswith("pillars")]
    if questionnaire is None:
        return None, problems
    located.places["questionnaire"] = (document, ())
    problems += check_questionnaire(questionnaire, library, located.problem, bool(pillars), broken)
    return (None, problems) if problems else (questionnaire, [])


def read_library(folder: Path) -> tuple[Library | None, list[Problem]]:
    """Read every library file in ``folder``; a missing file is an empty list."""
    problems: list[Problem] = []
    parts: dict[str, list[Any]] = {}
    located = Located()
    for name, model in LIBRARY_FILES.items():
        file = folder / f"{name}.yaml"
        if not file.exists():
            parts[name] = []
            continue
        document, file_problems = read_yaml(file)
        problems += file_problems
        entries = document.data.get(name) if isinstance(document.data, dict) else None
        if not file_problems and not isinstance(entries, list):
            problems.append(document.problem((), f"the file must hold a list under the key '{name}'"))
            continue
        parts[name] = []
        for index, entry in enumerate(entries or []):
            value, entry_problems = _validate(model, entry, document, (name, index))
            problems += entry_problems
            if value is not None:
                parts[name].append(value)
                key = f"{name}:{getattr(value, 'id', None) or getattr(value, 'code', '')}"
                if key in located.places:
                    problems.append(
                        document.problem((name, index), f"duplicate id in {name}: '{key.partition(':')[2]}'")
                    )
                located.places.setdefault(key, (document, (name, index)))
    if problems:
        return None, problems
    library = Library.model_validate(parts)
    problems = check_library(library, located.problem)
    return (None, problems) if problems else (library, [])


def _check_measure_links(folder: Path, library: Library, questionnaire: Questionnaire) -> list[Problem]:
    """Library entries that name measures or items of ``questionnaire`` (indicator sets, duties) name real ones."""
    located = Located()
    for name, entries in (("indicator_sets", library.indicator_sets), ("duties", library.duties)):
        file = folder / f"{name}.yaml"
        if not entries or not file.exists():
            continue
        document, _ = read_yaml(file)
        raw = document.data.get(name) if isinstance(document.data, dict) else None
        for entry in entries:
            located.places[f"{name}:{entry.id}"] = (document, (name, _raw_index(raw, entry.id, 0)))
    return check_library_measures(library, questionnaire, located.problem)


def find_questionnaires(root: Path) -> list[Path]:
    """Questionnaire folders (or files) under ``root``, in a stable order."""
    if root.is_file():
        return [root]
    return sorted(path.parent for path in root.rglob(QUESTIONNAIRE_FILE))


def library_folder_for(path: Path) -> Path | None:
    """The library beside a questionnaire: ``<root>/library`` for ``<root>/<q>/``."""
    for candidate in (path / LIBRARY_FOLDER, path.parent / LIBRARY_FOLDER, path.parent.parent / LIBRARY_FOLDER):
        if candidate.is_dir():
            return candidate
    return None


def load_questionnaire(path: Path, library: Library | None = None) -> Questionnaire:
    questionnaire, problems = read_questionnaire(path, library)
    if questionnaire is None:
        raise QuestionnaireError(problems)
    return questionnaire


def load_library(folder: Path) -> Library:
    library, problems = read_library(folder)
    if library is None:
        raise QuestionnaireError(problems)
    return library


def validate_paths(paths: list[Path]) -> tuple[list[Problem], list[Questionnaire], Library | None]:
    """Everything ``ctsat validate`` checks: each questionnaire with its library."""
    problems: list[Problem] = []
    questionnaires: list[Questionnaire] = []
    library: Library | None = None
    for root in paths:
        if not root.exists():
            problems.append(Problem(str(root), 1, "(top)", "no such file or folder"))
            continue
        library_path = library_folder_for(root if root.is_dir() else root.parent)
        if library_path is not None:
            library, library_problems = read_library(library_path)
            problems += library_problems
        for path in find_questionnaires(root):
            questionnaire, found = read_questionnaire(path, library)
            problems += found
            if questionnaire is not None:
                questionnaires.append(questionnaire)
                if library is not None and library_path is not None:
                    problems += _check_measure_links(library_path, library, questionnaire)
        if library_path is not None:
            measure_ids = {measure for questionnaire in questionnaires for measure in questionnaire.measures}
            problems += read_measure_texts(library_path / f"{MEASURE_TEXTS}.yaml", measure_ids or None)[1]
    return sorted(set(problems)), questionnaires, library
