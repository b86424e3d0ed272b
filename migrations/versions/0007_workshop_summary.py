"""The facilitator's summary of a workshop (printed in the workshop report)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 07:00:00.000000

One new column with a server default, so existing workshops get an empty summary. Adding a
column is a plain ALTER TABLE on SQLite too; only the downgrade copies the (small) table.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("workshops", schema=None) as batch_op:
        batch_op.add_column(sa.Column("summary", sa.Text(), server_default="", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("workshops", schema=None) as batch_op:
        batch_op.drop_column("summary")
