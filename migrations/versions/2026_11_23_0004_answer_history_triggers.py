"""Answer history and assessment revision kept by database triggers

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 18:45:00

Written by hand. Every insert or update of an answer writes its history row (who, when,
the values before and after) and bumps the assessment's revision in the same statement,
so an autosave is one round trip and no code path can change an answer unrecorded.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FIELDS = ("level", "value", "dont_know", "not_applicable", "reason", "comment", "evidence")
SQLITE_NOW = "strftime('%Y-%m-%d %H:%M:%S', 'now') || '.' || substr(strftime('%f', 'now'), 4) || '000'"


def _sqlite_json(row: str) -> str:
    pairs = ", ".join(
        f"'{name}', CASE WHEN {row}.{name} IS NULL THEN NULL ELSE json({row}.{name} = 1) END"
        if name in ("dont_know", "not_applicable")
        else f"'{name}', {row}.{name}"
        for name in FIELDS
    )
    return f"json_object({pairs})"


def _sqlite_trigger(event: str, before: str) -> str:
    return f"""
CREATE TRIGGER answers_history_{event.lower()} AFTER {event} ON answers
BEGIN
  INSERT INTO answer_changes (assessment_id, item_id, version, "before", "after", changed_by, changed_at)
  VALUES (NEW.assessment_id, NEW.item_id, NEW.version, {before}, {_sqlite_json("NEW")}, NEW.updated_by, {SQLITE_NOW});
  UPDATE assessments SET revision = revision + 1, updated_at = {SQLITE_NOW} WHERE id = NEW.assessment_id;
END"""


def _postgres_json(row: str) -> str:
    pairs = ", ".join(f"'{name}', {row}.{name}" for name in FIELDS)
    return f"json_build_object({pairs})"


POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION answers_history() RETURNS trigger AS $$
BEGIN
  INSERT INTO answer_changes (assessment_id, item_id, version, "before", "after", changed_by, changed_at)
  VALUES (NEW.assessment_id, NEW.item_id, NEW.version,
          CASE WHEN TG_OP = 'UPDATE' THEN {_postgres_json("OLD")} ELSE NULL END,
          {_postgres_json("NEW")}, NEW.updated_by, now());
  UPDATE assessments SET revision = revision + 1, updated_at = now() WHERE id = NEW.assessment_id;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(_sqlite_trigger("INSERT", "NULL"))
        op.execute(_sqlite_trigger("UPDATE", _sqlite_json("OLD")))
        return
    op.execute(POSTGRES_FUNCTION)
    op.execute(
        "CREATE TRIGGER answers_history AFTER INSERT OR UPDATE ON answers "
        "FOR EACH ROW EXECUTE FUNCTION answers_history()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS answers_history_insert")
        op.execute("DROP TRIGGER IF EXISTS answers_history_update")
        return
    op.execute("DROP TRIGGER IF EXISTS answers_history ON answers")
    op.execute("DROP FUNCTION IF EXISTS answers_history()")
