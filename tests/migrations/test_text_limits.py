"""Migration 0009 adds the length limits without losing data, triggers or failing on old text (SQLite copies tables)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app.models import Answer, CountryUpdate, WorkshopGroup, WorkshopParticipant
from app.models.database import make_engine
from app.services.migrations import upgrade


def test_the_answer_history_triggers_survive_the_table_copy_on_sqlite(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'limits.db'}"
    upgrade(url)
    engine = make_engine(url)
    with engine.connect() as connection:
        query = text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'answers'")
        triggers = set(connection.execute(query).scalars())
    engine.dispose()
    assert triggers == {"answers_history_insert", "answers_history_update"}


OLD_ROWS = [
    "INSERT INTO countries (code, name, kind, profile, updated_at)"
    " VALUES ('THA', 'Thailand', 'state', '{}', CURRENT_TIMESTAMP)",
    "INSERT INTO users (id, email, name, password_hash, role, country_code, language, active, created_at)"
    " VALUES (1, 'f@test.example', 'F', 'x', 'facilitator', NULL, 'en', 1, CURRENT_TIMESTAMP),"
    " (2, 'o@test.example', 'O', 'x', 'official', 'THA', 'en', 1, CURRENT_TIMESTAMP)",
    "INSERT INTO workshops (id, title, venue, online, questionnaire_id, questionnaire_version, scope_measures,"
    " invited_countries, join_code, code_expires_at, code_revoked, facilitator_id, evaluation_questions, summary,"
    " created_at) VALUES (1, 'Old workshop', 'Bangkok', 0, 'mini', '1', '[]', '[\"THA\"]', 'OLDCODE1',"
    " CURRENT_TIMESTAMP, 0, 1, '[]', '', CURRENT_TIMESTAMP)",
    "INSERT INTO workshop_participants (id, workshop_id, user_id, country_code, agency, pillar_id, joined_at, status)"
    " VALUES (1, 1, 2, 'THA', 'Police', 'protection', CURRENT_TIMESTAMP, 'admitted')",
    "INSERT INTO workshop_groups (id, workshop_id, kind, name, members) VALUES (1, 1, 'custom', 'Mekong', '[\"THA\"]')",
]


def test_copying_a_table_keeps_the_rows_that_reference_it_and_cuts_over_long_text(tmp_path: Path) -> None:
    """Rows written as SQL of the 0008 schema (the models describe today's schema, not that one)."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0008")
    engine = make_engine(url)
    with engine.begin() as connection:
        for statement in OLD_ROWS:
            connection.execute(text(statement))
        update = (
            "INSERT INTO country_updates (country_code, submitted_by, proposal, comment, status, reason, submitted_at)"
            " VALUES ('THA', 2, '{}', :comment, 'pending', '', CURRENT_TIMESTAMP)"
        )
        connection.execute(text(update), {"comment": "c" * 9_000})
    engine.dispose()  # the 0008 schema has no length limits yet: the over-long comment was stored

    upgrade(url)
    with Session(make_engine(url)) as session:
        assert session.scalar(select(func.count()).select_from(WorkshopGroup)) == 1
        assert session.scalar(select(func.count()).select_from(WorkshopParticipant)) == 1
        assert session.scalar(select(func.length(CountryUpdate.comment))) == 2_000
        assert session.scalar(select(func.count()).select_from(Answer)) == 0
