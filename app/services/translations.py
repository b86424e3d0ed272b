"""Translators' catalogues: the interface's and the questionnaire's gettext PO files.

- Interface (and report) texts: ``app/translations/<lang>/LC_MESSAGES/messages.po``, from
  ``messages.pot`` (``pybabel extract`` with ``babel.cfg``), compiled to ``.mo`` when stale.
- Questionnaire texts: ``questionnaires/<questionnaire>/translations/<lang>.po``, one per
  language, keyed by context and English text (see ``app.core.translation``).

**Honest status.** A translation a native-speaking reviewer has not approved is a draft. A
reviewed string carries the PO flag ``reviewed``; importing a reviewer's file with
``--reviewed`` (or ``ctsat translations review``) sets it, and importing a changed translation
without it clears it. A language whose catalogues hold any translated string not reviewed is
a *draft language*: its pages and reports say so in one line.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from app.core.questionnaire import Questionnaire
from app.core.translation import Lookup, TextUnit, text_units

REVIEWED = "reviewed"
DOMAIN = "messages"
QUESTIONNAIRE_FOLDER = "translations"


@dataclass(frozen=True)
class CatalogueStatus:
    catalogue: str  # "interface" or the questionnaire key
    language: str
    strings: int
    translated: int
    reviewed: int

    @property
    def draft(self) -> bool:
        return self.translated > self.reviewed


def interface_catalogue(root: Path, language: str) -> Path:
    return root / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def questionnaire_catalogue(folder: Path, language: str) -> Path:
    return folder / QUESTIONNAIRE_FOLDER / f"{language}.po"


def read_catalogue(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=language, abort_invalid=True)


def write_catalogue(catalog: Catalog, path: Path) -> None:
    """Write atomically (a reader never sees half a file), wrapped as translators' tools expect."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False, suffix=".tmp") as handle:
        write_po(handle, catalog, width=100, sort_output=False, ignore_obsolete=True)
    os.replace(handle.name, path)


def _translated(message: Message) -> bool:
    if not message.id:
        return False
    strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
    return all(strings) and "fuzzy" not in message.flags


def status_of(catalog: Catalog, name: str, language: str) -> CatalogueStatus:
    messages = [message for message in catalog if message.id]
    translated = [message for message in messages if _translated(message)]
    reviewed = [message for message in translated if REVIEWED in message.flags]
    return CatalogueStatus(name, language, len(messages), len(translated), len(reviewed))


def catalogue_status(path: Path, name: str, language: str, total: int | None = None) -> CatalogueStatus:
    if not path.exists():
        return CatalogueStatus(name, language, total or 0, 0, 0)
    return status_of(read_catalogue(path, language), name, language)


def compile_interface(root: Path, languages: Iterable[str]) -> list[str]:
    """Compile each language's ``messages.po`` whose ``.mo`` is missing or older; the languages compiled."""
    compiled = []
    for language in languages:
        po = interface_catalogue(root, language)
        mo = po.with_suffix(".mo")
        if not po.exists() or (mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime):
            continue
        catalog = read_catalogue(po, language)
        with tempfile.NamedTemporaryFile("wb", dir=po.parent, delete=False, suffix=".tmp") as handle:
            write_mo(handle, catalog)
        os.replace(handle.name, mo)
        compiled.append(language)
    return compiled


def draft_languages(statuses: Iterable[CatalogueStatus]) -> frozenset[str]:
    return frozenset(status.language for status in statuses if status.draft)


def questionnaire_lookups(folder: Path) -> dict[str, Lookup]:
    """Each language's questionnaire (or library) catalogue (``<folder>/translations/<lang>.po``)
    as (context, English) → translation."""
    lookups: dict[str, Lookup] = {}
    for path in sorted((folder / QUESTIONNAIRE_FOLDER).glob("*.po")):
        language = path.stem
        catalog = read_catalogue(path, language)
        lookups[language] = {
            (message.context or "", str(message.id)): str(message.string)
            for message in catalog
            if message.id and _translated(message)
        }
    return lookups


def questionnaire_template(questionnaire: Questionnaire) -> Catalog:
    return units_template(text_units(questionnaire), f"CTSAT questionnaire {questionnaire.key}", questionnaire.version)


def library_catalogue(folder: Path, language: str) -> Path:
    """The library's catalogue for ``language``: ``<library>/translations/<lang>.po``."""
    return folder / QUESTIONNAIRE_FOLDER / f"{language}.po"


def units_template(units: Iterable[TextUnit], project: str, version: str) -> Catalog:
    catalog = Catalog(project=project, version=version, creation_date=datetime(2026, 1, 1, tzinfo=UTC), fuzzy=False)
    for unit in units:
        catalog.add(unit.english, context=unit.context)
    return catalog


def update_catalogue(template: Catalog, path: Path, language: str) -> Catalog:
    """The language's catalogue with every string of ``template``, keeping translations (and their
    review flags) whose English is unchanged; translations of changed English are dropped."""
    catalog = read_catalogue(path, language) if path.exists() else Catalog(locale=language, fuzzy=False)
    previous = {(message.context, message.id): message for message in catalog if message.id}
    fresh = Catalog(locale=language, project=template.project, version=template.version, fuzzy=False)
    fresh.creation_date = template.creation_date
    fresh.revision_date = catalog.revision_date if path.exists() else template.creation_date
    for message in template:
        if not message.id:
            continue
        old = previous.get((message.context, message.id))
        flags = [flag for flag in (old.flags if old else ()) if flag in (REVIEWED, "fuzzy")]
        string = old.string if old else ("",) * fresh.num_plurals if message.pluralizable else ""
        fresh.add(message.id, string, locations=message.locations, flags=flags, context=message.context)
    return fresh


@dataclass(frozen=True)
class ImportResult:
    translated: int  # strings whose translation was taken from the file
    reviewed: int  # strings now marked reviewed
    unknown: int  # strings of the file the catalogue does not have (English changed since export)


def import_catalogue(source: Path, target: Path, language: str, *, reviewed: bool) -> ImportResult:
    """Take a translator's (or reviewer's) PO file into the catalogue at ``target``.

    Only strings the catalogue has are taken; with ``reviewed`` every translated string of the
    file is marked reviewed, otherwise a string whose translation changed loses its mark.
    """
    incoming = read_catalogue(source, language)
    catalog = read_catalogue(target, language)
    taken = marked = unknown = 0
    for message in incoming:
        if not message.id or not _translated(message):
            continue
        current = catalog.get(message.id, context=message.context)
        if current is None:
            unknown += 1
            continue
        if current.string != message.string:
            current.string = message.string
            current.flags.discard(REVIEWED)
            taken += 1
        current.flags.discard("fuzzy")
        if reviewed:
            current.flags.add(REVIEWED)
            marked += 1
    write_catalogue(catalog, target)
    return ImportResult(taken, marked, unknown)


def mark_reviewed(path: Path, language: str, contexts: Mapping[str, object] | None = None) -> int:
    """Mark every translated string (or those whose msgid/context is in ``contexts``) reviewed."""
    catalog = read_catalogue(path, language)
    count = 0
    for message in catalog:
        if not message.id or not _translated(message):
            continue
        if contexts is not None and (message.context or str(message.id)) not in contexts:
            continue
        message.flags.add(REVIEWED)
        count += 1
    write_catalogue(catalog, path)
    return count
