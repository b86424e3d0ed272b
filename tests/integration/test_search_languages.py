"""Search in the searcher's language first: entries whose own text is in the interface language
(a Thai summary, a Thai question from the questionnaire's catalogue) come before the others."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import SearchDocument
from app.services.search import search

QUERY = "refer"  # the Khmer referral guideline by its title, the Thai handbook by its summary


def text_languages(session: Session) -> dict[tuple[str, str], str]:
    rows = session.execute(select(SearchDocument.kind, SearchDocument.key, SearchDocument.text_languages))
    return {(kind, key): languages for kind, key, languages in rows}


def test_the_index_knows_which_languages_an_entrys_text_is_in(session: Session) -> None:
    languages = text_languages(session)
    assert languages[("resource", "frontline-protection-handbook")] == "|en|th|"
    assert languages[("resource", "referral-guideline-khmer")] == "|en|km|"  # an English title, a Khmer summary


def test_a_thai_searcher_sees_entries_with_thai_text_first(session: Session) -> None:
    english = [(hit.kind, hit.key) for hit in search(session, QUERY, per_page=50).hits]
    thai = [(hit.kind, hit.key) for hit in search(session, QUERY, per_page=50, language="th").hits]
    assert sorted(english) == sorted(thai) and len(thai) > 1
    assert english[0] != ("resource", "frontline-protection-handbook")  # else the test proves nothing
    assert thai[0] == ("resource", "frontline-protection-handbook")
    languages = text_languages(session)
    in_thai = ["|th|" in languages[hit].replace("|en", "") for hit in thai]
    assert in_thai == sorted(in_thai, reverse=True)  # every Thai one before every other


def test_the_search_page_orders_by_the_interface_language(client: FlaskClient) -> None:
    def order(language: str) -> bool:
        page = client.get(f"/search?q={QUERY}", headers={"Accept-Language": language}).get_data(as_text=True)
        return page.index('href="/resources/frontline-protection-handbook') < page.index(
            'href="/resources/referral-guideline-khmer'
        )

    assert order("th") and not order("en")
