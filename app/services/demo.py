"""Demo data for `make run`: four countries' people, Thailand's two cycles (a final 2024 one
and a half-answered 2026 draft) and sample results three peers share.

Passwords are generated on the first run and kept in instance/demo-logins.txt
(readable by the owner only) so that later runs can print them again.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.actions import ActionFields
from app.core.answers import Answer as CoreAnswer
from app.core.answers import check_answer
from app.core.questionnaire import Questionnaire
from app.models import Answer, Assessment, Country, User, Workshop
from app.services.accounts import create_user
from app.services.assessments import start_assessment
from app.services.catalog import latest_questionnaire
from app.services.plans import add_action
from app.services.second_factor import new_secret, required_for
from app.services.workshop_admission import JoinChoice, request_to_join
from app.services.workshop_groups import StrategyInput, add_strategy, suggest_pillar_groups
from app.services.workshops import WorkshopSettings, accept_terms, create_workshop, workshop_assessments

DEMO_COUNTRIES = {"THA": "Thailand", "PHL": "Philippines", "IDN": "Indonesia", "VNM": "Viet Nam"}
DEMO_DOMAIN = "demo.ctsat.example"
DEMO_TITLE = "Demo self-assessment 2026 (sample answers)"
PREVIOUS_TITLE = "Demo self-assessment 2024 (sample answers)"
# Countries whose sample results are shared with peers, so spreads and peer strengths show.
PEER_COUNTRIES = ("PHL", "IDN", "VNM")
WORKSHOP_TITLE = "Demo RSR training workshop"
# Sample actions in Thailand's 2026 plan and a sample strategy of the workshop's pillar group.
DEMO_ACTIONS = (
    ActionFields(
        "Train front-line officers in the victim identification procedure",
        measure_id="PROT-1",
        item_ids=("PROT-1.1",),
        lead_agency="National Police",
        partners="Ministry of Social Development",
        start=date(2026, 3, 1),
        end=date(2026, 12, 31),
        indicator="Share of front-line officers trained",
        status="in_progress",
    ),
    ActionFields(
        "Set up a specialised anti-trafficking investigation unit",
        measure_id="PROS-2",
        lead_agency="National Police",
        start=date(2026, 6, 1),
        end=date(2027, 6, 30),
        indicator="Unit staffed and taking cases",
    ),
)
DEMO_STRATEGY = StrategyInput(
    "Shared identification training",
    ["PROT-1"],
    "Pool trainers and materials for front-line officers across the group's countries.\n"
    "Agree one referral checklist for the group.\n"
    "Report back at the next workshop.",
    "National Police",
    [],
)


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    role: str
    country: str | None
    # The TOTP secret of the demo users whose role signs in with a second factor: `ctsat demo-code EMAIL`
    # prints the current code (a real user keeps theirs in an authenticator app only).
    totp_secret: str | None = None


def _people() -> list[tuple[str, str, str, str | None, str | None]]:
    people: list[tuple[str, str, str, str | None, str | None]] = []
    for code, name in DEMO_COUNTRIES.items():
        people.append(
            (f"coordinator.{code.lower()}", f"{name} coordinator", "coordinator", code, "Ministry of Foreign Affairs")
        )
        people.append((f"official.{code.lower()}", f"{name} official", "official", code, "National Police"))
    people += [
        ("facilitator", "Workshop facilitator", "facilitator", None, None),
        ("editor", "Content editor", "editor", None, None),
        ("admin", "Administrator", "admin", None, None),
        # Registered with the demo workshop's code and waits for the facilitator to admit them.
        ("participant", "Workshop participant", "participant", None, "Department of Social Welfare"),
    ]
    return people


def seed_demo(session: Session, logins_file: Path) -> list[DemoLogin]:
    """Create what is missing; never change what exists. Returns every demo login."""
    known = read_logins(logins_file)
    for code, name in DEMO_COUNTRIES.items():
        if session.get(Country, code) is None:
            session.add(Country(code=code, name=name, profile={}))
    session.flush()
    for local, name, role, country, agency in _people():
        email = f"{local}@{DEMO_DOMAIN}"
        existing = session.scalars(select(User).filter_by(email=email)).one_or_none()
        if existing is not None:
            if required_for(existing) and not existing.totp_secret and email in known:
                existing.totp_secret = new_secret()  # a demo made before second factors existed
                known[email] = replace(known[email], totp_secret=existing.totp_secret)
            continue
        password = secrets.token_urlsafe(12)
        user = create_user(session, email, name, password, role, country, agency)
        if required_for(user):
            user.totp_secret = new_secret()
        known[email] = DemoLogin(email, password, role, country, user.totp_secret)
    _write_logins(logins_file, known)
    questionnaire = latest_questionnaire(session)
    if not session.scalar(select(func.count(Assessment.id)).filter_by(country_code="THA")):
        _seed_thailand(session, questionnaire)
        for index, code in enumerate(PEER_COUNTRIES):
            _seed_peer(session, questionnaire, code, seed=2030 + index)
    if not session.scalar(select(func.count(Workshop.id))):
        _seed_workshop(session, questionnaire)
    session.commit()
    return list(known.values())


def _person(session: Session, role: str, country: str) -> User:
    return session.scalars(select(User).filter_by(email=f"{role}.{country.lower()}@{DEMO_DOMAIN}")).one()


def _answer_sample(
    session: Session,
    questionnaire: Questionnaire,
    assessment: Assessment,
    seed: int,
    share: int = 2,
    lift: int = 0,
    measures: Collection[str] = (),
) -> None:
    """Sample answers: every ``share``-th item (and the items follow-ups depend on), raised by
    ``lift``; only items of ``measures`` if given."""
    official = _person(session, "official", assessment.country_code)
    chance = random.Random(seed)
    in_scope = questionnaire.measure_of_item
    scored = [
        item for item in questionnaire.items.values() if item.scored and (not measures or in_scope[item.id] in measures)
    ]
    parents = set(questionnaire.children)
    rows = []
    for index, item in enumerate(scored):
        if index % share and item.id not in parents:
            continue
        level = chance.choice([0, 2, 4]) if item.type == "yes_no" else min(4, chance.randint(0, 4) + lift)
        check_answer(questionnaire, CoreAnswer(item.id, level=level))
        rows.append(Answer(assessment_id=assessment.id, item_id=item.id, level=level, updated_by=official.id))
    # One insert for all rows: the demo is seeded in a blink, and every answer is still
    # checked; the database's triggers write each answer's history.
    session.add_all(rows)


def _seed_thailand(session: Session, questionnaire: Questionnaire) -> None:
    """A final 2024 cycle and a half-answered 2026 draft that follows it, for comparison."""
    coordinator = _person(session, "coordinator", "THA")
    roles = ["origin", "transit", "destination"]
    earlier = start_assessment(session, coordinator, "THA", questionnaire, PREVIOUS_TITLE, roles)
    _answer_sample(session, questionnaire, earlier, seed=2024)
    earlier.status = "final"
    current = start_assessment(session, coordinator, "THA", questionnaire, DEMO_TITLE, roles)
    current.previous_id = earlier.id
    _answer_sample(session, questionnaire, current, seed=2024, lift=1)
    for draft in DEMO_ACTIONS:
        add_action(session, coordinator, current, draft)


def _seed_peer(session: Session, questionnaire: Questionnaire, code: str, seed: int) -> None:
    coordinator = _person(session, "coordinator", code)
    assessment = start_assessment(session, coordinator, code, questionnaire, DEMO_TITLE, [])
    _answer_sample(session, questionnaire, assessment, seed=seed, share=1)
    assessment.status, assessment.sharing = "final", "peers"


def _seed_workshop(session: Session, questionnaire: Questionnaire) -> None:
    """The facilitator's workshop for the four demo countries, its results shared with all
    participants; their officials joined, accepted those terms and answered some protection items."""
    facilitator = session.scalars(select(User).filter_by(email=f"facilitator@{DEMO_DOMAIN}")).one()
    protection = [m.id for p in questionnaire.pillars if p.id == "protection" for m in p.measures]
    settings = WorkshopSettings(
        WORKSHOP_TITLE, None, None, "Bangkok", False, protection, list(DEMO_COUNTRIES), sharing_terms="everyone"
    )
    workshop = create_workshop(session, facilitator, questionnaire, settings)
    assessments = workshop_assessments(session, workshop)
    for index, code in enumerate(DEMO_COUNTRIES):
        official = _person(session, "official", code)
        request_to_join(session, official, workshop, JoinChoice(code, "National Police", "protection"))
        accept_terms(session, official, workshop)
        _answer_sample(session, questionnaire, assessments[code], seed=2040 + index, share=3, measures=protection)
    for group in suggest_pillar_groups(session, workshop):
        add_strategy(session, facilitator, workshop, group, DEMO_STRATEGY)
    waiting = session.scalars(select(User).filter_by(email=f"participant@{DEMO_DOMAIN}")).one()
    request_to_join(session, waiting, workshop, JoinChoice("PHL", "Department of Social Welfare", "protection"))


def read_logins(path: Path) -> dict[str, DemoLogin]:
    logins: dict[str, DemoLogin] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            email, password, role, country, secret = (line.split("\t") + ["", "", "", "", ""])[:5]
            if email and password:
                logins[email] = DemoLogin(email, password, role, country or None, secret or None)
    return logins


def _write_logins(path: Path, logins: dict[str, DemoLogin]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(
        f"{x.email}\t{x.password}\t{x.role}\t{x.country or ''}\t{x.totp_secret or ''}\n" for x in logins.values()
    )
    path.write_text(text)
    path.chmod(0o600)
