"""A workshop's sharing terms, accepted by each participant

Revision ID: 0014
Revises: 0010
Create Date: 2026-12-07 16:00:00

- workshops.sharing_terms ("everyone", "facilitators", "anonymous" or "private";
  app/core/workshop_terms.py says what each shows): the facilitator's terms, no longer each
  national coordinator's sharing setting, decide what the board, groups and report show.
- workshop_participants.terms_accepted_at: when the participant accepted the terms; until then
  they see the terms and nothing else of the workshop, and cannot answer.

Existing workshops get "private": each country's results stay with its own participants and the
facilitators see progress only. That never shows anyone more than the old per-country opt-in did
(the old rules cannot be represented by one value per workshop; any other value would show some
country's results to someone who did not see them before). The facilitator can choose other terms
until a participant accepts; existing participants have accepted nothing (NULL) and are asked to.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("workshops", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sharing_terms", sa.String(length=20), server_default="private", nullable=False))
    with op.batch_alter_table("workshop_participants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("terms_accepted_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("workshop_participants", schema=None) as batch_op:
        batch_op.drop_column("terms_accepted_at")
    with op.batch_alter_table("workshops", schema=None) as batch_op:
        batch_op.drop_column("sharing_terms")
