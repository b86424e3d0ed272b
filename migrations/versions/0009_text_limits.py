"""A stated maximum length for every long text column, enforced by the database

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 15:30:00.000000

Written by hand. A CHECK constraint ``length(column) <= limit`` per column (the limits of
``app/core/limits.py`` on this date, written out here so that this migration never changes).
``length()`` counts characters on SQLite and PostgreSQL alike. On SQLite adding a constraint
copies the table, which drops its triggers (the answer history of 0004): they are read
before and created again after. A text already longer than its limit (nothing stopped a 9 MB
note before) is cut to the limit first, so that the upgrade cannot fail on old data.
"""

from collections.abc import Sequence

from alembic import op
from sqlalchemy import text

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIMITS: dict[str, dict[str, int]] = {
    "answers": {"value": 10_000, "reason": 10_000, "comment": 10_000, "evidence": 10_000},
    "review_notes": {"text": 5_000},
    "actions": {"title": 500, "partners": 2_000, "indicator": 2_000},
    "strategies": {"actions": 10_000},
    "workshops": {"summary": 20_000},
    "country_updates": {"comment": 2_000, "reason": 2_000},
}


def _name(table: str, column: str) -> str:
    return f"ck_{table}_{column}_length"


def _triggers(table: str) -> list[str]:
    if op.get_bind().dialect.name != "sqlite":
        return []
    query = text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :table")
    return [row[0] for row in op.get_bind().execute(query, {"table": table})]


def upgrade() -> None:
    for table, columns in LIMITS.items():
        for column, limit in columns.items():
            op.execute(f"UPDATE {table} SET {column} = substr({column}, 1, {limit}) WHERE length({column}) > {limit}")
        triggers = _triggers(table)
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, limit in columns.items():
                batch_op.create_check_constraint(op.f(_name(table, column)), f"length({column}) <= {limit}")
        for statement in triggers:
            op.execute(statement)


def downgrade() -> None:
    for table, columns in LIMITS.items():
        triggers = _triggers(table)
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.drop_constraint(op.f(_name(table, column)), type_="check")
        for statement in triggers:
            op.execute(statement)
