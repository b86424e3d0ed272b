"""Workshops in real browsers: joining with a code and accepting the sharing terms, the
facilitator's board updating live while a participant answers, a group recording a strategy, a
nine-country workshop on the projector, and a coordinator merging workshop answers."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.answers import AnswerFields
from app.models import Answer, User, Workshop
from app.models.database import make_engine
from app.services.accounts import create_user
from app.services.assessments import save_answer
from app.services.demo import WORKSHOP_TITLE
from app.services.workshop_admission import JoinChoice, request_to_join
from app.services.workshops import accept_terms, questionnaire_of_workshop, workshop_assessments
from tests.browser.conftest import LiveSite
from tests.browser.test_sign_in import sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser
BOARD_POLL_MS = 15_000  # board.js polls every 5 s; allow a few rounds on a busy machine
# Screenshots of the board and the projector, kept for people to look at (CTSAT_SCREENSHOTS or /tmp).
SCREENSHOTS = Path(os.environ.get("CTSAT_SCREENSHOTS", "/tmp"))


def new_page(chromium: Browser, live_site: LiveSite) -> Page:
    context = chromium.new_context(base_url=live_site.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def signed_in(chromium: Browser, live_site: LiveSite, who: str) -> Page:
    page = new_page(chromium, live_site)
    login = live_site.login_for(who)
    sign_in(page, login.email, login.password)
    page.wait_for_url("**/")
    return page


def open_board(facilitator: Page) -> None:
    facilitator.get_by_role("link", name="Workshops", exact=True).click()
    facilitator.get_by_role("link", name=WORKSHOP_TITLE).click()
    expect(facilitator.get_by_role("heading", name=WORKSHOP_TITLE)).to_be_visible()


def join_link(facilitator: Page) -> str:
    text = facilitator.get_by_role("region", name="Join code").inner_text()
    match = re.search(r"/workshops/join/[A-Z0-9]+", text)
    assert match, f"no join link on the board: {text}"
    return match.group(0)


def choose(page: Page, country: str | None, agency: str, pillar: str) -> None:
    if country is not None:
        page.get_by_label("Country you answer for").select_option(label=country)
    page.get_by_label("Agency").fill(agency)
    page.get_by_label("Pillar of expertise").select_option(label=pillar)


def test_a_visitor_registers_confirms_the_email_and_is_admitted_by_the_facilitator(
    chromium: Browser, live_site: LiveSite
) -> None:
    facilitator = signed_in(chromium, live_site, "facilitator")
    open_board(facilitator)
    visitor = new_page(chromium, live_site)
    visitor.goto(join_link(facilitator))
    expect(visitor.get_by_role("heading", name=f"Join {WORKSHOP_TITLE}")).to_be_visible()
    choose(visitor, "Philippines", "Inter-Agency Council Against Trafficking", "Prosecution")
    visitor.get_by_label("Name").fill("Maria Santos")
    visitor.get_by_label("Email").fill("maria.santos@example.org")
    visitor.get_by_role("button", name="Join the workshop").click()
    expect(visitor.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    link = re.search(r"http://\S+/workshops/confirm/\S+", live_site.last_mail_to("maria.santos@example.org"))
    assert link, "the e-mail has a confirmation link"
    visitor.goto(link.group(0))
    visitor.get_by_label(re.compile(r"^Password \(at least")).fill(PASSWORD)
    visitor.get_by_label("Password again").fill(PASSWORD)
    visitor.get_by_role("button", name="Create the account and join").click()
    expect(
        visitor.get_by_text("Your request to answer for Philippines is waiting for the facilitator.")
    ).to_be_visible()
    expect(visitor.get_by_role("heading", name="Your answers for Philippines")).to_have_count(0)

    facilitator.reload()
    facilitator.get_by_role("link", name=re.compile(r"^Participants")).first.click()
    facilitator.get_by_role("button", name="Admit Maria Santos for Philippines").click()
    expect(facilitator.get_by_text("Maria Santos is admitted.")).to_be_visible()
    visitor.reload()
    expect(visitor.get_by_role("heading", name="Sharing terms: Results shared with all participants")).to_be_visible()
    expect(visitor.get_by_role("heading", name="Your answers for Philippines")).to_have_count(0)
    visitor.screenshot(path=str(SCREENSHOTS / "workshop-terms.png"), full_page=True)
    visitor.get_by_role("button", name="Accept the terms and take part").click()
    expect(visitor.get_by_role("heading", name="Your answers for Philippines")).to_be_visible()
    open_board(facilitator)
    expect(facilitator.get_by_role("row", name=re.compile("Maria Santos"))).to_contain_text("Prosecution")


def test_a_user_with_an_account_signs_in_from_the_join_page(chromium: Browser, live_site: LiveSite) -> None:
    facilitator = signed_in(chromium, live_site, "facilitator")
    open_board(facilitator)
    coordinator = new_page(chromium, live_site)
    coordinator.goto(join_link(facilitator))
    coordinator.get_by_role("link", name="Sign in first").click()
    login = live_site.login_for("coordinator.vnm")
    coordinator.get_by_label("Email").fill(login.email)
    coordinator.get_by_label("Password").fill(login.password)
    coordinator.get_by_role("button", name="Sign in").click()
    coordinator.get_by_label("Code").fill(live_site.second_factor_code(login.email))  # coordinators have one
    coordinator.get_by_role("button", name="Continue").click()
    expect(coordinator.get_by_role("heading", name=f"Join {WORKSHOP_TITLE}")).to_be_visible()
    expect(coordinator.get_by_text("You join for your own country, the one of your account.")).to_be_visible()
    choose(coordinator, None, "Ministry of Public Security", "Prevention")
    coordinator.get_by_role("button", name="Join the workshop").click()
    coordinator.get_by_role("button", name="Accept the terms and take part").click()
    expect(coordinator.get_by_role("heading", name="Your answers for Viet Nam")).to_be_visible()


def unanswered_item(page: Page) -> str:
    """The first shown maturity item of the measure page that has no answer yet."""
    found = page.evaluate(
        """() => [...document.querySelectorAll('fieldset[data-item][data-type="maturity"]')]
              .find(f => !f.hidden && !f.querySelector('input:checked'))?.dataset.item"""
    )
    assert found, f"every item of this measure is answered already: {page.url}"
    return str(found)


def test_the_board_updates_while_a_participant_answers(chromium: Browser, live_site: LiveSite) -> None:
    facilitator = signed_in(chromium, live_site, "facilitator")
    open_board(facilitator)
    progress = facilitator.get_by_role("table", name="Progress by country and measure")
    first_cell = progress.get_by_role("row", name=re.compile("^Indonesia")).get_by_role("cell").first
    before = first_cell.inner_text()
    answered, applicable = (int(n) for n in re.findall(r"\d+", before))
    facilitator.evaluate("window.stillTheSamePage = true")

    participant = signed_in(chromium, live_site, "official.idn")
    participant.goto("/workshops")
    participant.get_by_role("link", name=WORKSHOP_TITLE).click()
    participant.get_by_role("region", name="Your answers for Indonesia").get_by_role("link").first.click()
    item_id = unanswered_item(participant)
    fieldset = participant.locator(f"fieldset[data-item='{item_id}']")
    fieldset.locator("label.choice").nth(2).click()
    expect(fieldset.locator(".save-state")).to_have_text(re.compile("Saved"))

    expect(first_cell).to_have_text(f"{answered + 1} of {applicable}", timeout=BOARD_POLL_MS)
    assert facilitator.evaluate("window.stillTheSamePage") is True, "the board changed without a reload"


def test_a_group_records_a_strategy(chromium: Browser, live_site: LiveSite) -> None:
    facilitator = signed_in(chromium, live_site, "facilitator")
    open_board(facilitator)
    facilitator.get_by_role("navigation", name="Workshop").get_by_role("link", name="Groups").click()
    facilitator.get_by_role("button", name="Suggest pillar groups").click()
    expect(facilitator.get_by_text("Groups suggested.")).to_be_visible()
    facilitator.get_by_role("link", name="Protection", exact=True).click()
    expect(facilitator.get_by_role("heading", name="Protection", exact=True)).to_be_visible()
    workspace_url = facilitator.url

    member = signed_in(chromium, live_site, "official.tha")
    member.goto(workspace_url)
    member.get_by_label("Title").fill("Joint victim screening at border posts")
    member.get_by_role("group", name="Measures").get_by_role("checkbox").first.check()
    member.get_by_label("Actions").fill("Train border officers on the national referral mechanism.")
    member.get_by_label("Lead").fill("Department of Social Development")
    member.get_by_role("button", name="Record the strategy").click()
    expect(member.get_by_text("The strategy is recorded.")).to_be_visible()
    facilitator.reload()
    strategy = facilitator.get_by_role("heading", name="Joint victim screening at border posts")
    expect(strategy).to_be_visible()
    expect(facilitator.get_by_text("Lead: Department of Social Development")).to_be_visible()


def test_a_coordinator_merges_workshop_answers_into_a_new_cycle(chromium: Browser, live_site: LiveSite) -> None:
    coordinator = signed_in(chromium, live_site, "coordinator.tha")
    coordinator.get_by_role("link", name="Start an assessment").click()
    coordinator.get_by_label("Title").fill("Thailand cycle with workshop answers")
    coordinator.get_by_role("button", name="Start the assessment").click()
    expect(coordinator.get_by_text("The assessment has started.")).to_be_visible()
    coordinator.goto("/")
    coordinator.get_by_role("link", name=f"{WORKSHOP_TITLE} (workshop)").click()
    coordinator.get_by_role("link", name="Merge these workshop answers into your country's cycle").click()
    expect(coordinator.get_by_role("heading", name="Merge workshop answers into your cycle")).to_be_visible()
    cycles = coordinator.get_by_label("Cycle to merge into")
    value = cycles.get_by_role("option", name=re.compile("Thailand cycle with workshop")).get_attribute("value")
    assert value
    cycles.select_option(value)
    coordinator.get_by_role("button", name="Compare").click()
    expect(coordinator.get_by_role("heading", name="Into Thailand cycle with workshop answers")).to_be_visible()
    takes = coordinator.get_by_role("radio", name="Take workshop")
    expect(takes.first).to_be_checked()
    count = takes.count()
    coordinator.get_by_role("button", name="Merge the chosen answers").click()
    expect(coordinator.get_by_text(f"{count} workshop answer(s) taken into this cycle.")).to_be_visible()
    expect(coordinator.get_by_role("heading", name="Thailand cycle with workshop answers")).to_be_visible()


NINE = {
    "KHM": "Cambodia",
    "IDN": "Indonesia",
    "LAO": "Lao PDR",
    "MNG": "Mongolia",
    "MMR": "Myanmar",
    "NPL": "Nepal",
    "LKA": "Sri Lanka",
    "THA": "Thailand",
    "VNM": "Viet Nam",
}
NINE_SCOPE = ["PREV-1", "PROT-1", "PROT-2", "PROS-1", "PROS-2"]


def nine_countries_answer(live_site: LiveSite, title: str) -> None:
    """One official per country joins, accepts the terms and answers every other item in scope
    (written straight into the live site's database: the browser part is the facilitator's)."""
    engine = make_engine(f"sqlite:///{live_site.instance / 'ctsat.db'}")
    with Session(engine) as session:
        workshop = session.scalars(select(Workshop).filter_by(title=title)).one()
        questionnaire = questionnaire_of_workshop(session, workshop)
        assessments = workshop_assessments(session, workshop)
        for index, code in enumerate(NINE):
            user = create_user(
                session, f"nine.{code.lower()}@example.org", f"Official {code}", PASSWORD, "official", code
            )
            request_to_join(session, user, workshop, JoinChoice(code, "Police", "protection"))
            accept_terms(session, user, workshop)
            items = [i for i, m in questionnaire.measure_of_item.items() if m in NINE_SCOPE]
            for number, item_id in enumerate(items):
                item = questionnaire.items[item_id]
                if number % 2 or not item.scored or item.parent:
                    continue
                level = (index + number) % 5 if item.type != "yes_no" else (0, 2, 4)[(index + number) % 3]
                save_answer(session, user, assessments[code], item_id, AnswerFields(level=level), 0)
        session.commit()
    engine.dispose()


def one_more_answer(live_site: LiveSite, title: str, code: str) -> None:
    """The country's official answers one more item in scope that has no follow-ups."""
    engine = make_engine(f"sqlite:///{live_site.instance / 'ctsat.db'}")
    with Session(engine) as session:
        workshop = session.scalars(select(Workshop).filter_by(title=title)).one()
        questionnaire = questionnaire_of_workshop(session, workshop)
        assessment = workshop_assessments(session, workshop)[code]
        user = session.scalars(select(User).filter_by(email=f"nine.{code.lower()}@example.org")).one()
        answered = set(session.scalars(select(Answer.item_id).filter_by(assessment_id=assessment.id)))
        item = next(
            item
            for item_id, item in questionnaire.items.items()
            if questionnaire.measure_of_item[item_id] in NINE_SCOPE
            and item.scored
            and item.type != "yes_no"
            and not item.parent
            and item_id not in questionnaire.children
            and item_id not in answered
        )
        save_answer(session, user, assessment, item.id, AnswerFields(level=2), 0)
        session.commit()
    engine.dispose()


