"""The public resource centre: pages anyone can read, their cross-links, filters and site maps.

The test content is the "mini" questionnaire (PROS-1, PROS-2, PROT-1) and its small library.
"""

from __future__ import annotations

import re
from typing import Any
from xml.etree import ElementTree

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Connection, event
from sqlalchemy.orm import Session

from app.core.library import Library
from app.core.loader import load_library, load_questionnaire
from app.core.questionnaire import Questionnaire
from app.models import Country, LibraryEntry
from app.services import library_pages as pages
from app.services.assessments import start_assessment
from app.services.catalog import forget_cached, get_questionnaire
from tests.conftest import ROOT, login

PUBLIC_PAGES = [
    "/",
    "/resource-centre",
    "/planning",
    "/challenges",
    "/principles",
    "/instruments",
    "/policy",
    "/policy/prosecution",
    "/policy/measures/PROS-1",
    "/policy/measures/PROS-2",
    "/policy/measures/PROT-1",
    "/resources",
    "/resources/trafficking-protocol",
    "/practices",
    "/practices/specialised-unit",
    "/countries",
    "/countries/THA",
    "/sitemap",
    "/sitemap.xml",
]


def text_of(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return response.get_data(as_text=True)


def add_entry(session: Session, kind: str, data: dict[str, Any]) -> None:
    session.add(LibraryEntry(kind=kind, key=data["id"], data=data))
    session.commit()
    forget_cached()


def set_profile(session: Session, code: str, **profile: Any) -> None:
    country = session.get(Country, code)
    assert country is not None
    country.profile = {"code": code, "name": country.name, **profile}
    session.commit()
    forget_cached()


# ---------------------------------------------------------------------------- home and access


def test_visitors_see_the_resource_centre_at_the_home_page(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert "Counter-trafficking resource centre" in response.get_data(as_text=True)


def test_signed_in_users_still_see_their_assessments_at_the_home_page(client: FlaskClient, make_user: Any) -> None:
    login(client, make_user("official", "THA").email)
    page = text_of(client, "/")
    assert "Your assessments" in page
    assert 'href="/resource-centre"' in page


def test_the_home_page_leads_to_the_four_areas_and_their_main_parts(client: FlaskClient) -> None:
    page = text_of(client, "/")
    main = page[page.index('<main id="main"') :]
    for url in ["/planning", "/principles", "/policy", "/practices", "/challenges", "/instruments", "/countries"]:
        assert f'href="{url}"' in main, url
    assert 'href="/policy/prosecution"' in main and 'href="/policy/protection"' in main


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_every_public_page_opens_without_an_account(client: FlaskClient, url: str) -> None:
    assert client.get(url).status_code == 200


def test_public_pages_never_show_an_assessment(client: FlaskClient, session: Session, make_user: Any) -> None:
    coordinator = make_user("coordinator", "THA")
    start_assessment(session, coordinator, "THA", get_questionnaire(session, "mini", "1"), "Secret review 4471", [])
    session.commit()
    login(client, coordinator.email)
    for url in PUBLIC_PAGES[1:]:
        assert "Secret review 4471" not in text_of(client, url), url


def test_every_page_has_breadcrumbs_and_the_compact_navigation(client: FlaskClient) -> None:
    for url in [url for url in PUBLIC_PAGES if not url.endswith(".xml")]:
        page = text_of(client, url)
        assert '<nav class="breadcrumbs" aria-label="Breadcrumb">' in page, url
        assert '<nav aria-label="Resource centre" class="lib-nav">' in page, url


def test_the_header_has_a_labelled_search_box_that_sends_a_get_to_search(client: FlaskClient) -> None:
    page = text_of(client, "/planning")
    form = re.search(
        r'<form class="lib-search" role="search" method="get" action="/search"[^>]*>.*?</form>', page, re.S
    )
    assert form is not None
    assert '<label for="lib-search-q"' in form.group(0) and 'id="lib-search-q" type="search" name="q"' in form.group(0)


def test_the_navigation_marks_the_current_area(client: FlaskClient) -> None:
    page = text_of(client, "/policy/measures/PROS-1")
    assert '<a href="/policy" aria-current="true">Policy</a>' in page
    assert '<a href="/planning">Planning</a>' in page


# ---------------------------------------------------------------------------- policy


def test_the_policy_page_lists_every_pillar_and_measure(client: FlaskClient, mini: Questionnaire) -> None:
    page = text_of(client, "/policy")
    for measure_id in mini.measures:
        assert f'href="/policy/measures/{measure_id}"' in page


def test_a_measure_page_shows_its_items_as_what_governments_put_in_place(client: FlaskClient) -> None:
    page = text_of(client, "/policy/measures/PROS-1")
    assert "What governments put in place" in page
    assert 'id="item-PROS-1.1"' in page and "Does national law criminalise trafficking in persons?" in page
    assert "Trafficking Protocol art. 5" in page
    assert "Editors will add the policy measures and the implementation methodology" in page


def test_a_measure_page_lists_its_resources_practices_and_challenges(client: FlaskClient) -> None:
    page = text_of(client, "/policy/measures/PROS-1")
    assert 'href="/resources/trafficking-protocol"' in page and 'href="/resources/penalties-guide"' in page
    assert "Recommended for item PROS-1.1" in page
    assert "Laws do not cover every form of exploitation." in page
    practices = text_of(client, "/policy/measures/PROS-2")
    assert 'href="/practices/specialised-unit"' in practices


def test_a_measure_page_includes_resources_its_items_name_but_that_do_not_list_the_measure(
    mini: Questionnaire, mini_library: Library
) -> None:
    data = mini_library.model_dump()
    data["resources"] = [{**r, "measures": []} if r["id"] == "trafficking-protocol" else r for r in data["resources"]]
    centre = pages.build_resource_centre(mini, Library.model_validate(data))
    found = {linked.entry.id: linked.items for linked in pages.measure_page(centre, "PROS-1").resources}
    assert found["trafficking-protocol"] == ("PROS-1.1",)
    assert list(found)[0] == "trafficking-protocol", "resources the items name come first"


def test_every_measure_page_of_the_real_content_has_resources_and_practices() -> None:
    library = load_library(ROOT / "questionnaires" / "library")
    centre = pages.build_resource_centre(load_questionnaire(ROOT / "questionnaires" / "ctsat-1.0", library), library)
    empty = [
        measure_id
        for measure_id in centre.questionnaire.measures
        if not pages.measure_page(centre, measure_id).resources or not pages.measure_page(centre, measure_id).practices
    ]
    assert empty == []


def test_an_unknown_measure_is_not_found_and_a_lower_case_id_redirects(client: FlaskClient) -> None:
    assert client.get("/policy/measures/PROS-99").status_code == 404
    assert client.get("/policy/nowhere").status_code == 404
    response = client.get("/policy/measures/pros-1")
    assert response.status_code == 301 and response.headers["Location"].endswith("/policy/measures/PROS-1")


# ---------------------------------------------------------------------------- resources


def test_a_resource_page_shows_its_fields_and_what_it_helps_with(client: FlaskClient) -> None:
    page = text_of(client, "/resources/trafficking-protocol")
    for text in ["United Nations", "2000", "Treaty", "English", "Helps with"]:
        assert text in page
    assert 'href="/policy/measures/PROS-1"' in page
    assert 'href="/policy/measures/PROS-1#item-PROS-1.1"' in page


def test_unverified_resource_fields_say_not_yet_verified(client: FlaskClient, session: Session) -> None:
    add_entry(
        session,
        "resources",
        {
            "id": "draft-guide",
            "title": "A draft guide",
            "publisher": "Someone",
            "type": "handbook",
            "unverified": ["year", "url"],
        },
    )
    page = text_of(client, "/resources/draft-guide")
    assert page.count("not yet verified") == 2


def test_resource_links_are_marked_external_and_only_web_addresses_become_links(
    client: FlaskClient, session: Session
) -> None:
    common = {"publisher": "Someone", "type": "handbook"}
    add_entry(session, "resources", {"id": "web-guide", "title": "Web guide", "url": "https://example.org/g", **common})
    page = text_of(client, "/resources/web-guide")
    assert '<a class="lib-external" href="https://example.org/g" rel="noopener noreferrer">' in page
    assert "(external site)" in page
    add_entry(session, "resources", {"id": "odd-guide", "title": "Odd guide", "url": "javascript:alert(1)", **common})
    assert 'href="javascript:' not in text_of(client, "/resources/odd-guide")


def test_an_unknown_resource_is_not_found(client: FlaskClient) -> None:
    assert client.get("/resources/no-such-thing").status_code == 404


# ---------------------------------------------------------------------------- practices


def practice_links(page: str) -> set[str]:
    return set(re.findall(r'href="/practices/([a-z0-9-]+)"', page))


def test_practices_can_be_filtered_by_measure_country_tag_and_year(client: FlaskClient) -> None:
    assert practice_links(text_of(client, "/practices")) == {"specialised-unit", "one-stop-centre"}
    assert practice_links(text_of(client, "/practices?measure=PROS-2")) == {"specialised-unit"}
    assert practice_links(text_of(client, "/practices?tag=identification")) == {"one-stop-centre"}
    assert practice_links(text_of(client, "/practices?country=THA")) == {"specialised-unit", "one-stop-centre"}
    assert practice_links(text_of(client, "/practices?country=PHL")) == set()
    assert practice_links(text_of(client, "/practices?year=2001")) == set()


def test_bad_filter_values_are_ignored_with_a_notice(client: FlaskClient) -> None:
    response = client.get("/practices?measure=XYZ-9&year=20x1&tag=identification")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "These filters were ignored" in page and "“XYZ-9”" in page and "“20x1”" in page
    assert practice_links(page) == {"one-stop-centre"}, "the valid filter still applies"
    assert '<option value="identification" selected>' in page


def test_regional_practices_can_be_chosen_as_a_country_filter(mini: Questionnaire, mini_library: Library) -> None:
    data = mini_library.model_dump()
    data["practices"].append({**data["practices"][0], "id": "mekong-checklist", "country": None, "region": "Mekong"})
    centre = pages.build_resource_centre(mini, Library.model_validate(data))
    query = pages.parse_practice_query(centre, {"country": pages.REGIONAL})
    assert [practice.id for practice in pages.find_practices(centre, query)] == ["mekong-checklist"]


def test_a_practice_page_links_to_its_country_and_the_items_it_helps_with(client: FlaskClient) -> None:
    page = text_of(client, "/practices/specialised-unit")
    assert 'href="/countries/THA"' in page
    assert 'href="/policy/measures/PROS-2#item-PROS-2.1"' in page


# ---------------------------------------------------------------------------- countries


def test_the_regional_overview_groups_countries_by_subregion_with_a_tile_map(client: FlaskClient) -> None:
    page = text_of(client, "/countries")
    assert '<h2 id="south-east-asia">' in page
    assert '<a href="#south-east-asia" class="lib-map__tile">' in page
    assert 'role="group" aria-labelledby="map-title"' in page
    assert 'href="/countries/KHM"' in page


def test_a_country_profile_shows_laws_with_year_link_and_note(client: FlaskClient, session: Session) -> None:
    law = {"title": "Anti-Trafficking Act", "year": 2008, "url": "https://example.org/act", "note": "Amended 2015."}
    set_profile(session, "KHM", subregion="South-East Asia", laws=[law], coordinating_body="National Committee")
    page = text_of(client, "/countries/KHM")
    for text in [
        "Anti-Trafficking Act",
        "2008",
        'href="https://example.org/act"',
        "Amended 2015.",
        "National Committee",
    ]:
        assert text in page


def test_unverified_country_fields_say_so_and_invite_updates(client: FlaskClient, session: Session) -> None:
    set_profile(session, "KHM", unverified=["action_plans", "coordinating_body"])
    page = text_of(client, "/countries/KHM")
    assert "Not yet verified." in page and "not yet verified" in page
    assert "Coordinators can submit updates." in page


def test_a_country_profile_links_to_the_practices_from_that_country(client: FlaskClient) -> None:
    page = text_of(client, "/countries/THA")
    assert practice_links(page) == {"specialised-unit", "one-stop-centre"}
    assert practice_links(text_of(client, "/countries/PHL")) == set()


def test_an_unknown_country_is_not_found_and_lower_case_redirects(client: FlaskClient) -> None:
    assert client.get("/countries/ZZZ").status_code == 404
    assert client.get("/countries/tha").headers["Location"].endswith("/countries/THA")


# ---------------------------------------------------------------------------- site maps and planning


def test_the_site_map_lists_every_area_measure_resource_practice_and_country(
    client: FlaskClient, mini: Questionnaire, mini_library: Library
) -> None:
    page = text_of(client, "/sitemap")
    expected = ["/planning", "/challenges", "/principles", "/instruments", "/policy", "/resources", "/practices"]
    expected += [f"/policy/measures/{measure_id}" for measure_id in mini.measures]
    expected += [f"/resources/{resource.id}" for resource in mini_library.resources]
    expected += [f"/practices/{practice.id}" for practice in mini_library.practices]
    expected += [f"/countries/{country.code}" for country in mini_library.countries]
    assert [url for url in expected if f'href="{url}"' not in page] == []


def test_sitemap_xml_lists_absolute_urls_of_every_public_page(client: FlaskClient, mini: Questionnaire) -> None:
    response = client.get("/sitemap.xml")
    assert response.mimetype == "application/xml"
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = [loc.text for loc in ElementTree.fromstring(response.data).findall("s:url/s:loc", namespace)]
    assert all(url and url.startswith("http://localhost/") for url in urls)
    assert "http://localhost/" in urls and "http://localhost/countries/THA" in urls
    assert {f"http://localhost/policy/measures/{measure_id}" for measure_id in mini.measures} <= set(urls)


def test_the_planning_page_explains_the_scale_and_scores_from_the_questionnaire(client: FlaskClient) -> None:
    page = text_of(client, "/planning")
    assert "Partly in place" in page and "Established" in page
    assert "its pillar's band cannot rise above Emerging" in page
    assert 'href="/challenges#pillar-prosecution"' in page
    assert "Sign in to start or continue an assessment" in page


def test_the_planning_button_leads_signed_in_users_to_their_assessments(client: FlaskClient, make_user: Any) -> None:
    login(client, make_user("coordinator", "THA").email)
    page = text_of(client, "/planning")
    assert '<a class="button button--primary" href="/">Start or continue an assessment</a>' in page


# ---------------------------------------------------------------------------- cost


def test_pages_are_built_from_the_cached_catalogue(client: FlaskClient, connection: Connection) -> None:
    client.get("/policy/measures/PROS-1")
    statements: list[str] = []

    def record(*args: Any) -> None:
        if not args[2].lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            statements.append(args[2])

    event.listen(connection, "before_cursor_execute", record)
    try:
        for url in ["/policy/measures/PROS-1", "/sitemap", "/practices?measure=PROS-2", "/countries/THA"]:
            client.get(url)
    finally:
        event.remove(connection, "before_cursor_execute", record)
    # Per page: the catalogue's freshness check (library, countries) and the latest questionnaire version.
    assert len(statements) <= 4 * 3, statements


# ---------------------------------------------------------------------------- victim identification indicators

INDICATOR_SET = {
    "id": "adults-labour",
    "title": "Trafficking of adults for labour exploitation",
    "exploitation": "labour",
    "audience": "adults",
    "source": "trafficking-protocol",
    "measures": ["PROT-1"],
    "rule": "A dimension is present with two strong indicators.",
    "dimensions": [
        {
            "id": "coercion-at-destination",
            "title": "Coercion at destination",
            "indicators": [
                {"weight": "strong", "text": "Identity documents taken away"},
                {"weight": "weak", "text": "Threatened that family would be told"},
            ],
        }
    ],
}


def test_an_indicator_set_page_shows_its_weighted_indicators_the_rule_and_how_to_read_them(
    client: FlaskClient, session: Session
) -> None:
    add_entry(session, "indicator_sets", INDICATOR_SET)
    page = text_of(client, "/indicators/adults-labour")
    assert "How to read the weights" in page and "A dimension is present with two strong indicators." in page
    strong, weak = page.index("Identity documents taken away"), page.index("Threatened that family would be told")
    assert page.index("<h3>Strong") < strong < page.index("<h3>Weak") < weak
    assert 'href="/resources/trafficking-protocol"' in page and 'href="/policy/measures/PROT-1"' in page
    listing = text_of(client, "/indicators")
    assert 'href="/indicators/adults-labour"' in listing and "2 weighted indicators" in listing


def test_an_indicator_set_is_linked_from_its_source_its_measure_and_the_site_maps(
    client: FlaskClient, session: Session
) -> None:
    add_entry(session, "indicator_sets", INDICATOR_SET)
    for url in ["/resources/trafficking-protocol", "/policy/measures/PROT-1", "/sitemap"]:
        assert 'href="/indicators/adults-labour"' in text_of(client, url), url
    assert 'href="/indicators/adults-labour"' not in text_of(client, "/policy/measures/PROS-1")
    assert b"http://localhost/indicators/adults-labour</loc>" in client.get("/sitemap.xml").data


def test_an_indicator_set_not_checked_against_its_source_says_so(client: FlaskClient, session: Session) -> None:
    add_entry(session, "indicator_sets", {**INDICATOR_SET, "dimensions": [], "rule": {}, "unverified": ["dimensions"]})
    page = text_of(client, "/indicators/adults-labour")
    assert "not yet verified" in page and "have not yet been checked against the source" in page


def test_an_unknown_indicator_set_is_not_found(client: FlaskClient) -> None:
    assert client.get("/indicators/nothing-here").status_code == 404


def test_a_country_profile_shows_its_treaty_status_and_says_when_it_is_unknown(client: FlaskClient) -> None:
    page = text_of(client, "/countries/THA")
    assert "Treaty status" in page and "UN Trafficking in Persons Protocol (2000)" in page
    assert "Unknown: not yet checked against the depositary" in page
    assert 'href="https://treaties.un.org/"' in page


def test_a_measure_page_says_why_an_item_is_critical(client: FlaskClient) -> None:
    page = text_of(client, "/policy/measures/PROS-1")
    assert "Why it is critical:" in page and "Trafficking Protocol art. 5(1): the offence must exist." in page
