"""Search in the officials' languages on the real content: translated questionnaire texts are
indexed, so a Thai search finds the Thai questions; a typo in each word still finds the measure."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from app.models.database import make_engine
from app.services.catalog import forget_cached
from app.services.content import load_content
from app.services.migrations import upgrade
from app.services.search import search

CONTENT = Path(__file__).resolve().parents[2] / "questionnaires"


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    url = f"sqlite:///{tmp_path_factory.mktemp('languages') / 'real.db'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        load_content(session, CONTENT)
        yield session
    engine.dispose()
    forget_cached()


def keys(session: Session, query: str) -> list[tuple[str, str]]:
    return [(hit.kind, hit.key) for hit in search(session, query).hits[:10]]


def test_a_thai_search_finds_the_thai_measure_title(session: Session) -> None:
    assert ("measure", "PROT-1") in keys(session, "การคัดแยกผู้เสียหาย")


def test_a_thai_search_finds_a_thai_question(session: Session) -> None:
    assert ("item", "PROS-8.1") in keys(session, "ความผิดมูลฐานของการฟอกเงิน")


def test_a_two_word_typo_still_finds_what_was_meant(session: Session) -> None:
    assert ("measure", "PROT-1") in keys(session, "victm identifcation")
