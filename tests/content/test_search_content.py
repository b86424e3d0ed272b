"""The public search finds the shipped resources by a Thai word of their Thai summary and by
an English word of their title (the resource centre's acceptance, on the real content)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from app.core.loader import load_library
from app.models.database import make_engine
from app.services.catalog import forget_cached
from app.services.content import load_content
from app.services.migrations import upgrade
from app.services.search import search
from app.services.search.facets import Facets

CONTENT = Path(__file__).resolve().parents[2] / "questionnaires"
# (resource, a Thai word from its Thai summary, an English word from its title)
KNOWN = [
    ("actip-2015", "กัวลาลัมเปอร์", "ASEAN"),  # Kuala Lumpur: "ASEAN" is in dozens of Thai texts now
    ("osce-nrm-handbook-2022", "กลไกการส่งต่อ", "Referral"),
    ("commit-mou-2004", "ลุ่มแม่น้ำโขง", "Mekong"),
    ("ilo-operational-indicators-2009", "เดลฟาย", "Operational"),
]


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    """A SQLite database with the real questionnaire and knowledge base loaded."""
    url = f"sqlite:///{tmp_path_factory.mktemp('real') / 'real.db'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        load_content(session, CONTENT)
        yield session
    engine.dispose()
    forget_cached()


def test_the_thai_words_are_in_the_thai_summaries_and_the_english_words_in_the_titles() -> None:
    resources = load_library(CONTENT / "library").resource_by_id
    for resource_id, thai, english in KNOWN:
        assert thai in resources[resource_id].summary["th"], resource_id
        assert english.lower() in resources[resource_id].title.lower(), resource_id


@pytest.mark.parametrize(("resource_id", "thai", "english"), KNOWN)
def test_search_finds_a_resource_by_a_thai_word_of_its_thai_summary(
    session: Session, resource_id: str, thai: str, english: str
) -> None:
    found = search(session, thai)
    assert ("resource", resource_id) in [(hit.kind, hit.key) for hit in found.hits[:5]], [h.key for h in found.hits]


@pytest.mark.parametrize(("resource_id", "thai", "english"), KNOWN)
def test_search_finds_a_resource_by_an_english_word_of_its_title(
    session: Session, resource_id: str, thai: str, english: str
) -> None:
    found = search(session, english)
    assert ("resource", resource_id) in [(hit.kind, hit.key) for hit in found.hits], [h.key for h in found.hits]


def test_a_thai_hit_shows_the_thai_text_in_its_snippet(session: Session) -> None:
    hit = next(hit for hit in search(session, "กัวลาลัมเปอร์").hits if hit.key == "actip-2015")
    assert "กัวลาลัมเปอร์" in str(hit.snippet)


def test_the_language_facet_is_the_publications_not_the_summarys(session: Session) -> None:
    """A Thai summary makes an English publication findable in Thai; it does not make it Thai."""
    resources = load_library(CONTENT / "library").resource_by_id
    assert "th" not in resources["actip-2015"].languages
    found = search(session, "กัวลาลัมเปอร์")
    assert "actip-2015" in [hit.key for hit in found.hits]
    assert "actip-2015" not in [hit.key for hit in search(session, "กัวลาลัมเปอร์", Facets(language="th")).hits]


def test_the_weighted_indicators_are_found_by_a_sign_they_list(session: Session) -> None:
    found = search(session, "debt bondage")
    assert ("indicators", "ilo-adults-labour-exploitation") in [(hit.kind, hit.key) for hit in found.hits]
    hit = next(hit for hit in found.hits if hit.kind == "indicators")
    assert hit.path == "/indicators/ilo-adults-labour-exploitation"
