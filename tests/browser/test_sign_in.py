"""A demo user signs in, sees their assessment and signs out, in a real Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import SITES, LiveSite

pytestmark = pytest.mark.browser


def sign_in(page: Page, email: str, password: str) -> None:
    """Sign in as a person would; where the account has a second factor, type the code their
    authenticator app shows."""
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if page.url.endswith("/login/second-factor"):
        page.get_by_label("Code").fill(SITES[-1].second_factor_code(email))
        page.get_by_role("button", name="Continue").click()


def test_the_server_starts_and_serves_the_sign_in_page(page: Page) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", name="Counter-trafficking resource centre")).to_be_visible()
    page.get_by_role("link", name="Sign in", exact=True).click()
    expect(page).to_have_url(re.compile(r"/login"))
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_an_official_signs_in_sees_their_assessment_and_signs_out(page: Page, live_site: LiveSite) -> None:
    official = live_site.login_for("official.tha")
    sign_in(page, official.email, official.password)
    expect(page.get_by_role("heading", name="Your assessments")).to_be_visible()
    page.get_by_role("link", name="Demo self-assessment 2026 (sample answers)").click()
    expect(page.get_by_role("heading", name="Demo self-assessment 2026 (sample answers)")).to_be_visible()
    expect(page.get_by_text("Overall score")).to_be_visible()
    expect(page.get_by_role("heading", name="Prosecution")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    expect(page.get_by_role("link", name="Sign in", exact=True)).to_be_visible()
    expect(page.get_by_text("Demo self-assessment 2026 (sample answers)")).to_have_count(0)


def test_a_wrong_password_shows_a_clear_message(page: Page, live_site: LiveSite) -> None:
    official = live_site.login_for("official.tha")
    sign_in(page, official.email, "not the password")
    expect(page.get_by_role("alert")).to_have_text(re.compile("The email or password is not right"))
    expect(page.get_by_label("Email")).to_have_value(official.email)


def test_another_countrys_official_does_not_see_the_assessment(page: Page, live_site: LiveSite) -> None:
    official = live_site.login_for("official.phl")
    sign_in(page, official.email, official.password)
    expect(page.get_by_role("heading", name="Your assessments")).to_be_visible()
    expect(page.get_by_role("cell", name="Philippines").first).to_be_visible()
    expect(page.get_by_role("cell", name="Thailand")).to_have_count(0)
