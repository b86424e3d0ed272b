"""Accounts in a real Chromium: an invited coordinator sets a password and a second factor from the
e-mail, signs in with the app's code and with a recovery code; a forgotten password is reset from
the e-mail; every page on the way passes axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from app.services.second_factor import current_code
from tests.browser.conftest import LiveSite
from tests.browser.test_accessibility import serious_violations
from tests.browser.test_sign_in import sign_in

pytestmark = pytest.mark.browser
NEW_PASSWORD = "lantern orbit pickle meadow"


def link_in(text: str, path: str) -> str:
    match = re.search(rf"https?://[^/\s]+({re.escape(path)}\S*)", text)
    assert match, f"no {path} link in: {text}"
    return match.group(1)


def ask_for_a_password_reset(page: Page, email: str) -> None:
    page.goto("/login")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("status")).to_contain_text("If an account has the address")


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").first.click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()


def test_an_invited_coordinator_sets_a_password_and_second_factor_and_signs_in_with_both(
    page: Page, live_site: LiveSite
) -> None:
    admin = live_site.login_for("admin")
    sign_in(page, admin.email, admin.password)
    page.get_by_role("link", name="Invite people").click()
    page.get_by_label("Email").fill("new.coordinator@demo.ctsat.example")
    page.get_by_label("Name").fill("Niran Coordinator")
    page.get_by_label("Role").select_option("coordinator")
    page.get_by_label("Country").select_option("THA")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("Invitation sent to new.coordinator@demo.ctsat.example.")).to_be_visible()
    sign_out(page)

    link = link_in(live_site.last_mail_to("new.coordinator@demo.ctsat.example"), "/invitation?")
    page.goto(link)
    assert serious_violations(page) == []
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", name="Second factor")).to_be_visible()
    assert serious_violations(page) == []
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    secret = page.locator("code.secret").inner_text()
    page.get_by_label("Code", exact=True).fill(current_code(secret))
    page.get_by_role("button", name="Turn on the second factor").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    codes = page.get_by_role("list", name="Recovery codes").locator("code").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="I have kept them: go on").click()
    expect(page.get_by_role("heading", name="My work")).to_be_visible()
    sign_out(page)

    page.goto("/login")
    page.get_by_label("Email").fill("new.coordinator@demo.ctsat.example")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Second factor")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_label("Code").fill(live_site.second_factor_code("new.coordinator@demo.ctsat.example", secret))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="My work")).to_be_visible()
    sign_out(page)

    page.goto("/login")
    page.get_by_label("Email").fill("new.coordinator@demo.ctsat.example")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("You signed in with a recovery code: 9 are left.")).to_be_visible()


def test_a_forgotten_password_is_reset_from_the_e_mail(page: Page, live_site: LiveSite) -> None:
    official = live_site.login_for("official.vnm")
    ask_for_a_password_reset(page, official.email)
    link = link_in(live_site.last_mail_to(official.email), "/reset-password?")
    page.goto(link)
    assert serious_violations(page) == []
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_text("Your password is changed")).to_be_visible()
    assert "The password of your CTSAT account was just changed" in live_site.last_mail_to(official.email)
    sign_in(page, official.email, NEW_PASSWORD)
    expect(page.get_by_role("heading", name="My work")).to_be_visible()
    page.goto(link)
    expect(page.get_by_role("heading", name="This link does not work any more")).to_be_visible()
