"""A Thai official and an Arabic reader in Chromium: the header's switcher, a Thai journey with
the draft-translation line, and Arabic pages laid out right to left (checked in a screenshot)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import LiveSite
from tests.browser.test_accessibility import serious_violations

pytestmark = pytest.mark.browser


def choose(page: Page, language_label: str) -> None:
    page.get_by_label("Language").select_option(label=language_label)
    page.get_by_role("button", name="Change language").click()


def test_a_visitor_chooses_thai_in_the_header_and_back_to_english(page: Page) -> None:
    page.goto("/planning")
    choose(page, "ไทย")
    expect(page.locator("html")).to_have_attribute("lang", "th")
    expect(page.get_by_role("heading", name="การวางแผนการประเมินตนเอง")).to_be_visible()
    expect(page.get_by_text("คำแปลนี้เป็นฉบับร่าง")).to_be_visible()
    page.get_by_role("link", name="นโยบาย", exact=True).first.click()
    expect(page.locator("html")).to_have_attribute("lang", "th")
    choose(page, "English")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Policy", exact=True).first).to_be_visible()


def test_a_thai_browser_gets_thai_on_its_first_visit(chromium: Browser, live_site: LiveSite) -> None:
    context = chromium.new_context(base_url=live_site.url, locale="th-TH")
    try:
        page = context.new_page()
        page.goto("/")
        expect(page.locator("html")).to_have_attribute("lang", "th")
    finally:
        context.close()


def test_a_thai_official_answers_and_reads_results_in_thai(page: Page, live_site: LiveSite) -> None:
    login = live_site.login_for("official.tha")
    page.goto("/login")
    choose(page, "ไทย")
    page.get_by_label("อีเมล").fill(login.email)
    page.get_by_label("รหัสผ่าน").fill(login.password)
    page.get_by_role("main").get_by_role("button", name="เข้าสู่ระบบ").click()
    try:  # the choice goes onto the official's account: English again afterwards, for the next tests
        expect(page.get_by_role("heading", name="การประเมินของคุณ")).to_be_visible()
        page.get_by_role("main").get_by_role("link").filter(has_text="Demo").first.click()
        page.get_by_role("link", name="ผลการประเมิน", exact=True).click()
        expect(page.get_by_text("คะแนนรวม").first).to_be_visible()
        expect(page.get_by_text("คำแปลนี้เป็นฉบับร่าง")).to_be_visible()
    finally:
        choose(page, "English")


def test_arabic_pages_read_right_to_left(page: Page, tmp_path: Path) -> None:
    page.goto("/policy/measures/PROT-1")
    choose(page, "العربية")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.screenshot(path=str(tmp_path / "arabic-measure.png"), full_page=False)
    brand = page.locator(".brand").bounding_box()
    search = page.locator(".lib-search").bounding_box()
    heading = page.get_by_role("heading", level=1).bounding_box()
    main = page.get_by_role("main").bounding_box()
    assert brand and search and heading and main
    assert brand["x"] > search["x"], "the product name starts the header on the right"
    assert heading["x"] + heading["width"] > main["x"] + main["width"] * 0.8, "the heading sits on the right"
    assert serious_violations(page) == []
