"""Every page a visitor or an official can reach renders in every interface language, and in the
fully translated languages no interface string is left in English.

Like the accessibility crawl, pages are found, not listed: from the home page (and the
official's assessment), every same-site link is followed. A page "left in English" shows a
sentence of the interface catalogue (three words or more) verbatim in its main content.
"""

from __future__ import annotations

import html
import re
from collections import deque
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from app.services.translations import read_catalogue
from config import LANGUAGES, TRANSLATIONS
from tests.conftest import FIXTURE_CONTENT, csrf_token, login
from tests.content.test_catalogues import FULLY_TRANSLATED
from tests.integration.test_pages import make_assessment

PAGES_PER_LANGUAGE = 70  # fully translated languages; the others (English fallback) a sample
SAMPLE_PAGES = 25
SKIP = re.compile(r"^/(static/|logout|language)|\.(pdf|xlsx|docx|csv|json|zip|xml)(\?|$)|/export")
LINK = re.compile(r'<a [^>]*href="([^"]+)"')
MAIN = re.compile(r"<main[^>]*>(.*?)</main>", re.S)


def english_sentences() -> set[str]:
    """Interface sentences, less those the test content also uses as data (a scale level's
    wording, say): the mini questionnaire has no translations, so its texts stay English."""
    data = " ".join(" ".join(path.read_text().split()) for path in FIXTURE_CONTENT.rglob("*.yaml"))
    sentences = set()
    for message in read_catalogue(TRANSLATIONS / "messages.pot"):
        for text in message.id if isinstance(message.id, tuple) else (message.id,):
            plain = re.sub(r"%\(\w+\)[sd]|\{\w+\}", "", text).strip()
            if len(plain.split()) >= 3 and "%" not in plain and plain not in data:
                sentences.add(plain)
    return sentences


ENGLISH = english_sentences()


def main_text(page: str) -> str:
    found = MAIN.search(page)
    text = re.sub(r"<[^>]+>", " ", found.group(1) if found else "")
    return " ".join(html.unescape(text).split())


def crawl(client: FlaskClient, language: str, seeds: list[str]) -> dict[str, str]:
    """Path → page HTML for the pages reached from ``seeds`` in ``language``; fails on any server error."""
    token = csrf_token(client.get("/planning").get_data(as_text=True))
    client.post("/language", data={"csrf_token": token, "language": language, "next": "/"})
    queue, seen, pages = deque(seeds), set(seeds), {}
    limit = PAGES_PER_LANGUAGE if language in FULLY_TRANSLATED else SAMPLE_PAGES
    while queue and len(pages) < limit:
        path = queue.popleft()
        response = client.get(path)
        assert response.status_code < 500, f"{language} {path}: {response.status_code}"
        if response.status_code != 200 or not response.content_type.startswith("text/html"):
            continue
        page = response.get_data(as_text=True)
        pages[path] = page
        for href in LINK.findall(page):
            target = urldefrag(html.unescape(href))[0]
            parts = urlsplit(target)
            if parts.netloc or not target.startswith("/") or SKIP.search(target) or target in seen:
                continue
            seen.add(target)
            queue.append(target)
    return pages


def check(pages: dict[str, str], language: str) -> None:
    direction = "rtl" if language == "ar" else "ltr"
    for path, page in pages.items():
        assert f'dir="{direction}"' in page.split(">", 2)[1], path
        if language in FULLY_TRANSLATED:
            text = main_text(page)
            left = sorted(sentence for sentence in ENGLISH if sentence in text)
            assert not left, f"{language} {path} still shows English: {left[:3]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_public_page_renders_in_the_language(client: FlaskClient, language: str) -> None:
    pages = crawl(client, language, ["/", "/search?q=victim"])
    assert len(pages) > 10
    check(pages, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_of_an_officials_assessment_renders_in_the_language(
    client: FlaskClient, session: Session, make_user: Any, language: str
) -> None:
    assessment = make_assessment(session, make_user)
    login(client, make_user("official", "THA").email)
    pages = crawl(client, language, [f"/assessments/{assessment.id}", "/account/"])
    assert any("/results" in path for path in pages)
    check(pages, language)
