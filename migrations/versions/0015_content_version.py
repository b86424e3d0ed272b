"""The content's version: a token that every write to the questionnaires, library or countries changes

Revision ID: 0015
Revises: 0013
Create Date: 2026-12-07 18:30:00

Written by hand. ``content_state`` holds one row; triggers replace its token with a new random
one after every insert, update or delete of ``questionnaire_versions``, ``library_entries`` and
``countries`` (on PostgreSQL once per statement, on SQLite once per row), so every app process
on every server sees a ``ctsat load`` or an editor's change at its next request without a
restart (``app.services.catalog`` compares the token with the one its copies were made under).
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("questionnaire_versions", "library_entries", "countries")
EVENTS = ("INSERT", "UPDATE", "DELETE")

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION content_state_renew() RETURNS trigger AS $$
BEGIN
  UPDATE content_state SET token = md5(random()::text || clock_timestamp()::text || txid_current()::text);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql"""


def upgrade() -> None:
    op.create_table(
        "content_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_state")),
    )
    op.execute(
        sa.text("INSERT INTO content_state (id, token) VALUES (1, :token)").bindparams(token=secrets.token_hex(16))
    )
    if op.get_bind().dialect.name == "sqlite":
        for table in TABLES:
            for event in EVENTS:
                op.execute(
                    f"CREATE TRIGGER content_state_{table}_{event.lower()} AFTER {event} ON {table} "
                    "BEGIN UPDATE content_state SET token = lower(hex(randomblob(16))); END"
                )
        return
    op.execute(POSTGRES_FUNCTION)
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER content_state_renew AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION content_state_renew()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in TABLES:
            for event in EVENTS:
                op.execute(f"DROP TRIGGER IF EXISTS content_state_{table}_{event.lower()}")
    else:
        for table in TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS content_state_renew ON {table}")
        op.execute("DROP FUNCTION IF EXISTS content_state_renew()")
    op.drop_table("content_state")
