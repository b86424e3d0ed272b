"""Demo data for `make run`: a few countries' people and one half-answered assessment.

Passwords are generated on the first run and kept in instance/demo-logins.txt
(readable by the owner only) so that later runs can print them again.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.questionnaire import Questionnaire
from app.models import Assessment, Country, User
from app.services.accounts import create_user
from app.services.assessments import AnswerFields, save_answer, start_assessment
from app.services.catalog import latest_questionnaire

DEMO_COUNTRIES = {"THA": "Thailand", "PHL": "Philippines", "IDN": "Indonesia"}
DEMO_DOMAIN = "demo.ctsat.example"
DEMO_TITLE = "Demo self-assessment 2026 (sample answers)"
DEMO_TITLE = "Demo self-assessment 2026 (sample answers)"


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    role: str
    country: str | None


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
    ]
    return people


def seed_demo(session: Session, logins_file: Path) -> list[DemoLogin]:
    """Create what is missing; never change what exists. Returns every demo login."""
    known = _read_logins(logins_file)
    for code, name in DEMO_COUNTRIES.items():
        if session.get(Country, code) is None:
            session.add(Country(code=code, name=name, profile={}))
    session.flush()
    for local, name, role, country, agency in _people():
        email = f"{local}@{DEMO_DOMAIN}"
        if session.scalar(select(func.count(User.id)).filter_by(email=email)):
            continue
        password = secrets.token_urlsafe(12)
        create_user(session, email, name, password, role, country, agency)
        known[email] = DemoLogin(email, password, role, country)
    _write_logins(logins_file, known)
    _seed_assessment(session, latest_questionnaire(session))
    session.commit()
    return list(known.values())


def _seed_assessment(session: Session, questionnaire: Questionnaire) -> None:
    if session.scalar(select(func.count(Assessment.id)).filter_by(country_code="THA")):
        return
    coordinator = session.scalars(select(User).filter_by(email=f"coordinator.tha@{DEMO_DOMAIN}")).one()
    official = session.scalars(select(User).filter_by(email=f"official.tha@{DEMO_DOMAIN}")).one()
    roles = ["origin", "transit", "destination"]
    assessment = start_assessment(session, coordinator, "THA", questionnaire, DEMO_TITLE, roles)
    chance = random.Random(2026)
    scored = [item for item in questionnaire.items.values() if item.scored]
    parents = set(questionnaire.children)
    # Half the items, always including those that others depend on, so follow-ups show.
    for item in [item for index, item in enumerate(scored) if index % 2 == 0 or item.id in parents]:
        level = chance.choice([0, 2, 4]) if item.type == "yes_no" else chance.randint(0, 4)
        save_answer(session, official, assessment, item.id, AnswerFields(level=level, comment=""), 0)


def _read_logins(path: Path) -> dict[str, DemoLogin]:
    logins: dict[str, DemoLogin] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            email, password, role, country = (line.split("\t") + ["", "", "", ""])[:4]
            if email and password:
                logins[email] = DemoLogin(email, password, role, country or None)
    return logins


def _write_logins(path: Path, logins: dict[str, DemoLogin]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(f"{x.email}\t{x.password}\t{x.role}\t{x.country or ''}\n" for x in logins.values())
    path.write_text(text)
    path.chmod(0o600)
