"""In a real browser: an action drafted from a gap, and the offline workbook round trip."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveSite
from tests.browser.test_sign_in import sign_in

pytestmark = pytest.mark.browser


def open_demo_assessment(page: Page, live_site: LiveSite) -> str:
    official = live_site.login_for("official.tha")
    sign_in(page, official.email, official.password)
    page.wait_for_url("**/")
    page.get_by_role("link", name="Demo self-assessment 2026 (sample answers)").click()
    return page.url.rstrip("/")


def test_an_official_adds_an_action_for_a_gap(page: Page, live_site: LiveSite) -> None:
    assessment = open_demo_assessment(page, live_site)
    page.goto(f"{assessment}/results")
    first_gap = page.locator(".gap-card").first
    item_id = first_gap.locator(".tag").first.inner_text()
    first_gap.get_by_role("link", name=re.compile("Add an action for this gap")).click()
    expect(page.get_by_label("Action")).to_have_value(re.compile("Put in place"))
    page.get_by_label("Lead agency").fill("Ministry of Social Development and Human Security")
    page.get_by_label("Start date").fill("2027-01-01")
    page.get_by_label("End date").fill("2027-12-31")
    page.get_by_role("button", name="Save the action").click()
    table = page.get_by_role("table").first
    expect(table).to_contain_text("Ministry of Social Development and Human Security")
    expect(table).to_contain_text(item_id)


def test_the_workbook_goes_out_and_comes_back(page: Page, live_site: LiveSite, tmp_path: Path) -> None:
    assessment = open_demo_assessment(page, live_site)
    page.goto(f"{assessment}/export")
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel workbook (.xlsx)").click()
    path = tmp_path / "workbook.xlsx"
    download.value.save_as(path)
    book = openpyxl.load_workbook(path)
    sheet = book["Prosecution"]
    header = [cell.value for cell in sheet[1]]
    id_column, answer_column, comment_column = (header.index(name) + 1 for name in ("Item id", "Answer", "Comment"))
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, id_column).value == "PROS-2.4")
    sheet.cell(row, answer_column).value = "4"
    sheet.cell(row, comment_column).value = "Filled in offline by the police"
    book.save(path)
    page.get_by_label(re.compile("workbook", re.I)).set_input_files(str(path))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_text("PROS-2.4").first).to_be_visible()
    page.get_by_role("button", name="Confirm and save").click()
    expect(page.get_by_role("status").first).to_contain_text(re.compile("1"))
    page.goto(f"{assessment}/measures/PROS-2")
    expect(page.locator("fieldset[data-item='PROS-2.4'] input[value='4']")).to_be_checked()
    expect(page.locator("#PROS-2\\.4-comment")).to_have_value("Filled in offline by the police")
