"""The assessment journey in real browsers: start, assign, answer with autosave offline
and through a conflict, review and finalise, read the results."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import LiveSite
from tests.browser.test_sign_in import sign_in

pytestmark = pytest.mark.browser


def signed_in(chromium: Browser, live_site: LiveSite, who: str) -> Page:
    context = chromium.new_context(base_url=live_site.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    login = live_site.login_for(who)
    sign_in(page, login.email, login.password)
    page.wait_for_url("**/")
    return page


def item(page: Page, item_id: str):  # noqa: ANN201 - a Playwright locator
    return page.locator(f"fieldset[data-item='{item_id}']")


def test_the_assessment_journey(chromium: Browser, live_site: LiveSite) -> None:
    coordinator = signed_in(chromium, live_site, "coordinator.idn")
    coordinator.get_by_role("link", name="Start an assessment").click()
    coordinator.get_by_label("Title").fill("Indonesia review 2026")
    coordinator.get_by_label("Country of transit").uncheck()
    coordinator.get_by_role("button", name="Start the assessment").click()
    expect(coordinator.get_by_text("The assessment has started.")).to_be_visible()
    overview_url = coordinator.url
    coordinator.get_by_role("link", name="Assign", exact=True).click()
    coordinator.get_by_label("Assigned to for PROS-2").select_option(label="Indonesia official (National Police)")
    coordinator.get_by_label("Answer by for PROS-2").fill("2026-12-31")
    coordinator.get_by_role("button", name="Save assignments").click()
    expect(coordinator.get_by_text("Assignments saved.")).to_be_visible()

    official = signed_in(chromium, live_site, "official.idn")
    official.goto(overview_url)
    expect(official.get_by_role("row", name=re.compile("PROS-2")).get_by_text("You")).to_be_visible()
    official.get_by_role("link", name=re.compile("PROS-2 Investigations")).click()
    first = item(official, "PROS-2.1")
    first.locator("label.choice").nth(3).click()
    expect(first.locator(".save-state")).to_have_text(re.compile("Saved"))

    official.context.set_offline(True)
    second = item(official, "PROS-2.2")
    second.locator("label.choice").nth(2).click()
    expect(second.locator(".save-state")).to_have_text(re.compile("Offline"))
    official.context.set_offline(False)
    expect(second.locator(".save-state")).to_have_text(re.compile("Saved"), timeout=15_000)

    colleague = signed_in(chromium, live_site, "coordinator.idn")
    colleague.goto(official.url)
    item(official, "PROS-2.3").locator("label.choice").nth(1).click()
    expect(item(official, "PROS-2.3").locator(".save-state")).to_have_text(re.compile("Saved"))
    stale = item(colleague, "PROS-2.3")
    stale.locator("label.choice").nth(4).click()
    expect(stale.locator(".conflict")).to_contain_text("Indonesia official saved: 1")
    stale.get_by_role("button", name="Keep mine").click()
    expect(stale.locator(".save-state")).to_have_text(re.compile("Saved"))
    official.reload()
    expect(item(official, "PROS-2.3").locator("input[value='4']")).to_be_checked()

    official.get_by_role("button", name="Mark this measure ready for review").click()
    expect(official.get_by_text("PROS-2 is marked ready for review.")).to_be_visible()
    coordinator.goto(overview_url.rstrip("/") + "/review")
    coordinator.get_by_role("button", name="Accept").click()
    expect(coordinator.get_by_text("PROS-2 accepted.")).to_be_visible()
    coordinator.get_by_role("link", name="Submit for review…").click()
    expect(coordinator.get_by_role("heading", name="Unanswered items")).to_be_visible()
    coordinator.get_by_role("button", name="Submit for review").click()
    coordinator.get_by_role("link", name="Finalise…").click()
    coordinator.get_by_label("Why is it finalised now? (required)").fill("The minister asked for the results now.")
    coordinator.get_by_role("button", name="Finalise (read-only)").click()
    expect(coordinator.get_by_text("Finalised: the assessment is now read-only.")).to_be_visible()
    expect(coordinator.get_by_text("The minister asked for the results now.")).to_be_visible()

    official.goto(overview_url.rstrip("/") + "/results")
    gaps = official.locator(".gap-card")
    expect(gaps.first).to_be_visible()
    expect(gaps.first.get_by_role("heading", level=4).first).to_have_text(re.compile("Resources|Good practices"))
    official.goto(overview_url.rstrip("/") + "/measures/PROS-2")
    expect(official.get_by_text("You can read these answers but not change them")).to_be_visible()
