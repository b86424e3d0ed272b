"""Load questionnaires and the knowledge base into the database, and read them back.

Loading validates everything first and writes nothing unless all is valid. A
questionnaire version is stored whole; changing the items of a version that
assessments already use is refused (make a new version instead).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.editorial import MEASURE_TEXTS, MeasureText, read_measure_texts
from app.core.errors import Problem, QuestionnaireError
from app.core.library import Library
from app.core.library_translation import library_with_translations, measure_texts_with_translations
from app.core.loader import find_questionnaires, library_folder_for, validate_paths
from app.core.questionnaire import Questionnaire
from app.core.translation import with_translations
from app.models import Assessment, QuestionnaireVersion
from app.services.library_files import apply_library
from app.services.search import reindex
from app.services.translations import questionnaire_lookups


@dataclass
class LoadReport:
    questionnaires_added: list[str] = field(default_factory=list)
    questionnaires_updated: list[str] = field(default_factory=list)
    questionnaires_unchanged: list[str] = field(default_factory=list)
    library_written: int = 0
    countries_written: int = 0
    skipped: list[str] = field(default_factory=list)  # entries edited in the web since: kept


def _checksum(content: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def load_content(session: Session, root: Path, force: bool = False) -> LoadReport:
    """Validate ``root`` (questionnaire folders and library) and store it; all or nothing.

    Library entries changed in the web since (by an editor, or an approved country update)
    are kept and listed in ``skipped`` unless ``force``."""
    problems, questionnaires, library = validate_paths([root])
    if problems:
        raise QuestionnaireError(problems)
    report = LoadReport()
    folders = [path if path.is_dir() else path.parent for path in find_questionnaires(root)]
    for questionnaire, folder in zip(questionnaires, folders, strict=True):
        _store_questionnaire(session, with_translations(questionnaire, questionnaire_lookups(folder)), report)
    if library is not None:
        measure_ids = {measure for questionnaire in questionnaires for measure in questionnaire.measures}
        _store_library(session, root, library, measure_ids, report, force)
    reindex(session)
    session.commit()
    return report


def _store_questionnaire(session: Session, questionnaire: Questionnaire, report: LoadReport) -> None:
    content = questionnaire.model_dump(mode="json")
    checksum = _checksum(content)
    row = session.scalars(
        select(QuestionnaireVersion).filter_by(questionnaire_id=questionnaire.id, version=questionnaire.version)
    ).one_or_none()
    title = content["title"].get("en", questionnaire.id)[:200]
    if row is None:
        session.add(
            QuestionnaireVersion(
                questionnaire_id=questionnaire.id,
                version=questionnaire.version,
                title=title,
                checksum=checksum,
                content=content,
            )
        )
        report.questionnaires_added.append(questionnaire.key)
        return
    if row.checksum == checksum:
        report.questionnaires_unchanged.append(questionnaire.key)
        return
    stored = Questionnaire.model_validate(row.content)
    if set(stored.items) != set(questionnaire.items) and _in_use(session, questionnaire):
        raise QuestionnaireError(
            [
                Problem(
                    questionnaire.key,
                    1,
                    "version",
                    "assessments use this version and its items changed: give the changed questionnaire a new version",
                )
            ]
        )
    row.content, row.checksum, row.title = content, checksum, title
    report.questionnaires_updated.append(questionnaire.key)


def _in_use(session: Session, questionnaire: Questionnaire) -> bool:
    count = session.scalar(
        select(func.count(Assessment.id)).filter_by(
            questionnaire_id=questionnaire.id, questionnaire_version=questionnaire.version
        )
    )
    return bool(count)


def _store_library(
    session: Session, root: Path, library: Library, measure_ids: set[str], report: LoadReport, force: bool
) -> None:
    folder = library_folder_for(root if root.is_dir() else root.parent)
    texts: list[MeasureText] = []
    if folder is not None:
        texts, problems = read_measure_texts(folder / f"{MEASURE_TEXTS}.yaml", measure_ids or None)
        if problems:
            raise QuestionnaireError(problems)
        catalogues = questionnaire_lookups(folder)  # the library's translators' catalogues, same pattern
        library = library_with_translations(library, catalogues)
        texts = measure_texts_with_translations(texts, catalogues)
    applied = apply_library(session, library, texts, "load", force)
    report.library_written = sum(1 for name in applied.added + applied.changed if not name.startswith("countries:"))
    report.countries_written = applied.written - report.library_written
    report.skipped = applied.skipped
