"""Search across the public resource centre, on SQLite (FTS5 trigram) and PostgreSQL (full text + pg_trgm)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import LibraryEntry, SearchDocument
from app.models.search import KINDS
from app.services.assessments import start_assessment
from app.services.catalog import get_questionnaire
from app.services.content import load_content
from app.services.search import Facets, SearchResults, index_entry, reindex, search
from tests.conftest import FIXTURE_CONTENT

HOSTILE_QUERIES = [
    '"',
    '""',
    "'",
    "*",
    "AND",
    "OR NOT",
    "NEAR(a b, 2)",
    "title: protocol",
    "{title body}: protocol",
    "^protocol",
    "protocol -trafficking +victims",
    "(((",
    ")",
    "%",
    "_",
    "\\",
    "\x00",
    "abc\x00def",
    "'; DROP TABLE search_documents; --",
    "1' OR '1'='1",
    "SELECT * FROM users",
    "<script>alert(1)</script>",
    "\u202eprotocol",
    "🙂",
    "x:* & !y <-> z",
    "a_b",
    "\u0301",
    "ـ",
    "http://example.org/?q=1",
    "x" * 10_000,
    "a " * 5_000,
]


def keys(results: SearchResults) -> list[tuple[str, str]]:
    return [(hit.kind, hit.key) for hit in results.hits]


def all_pages(session: Session, query: str, facets: Facets | None = None) -> list[tuple[str, str]]:
    first = search(session, query, facets, page=1, per_page=2)
    found = keys(first)
    for page in range(2, first.pages + 1):
        found += keys(search(session, query, facets, page=page, per_page=2))
    return found


def test_an_english_word_from_a_title_finds_the_resource(session: Session) -> None:
    results = search(session, "Suppress")
    assert ("resource", "trafficking-protocol") in keys(results)
    assert not results.fuzzy


def test_the_start_of_a_word_finds_the_whole_word(session: Session) -> None:
    assert ("resource", "trafficking-protocol") in keys(search(session, "Suppr"))


def test_a_thai_word_inside_thai_text_finds_the_resource(session: Session) -> None:
    results = search(session, "ผู้เสียหาย")
    assert keys(results) == [("resource", "frontline-protection-handbook")]
    assert "<mark>ผู้เสียหาย</mark>" in results.hits[0].snippet


def test_a_thai_word_finds_a_country_by_its_native_name(session: Session) -> None:
    assert ("country", "THA") in keys(search(session, "ไทย"))


def test_a_khmer_word_inside_khmer_text_finds_the_resource(session: Session) -> None:
    assert keys(search(session, "ជនរងគ្រោះ")) == [("resource", "referral-guideline-khmer")]


@pytest.mark.parametrize("query", ["贩运", "调查手册", "保护受害者"])
def test_a_chinese_substring_finds_the_resource(session: Session, query: str) -> None:
    assert keys(search(session, query)) == [("resource", "investigation-manual-chinese")]


@pytest.mark.parametrize("query", ["贩", "贩运", "手册", "查手"])
def test_one_or_two_chinese_characters_find_every_document_holding_them(session: Session, query: str) -> None:
    """Too short for a trigram index: PostgreSQL answers from its index of one- and two-character pieces."""
    stored = session.scalars(select(SearchDocument))
    expected = {(row.kind, row.key) for row in stored if query in row.title or query in row.body}
    assert expected
    assert not search(session, query).fuzzy
    assert set(all_pages(session, query)) == expected


def test_every_word_of_the_query_must_appear(session: Session) -> None:
    assert ("resource", "investigation-manual") in keys(search(session, "investigation manual"))
    assert ("resource", "investigation-manual") not in keys(search(session, "investigation treaty"))


def test_a_misspelt_country_name_finds_the_country_profile(session: Session) -> None:
    results = search(session, "Philipines")
    assert results.fuzzy
    assert keys(results)[0] == ("country", "PHL")


def test_a_word_that_matches_nothing_gives_no_results_and_no_close_names(session: Session) -> None:
    results = search(session, "zzyzzqx")
    assert results.total == 0 and results.matched == 0 and not results.fuzzy


def test_results_link_to_the_public_pages(session: Session) -> None:
    paths = {(hit.kind, hit.key): hit.path for hit in search(session, "Test").hits}
    paths.update({(hit.kind, hit.key): hit.path for hit in search(session, "Philippines").hits})
    paths.update({(hit.kind, hit.key): hit.path for hit in search(session, "victim identification").hits})
    assert paths[("resource", "investigation-manual")] == "/resources/investigation-manual"
    assert paths[("practice", "one-stop-centre")] == "/practices/one-stop-centre"
    assert paths[("country", "PHL")] == "/countries/PHL"
    assert paths[("measure", "PROT-1")] == "/policy/measures/PROT-1"
    assert paths[("item", "PROT-1.1")] == "/policy/measures/PROT-1#item-PROT-1.1"


def test_a_title_match_ranks_above_a_body_match(session: Session) -> None:
    found = keys(search(session, "investigation"))
    assert found.index(("resource", "investigation-manual")) < found.index(("practice", "specialised-unit"))


def test_facet_counts_cover_every_match_not_just_the_page(session: Session) -> None:
    results = search(session, "test", per_page=2)
    everything = all_pages(session, "test")
    assert results.total == len(everything) > 2
    assert {value.value: value.count for value in results.counts["kind"]} == {
        kind: sum(1 for found_kind, _ in everything if found_kind == kind) for kind in {k for k, _ in everything}
    }


def test_facet_counts_name_types_pillars_years_and_languages(session: Session) -> None:
    counts = {
        name: {value.value: value.count for value in values}
        for name, values in search(session, '"Test publisher"').counts.items()
    }
    assert counts["kind"] == {"resource": 5}
    assert counts["type"] == {"handbook": 3, "guideline": 2}
    assert counts["year"] == {"2019": 2, "2021": 1}
    assert counts["pillar"] == {"protection": 2, "prosecution": 3}
    assert counts["language"] == {"en": 3, "th": 1, "km": 1, "zh": 1}
    assert counts["measure"] == {"PROS-1": 1, "PROS-2": 1}


def test_a_facet_filter_keeps_only_matching_results(session: Session) -> None:
    results = search(session, "test", Facets(kind="resource"))
    assert results.hits and all(hit.kind == "resource" for hit in results.hits)
    assert results.total == sum(1 for kind, _ in all_pages(session, "test") if kind == "resource")


def test_a_filtered_facet_still_counts_its_other_values(session: Session) -> None:
    counts = search(session, "test", Facets(kind="resource")).counts["kind"]
    assert {value.value for value in counts} >= {"resource", "practice"}
    assert [value.value for value in counts if value.selected] == ["resource"]


def test_filters_on_multi_valued_facets_match_one_of_the_values(session: Session) -> None:
    found = keys(search(session, "Test", Facets(measure="PROS-2")))
    assert set(found) == {("resource", "investigation-manual"), ("practice", "specialised-unit")}


def test_pages_split_the_results_without_overlap(session: Session) -> None:
    everything = all_pages(session, "test")
    assert len(everything) == len(set(everything)) == search(session, "test").total


def test_a_page_after_the_last_shows_the_last_page(session: Session) -> None:
    results = search(session, "test", page=999, per_page=2)
    assert results.page == results.pages > 1
    assert results.hits


def test_titles_and_snippets_highlight_the_words_found(session: Session) -> None:
    hits = {hit.key: hit for hit in search(session, "exploitation").hits}
    assert "<mark>exploitation</mark>" in hits["PROS-1.2"].title
    hits = {hit.key: hit for hit in search(session, "Victims").hits}
    assert "<mark>victims</mark>" in hits["frontline-protection-handbook"].snippet


def edit_summary(session: Session, key: str, summary: str) -> None:
    entry = session.scalars(select(LibraryEntry).filter_by(kind="resources", key=key)).one()
    entry.data = {**entry.data, "summary": {"en": summary}}
    session.flush()


def test_snippets_escape_html_stored_in_the_library(session: Session) -> None:
    edit_summary(session, "penalties-guide", 'Sentencing <script>alert("x")</script> & <b>bold</b> \x02fake\x03 marks')
    index_entry(session, "resources", "penalties-guide")
    snippet = str(search(session, "alert").hits[0].snippet)
    assert "<script>" not in snippet and "<b>" not in snippet
    assert "&lt;script&gt;<mark>alert</mark>(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in snippet
    assert "<mark>fake</mark>" not in snippet


def test_an_edited_entry_is_found_by_its_new_text_once_indexed(session: Session) -> None:
    edit_summary(session, "penalties-guide", "Guidance on confiscating criminal assets")
    index_entry(session, "resource", "penalties-guide")
    assert keys(search(session, "confiscating")) == [("resource", "penalties-guide")]


def test_an_entry_removed_from_the_library_leaves_the_index(session: Session) -> None:
    session.delete(session.scalars(select(LibraryEntry).filter_by(kind="resources", key="penalties-guide")).one())
    session.flush()
    index_entry(session, "resource", "penalties-guide")
    assert ("resource", "penalties-guide") not in keys(search(session, "Test penalties guide"))


def test_the_index_follows_a_library_reload(session: Session, tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    resources = content / "library" / "resources.yaml"
    resources.write_text(resources.read_text().replace("Test penalties guide", "Sentencing guide for wildlife cases"))
    load_content(session, content)
    assert keys(search(session, "wildlife")) == [("resource", "penalties-guide")]
    assert ("resource", "penalties-guide") not in keys(search(session, '"Test penalties guide"'))


def test_a_reindex_without_changes_writes_nothing(session: Session) -> None:
    report = reindex(session)
    assert (report.added, report.updated, report.removed) == (0, 0, 0)


def test_assessments_are_never_indexed(session: Session, make_user: Any) -> None:
    questionnaire = get_questionnaire(session, "mini", "1")
    start_assessment(session, make_user("coordinator", "THA"), "THA", questionnaire, "Quokka review", [])
    session.commit()
    reindex(session)
    assert search(session, "Quokka").total == 0
    assert set(session.scalars(select(SearchDocument.kind).distinct())) <= set(KINDS)


@pytest.mark.parametrize("query", ["", "   ", '""', "\x00\x01"])
def test_an_empty_query_returns_no_results_without_searching(session: Session, query: str) -> None:
    results = search(session, query)
    assert results.empty_query and results.total == 0


def test_a_long_query_is_cut_to_the_maximum_length(session: Session) -> None:
    results = search(session, "Suppress " + "x" * 500)
    assert results.truncated and len(results.query) <= results.max_length


@pytest.mark.parametrize("query", HOSTILE_QUERIES + ["\ud800protocol"])
def test_hostile_queries_never_raise(session: Session, query: str) -> None:
    search(session, query)


# ------------------------------------------------------------------------------------------ the page


def page(client: FlaskClient, **params: Any) -> tuple[int, str]:
    response = client.get("/search", query_string=params)
    return response.status_code, response.get_data(as_text=True)


def test_the_search_page_is_public_and_links_each_result(client: FlaskClient) -> None:
    status, html = page(client, q="Suppress")
    assert status == 200
    assert 'href="/resources/trafficking-protocol"' in html
    assert "<mark>Suppress</mark>" in html


def test_the_empty_query_page_asks_for_words(client: FlaskClient) -> None:
    status, html = page(client)
    assert status == 200
    assert "Type one or more words above to search" in html


def test_a_too_long_query_gets_a_notice(client: FlaskClient) -> None:
    status, html = page(client, q="protocol " * 100)
    assert status == 200
    assert "only the first 200 were used" in html


def test_no_results_page_offers_suggestions(client: FlaskClient) -> None:
    status, html = page(client, q="zzyzzqx")
    assert status == 200
    assert "Nothing found for" in html and "Check the spelling" in html


def test_a_misspelt_name_page_says_the_results_are_close_matches(client: FlaskClient) -> None:
    status, html = page(client, q="Philipines")
    assert status == 200
    assert "Nothing matches" in html and 'href="/countries/PHL"' in html


def test_facets_are_links_with_counts_that_filter_the_results(client: FlaskClient) -> None:
    _, html = page(client, q="test")
    assert 'href="/search?q=test&amp;kind=resource"' in html
    status, filtered = page(client, q="test", kind="resource")
    assert status == 200
    assert 'href="/practices/' not in filtered and 'href="/resources/investigation-manual"' in filtered
    assert "Remove all filters" in filtered


def test_pagination_links_keep_the_query_and_filters(client: FlaskClient, app: Flask) -> None:
    app.config["SEARCH_PER_PAGE"] = 2
    status, html = page(client, q="test", kind="resource", page=2)
    assert status == 200
    assert 'href="/search?q=test&amp;kind=resource" rel="prev"' in html
    assert 'href="/search?q=test&amp;kind=resource&amp;page=3" rel="next"' in html
    assert 'href="/search?q=test&amp;kind=resource&amp;type=handbook"' in html  # a new filter starts at page 1


def test_invalid_filters_are_ignored_with_a_notice(client: FlaskClient) -> None:
    status, html = page(client, q="test", year="<script>", country="Thailand!", page="-3")
    assert status == 200
    assert "Some filters were not valid" in html and "<script>" not in html.split("</header>")[1]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_hostile_queries_give_a_page_never_an_error(client: FlaskClient, query: str) -> None:
    status, html = page(client, q=query, page="99999999999999999999")
    assert status == 200
    assert "<script>alert(1)</script>" not in html
