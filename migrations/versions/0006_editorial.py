"""Editorial record: content edits (audit of every knowledge-base change) and country updates for review

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 07:00:00

Written by hand. Only new tables, so no SQLite batch copy touches existing rows.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "content_edits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_content_edits_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_edits")),
    )
    op.create_index("ix_content_edits_kind_key", "content_edits", ["kind", "key"], unique=False)

    op.create_table(
        "country_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("country_code", sa.String(length=3), nullable=False),
        sa.Column("submitted_by", sa.Integer(), nullable=False),
        sa.Column("proposal", sa.JSON(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("reviewed_by", sa.Integer(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["country_code"], ["countries.code"], name=op.f("fk_country_updates_country_code_countries")
        ),
        sa.ForeignKeyConstraint(["reviewed_by"], ["users.id"], name=op.f("fk_country_updates_reviewed_by_users")),
        sa.ForeignKeyConstraint(["submitted_by"], ["users.id"], name=op.f("fk_country_updates_submitted_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_country_updates")),
    )
    op.create_index(op.f("ix_country_updates_country_code"), "country_updates", ["country_code"], unique=False)
    op.create_index(op.f("ix_country_updates_status"), "country_updates", ["status"], unique=False)
    op.create_index(op.f("ix_country_updates_submitted_by"), "country_updates", ["submitted_by"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_country_updates_submitted_by"), table_name="country_updates")
    op.drop_index(op.f("ix_country_updates_status"), table_name="country_updates")
    op.drop_index(op.f("ix_country_updates_country_code"), table_name="country_updates")
    op.drop_table("country_updates")
    op.drop_index("ix_content_edits_kind_key", table_name="content_edits")
    op.drop_table("content_edits")
