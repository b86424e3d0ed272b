"""Usability (issue 17): finalising reason, several assignees per measure, evidence files

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 15:00:00.000000

- ``assessments.final_reason`` (server default "") keeps why a cycle was finalised before it was
  complete. SQLite ALTERs ``assessments`` in place (no batch copy): a copy would break the
  answer-history triggers that name the table.
- ``assignment_assignees`` gives an assignment one or more people; each existing assignment's
  ``user_id`` becomes its first assignee, and the column goes (downgrade keeps the first).
- ``evidence_files``: documents attached to answers, stored outside the web root.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("final_reason", sa.Text(), server_default="", nullable=False))
    _assignees_up()
    _evidence_up()


def _assignees_up() -> None:
    # Keep who each assignment went to in a plain table first: on SQLite the batch copy of
    # ``assignments`` drops the old table, which would cascade to the new one.
    op.create_table(
        "_assignees_copy", sa.Column("assignment_id", sa.Integer(), nullable=False), sa.Column("user_id", sa.Integer())
    )
    op.execute("INSERT INTO _assignees_copy (assignment_id, user_id) SELECT id, user_id FROM assignments")
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assignments_user_id"))
        batch_op.drop_constraint(batch_op.f("fk_assignments_user_id_users"), type_="foreignkey")
        batch_op.drop_column("user_id")
    op.create_table(
        "assignment_assignees",
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["assignments.id"],
            name=op.f("fk_assignment_assignees_assignment_id_assignments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_assignment_assignees_user_id_users")),
        sa.PrimaryKeyConstraint("assignment_id", "user_id", name=op.f("pk_assignment_assignees")),
    )
    with op.batch_alter_table("assignment_assignees", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assignment_assignees_user_id"), ["user_id"], unique=False)
    op.execute("INSERT INTO assignment_assignees (assignment_id, user_id) SELECT assignment_id, user_id FROM _assignees_copy")
    op.drop_table("_assignees_copy")


def _evidence_up() -> None:
    op.create_table(
        "evidence_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.String(length=30), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_key", sa.String(length=100), nullable=False),
        sa.Column("uploaded_by", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_evidence_files_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["uploaded_by"], ["users.id"], name=op.f("fk_evidence_files_uploaded_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_files")),
        sa.UniqueConstraint("storage_key", name=op.f("uq_evidence_files_storage_key")),
    )
    with op.batch_alter_table("evidence_files", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evidence_files_assessment_id"), ["assessment_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("evidence_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_files_assessment_id"))
    op.drop_table("evidence_files")
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("user_id", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE assignments SET user_id = (SELECT MIN(user_id) FROM assignment_assignees "
        "WHERE assignment_assignees.assignment_id = assignments.id)"
    )
    op.execute("DELETE FROM assignments WHERE user_id IS NULL")
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.alter_column("user_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(batch_op.f("fk_assignments_user_id_users"), "users", ["user_id"], ["id"])
        batch_op.create_index(batch_op.f("ix_assignments_user_id"), ["user_id"], unique=False)
    with op.batch_alter_table("assignment_assignees", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assignment_assignees_user_id"))
    op.drop_table("assignment_assignees")
    # A plain DROP COLUMN (SQLite >= 3.35), for the triggers' sake (see above).
    op.execute("ALTER TABLE assessments DROP COLUMN final_reason")
