"""Migration 0009 adds the length limits without losing data, triggers or failing on old text (SQLite copies tables)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app.models import Answer, CountryUpdate, WorkshopGroup, WorkshopParticipant
from app.models.database import make_engine
from app.services.accounts import create_user
from app.services.catalog import forget_cached, get_questionnaire
from app.services.content import load_content
from app.services.migrations import upgrade
from app.services.workshop_admission import JoinChoice, request_to_join
from app.services.workshops import WorkshopSettings, create_workshop
from tests.conftest import FIXTURE_CONTENT


def test_the_answer_history_triggers_survive_the_table_copy_on_sqlite(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'limits.db'}"
    upgrade(url)
    engine = make_engine(url)
    with engine.connect() as connection:
        query = text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'answers'")
        triggers = set(connection.execute(query).scalars())
    engine.dispose()
    assert triggers == {"answers_history_insert", "answers_history_update"}


def test_copying_a_table_keeps_the_rows_that_reference_it_and_cuts_over_long_text(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0008")
    engine = make_engine(url)
    with Session(engine) as session:
        load_content(session, FIXTURE_CONTENT)
        forget_cached()
        facilitator = create_user(session, "f@test.example", "F", "correct horse battery", "facilitator", None)
        official = create_user(session, "o@test.example", "O", "correct horse battery", "official", "THA")
        settings = WorkshopSettings("Old workshop", None, None, "Bangkok", False, [], ["THA", "PHL"])
        workshop = create_workshop(session, facilitator, get_questionnaire(session, "mini", "1"), settings)
        request_to_join(session, official, workshop, JoinChoice("THA", "Police", "protection"))
        session.add(WorkshopGroup(workshop_id=workshop.id, kind="custom", name="Mekong", members=["THA"]))
        session.add(CountryUpdate(country_code="THA", submitted_by=official.id, proposal={}, comment="c" * 9_000))
        session.commit()
    engine.dispose()  # the 0008 schema has no length limits yet: the over-long comment was stored

    upgrade(url)
    with Session(make_engine(url)) as session:
        assert session.scalar(select(func.count()).select_from(WorkshopGroup)) == 1
        assert session.scalar(select(func.count()).select_from(WorkshopParticipant)) == 1
        assert session.scalar(select(func.length(CountryUpdate.comment))) == 2_000
        assert session.scalar(select(func.count()).select_from(Answer)) == 0
    forget_cached()
