"""Questionnaires and the library as core objects, cached per process.

Questionnaire versions never change once assessments use them, so they are
cached for the life of the process. The library is cached by a cheap
fingerprint (row count and last update) so every process sees edits.
"""

from __future__ import annotations

import threading
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.errors import NotFound
from app.core.library import LIBRARY_FILES, Library
from app.core.questionnaire import Questionnaire
from app.models import Assessment, Country, LibraryEntry, QuestionnaireVersion

_lock = threading.Lock()
_questionnaires: dict[tuple[str, str], Questionnaire] = {}
_questionnaire_keys: dict[int, tuple[str, str]] = {}  # assessment id → (questionnaire id, version)
_library: tuple[tuple[int, datetime | None, int, datetime | None], Library] | None = None


def get_questionnaire(session: Session, questionnaire_id: str, version: str) -> Questionnaire:
    key = (questionnaire_id, version)
    cached = _questionnaires.get(key)
    if cached is not None:
        return cached
    row = session.scalars(
        select(QuestionnaireVersion).filter_by(questionnaire_id=questionnaire_id, version=version)
    ).one_or_none()
    if row is None:
        raise NotFound(f"questionnaire {questionnaire_id} version {version} is not loaded")
    questionnaire = Questionnaire.model_validate(row.content)
    with _lock:
        _questionnaires[key] = questionnaire
    return questionnaire


def questionnaire_by_assessment_id(session: Session, assessment_id: int) -> Questionnaire | None:
    """The questionnaire an assessment is answered on, from its id alone (None if there is none).

    An assessment never changes version, so the pair is kept for the process. No
    permission is checked: use it only to read input before a statement that checks (see
    ``assessments.update_answer``, which also checks that the assessment is answered on it).
    """
    key = _questionnaire_keys.get(assessment_id)
    if key is None:
        query = select(Assessment.questionnaire_id, Assessment.questionnaire_version).filter_by(id=assessment_id)
        row = session.execute(query).one_or_none()
        if row is None:
            return None
        key = _questionnaire_keys[assessment_id] = (row[0], row[1])
    try:
        return get_questionnaire(session, *key)
    except NotFound:
        _questionnaire_keys.pop(assessment_id, None)
        return None


def latest_questionnaire(session: Session) -> Questionnaire:
    rows = session.execute(select(QuestionnaireVersion.questionnaire_id, QuestionnaireVersion.version)).all()
    if not rows:
        raise NotFound("no questionnaire is loaded: run 'ctsat load'")
    questionnaire_id, version = max(rows, key=lambda row: (row[0] == "ctsat", tuple(int(p) for p in row[1].split("."))))
    return get_questionnaire(session, questionnaire_id, version)


def get_library(session: Session) -> Library:
    global _library
    entries = session.execute(select(func.count(LibraryEntry.id), func.max(LibraryEntry.updated_at))).one()
    countries = session.execute(select(func.count(Country.code), func.max(Country.updated_at))).one()
    fingerprint = (entries[0], entries[1], countries[0], countries[1])
    if _library is not None and _library[0] == fingerprint:
        return _library[1]
    parts: dict[str, list[object]] = {kind: [] for kind in LIBRARY_FILES}
    for entry in session.scalars(select(LibraryEntry).order_by(LibraryEntry.id)):
        if entry.kind in parts:
            parts[entry.kind].append(entry.data)
    parts["countries"] = [row.profile for row in session.scalars(select(Country).order_by(Country.code)) if row.profile]
    library = Library.model_validate(parts)
    with _lock:
        _library = (fingerprint, library)
    return library


def forget_cached() -> None:
    """Drop every cached object (tests, and after loading new content)."""
    global _library
    with _lock:
        _questionnaires.clear()
        _questionnaire_keys.clear()
        _library = None
