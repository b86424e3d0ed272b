"""Confidential by construction: workshop admission, session generations, shared throttle counters

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 15:00:00

- users.session_generation: raising it ends every session of the user on every worker/server.
- workshop_participants.status (pending/admitted/declined), decided_by, decided_at: joining with a
  code no longer gives access; the facilitator (or the expected-attendee list) admits. Existing
  participants were let in under the old rules and stay admitted (server default).
- workshop_expected_attendees: e-mails the facilitator expects, per country.
- throttle_counters: rate limits per address and sign-in failures per account, shared by workers.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_generation", sa.Integer(), server_default="0", nullable=False))
    with op.batch_alter_table("workshop_participants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status", sa.String(length=20), server_default="admitted", nullable=False))
        batch_op.add_column(sa.Column("decided_by", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_workshop_participants_decided_by_users"), "users", ["decided_by"], ["id"]
        )
    op.create_table(
        "workshop_expected_attendees",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("country_code", sa.String(length=3), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["country_code"], ["countries.code"], name=op.f("fk_workshop_expected_attendees_country_code_countries")
        ),
        sa.ForeignKeyConstraint(
            ["workshop_id"],
            ["workshops.id"],
            name=op.f("fk_workshop_expected_attendees_workshop_id_workshops"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workshop_expected_attendees")),
        sa.UniqueConstraint("workshop_id", "email", name=op.f("uq_workshop_expected_attendees_workshop_id")),
    )
    op.create_table(
        "throttle_counters",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_throttle_counters")),
    )
    op.create_index(op.f("ix_throttle_counters_expires_at"), "throttle_counters", ["expires_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_throttle_counters_expires_at"), table_name="throttle_counters")
    op.drop_table("throttle_counters")
    op.drop_table("workshop_expected_attendees")
    with op.batch_alter_table("workshop_participants", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_workshop_participants_decided_by_users"), type_="foreignkey")
        batch_op.drop_column("decided_at")
        batch_op.drop_column("decided_by")
        batch_op.drop_column("status")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("session_generation")
