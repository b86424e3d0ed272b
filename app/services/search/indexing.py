"""Keep ``search_documents`` in step with the library, the country profiles and the latest questionnaire.

``reindex`` compares every document the sources give with the stored rows and
writes only the differences (a reload that changed nothing writes nothing).
``index_entry`` does the same for one thing, for editors who change one entry.
The full-text structures follow the rows by themselves (SQLite triggers,
PostgreSQL generated column and indexes).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import ValidationError
from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.orm import Session

from app.core.editorial import MEASURE_TEXTS, MeasureText
from app.core.library import Country as CountryProfile
from app.core.library import IndicatorSet, Instrument, Practice, Resource, Tag
from app.core.questionnaire import Model, Questionnaire
from app.models import Country, LibraryEntry, QuestionnaireVersion, SearchDocument
from app.services.search.cache import new_generation
from app.services.search.documents import (
    Document,
    TagLabels,
    bare_country_document,
    country_document,
    indicators_document,
    instrument_document,
    practice_document,
    questionnaire_documents,
    resource_document,
)

LIBRARY_KINDS = {
    "resources": "resource",
    "practices": "practice",
    "instruments": "instrument",
    "indicator_sets": "indicators",
}
M = TypeVar("M", bound=Model)
_COMPARED = ("title", "body", "path", "pillars", "measures", "type", "country", "year", "languages", "text_languages")


@dataclass(frozen=True)
class IndexReport:
    added: int = 0
    updated: int = 0
    removed: int = 0


def reindex(session: Session) -> IndexReport:
    """Bring the whole index in step with the database's content (flushes, does not commit)."""
    wanted = {(document.kind, document.key): document.values() for document in _all_documents(session)}
    stored = {(row.kind, row.key): row for row in session.execute(select(*SearchDocument.__table__.c))}
    removed = [row.id for key, row in stored.items() if key not in wanted]
    added = [values for key, values in wanted.items() if key not in stored]
    changed = [
        {"id": stored[key].id, **values}
        for key, values in wanted.items()
        if key in stored and any(getattr(stored[key], column) != values[column] for column in _COMPARED)
    ]
    for start in range(0, len(removed), 500):
        session.execute(delete(SearchDocument).where(SearchDocument.id.in_(removed[start : start + 500])))
    if changed:
        session.execute(update(SearchDocument), changed)
    if added:
        session.execute(insert(SearchDocument), added)
    if removed or changed or added:
        new_generation(session)
    session.flush()
    if session.get_bind().dialect.name == "postgresql" and len(removed) + len(changed) + len(added) > 100:
        session.execute(text("ANALYZE search_documents"))  # plans fit the new content at once
    return IndexReport(added=len(added), updated=len(changed), removed=len(removed))


def index_entry(session: Session, kind: str, key: str) -> None:
    """Index (or drop from the index) one thing after an edit.

    ``kind`` is a result kind ("resource", "practice", "instrument", "country",
    "measure", "item") or a library file name ("resources", ...). Flushes, does not commit.
    """
    kind = LIBRARY_KINDS.get(kind, kind)
    document = next((doc for doc in _documents_of_kind(session, kind, key) if (doc.kind, doc.key) == (kind, key)), None)
    row = session.scalars(select(SearchDocument).filter_by(kind=kind, key=key)).one_or_none()
    if document is None:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(SearchDocument(**document.values()))
    else:
        for column, value in document.values().items():
            setattr(row, column, value)
    new_generation(session)
    session.flush()


def _all_documents(session: Session) -> Iterator[Document]:
    for kind in ("resource", "practice", "instrument", "country", "measure", "indicators"):
        yield from _documents_of_kind(session, kind)


def _documents_of_kind(session: Session, kind: str, key: str | None = None) -> Iterator[Document]:
    """Every document of ``kind`` (measures come with their items), or only the one for ``key``."""
    if kind in ("measure", "item"):
        questionnaire = latest_questionnaire(session)
        if questionnaire is not None:
            texts = {text.measure: text for text in _entries(session, MEASURE_TEXTS, MeasureText)}
            yield from questionnaire_documents(questionnaire, texts)
    elif kind == "country":
        yield from _country_documents(session, key)
    elif kind == "resource":
        labels, pillars = _tag_labels(session), _pillar_of_measure(session)
        resources = _entries(session, "resources", Resource, key)
        yield from (resource_document(resource, labels, pillars) for resource in resources)
    elif kind == "practice":
        labels, pillars = _tag_labels(session), _pillar_of_measure(session)
        practices = _entries(session, "practices", Practice, key)
        yield from (practice_document(practice, labels, pillars) for practice in practices)
    elif kind == "instrument":
        yield from (instrument_document(entry) for entry in _entries(session, "instruments", Instrument, key))
    elif kind == "indicators":
        pillars = _pillar_of_measure(session)
        sets = _entries(session, "indicator_sets", IndicatorSet, key)
        yield from (indicators_document(indicator_set, pillars) for indicator_set in sets)


def _entries(session: Session, kind: str, model: type[M], key: str | None = None) -> Iterator[M]:
    query = select(LibraryEntry.data).filter_by(kind=kind).order_by(LibraryEntry.key)
    if key is not None:
        query = query.filter_by(key=key)
    for data in session.scalars(query):
        parsed = _parse(model, data)
        if parsed is not None:
            yield parsed


def _parse(model: type[M], data: Any) -> M | None:
    """The entry as a core object; an entry stored before a format change is skipped, not fatal."""
    try:
        return model.model_validate(data)
    except ValidationError:
        return None


def _pillar_of_measure(session: Session) -> dict[str, str]:
    questionnaire = latest_questionnaire(session)
    return questionnaire.pillar_of_measure if questionnaire else {}


def _tag_labels(session: Session) -> TagLabels:
    return {tag.id: tag.label for tag in _entries(session, "tags", Tag)}


def _country_documents(session: Session, code: str | None) -> Iterator[Document]:
    query = select(Country).order_by(Country.code)
    if code is not None:
        query = query.filter_by(code=code)
    for row in session.scalars(query):
        profile = _parse(CountryProfile, row.profile) if row.profile else None
        yield (
            country_document(profile) if profile else bare_country_document(row.code, row.name, row.subregion, row.kind)
        )


def latest_questionnaire(session: Session) -> Questionnaire | None:
    """The questionnaire the public pages show: ``ctsat`` first, then the highest version.

    Read from its row rather than the process cache so that a reload's text edits are indexed.
    """
    rows = session.execute(select(QuestionnaireVersion.questionnaire_id, QuestionnaireVersion.version)).all()
    if not rows:
        return None
    chosen = max(rows, key=lambda row: (row[0] == "ctsat", tuple(int(part) for part in row[1].split("."))))
    content = session.scalars(
        select(QuestionnaireVersion.content).filter_by(questionnaire_id=chosen[0], version=chosen[1])
    ).one()
    return _parse(Questionnaire, content)
