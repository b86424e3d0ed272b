"""E-mails in the recipient's language: a Thai official's assignment and a Thai account's password
reset come in Thai, with the draft-translation line while Thai is a draft (and without it once reviewed)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from babel.support import Translations
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.models import User
from app.services.catalog import get_questionnaire
from app.services.cycles import CycleSettings, start_cycle
from app.services.translation_review import Catalogues
from app.services.translations import compile_interface, mark_reviewed
from config import TRANSLATIONS
from tests.conftest import csrf_token, last_mail_to, login, mail_text
from tests.integration.test_translation_review import catalogues  # noqa: F401 - the fixture

DRAFT = "This translation is a draft: a native-speaking reviewer has not yet approved it."


@cache
def thai_catalogue() -> Translations:
    """The Thai interface catalogue, compiled first (the app compiles it too, but may not have yet)."""
    compile_interface(TRANSLATIONS, ["th"])
    return Translations.load(str(TRANSLATIONS), ["th"])


def thai(message: str, **values: Any) -> str:
    translated = thai_catalogue().ugettext(message) % values if values else thai_catalogue().ugettext(message)
    english = message % values if values else message
    assert translated != english, f"{message!r} has no Thai translation"
    return translated


def assign_to_thai_official(client: FlaskClient, session: Session, make_user: Any) -> User:
    coordinator = make_user("coordinator", "THA")
    questionnaire = get_questionnaire(session, "mini", "1")
    settings = CycleSettings("Review 2026", ["origin"], "Confidential", "private", {})
    assessment = start_cycle(session, coordinator, "THA", questionnaire, settings)
    official: User = make_user("official", "THA", language="th")
    session.commit()
    login(client, coordinator.email)
    page = f"/assessments/{assessment.id}/assignments"
    token = csrf_token(client.get(page).get_data(as_text=True))
    response = client.post(page, data={"csrf_token": token, "user-PROS-1": str(official.id), "due-PROS-1": ""})
    assert response.status_code == 302
    return official


def test_a_thai_officials_assignment_e_mail_is_in_thai_with_the_draft_line(
    app: Flask, client: FlaskClient, session: Session, make_user: Any
) -> None:
    official = assign_to_thai_official(client, session, make_user)
    mail = last_mail_to(app, official.email)
    assert mail["Subject"] == thai("%(measure)s is yours to answer", measure="PROS-1")
    text = mail_text(mail)
    assert thai("Hello %(name)s,", name=official.name) in text
    assert text.count(thai(DRAFT)) == 1 and DRAFT not in text


def test_a_thai_accounts_password_reset_is_in_thai_with_the_draft_line(
    app: Flask, session: Session, make_user: Any
) -> None:
    user: User = make_user("official", "THA", language="th")
    visitor = app.test_client()
    token = csrf_token(visitor.get("/forgot-password").get_data(as_text=True))
    visitor.post("/forgot-password", data={"email": user.email, "csrf_token": token})
    mail = last_mail_to(app, user.email)
    assert mail["Subject"] == thai("Choose a new CTSAT password")
    assert thai(DRAFT) in mail_text(mail)


def test_an_english_e_mail_has_no_draft_line(app: Flask, session: Session, make_user: Any) -> None:
    user: User = make_user("official", "THA", language="en")
    visitor = app.test_client()
    token = csrf_token(visitor.get("/forgot-password").get_data(as_text=True))
    visitor.post("/forgot-password", data={"email": user.email, "csrf_token": token})
    mail = last_mail_to(app, user.email)
    assert mail["Subject"] == "Choose a new CTSAT password" and DRAFT not in mail_text(mail)


def test_once_thai_is_reviewed_its_e_mails_have_no_draft_line(
    app: Flask,
    client: FlaskClient,
    session: Session,
    make_user: Any,
    catalogues: Path,  # noqa: F811
) -> None:
    for path in Catalogues.found(catalogues, Path(app.config["QUESTIONNAIRES_PATH"])).files(["th"]):
        if path.exists():
            mark_reviewed(path, "th")
    official = assign_to_thai_official(client, session, make_user)
    text = mail_text(last_mail_to(app, official.email))
    assert thai("Hello %(name)s,", name=official.name) in text and thai(DRAFT) not in text
