"""Search documents, with FTS5 word and trigram indexes (SQLite) or full-text and pg_trgm indexes (PostgreSQL)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 19:00:00

Written by hand: the full-text structures are not models, so autogenerate ignores
them (see include_name/include_object in migrations/env.py).

SQLite: two external-content FTS5 tables over search_documents (title, body):
``search_words`` (unicode61 tokenizer, diacritics removed: word and prefix search
with fast bm25 ranking, for scripts that separate words with spaces) and
``search_trigrams`` (trigram tokenizer: substring search, for Thai, Khmer,
Chinese and other scripts that do not). Three triggers keep both in step with
every insert, update and delete. A later batch migration of search_documents
recreates the table and so drops these triggers: such a migration must create
them again (``SQLITE_TRIGGERS`` here) and rebuild both indexes.

PostgreSQL: a stored generated ``search_vector`` column (title weighted A, body B,
'english' configuration; "<" and ">" read as spaces, because the parser takes text
between them for markup and skips it) with a GIN index, and pg_trgm GIN indexes on the title
(typo-tolerant names) and on title + body (substring search for scripts without
spaces). The extension is left installed on downgrade: it is harmless and other
objects may use it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_FTS = {
    "search_words": "unicode61 remove_diacritics 2",
    "search_trigrams": "trigram",
}


def _fts_inserts() -> str:
    return " ".join(
        f"INSERT INTO {table}(rowid, title, body) VALUES (new.id, new.title, new.body);" for table in SQLITE_FTS
    )


def _fts_deletes() -> str:
    return " ".join(
        f"INSERT INTO {table}({table}, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);"
        for table in SQLITE_FTS
    )


SQLITE_TRIGGERS = [
    f"CREATE TRIGGER search_documents_fts_insert AFTER INSERT ON search_documents BEGIN {_fts_inserts()} END",
    f"CREATE TRIGGER search_documents_fts_delete AFTER DELETE ON search_documents BEGIN {_fts_deletes()} END",
    "CREATE TRIGGER search_documents_fts_update AFTER UPDATE OF title, body ON search_documents BEGIN "
    f"{_fts_deletes()} {_fts_inserts()} END",
]

POSTGRES_INDEXES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "ALTER TABLE search_documents ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('english', translate(title, '<>', '  ')), 'A') || "
    "setweight(to_tsvector('english', translate(body, '<>', '  ')), 'B')) STORED",
    "CREATE INDEX ix_search_documents_search_vector ON search_documents USING gin (search_vector)",
    "CREATE INDEX ix_search_documents_title_trgm ON search_documents USING gin (title gin_trgm_ops)",
    "CREATE INDEX ix_search_documents_text_trgm ON search_documents USING gin ((title || ' ' || body) gin_trgm_ops)",
]


def upgrade() -> None:
    op.create_table('search_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('type', sa.String(length=40), nullable=True),
    sa.Column('country', sa.String(length=3), nullable=True),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('pillars', sa.String(length=200), nullable=False),
    sa.Column('languages', sa.String(length=200), nullable=False),
    sa.Column('measures', sa.Text(), nullable=False),
    sa.Column('path', sa.String(length=300), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_documents')),
    sa.UniqueConstraint('kind', 'key', name=op.f('uq_search_documents_kind'))
    )
    op.create_table('search_index_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('generation', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_index_state'))
    )
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for table, tokenizer in SQLITE_FTS.items():
            op.execute(
                f"CREATE VIRTUAL TABLE {table} USING fts5(title, body, content='search_documents', "
                f"content_rowid='id', tokenize='{tokenizer}')"
            )
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)
    elif dialect == "postgresql":
        for statement in POSTGRES_INDEXES:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS search_documents_fts_{trigger}")
        for table in SQLITE_FTS:
            op.execute(f"DROP TABLE IF EXISTS {table}")
    op.drop_table('search_index_state')
    op.drop_table('search_documents')
