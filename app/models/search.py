"""The search index: one row per searchable thing of the public resource centre.

Rows are derived data, rebuilt from the library and the latest questionnaire by
``app.services.search`` (never edited directly). Each backend adds its own
full-text structures in the migration: on SQLite two FTS5 tables over title and
body (``search_words``: words, for scripts that separate them with spaces;
``search_trigrams``: the trigram tokenizer, for Thai, Khmer, Chinese and other
scripts that do not) kept in step by triggers; on PostgreSQL a generated
``search_vector`` column with a GIN index, pg_trgm indexes, and a generated
``short_grams`` array (one- and two-character Han and kana pieces) with a GIN index.

Multi-valued facets (pillars, measures, languages) are stored as ``|a|b|``. The
short facet columns come before title and body so that reading them is cheap.
``SearchIndexState.generation`` changes (to a new random token) with every write
to the index, so that a process can tell whether what it cached is current.
"""

from __future__ import annotations

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, IntPk

KINDS = ("resource", "practice", "measure", "item", "instrument", "country", "indicators")


class SearchDocument(Base):
    __tablename__ = "search_documents"
    __table_args__ = (UniqueConstraint("kind", "key"),)

    id: Mapped[IntPk]
    kind: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(120))
    type: Mapped[str | None] = mapped_column(String(40))
    country: Mapped[str | None] = mapped_column(String(3))
    year: Mapped[int | None]
    pillars: Mapped[str] = mapped_column(String(200), default="")
    languages: Mapped[str] = mapped_column(String(200), default="")
    # The languages the entry's own text is in (|en|th|): results in the searcher's language first.
    text_languages: Mapped[str] = mapped_column(String(200), default="")
    measures: Mapped[str] = mapped_column(Text, default="")
    path: Mapped[str] = mapped_column(String(300))
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)


class SearchIndexState(Base):
    __tablename__ = "search_index_state"

    id: Mapped[IntPk]
    generation: Mapped[str] = mapped_column(String(32))
