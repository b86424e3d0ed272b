"""Search across the public resource centre: resources, practices, measures, items,
instruments and country profiles (never assessments).

One service, two backends chosen by the session's dialect: SQLite (FTS5 with the
trigram tokenizer) and PostgreSQL (full-text search plus pg_trgm). Both match
every term as a substring, so words of Thai, Khmer, Chinese and other scripts
without spaces are found; when nothing matches, names close to the query are
offered (typo tolerance).

- ``search(session, query, facets, page) -> SearchResults``
- ``reindex(session)``: the whole index in step with the content (``ctsat load`` calls it)
- ``index_entry(session, kind, key)``: one entry after an edit
"""

from app.services.search.facets import FACET_NAMES, Facets, FacetValue
from app.services.search.indexing import IndexReport, index_entry, reindex
from app.services.search.query import MAX_QUERY_LENGTH
from app.services.search.service import PER_PAGE, Hit, SearchResults, search

__all__ = [
    "FACET_NAMES",
    "MAX_QUERY_LENGTH",
    "PER_PAGE",
    "FacetValue",
    "Facets",
    "Hit",
    "IndexReport",
    "SearchResults",
    "index_entry",
    "reindex",
    "search",
]
