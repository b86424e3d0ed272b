"""Questionnaires and the library as core objects, cached per process and checked per request.

Every copy held here was made under the content's version token (``app.models.ContentState``),
which database triggers replace with every write to the questionnaires, the library or the
countries. A session reads the token once per transaction (one short row by its key), and a
copy made under another token is rebuilt: a ``ctsat load`` or an editor's change on any server
is seen by every process of every server at its next request, with no restart.
"""

from __future__ import annotations

import threading
from typing import NamedTuple

from sqlalchemy import event, select
from sqlalchemy.orm import Session, SessionTransaction

from app.core.errors import NotFound
from app.core.library import LIBRARY_FILES, Library
from app.core.questionnaire import Questionnaire
from app.models import Assessment, ContentState, Country, LibraryEntry, QuestionnaireVersion

_lock = threading.Lock()
# Each copy beside the content token it was made under.
_questionnaires: dict[tuple[str, str], tuple[str | None, Questionnaire]] = {}
_questionnaire_keys: dict[int, tuple[str, str]] = {}  # assessment id → (questionnaire id, version): never changes
_library: tuple[str | None, Library] | None = None
_SESSION_TOKEN = "ctsat.content_token"
_TOKEN_QUERY = select(ContentState.token).where(ContentState.id == 1)


@event.listens_for(Session, "after_transaction_end")
def _forget_token(session: Session, _transaction: SessionTransaction) -> None:
    session.info.pop(_SESSION_TOKEN, None)


@event.listens_for(Session, "after_flush")
def _forget_written_token(session: Session, _context: object) -> None:
    """A flush may have written content (and the triggers changed the token): read it again."""
    session.info.pop(_SESSION_TOKEN, None)


def content_token(session: Session) -> str | None:
    """The content's version as ``session`` sees it (read once per transaction)."""
    if _SESSION_TOKEN not in session.info:
        session.info[_SESSION_TOKEN] = session.scalar(_TOKEN_QUERY)
    token: str | None = session.info[_SESSION_TOKEN]
    return token


def get_questionnaire(session: Session, questionnaire_id: str, version: str) -> Questionnaire:
    key = (questionnaire_id, version)
    token = content_token(session)
    cached = _questionnaires.get(key)
    if cached is not None and cached[0] == token:
        return cached[1]
    row = session.scalars(
        select(QuestionnaireVersion).filter_by(questionnaire_id=questionnaire_id, version=version)
    ).one_or_none()
    if row is None:
        raise NotFound(f"questionnaire {questionnaire_id} version {version} is not loaded")
    questionnaire = Questionnaire.model_validate(row.content)
    with _lock:
        _questionnaires[key] = (token, questionnaire)
    return questionnaire


class HeldQuestionnaire(NamedTuple):
    questionnaire: Questionnaire
    content_token: str | None  # the content version it was made under


def questionnaire_for_autosave(session: Session, assessment_id: int) -> HeldQuestionnaire | None:
    """The questionnaire an assessment is answered on, from its id alone, as this process holds it
    (None if there is none), without a query when it holds one: neither the assessment (which
    never changes version) nor the content version is read. The copy may be of older content, so
    give its token to ``assessments.update_answer``, whose statement writes nothing if the
    content changed since (and checks that the assessment is answered on this questionnaire). No
    permission is checked: use it only to read input before a statement that checks.
    """
    key = _questionnaire_keys.get(assessment_id)
    if key is None:
        query = select(Assessment.questionnaire_id, Assessment.questionnaire_version).filter_by(id=assessment_id)
        row = session.execute(query).one_or_none()
        if row is None:
            return None
        key = _questionnaire_keys[assessment_id] = (row[0], row[1])
    held = _questionnaires.get(key)
    if held is not None:
        return HeldQuestionnaire(held[1], held[0])
    try:
        return HeldQuestionnaire(get_questionnaire(session, *key), content_token(session))
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
    token = content_token(session)
    cached = _library
    if cached is not None and cached[0] == token:
        return cached[1]
    parts: dict[str, list[object]] = {kind: [] for kind in LIBRARY_FILES}
    for entry in session.scalars(select(LibraryEntry).order_by(LibraryEntry.id)):
        if entry.kind in parts:
            parts[entry.kind].append(entry.data)
    parts["countries"] = [row.profile for row in session.scalars(select(Country).order_by(Country.code)) if row.profile]
    library = Library.model_validate(parts)
    with _lock:
        _library = (token, library)
    return library


def forget_cached() -> None:
    """Drop every cached object (tests, and after loading new content)."""
    global _library
    with _lock:
        _questionnaires.clear()
        _questionnaire_keys.clear()
        _library = None
