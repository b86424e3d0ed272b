"""Library texts per language from the library's translators' catalogues (library/translations/<lang>.po,
the questionnaire catalogues' pattern): merged when the content is loaded, English string by string
otherwise, indexed for search in that language; titles are never catalogue strings."""

from __future__ import annotations

import shutil
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.library_translation import library_text_units
from app.core.loader import load_library
from app.models import LibraryEntry, SearchDocument
from app.services.content import load_content
from app.services.search import search
from tests.conftest import FIXTURE_CONTENT

THAI_DESCRIPTION = "หน่วยงานเฉพาะด้านการสืบสวนคดีค้ามนุษย์"


def with_thai_catalogue(tmp_path: Path, pairs: dict[tuple[str, str], str]) -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    catalog = Catalog(locale="th", fuzzy=False)
    for (context, english), translation in pairs.items():
        catalog.add(english, translation, context=context)
    folder = content / "library" / "translations"
    folder.mkdir()
    with (folder / "th.po").open("wb") as handle:
        write_po(handle, catalog)
    return content


def practice_description(session: Session, key: str) -> dict[str, str]:
    entry = session.scalars(select(LibraryEntry).filter_by(kind="practices", key=key)).one()
    return dict(entry.data["description"])


def test_titles_laws_and_citations_are_never_catalogue_strings() -> None:
    units = library_text_units(load_library(FIXTURE_CONTENT / "library"))
    contexts = {unit.context.rsplit("/", 1)[-1] for unit in units}
    assert contexts <= {"label", "summary", "description", "text", "title", "requires"}
    assert all(not unit.context.startswith(("resource/", "practice/")) or not unit.context.endswith("/title")
               for unit in units)  # fmt: skip
    assert "practice/specialised-unit/description" in {unit.context for unit in units}


def test_a_translated_description_is_loaded_and_found_in_thai(session: Session, tmp_path: Path) -> None:
    content = with_thai_catalogue(
        tmp_path, {("practice/specialised-unit/description", "Test practice."): THAI_DESCRIPTION}
    )
    load_content(session, content)
    assert practice_description(session, "specialised-unit")["th"] == THAI_DESCRIPTION
    assert practice_description(session, "one-stop-centre").get("th") is None  # English where not translated
    assert ("practice", "specialised-unit") in [(hit.kind, hit.key) for hit in search(session, "สืบสวน").hits]
    languages = session.scalar(select(SearchDocument.text_languages).filter_by(kind="practice", key="specialised-unit"))
    assert languages == "|en|th|"


def test_a_translation_of_changed_english_is_not_used(session: Session, tmp_path: Path) -> None:
    content = with_thai_catalogue(
        tmp_path, {("practice/specialised-unit/description", "Old English."): THAI_DESCRIPTION}
    )
    load_content(session, content)
    assert "th" not in practice_description(session, "specialised-unit")
