"""axe-core finds no serious or critical accessibility violation on the main pages."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.browser.conftest import LiveSite
from tests.browser.test_sign_in import sign_in

pytestmark = pytest.mark.browser
SERIOUS = {"serious", "critical"}


def serious_violations(page: Page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']}: {violation['help']} (e.g. {violation['nodes'][0]['target']})"
        for violation in results.response["violations"]
        if violation.get("impact") in SERIOUS
    ]


def test_the_sign_in_page_is_accessible(page: Page) -> None:
    page.goto("/login")
    assert serious_violations(page) == []


def test_an_officials_pages_are_accessible(page: Page, live_site: LiveSite) -> None:
    official = live_site.login_for("official.tha")
    sign_in(page, official.email, official.password)
    page.wait_for_url("**/")
    assessment = page.get_by_role("link", name="Demo self-assessment 2026 (sample answers)").get_attribute("href")
    problems = {}
    for path in [
        "/",
        assessment,
        f"{assessment}/measures/PROS-1",
        f"{assessment}/measures/PROT-1",
        f"{assessment}/results",
        f"{assessment}/review",
    ]:
        page.goto(path)
        found = serious_violations(page)
        if found:
            problems[path] = found
    assert problems == {}


def test_a_coordinators_pages_are_accessible(page: Page, live_site: LiveSite) -> None:
    coordinator = live_site.login_for("coordinator.tha")
    sign_in(page, coordinator.email, coordinator.password)
    page.wait_for_url("**/")
    assessment = page.get_by_role("link", name="Demo self-assessment 2026 (sample answers)").get_attribute("href")
    problems = {}
    for path in ["/assessments/new", f"{assessment}/assignments", f"{assessment}/settings"]:
        page.goto(path)
        found = serious_violations(page)
        if found:
            problems[path] = found
    assert problems == {}
