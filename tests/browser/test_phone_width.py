"""Every main page fits a 390 px wide phone: nothing makes the page scroll sideways.

A crawler, as in the accessibility crawl, follows the links each kind of user can click and
opens one page per route at 390 × 844 CSS pixels (an iPhone 12–15), measuring the document's
width. Wide tables scroll inside their own box (a labelled region), never the whole page.
"""

from __future__ import annotations

from collections import deque
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, Page
from werkzeug.routing import MapAdapter

from tests.browser.conftest import LiveSite
from tests.browser.test_accessibility_crawl import endpoint_of, is_page, routes, same_site_links
from tests.browser.test_sign_in import sign_in

pytestmark = pytest.mark.browser

__all__ = ["routes"]  # the fixture, shared with the accessibility crawl
PHONE = {"width": 390, "height": 844}
PERSONAS = ["visitor", "coordinator.tha", "facilitator", "editor", "admin"]
PAGES_PER_PERSONA = 60
SEEDS = ["/", "/search?q=victim+identification"]
# The widest element of a page that runs off a phone screen, for the failure message.
WIDEST = """() => {
  const limit = document.documentElement.clientWidth;
  const past = el => el.getBoundingClientRect().right > limit + 1;
  const outermost = [...document.querySelectorAll('body *')].filter(el => past(el) && !past(el.parentElement));
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' ' + el.textContent.trim().slice(0, 30);
  return { width: document.documentElement.scrollWidth, limit, culprits: outermost.slice(0, 4).map(name) };
}"""


def too_wide(page: Page) -> str | None:
    found = page.evaluate(WIDEST)
    if found["width"] <= found["limit"]:
        return None
    return f"{found['width']} px wide: {', '.join(found['culprits'])}"


def crawl_at_phone_width(page: Page, routes: MapAdapter, base: str, checked: set[str]) -> dict[str, str]:
    problems: dict[str, str] = {}
    queue, seen = deque(SEEDS), set(SEEDS)
    opened = 0
    while queue and opened < PAGES_PER_PERSONA:
        path = queue.popleft()
        endpoint = endpoint_of(routes, urlparse(path).path)
        if endpoint is None or not is_page(endpoint) or endpoint in checked or endpoint == "auth.logout":
            if path not in SEEDS:
                continue
        response = page.goto(path)
        opened += 1
        if response is None or response.status >= 400 or not page.url.startswith(base):
            continue
        landed = endpoint_of(routes, urlparse(page.url).path)
        if landed and is_page(landed) and landed not in checked:
            checked.add(landed)
            if problem := too_wide(page):
                problems[urlparse(page.url).path] = problem
        for link in same_site_links(page, base):
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return problems


def test_no_page_scrolls_sideways_on_a_phone(chromium: Browser, live_site: LiveSite, routes: MapAdapter) -> None:
    checked: set[str] = set()
    problems: dict[str, str] = {}
    for persona in PERSONAS:
        context = chromium.new_context(base_url=live_site.url, locale="en-GB", viewport=PHONE)
        page = context.new_page()
        page.set_default_timeout(10_000)
        if persona != "visitor":
            login = live_site.login_for(persona)
            sign_in(page, login.email, login.password)
            page.wait_for_url("**/")
        problems |= crawl_at_phone_width(page, routes, live_site.url, checked)
        context.close()
    assert problems == {}
    for main_page in ("assessments.overview", "assessments.measure", "assessments.results", "cycles.review_page"):
        assert main_page in checked
