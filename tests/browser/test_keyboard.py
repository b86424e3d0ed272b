"""The journey with the keyboard only: sign in, open an assessment and a measure, answer with
the arrow keys (autosaved), and open the results; every control reached shows its focus."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveSite

pytestmark = pytest.mark.browser
MAX_TABS = 120

FOCUSED = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const style = getComputedStyle(element);
  const ring = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow && style.boxShadow !== 'none';
  const label = (element.getAttribute('aria-label') || element.innerText || element.value || element.name || '').trim();
  return {tag: element.tagName.toLowerCase(), type: element.type || '', label, visible: ring || shadow,
          name: element.name || ''};
}"""


class Keyboard:
    """Tabs through a page like a keyboard user, remembering every control it focused."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.unmarked: list[str] = []

    def tab_to(self, pattern: str, tag: str | None = None, key: str = "Tab") -> None:
        """Press Tab (or ``key``) until the focused control's text or name matches ``pattern`` (and is a ``tag``)."""
        for _ in range(MAX_TABS):
            self.page.keyboard.press(key)
            focused = self.page.evaluate(FOCUSED)
            if focused is None:
                continue
            if not focused["visible"]:
                self.unmarked.append(f"{focused['tag']} '{focused['label'][:40]}' on {self.page.url}")
            named = re.search(pattern, focused["label"]) or re.search(pattern, focused["name"])
            if named and (tag is None or focused["tag"] == tag):
                return
        raise AssertionError(f"no control matching {pattern!r} reachable with Tab on {self.page.url}")


def test_the_journey_works_with_the_keyboard_alone(page: Page, live_site: LiveSite) -> None:
    official = live_site.login_for("official.tha")
    keys = Keyboard(page)
    page.goto("/login")
    keys.tab_to("Skip to content", "a")
    keys.tab_to("^email$", "input")
    page.keyboard.type(official.email)
    keys.tab_to("^password$", "input")
    page.keyboard.type(official.password)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Your assessments")).to_be_visible()

    keys.tab_to("Demo self-assessment 2026", "a")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Demo self-assessment 2026 (sample answers)")).to_be_visible()
    keys.tab_to(r"^PROT-2\b", "a")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=re.compile("PROT-2"))).to_be_visible()

    first = page.locator("fieldset[data-item]").first
    item_id = first.get_attribute("data-item")
    keys.tab_to(f"{item_id}-answer", "input")
    before = page.evaluate("() => document.activeElement.value")
    page.keyboard.press("ArrowRight")
    after = page.evaluate("() => document.activeElement.value")
    assert after != before
    expect(first.locator(f"input[type=radio][value='{after}']")).to_be_checked()
    expect(first.locator(".save-state")).to_have_text(re.compile("Saved"))

    keys.tab_to("Demo self-assessment 2026", "a", key="Shift+Tab")  # back up to the breadcrumbs
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/assessments/\d+$"))
    keys.tab_to("^Results$", "a")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=re.compile("Results"))).to_be_visible()
    assert keys.unmarked == [], "controls without a visible focus indicator"
