"""Reviewers' work in the app: each language's catalogue status, a reviewed PO file taken in,
a whole catalogue marked reviewed, and which languages are still drafts.

The same rules as ``ctsat translations import --reviewed`` and ``ctsat translations review``
(``app.services.translations``), plus the checks a file uploaded through a browser needs: it
must be a readable PO file, for this language, for this catalogue, with the English's
placeholders. Every change is recorded as a content edit (kind ``translations``).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError
from sqlalchemy.orm import Session

from app.core.errors import N_, CtsatError
from app.core.loader import find_questionnaires, library_folder_for
from app.models import ContentEdit, User
from app.services.translations import (
    CatalogueStatus,
    ImportResult,
    catalogue_status,
    import_catalogue,
    interface_catalogue,
    library_catalogue,
    mark_reviewed,
    questionnaire_catalogue,
    read_catalogue,
)

INTERFACE = "interface"
LIBRARY = "library"
AUDIT_KIND = "translations"
SHOWN_PROBLEMS = 3


class CatalogueFileError(CtsatError):
    """An uploaded file that is not a usable PO file for the catalogue it was sent for."""


@dataclass(frozen=True)
class Catalogues:
    """Where the catalogues live: the interface's root and each questionnaire folder by its name."""

    interface_root: Path
    questionnaires: dict[str, Path]
    library: Path | None = None

    @classmethod
    def found(cls, interface_root: Path, questionnaires_root: Path) -> Catalogues:
        folders = [path for path in find_questionnaires(questionnaires_root) if path.is_dir()]
        library = library_folder_for(questionnaires_root) if questionnaires_root.is_dir() else None
        return cls(interface_root, {folder.name: folder for folder in folders}, library)

    def names(self) -> list[str]:
        return [INTERFACE, *self.questionnaires, *([LIBRARY] if self.library else [])]

    def path(self, name: str, language: str) -> Path:
        if name == INTERFACE:
            return interface_catalogue(self.interface_root, language)
        if name == LIBRARY and self.library is not None:
            return library_catalogue(self.library, language)
        if name not in self.questionnaires:
            raise KeyError(name)
        return questionnaire_catalogue(self.questionnaires[name], language)

    def statuses(self, language: str) -> list[CatalogueStatus]:
        return [catalogue_status(self.path(name, language), name, language) for name in self.names()]

    def files(self, languages: Iterable[str]) -> list[Path]:
        return [self.path(name, language) for language in languages for name in self.names()]


# ---------------------------------------------------------------------------- draft languages

_statuses: dict[tuple[str, int], CatalogueStatus] = {}  # (file, its mtime) → status: a change re-reads one file


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:
        return 0


def _status(catalogues: Catalogues, name: str, language: str) -> CatalogueStatus:
    path = catalogues.path(name, language)
    key = (str(path), _mtime(path))
    if key not in _statuses:
        for stale in [known for known in _statuses if known[0] == key[0]]:
            del _statuses[stale]
        _statuses[key] = catalogue_status(path, name, language)
    return _statuses[key]


def draft_languages(catalogues: Catalogues, languages: Iterable[str]) -> frozenset[str]:
    """Languages with a translated string no reviewer approved, in any of their catalogues.

    Read from the files (each re-read only when it changed), so every worker sees a review at once.
    """
    return frozenset(
        language
        for language in languages
        if any(_status(catalogues, name, language).draft for name in catalogues.names())
    )


# ---------------------------------------------------------------------------- checking a file


def _read_upload(data: bytes, language: str) -> Catalog:
    if not data.strip():
        raise CatalogueFileError(N_("The file is empty. Choose the PO file the reviewer sent back."))
    with tempfile.NamedTemporaryFile("wb", suffix=".po", delete=False) as handle:
        handle.write(data)
    try:
        return read_catalogue(Path(handle.name), language)
    except (PoFileError, UnicodeDecodeError, ValueError) as error:
        raise CatalogueFileError(
            N_("This is not a readable PO file (%(problem)s). Send the .po file as Poedit or Weblate saved it."),
            problem=str(error).splitlines()[0][:160] if str(error) else type(error).__name__,
        ) from error
    finally:
        os.unlink(handle.name)


def _check_language(incoming: Catalog, language: str) -> None:
    declared = incoming.locale_identifier if incoming.locale is not None else ""
    stated = (incoming.mime_headers and dict(incoming.mime_headers).get("Language")) or declared
    if stated and str(stated).replace("-", "_").split("_")[0] != language:
        raise CatalogueFileError(
            N_("The file is for the language “%(found)s”, not “%(language)s”."), found=stated, language=language
        )


def _check_placeholders(incoming: Catalog) -> None:
    problems = []
    for message in incoming:
        if message.id and message.string and message.check(incoming):
            problems.append(str(message.id if isinstance(message.id, str) else message.id[0])[:60])
    if problems:
        raise CatalogueFileError(
            N_("%(count)s translation(s) lose a placeholder of the English (the names in %%(…)s): “%(first)s”."),
            count=len(problems),
            first="”, “".join(problems[:SHOWN_PROBLEMS]),
        )


def _check_belongs(incoming: Catalog, target: Catalog) -> None:
    ids = [(message.id, message.context) for message in incoming if message.id and message.string]
    if not ids:
        raise CatalogueFileError(N_("The file holds no translated string."))
    if not any(target.get(msgid, context=context) is not None for msgid, context in ids):
        raise CatalogueFileError(
            N_("None of the file's strings is in this catalogue: is it the file of another catalogue?")
        )


# ---------------------------------------------------------------------------- changes


def _audit(
    session: Session, user: User, key: str, before: CatalogueStatus, after: CatalogueStatus, action: str
) -> None:
    session.add(
        ContentEdit(
            kind=AUDIT_KIND,
            key=key,
            source="web",
            user_id=user.id,
            before=asdict(before),
            after={**asdict(after), "action": action},
        )
    )


def import_reviewed(
    session: Session, user: User, catalogues: Catalogues, name: str, language: str, data: bytes
) -> ImportResult:
    """Take a reviewer's PO file (as ``ctsat translations import --reviewed``), after checking it."""
    target = catalogues.path(name, language)
    if not target.exists():
        raise CatalogueFileError(N_("This catalogue has no file yet: run `ctsat translations export` first."))
    incoming = _read_upload(data, language)
    _check_language(incoming, language)
    _check_placeholders(incoming)
    _check_belongs(incoming, read_catalogue(target, language))
    before = catalogue_status(target, name, language)
    with tempfile.NamedTemporaryFile("wb", suffix=".po", delete=False) as handle:
        handle.write(data)
    try:
        result = import_catalogue(Path(handle.name), target, language, reviewed=True)
    finally:
        os.unlink(handle.name)
    _audit(session, user, f"{language}/{name}", before, catalogue_status(target, name, language), "import_reviewed")
    return result


def review_whole(session: Session, user: User, catalogues: Catalogues, name: str, language: str) -> int:
    """Mark every translated string of the catalogue reviewed (as ``ctsat translations review``)."""
    target = catalogues.path(name, language)
    if not target.exists():
        raise CatalogueFileError(N_("This catalogue has no file yet: run `ctsat translations export` first."))
    before = catalogue_status(target, name, language)
    count = mark_reviewed(target, language)
    _audit(session, user, f"{language}/{name}", before, catalogue_status(target, name, language), "review")
    return count
