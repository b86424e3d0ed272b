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

from app.core.errors import Problem, QuestionnaireError
from app.core.library import LIBRARY_FILES, Library
from app.core.loader import validate_paths
from app.core.questionnaire import Questionnaire
from app.models import Assessment, Country, LibraryEntry, QuestionnaireVersion
from app.services.search import reindex


@dataclass
class LoadReport:
    questionnaires_added: list[str] = field(default_factory=list)
    questionnaires_updated: list[str] = field(default_factory=list)
    questionnaires_unchanged: list[str] = field(default_factory=list)
    library_written: int = 0
    countries_written: int = 0


def _checksum(content: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def load_content(session: Session, root: Path) -> LoadReport:
    """Validate ``root`` (questionnaire folders and library) and store it; all or nothing."""
    problems, questionnaires, library = validate_paths([root])
    if problems:
        raise QuestionnaireError(problems)
    report = LoadReport()
    for questionnaire in questionnaires:
        _store_questionnaire(session, questionnaire, report)
    if library is not None:
        _store_library(session, library, report)
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


def _store_library(session: Session, library: Library, report: LoadReport) -> None:
    existing = {(entry.kind, entry.key): entry for entry in session.scalars(select(LibraryEntry))}
    for kind in LIBRARY_FILES:
        if kind == "countries":
            continue
        for value in getattr(library, kind):
            data = value.model_dump(mode="json", exclude_defaults=False)
            row = existing.get((kind, value.id))
            if row is None:
                session.add(LibraryEntry(kind=kind, key=value.id, data=data))
                report.library_written += 1
            elif row.data != data:
                row.data = data
                report.library_written += 1
    countries = {country.code: country for country in session.scalars(select(Country))}
    for profile in library.countries:
        data = profile.model_dump(mode="json")
        country = countries.get(profile.code)
        if country is None:
            session.add(
                Country(
                    code=profile.code, name=profile.name, kind=profile.kind, subregion=profile.subregion, profile=data
                )
            )
            report.countries_written += 1
        elif country.profile != data:
            country.name, country.kind, country.subregion = profile.name, profile.kind, profile.subregion
            country.profile = data
            report.countries_written += 1
