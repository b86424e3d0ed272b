"""The "why it does not apply" box shows only while Not applicable is chosen, with or without JavaScript."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import LiveSite
from tests.browser.test_sign_in import sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_the_reason_box_appears_only_for_not_applicable(
    chromium: Browser, live_site: LiveSite, javascript: bool
) -> None:
    context = chromium.new_context(base_url=live_site.url, locale="en-GB", java_script_enabled=javascript)
    page = context.new_page()
    official = live_site.login_for("official.tha")
    sign_in(page, official.email, official.password)
    page.get_by_role("link", name="Demo self-assessment 2026 (sample answers)").first.click()
    page.goto(page.url.rstrip("/") + "/measures/PROS-3")
    choices = page.locator("fieldset[data-item]").filter(has_not=page.locator("input[value='not_applicable']:checked"))
    item_id = choices.first.get_attribute("data-item")
    first = page.locator(f"fieldset[data-item='{item_id}']")
    reason = first.get_by_label("Why it does not apply (needed for Not applicable)")
    expect(reason).to_be_hidden()
    first.get_by_text("Don't know", exact=True).click()
    expect(reason).to_be_hidden()
    first.get_by_text("Not applicable", exact=True).click()
    expect(reason).to_be_visible()
    context.close()