def test_a_nine_country_workshop_shows_every_country_on_the_projector(chromium: Browser, live_site: LiveSite) -> None:
    facilitator = signed_in(chromium, live_site, "facilitator")
    facilitator.set_viewport_size({"width": 1280, "height": 720})
    facilitator.goto("/workshops/new")
    title = "RSR training workshop, nine countries"
    facilitator.get_by_label("Title").fill(title)
    facilitator.get_by_label("Venue").fill("Bangkok")
    for measure_id in NINE_SCOPE:
        facilitator.get_by_role("checkbox", name=re.compile(rf"^{measure_id} ")).check()
    for name in NINE.values():
        facilitator.get_by_role("checkbox", name=name, exact=True).check()
    facilitator.get_by_role("radio", name=re.compile("^Results shared with all participants")).check()
    facilitator.get_by_role("button", name="Save the workshop").click()
    expect(facilitator.get_by_text("The workshop is ready.")).to_be_visible()
    nine_countries_answer(live_site, title)

    facilitator.get_by_role("navigation", name="Workshop").get_by_role("link", name="Projector view").click()
    heat_map = facilitator.get_by_role("img", name="Results by country and measure")
    expect(heat_map).to_be_visible()
    for name in NINE.values():
        expect(heat_map).to_contain_text(name)
    assert heat_map.locator(".heat-cell").count() == len(NINE) * len(NINE_SCOPE)
    assert "Results not shown" not in "".join(heat_map.locator(".heat-cell title").all_text_contents())
    width = facilitator.evaluate("document.documentElement.scrollWidth")
    assert width <= 1280, f"the projector scrolls sideways at 1280 px: {width}"
    expect(facilitator.get_by_role("button", name="Pause updates")).to_be_visible()
    facilitator.screenshot(path=str(SCREENSHOTS / "projector-nine-countries.png"), full_page=True)

    # It updates itself: one more answer from Cambodia shows without anyone touching the page.
    bars = facilitator.get_by_role("img", name="Progress by country")
    texts = bars.locator("text").all_text_contents()
    answered, applicable = (int(n) for n in re.findall(r"\d+", texts[texts.index("Cambodia") + 1])[:2])
    one_more_answer(live_site, title, "KHM")
    expect(bars).to_contain_text(f"{answered + 1} of {applicable}", timeout=BOARD_POLL_MS * 2)
    facilitator.goto(facilitator.url.replace("/projector", ""))
    facilitator.screenshot(path=str(SCREENSHOTS / "board-nine-countries.png"), full_page=True)
