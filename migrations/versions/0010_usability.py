"""Usability (issue 17): the reason an assessment was finalised before it was complete

Revision ID: 0010
Revises: 0007
Create Date: 2026-12-07 15:00:00.000000

``assessments.final_reason`` has a server default, so existing assessments get an empty reason.
SQLite ALTERs ``assessments`` in place (no batch copy), keeping the triggers that name it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0010"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("final_reason", sa.Text(), server_default="", nullable=False))


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite >= 3.35): a batch copy of ``assessments`` would break the
    # answer-history triggers that name it.
    op.execute("ALTER TABLE assessments DROP COLUMN final_reason")
