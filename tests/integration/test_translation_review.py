"""Reviewers in the app: each language's catalogue status, a reviewed PO file taken in (checked,
audited, behind CSRF), a whole catalogue marked reviewed, and the draft line gone once reviewed."""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import ContentEdit
from app.services.translations import catalogue_status, interface_catalogue, read_catalogue
from config import TRANSLATIONS
from tests.conftest import csrf_token, login

DRAFT_LINE = 'class="draft-translation"'


@pytest.fixture
def catalogues(app: Flask, tmp_path: Path) -> Path:
    """A copy of the Thai and Vietnamese interface catalogues for the app to review (never the real ones)."""
    root = tmp_path / "translations"
    for language in ("th", "vi"):
        shutil.copytree(TRANSLATIONS / language, root / language)
    app.config["TRANSLATIONS_PATH"] = root
    app.extensions.pop("ctsat.catalogues", None)
    return root


def editor_client(app: Flask, make_user: Any) -> FlaskClient:
    client = app.test_client()
    login(client, make_user("editor").email)
    return client


def po_bytes(language: str, pairs: dict[str, str], header_language: str | None = None) -> bytes:
    catalog = Catalog(locale=header_language or language, fuzzy=False)
    for english, translation in pairs.items():
        catalog.add(english, translation)
    buffer = io.BytesIO()
    write_po(buffer, catalog)
    return buffer.getvalue()


def upload(client: FlaskClient, language: str, data: bytes, catalogue: str = "interface", token: bool = True) -> Any:
    page = client.get(f"/editor/translations/{language}").get_data(as_text=True)
    form: dict[str, Any] = {"catalogue": catalogue, "file": (io.BytesIO(data), "reviewed.po")}
    if token:
        form["csrf_token"] = csrf_token(page)
    return client.post(f"/editor/translations/{language}/upload", data=form, content_type="multipart/form-data")


def mark_reviewed(client: FlaskClient, language: str, catalogue: str = "interface") -> Any:
    token = csrf_token(client.get(f"/editor/translations/{language}").get_data(as_text=True))
    return client.post(f"/editor/translations/{language}/review", data={"csrf_token": token, "catalogue": catalogue})


def thai_status(root: Path) -> Any:
    return catalogue_status(interface_catalogue(root, "th"), "interface", "th")


def test_editors_see_strings_translated_and_reviewed_per_language(app: Flask, catalogues: Path, make_user: Any) -> None:
    page = editor_client(app, make_user).get("/editor/translations/").get_data(as_text=True)
    status = thai_status(catalogues)
    assert "ไทย" in page and "Tiếng Việt" in page
    assert f"<td>{status.strings:,}</td><td>{status.translated:,}</td><td>{status.reviewed:,}</td>" in page


@pytest.mark.parametrize("role", ["official", "coordinator", "facilitator", "participant"])
def test_other_roles_may_not_review(app: Flask, catalogues: Path, make_user: Any, role: str) -> None:
    client = app.test_client()
    login(client, make_user(role, "THA" if role in ("official", "coordinator") else None).email)
    assert client.get("/editor/translations/").status_code == 403
    assert mark_reviewed_without_page(client).status_code == 403
    assert thai_status(catalogues).reviewed == 0


def mark_reviewed_without_page(client: FlaskClient) -> Any:
    token = csrf_token(client.get("/").get_data(as_text=True))
    return client.post("/editor/translations/th/review", data={"csrf_token": token, "catalogue": "interface"})


def test_visitors_are_sent_to_sign_in(client: FlaskClient, catalogues: Path) -> None:
    assert client.get("/editor/translations/").status_code == 302


def test_a_reviewed_file_marks_its_strings_reviewed_and_is_audited(
    app: Flask, catalogues: Path, make_user: Any, session: Session
) -> None:
    client = editor_client(app, make_user)
    thai = read_catalogue(interface_catalogue(catalogues, "th"), "th")
    pairs = {str(message.id): str(message.string) for message in list(thai)[1:4] if isinstance(message.id, str)}
    response = upload(client, "th", po_bytes("th", pairs))
    assert response.status_code == 303
    assert thai_status(catalogues).reviewed == len(pairs)
    (edit,) = session.scalars(select(ContentEdit).where(ContentEdit.kind == "translations")).all()
    assert edit.key == "th/interface" and edit.after["reviewed"] == len(pairs) and edit.before["reviewed"] == 0
    assert edit.after["action"] == "import_reviewed"


def test_an_upload_without_the_csrf_token_is_refused(app: Flask, catalogues: Path, make_user: Any) -> None:
    client = editor_client(app, make_user)
    assert upload(client, "th", po_bytes("th", {"Home": "หน้าแรก"}), token=False).status_code == 400
    assert thai_status(catalogues).reviewed == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "not a readable PO file"),
        (b'msgid "Home"\nmsgstr "x"\nthis is not po\n', "not a readable PO file"),
        (b"<html><body>Home</body></html>", "not a readable PO file"),
        (po_bytes("th", {"Home": "Trang chủ"}, header_language="vi"), "is for the language"),
        (po_bytes("th", {"Nobody wrote this English": "ไม่มี"}), "another catalogue"),
        (po_bytes("th", {"Hello %(name)s,": "สวัสดี %(nom)s"}), "lose a placeholder of the English"),
        (po_bytes("th", {"Home": ""}), "no translated string"),
    ],
)
def test_a_wrong_or_broken_file_is_refused_with_a_clear_message(
    app: Flask, catalogues: Path, make_user: Any, data: bytes, message: str
) -> None:
    before = interface_catalogue(catalogues, "th").read_bytes()
    response = upload(editor_client(app, make_user), "th", data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert interface_catalogue(catalogues, "th").read_bytes() == before


def test_an_unknown_language_or_catalogue_is_not_found_or_refused(app: Flask, catalogues: Path, make_user: Any) -> None:
    client = editor_client(app, make_user)
    assert client.get("/editor/translations/xx").status_code == 404
    assert mark_reviewed(client, "th", catalogue="../../etc").status_code == 400


def test_marking_the_whole_catalogue_reviewed_ends_the_draft_line(
    app: Flask, catalogues: Path, make_user: Any, session: Session
) -> None:
    client = editor_client(app, make_user)
    client.post("/language", data={"csrf_token": csrf_token(client.get("/").get_data(as_text=True)), "language": "th"})
    assert DRAFT_LINE in client.get("/planning").get_data(as_text=True)
    assert mark_reviewed(client, "th").status_code == 303
    status = thai_status(catalogues)
    assert status.reviewed == status.translated > 0
    assert DRAFT_LINE not in client.get("/planning").get_data(as_text=True)
    visitor = app.test_client()
    assert DRAFT_LINE in visitor.get("/planning", headers={"Accept-Language": "vi"}).get_data(as_text=True)
    edit = session.scalars(select(ContentEdit).where(ContentEdit.kind == "translations")).one()
    assert edit.after["action"] == "review"
