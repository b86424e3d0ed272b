"""A visitor without an account walks the public resource centre in Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_accessibility import serious_violations

pytestmark = pytest.mark.browser

PUBLIC_PAGES = [
    "/",
    "/planning",
    "/challenges",
    "/principles",
    "/instruments",
    "/policy",
    "/policy/prevention",
    "/policy/measures/PROS-1",
    "/policy/measures/PROT-1",
    "/resources",
    "/resources/un-trafficking-protocol-2000",
    "/practices",
    "/practices?measure=PROT-1&country=THA",
    "/practices?year=not-a-year",
    "/practices/tha-bilateral-repatriation-mous",
    "/countries",
    "/countries/THA",
    "/countries/AFG",
    "/countries/IOM",
    "/sitemap",
]


def main_link(page: Page, name: str) -> None:
    """Click a link in the page's content (not the header), counting as one click."""
    page.get_by_role("main").get_by_role("link", name=name, exact=True).first.click()


@pytest.mark.parametrize(
    ("first", "second", "heading"),
    [
        ("Planning", None, "Planning a self-assessment"),
        ("Principles", None, "Guiding principles"),
        ("Policy", None, "Policy measures"),
        ("Practices", None, "Good practices"),
        ("Policy", "PREV-1 Reduction of vulnerability", "Reduction of vulnerability"),
        ("Practices", "Country profiles and regional overview", "Country profiles"),
        ("Planning", "All challenges, by pillar", "Challenges"),
        ("Principles", "What each instrument requires", "International and regional instruments"),
    ],
)
def test_a_visitor_reaches_each_area_from_the_home_page_in_two_clicks(
    page: Page, first: str, second: str | None, heading: str
) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", name="Counter-trafficking resource centre")).to_be_visible()
    main_link(page, first)
    if second:
        main_link(page, second)
    expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()
    expect(page.get_by_role("navigation", name="Breadcrumb")).to_be_visible()


def test_a_visitor_follows_a_measure_to_a_resource_and_back_to_an_item(page: Page) -> None:
    page.goto("/policy/measures/PROS-1")
    page.get_by_role("main").get_by_role("link", name=re.compile("^Protocol to Prevent, Suppress")).first.click()
    expect(page.get_by_role("heading", name="Helps with")).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^PROS-1\.1 ")).click()
    expect(page).to_have_url(re.compile(r"/policy/measures/PROS-1#item-PROS-1\.1$"))


def test_the_country_overview_tiles_lead_to_their_subregion(page: Page) -> None:
    page.goto("/countries")
    page.get_by_role("link", name=re.compile("^South-East Asia: ")).click()
    expect(page).to_have_url(re.compile("#south-east-asia$"))
    page.get_by_role("link", name="Thailand").click()
    expect(page.get_by_role("heading", name=re.compile("^Good practices from Thailand"))).to_be_visible()


def test_practice_filters_work_without_javascript_and_keep_the_choice(page: Page) -> None:
    page.goto("/practices")
    page.get_by_label("Measure").select_option("PROT-1")
    page.get_by_role("button", name="Show practices").click()
    expect(page).to_have_url(re.compile(r"measure=PROT-1"))
    expect(page.get_by_label("Measure")).to_have_value("PROT-1")


def test_the_header_works_in_a_narrow_window(page: Page) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/policy")
    navigation = page.get_by_role("navigation", name="Resource centre")
    for name in ["Planning", "Principles", "Policy", "Practices", "Site map"]:
        expect(navigation.get_by_role("link", name=name, exact=True)).to_be_in_viewport()
    header_height = page.locator(".site-header").bounding_box()
    assert header_height is not None and header_height["height"] < 130, "the banner stays small"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, "nothing overflows sideways"
    search = page.get_by_role("searchbox", name="Search the resource centre")
    search.fill("victim identification")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q=victim\+identification"))


@pytest.mark.parametrize("width", [1280, 375])
def test_every_public_page_is_accessible(page: Page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    problems = {}
    for path in PUBLIC_PAGES:
        page.goto(path)
        found = serious_violations(page)
        if found:
            problems[path] = found
    assert problems == {}
