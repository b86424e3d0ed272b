"""A coordinator proposes a country update and an editor approves it, in Chromium."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from babel.dates import format_date
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import LiveSite
from tests.browser.test_accessibility import serious_violations
from tests.browser.test_sign_in import sign_in

pytestmark = pytest.mark.browser

NEW_LAW = "Anti-Trafficking in Persons Act amendment (browser test entry)"


def propose_a_law(page: Page, live_site: LiveSite) -> None:
    coordinator = live_site.login_for("coordinator.tha")
    sign_in(page, coordinator.email, coordinator.password)
    page.goto("/countries/THA")
    page.get_by_role("link", name="Propose an update").click()
    law = page.get_by_role("group", name="A new law")
    law.get_by_label("Title").fill(NEW_LAW)
    law.get_by_label("Year").fill("2017")
    law.get_by_label("Link to the document").fill("https://www.example.org/tha-atip-amendment.pdf")
    page.get_by_label("Note for the editor").fill("Please add the amendment.")
    page.get_by_role("button", name="Send for review").click()
    expect(page.get_by_role("heading", name="Your country updates")).to_be_visible()
    expect(page.get_by_text("Waiting for review").first).to_be_visible()


def test_an_editor_approving_a_country_update(page: Page, chromium: Browser, live_site: LiveSite) -> None:
    propose_a_law(page, live_site)

    editor_context = chromium.new_context(base_url=live_site.url, locale="en-GB")
    editor_page = editor_context.new_page()
    editor_page.set_default_timeout(10_000)
    editor = live_site.login_for("editor")
    sign_in(editor_page, editor.email, editor.password)
    editor_page.get_by_role("link", name="Editing", exact=True).click()
    editor_page.get_by_role("link", name="Country updates to review").click()
    editor_page.get_by_role("link", name="Update to Thailand").first.click()
    differences = editor_page.get_by_role("table")
    expect(differences.get_by_role("rowheader", name="National laws")).to_be_visible()
    expect(differences.get_by_text(NEW_LAW)).to_be_visible()
    expect(differences.get_by_text("Anti-Trafficking in Persons Act B.E. 2551 (2008)").first).to_be_visible()
    assert serious_violations(editor_page) == []
    editor_page.get_by_role("button", name="Approve and update the profile").click()
    expect(editor_page.get_by_role("status")).to_contain_text("Approved")
    editor_context.close()

    page.goto("/countries/THA")
    laws = page.get_by_role("region", name="National laws")
    expect(laws.get_by_text(NEW_LAW)).to_be_visible()
    today = format_date(datetime.now(UTC).date(), "long", locale="en")  # the app's English, dates in UTC
    expect(page.get_by_text(re.compile(rf"Last updated {re.escape(today)}"))).to_be_visible()
    page.goto("/my/country-updates")
    expect(page.get_by_text("Approved").first).to_be_visible()


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("editor", "/editor/"),
        ("editor", "/editor/resources/un-trafficking-protocol-2000"),
        ("editor", "/editor/measures/PROS-1"),
        ("editor", "/editor/countries/THA"),
        ("coordinator.tha", "/countries/THA/propose-update"),
    ],
)
def test_the_editing_pages_are_accessible(page: Page, live_site: LiveSite, who: str, path: str) -> None:
    person = live_site.login_for(who)
    sign_in(page, person.email, person.password)
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert serious_violations(page) == []
