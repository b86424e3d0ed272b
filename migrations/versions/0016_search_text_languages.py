"""The languages each search document's text is in

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 19:00:00

- search_documents.text_languages (``|en|th|``): the languages an entry's own text is in (a Thai
  summary of an English report, a Thai question from the questionnaire's catalogue), so that a
  search lists results in the searcher's language first. The ``languages`` facet stays the
  publication's language. Filled by the next ``ctsat load`` (or any reindex); empty until then.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("search_documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("text_languages", sa.String(length=200), server_default="", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("search_documents", schema=None) as batch_op:
        batch_op.drop_column("text_languages")
