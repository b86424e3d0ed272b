"""The facet values of every search document, held per process.

Facet counts need the facets of every match; reading them from the database for
thousands of matches costs more than the search itself. The index's generation
(a random token that every write to the index replaces) says whether the copy
held here is current; reading it is one tiny query. A rolled-back write leaves
the old token, so a copy made inside that transaction is never taken for current.
"""

from __future__ import annotations

import threading
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import SearchDocument, SearchIndexState
from app.services.search.facets import FacetRow, FacetTable

_lock = threading.Lock()
_cached: tuple[str | None, FacetTable] | None = None
_COLUMNS = [getattr(SearchDocument, name) for name in FacetRow._fields[:-1]]  # as FacetRow.from_columns takes them


def facet_rows(session: Session, refresh: bool = False) -> FacetTable:
    """Every document's facet values, as the session sees the index."""
    global _cached
    generation = session.scalar(select(SearchIndexState.generation).limit(1))
    cached = _cached
    if cached is not None and cached[0] == generation and not refresh:
        return cached[1]
    rows = {row[0]: FacetRow.from_columns(*row[1:]) for row in session.execute(select(SearchDocument.id, *_COLUMNS))}
    table = FacetTable(rows)
    with _lock:
        _cached = (generation, table)
    return table


def new_generation(session: Session) -> None:
    """Mark the index as changed (call with every write to search_documents)."""
    state = session.scalars(select(SearchIndexState).limit(1)).first()
    token = uuid.uuid4().hex
    if state is None:
        session.add(SearchIndexState(generation=token))
    else:
        state.generation = token
