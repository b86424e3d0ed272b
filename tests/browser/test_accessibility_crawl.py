"""Every HTML page of CTSAT passes axe-core (no serious or critical violation).

"Every page" is checked, not listed: for each kind of user, a crawler follows the links
a person could click, from the home page, and runs axe on the first page of each route
it reaches. At the end every GET route of the app must have been checked by some user,
except the routes below that answer with files or data rather than pages.
"""

from __future__ import annotations

from collections import deque
from urllib.parse import urldefrag, urlparse

import pytest
from flask import Flask
from playwright.sync_api import Page
from werkzeug.exceptions import HTTPException
from werkzeug.routing import MapAdapter

from app.web.factory import create_app
from tests.browser.conftest import LiveSite
from tests.browser.test_accessibility import serious_violations
from tests.browser.test_accounts import ask_for_a_password_reset
from tests.browser.test_editorial import propose_a_law
from tests.browser.test_sign_in import sign_in

pytestmark = pytest.mark.browser

# Routes that are not pages a person reads, with why.
NOT_PAGES = {
    "static": "stylesheets, scripts and fonts",
    "main.healthz": "a health check for operators",
    "main.readyz": "a readiness check for operators and load balancers",
    "library.sitemap_xml": "the XML site map for search engines",
    "exports.download": "a spreadsheet, CSV or JSON download",
    "reports.gap_pdf": "a PDF download",
    "reports.summary_pdf": "a PDF download",
    "reports.brief_pdf": "a PDF download",
    "evidence.download": "an evidence file, always a download",
    "reports.comparison_pdf": "a PDF download",
    "reports.gap_editable": "a DOCX or XLSX download",
    "workshops.board_json": "the board's JSON for its polling script",
    "workshops.report_pdf": "a PDF download",
    "editor.export": "a ZIP download of the knowledge base",
    "workshops.confirm_page": "opened from the link in a confirmation e-mail (test_workshops.py walks it)",
    "auth.accept_invitation": "opened from the link in an invitation e-mail (test_accounts.py walks it, with axe)",
    "auth.reset_password": "opened from the link in a password reset e-mail (test_accounts.py walks it, with axe)",
    "auth.second_factor_step": "between the password and being signed in (test_accounts.py checks it with axe)",
}
NOT_PAGE_PREFIXES = ("api.",)
# Who crawls, in order; each checks the routes nobody before them has reached.
PERSONAS = ["visitor", "official.tha", "coordinator.tha", "facilitator", "editor", "admin"]
PAGES_PER_PERSONA = 120
SEEDS = ["/", "/search?q=victim+identification"]
# Pages a person reaches other than by a link: a background report's waiting page, and the
# summary page a facilitator lands on when the summary on the board has a problem.
ALSO_OPEN = {"assessments.overview": ["{path}/reports/gap/status"], "workshops.board_page": ["{path}/summary"]}
# Where a person starts besides the home page: a coordinator at their own country's profile.
PERSONA_SEEDS = {"coordinator.tha": ["/countries/THA"]}


@pytest.fixture(scope="module")
def routes() -> MapAdapter:
    app: Flask = create_app({"DATABASE_URL": "sqlite://"})
    return app.url_map.bind("localhost")


def endpoint_of(routes: MapAdapter, path: str) -> str | None:
    return route_of(routes, path)[0]


def route_of(routes: MapAdapter, path: str) -> tuple[str | None, tuple[object, ...]]:
    """The endpoint, and the assessment or workshop the page belongs to (its "place")."""
    try:
        endpoint, arguments = routes.match(path, method="GET")
    except HTTPException:
        return None, ()
    return str(endpoint), (arguments.get("assessment_id"), arguments.get("workshop_id"))


def is_page(endpoint: str) -> bool:
    return endpoint not in NOT_PAGES and not endpoint.startswith(NOT_PAGE_PREFIXES)


def same_site_links(page: Page, base: str) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "a[href]", "links => links.map(link => new URL(link.getAttribute('href'), document.baseURI).href)"
    )
    found = []
    for href in hrefs:
        url = urldefrag(href)[0]
        if url.startswith(base):
            found.append(urlparse(url)._replace(scheme="", netloc="").geturl())
    return found


def crawl(page: Page, routes: MapAdapter, base: str, checked: dict[str, str], seeds: list[str]) -> dict[str, list[str]]:
    """Visit one page per route and place breadth-first, following links; axe each route nobody checked yet.

    Returns path → violations.
    """
    problems: dict[str, list[str]] = {}
    queue, seen = deque(seeds), set(seeds)
    visited: set[tuple[str, tuple[object, ...]]] = set()
    while queue and len(visited) < PAGES_PER_PERSONA:
        path = queue.popleft()
        endpoint, place = route_of(routes, urlparse(path).path)
        if endpoint is None or not is_page(endpoint) or (endpoint, place) in visited or endpoint == "auth.logout":
            continue
        if endpoint in checked and place == (None, None) and path not in seeds:
            continue  # another user checked it, and pages of no assessment or workshop lead nowhere new
        visited.add((endpoint, place))
        response = page.goto(path)
        if response is None or response.status >= 400 or not page.url.startswith(base):
            continue
        landed = urlparse(page.url)
        landed_endpoint = endpoint_of(routes, landed.path)
        if landed_endpoint and is_page(landed_endpoint) and landed_endpoint not in checked:
            checked[landed_endpoint] = landed.path
            if found := serious_violations(page):
                problems[landed.path] = found
        links = same_site_links(page, base)
        links += [extra.format(path=landed.path) for extra in ALSO_OPEN.get(landed_endpoint or "", [])]
        for link in links:
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return problems


def test_every_page_passes_axe(page: Page, live_site: LiveSite, routes: MapAdapter) -> None:
    propose_a_law(page, live_site)  # so that the editors' review page has an update to show
    page.context.clear_cookies()
    ask_for_a_password_reset(page, live_site.login_for("official.tha").email)  # an e-mail in the admins' outbox
    checked: dict[str, str] = {}
    problems: dict[str, list[str]] = {}
    for persona in PERSONAS:
        page.context.clear_cookies()
        if persona != "visitor":
            login = live_site.login_for(persona)
            sign_in(page, login.email, login.password)
            page.wait_for_url("**/")
        problems |= crawl(page, routes, live_site.url, checked, SEEDS + PERSONA_SEEDS.get(persona, []))
    assert problems == {}
    pages = {
        rule.endpoint for rule in routes.map.iter_rules() if "GET" in (rule.methods or ()) and is_page(rule.endpoint)
    }
    assert sorted(pages - set(checked)) == [], "pages no user could reach by links (or add a reason to NOT_PAGES)"
