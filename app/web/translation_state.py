"""Which interface languages are still drafts, read from the catalogues as they are now.

A reviewer's file taken in (or a catalogue marked reviewed) in one worker changes the files,
so every worker's next page sees it: the draft line goes, and changed interface strings are
compiled and read again.
"""

from __future__ import annotations

from pathlib import Path

from flask import current_app
from flask_babel import get_domain

from app.services.translation_review import Catalogues, draft_languages
from app.services.translations import compile_interface

_STAMP = "ctsat.draft_languages"


def catalogues() -> Catalogues:
    """The app's catalogues (the questionnaire folders are looked up once)."""
    found = current_app.extensions.get("ctsat.catalogues")
    if found is None:
        config = current_app.config
        found = Catalogues.found(Path(config["TRANSLATIONS_PATH"]), Path(config["QUESTIONNAIRES_PATH"]))
        current_app.extensions["ctsat.catalogues"] = found
    return found


def current_drafts() -> frozenset[str]:
    drafts = draft_languages(catalogues(), current_app.config["LANGUAGES"])
    if current_app.extensions.get(_STAMP, drafts) != drafts:  # a review or import elsewhere: read them again
        refresh_interface()
    current_app.extensions[_STAMP] = drafts
    return drafts


def refresh_interface() -> None:
    """Compile changed interface catalogues and forget this worker's loaded translations."""
    try:
        compile_interface(Path(current_app.config["TRANSLATIONS_PATH"]), current_app.config["LANGUAGES"])
    except OSError:  # a read-only install uses the .mo files shipped with it
        return
    get_domain().cache.clear()


def is_draft(language: str | None) -> bool:
    return bool(language) and str(language).split("_")[0] in current_drafts()
