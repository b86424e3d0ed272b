"""Choosing the interface language: Accept-Language, the header's switcher, the account, <html lang dir>."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.models import User
from tests.conftest import csrf_token, login


def choose(client: FlaskClient, language: str, next_path: str = "/planning") -> Any:
    token = csrf_token(client.get(next_path).get_data(as_text=True))
    return client.post("/language", data={"csrf_token": token, "language": language, "next": next_path})


def test_a_first_visit_follows_the_browsers_accept_language(client: FlaskClient) -> None:
    page = client.get("/planning", headers={"Accept-Language": "th-TH,th;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="th" dir="ltr">' in page
    assert "การวางแผน" in page  # "Planning" in the navigation


def test_a_regional_chinese_browser_gets_the_simplified_chinese_interface(client: FlaskClient) -> None:
    page = client.get("/planning", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).get_data(as_text=True)
    assert '<html lang="zh-Hans" dir="ltr">' in page


def test_without_accept_language_the_interface_is_english(client: FlaskClient) -> None:
    page = client.get("/planning").get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in page and "This translation is a draft" not in page


def test_the_header_offers_every_language_named_in_itself(client: FlaskClient) -> None:
    page = client.get("/planning").get_data(as_text=True)
    for name in (
        "ไทย",
        "Bahasa Indonesia",
        "Tiếng Việt",
        "ខ្មែរ",
        "ລາວ",
        "မြန်မာ",
        "नेपाली",
        "සිංහල",
        "中文（简体）",
        "العربية",
    ):
        assert name in page
    assert 'action="/language"' in page


def test_the_switcher_remembers_the_choice_in_the_session_and_returns_to_the_page(client: FlaskClient) -> None:
    response = choose(client, "th")
    assert response.status_code == 303 and response.headers["Location"] == "/planning"
    page = client.get("/policy", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="th"' in page


def test_switching_back_to_english_keeps_english(client: FlaskClient) -> None:
    choose(client, "th")
    choose(client, "en")
    assert '<html lang="en"' in client.get("/planning", headers={"Accept-Language": "th"}).get_data(as_text=True)


def test_a_signed_in_users_choice_is_kept_on_the_account(client: FlaskClient, make_user: Any, session: Session) -> None:
    user: User = make_user("official", "THA")
    login(client, user.email)
    choose(client, "vi", "/account/")
    session.expire_all()
    assert session.get(User, user.id).language == "vi"  # type: ignore[union-attr]


def test_a_language_chosen_before_signing_in_goes_onto_the_account(
    client: FlaskClient, make_user: Any, session: Session
) -> None:
    """Chosen on the sign-in page, then signed in: e-mails (sent outside the session) follow it too."""
    user: User = make_user("official", "THA")
    assert user.language != "th"
    choose(client, "th", "/login")
    login(client, user.email)
    session.expire_all()
    assert session.get(User, user.id).language == "th"  # type: ignore[union-attr]


def test_an_unknown_language_changes_nothing(client: FlaskClient) -> None:
    response = choose(client, "xx")
    assert response.status_code == 303
    assert '<html lang="en"' in client.get("/planning").get_data(as_text=True)


def test_the_switcher_never_sends_anyone_to_another_site(client: FlaskClient) -> None:
    token = csrf_token(client.get("/planning").get_data(as_text=True))
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.post("/language", data={"csrf_token": token, "language": "th", "next": target})
        assert response.headers["Location"] == "/"


def test_the_switcher_needs_the_csrf_token(client: FlaskClient) -> None:
    assert client.post("/language", data={"language": "th", "next": "/"}).status_code == 400


def test_arabic_pages_are_right_to_left(client: FlaskClient) -> None:
    choose(client, "ar")
    assert '<html lang="ar" dir="rtl">' in client.get("/planning").get_data(as_text=True)


def test_a_draft_translation_says_so_in_one_line(client: FlaskClient) -> None:
    choose(client, "th")
    page = client.get("/planning").get_data(as_text=True)
    assert page.count('class="draft-translation"') == 1
