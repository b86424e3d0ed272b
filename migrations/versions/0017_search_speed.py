"""Search speed on PostgreSQL: the tsvector kept in the row, and a gram index for short Chinese and Japanese terms

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 18:30:00

PostgreSQL only (SQLite's FTS5 tables are unchanged):

- ``search_vector`` is stored in the row (STORAGE MAIN) and compressed with lz4 where the
  server has it. Ranking (ts_rank) reads the vector of every match: out of line, each one
  cost a TOAST index lookup and a pglz decompression, three times the cost of finding the
  matches. ``body`` is lz4 compressed too, and the table's ``toast_tuple_target`` is the
  largest allowed, so that rows stay whole unless they do not fit a page: the substring
  recheck of Thai and Khmer terms reads title and body of every candidate, and with the
  body out of line that read was two thirds of the query's time.
- ``short_grams``: a stored generated ``text[]`` of every one- and two-character piece of
  the runs of Han and kana characters in title and body, with a GIN index. A Chinese or
  Japanese term of one or two characters is too short for the trigram index and was
  matched by reading every row; ``short_grams @> ARRAY[term]`` is the same test (a run of
  such characters holds the term exactly when the term is one of its pieces) answered by
  the index. The function that computes it is ``search_short_grams``.

Written by hand, like 0003: these are not model columns (see migrations/env.py). Rows are
updated once at the end so that the stored vectors take the new storage.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Han and kana, as app.services.search.query.GRAM_RANGES (copied: a migration must not change later).
GRAM_CLASS = r"[\u2E80-\u31FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uFF66-\uFF9F\U00020000-\U0003FFFF]+"
SHORT_GRAMS_FUNCTION = f"""
CREATE FUNCTION search_short_grams(content text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT piece), '{{}}')
  FROM regexp_matches(content, '{GRAM_CLASS}', 'g') AS run(parts),
       generate_series(1, length(run.parts[1])) AS position,
       LATERAL (VALUES (substr(run.parts[1], position, 1)), (substr(run.parts[1], position, 2))) AS pieces(piece)
$$
"""
ROW_TARGET = 8160  # bytes: the largest allowed, so title and body stay in the row too (compressed)
LZ4_AVAILABLE = "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE search_documents ALTER COLUMN search_vector SET STORAGE MAIN")
    op.execute(f"ALTER TABLE search_documents SET (toast_tuple_target = {ROW_TARGET})")
    if op.get_bind().exec_driver_sql(LZ4_AVAILABLE).scalar():
        op.execute("ALTER TABLE search_documents ALTER COLUMN search_vector SET COMPRESSION lz4")
        op.execute("ALTER TABLE search_documents ALTER COLUMN body SET COMPRESSION lz4")
    op.execute(SHORT_GRAMS_FUNCTION)
    op.execute(
        "ALTER TABLE search_documents ADD COLUMN short_grams text[] "
        "GENERATED ALWAYS AS (search_short_grams(title || ' ' || body)) STORED"
    )
    op.execute("CREATE INDEX ix_search_documents_short_grams ON search_documents USING gin (short_grams)")
    op.execute("UPDATE search_documents SET body = body")  # stored values take the new storage


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX ix_search_documents_short_grams")
    op.execute("ALTER TABLE search_documents DROP COLUMN short_grams")
    op.execute("DROP FUNCTION search_short_grams(text)")
    op.execute("ALTER TABLE search_documents RESET (toast_tuple_target)")
    op.execute("ALTER TABLE search_documents ALTER COLUMN search_vector SET STORAGE EXTENDED")
    op.execute("ALTER TABLE search_documents ALTER COLUMN search_vector SET COMPRESSION DEFAULT")
    op.execute("ALTER TABLE search_documents ALTER COLUMN body SET COMPRESSION DEFAULT")
