"""The whole knowledge base as YAML files, out and in, in the format of ``questionnaires/library/``.

``apply_library`` is the one way YAML reaches the database (``ctsat load`` and
``ctsat import-library`` both use it): it writes only what differs, records each change in
``content_edits``, and leaves alone an entry whose latest change was made in the web (an
editor's edit or an approved country update) unless ``force`` is given, naming it instead.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.editorial import MEASURE_TEXTS, MeasureText, read_measure_texts
from app.core.errors import QuestionnaireError
from app.core.library import LIBRARY_FILES, Library
from app.core.loader import read_library
from app.models import ContentEdit, Country, LibraryEntry
from app.services.catalog import get_library, latest_questionnaire
from app.services.editorial import record_edit
from app.services.search import reindex

WEB_SOURCES = ("web", "update")
HEADER = "# Exported from CTSAT. Same format as questionnaires/library/ (see questionnaires/README.md).\n"


@dataclass
class ApplyReport:
    added: list[str] = field(default_factory=list)  # "kind:key"
    changed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # edited in the web since: kept
    unchanged: int = 0

    @property
    def written(self) -> int:
        return len(self.added) + len(self.changed)


# ---------------------------------------------------------------------------- export


class _Dumper(yaml.SafeDumper):
    """Multi-line text as literal blocks, so exported files read like the hand-written ones."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def library_files(session: Session) -> dict[str, str]:
    """File name → YAML text for every library file, plus ``measure-texts.yaml``."""
    library = get_library(session)
    files = {}
    for kind in LIBRARY_FILES:
        entries = [entry.model_dump(mode="json", exclude_defaults=True) for entry in getattr(library, kind)]
        files[f"{kind}.yaml"] = _yaml(kind, entries)
    texts = [
        MeasureText.model_validate(data).model_dump(mode="json", exclude_defaults=True)
        for data in session.scalars(select(LibraryEntry.data).filter_by(kind=MEASURE_TEXTS).order_by(LibraryEntry.key))
    ]
    files[f"{MEASURE_TEXTS}.yaml"] = _yaml(MEASURE_TEXTS, texts)
    return files


def _yaml(kind: str, entries: list[dict[str, Any]]) -> str:
    body = yaml.dump({kind: entries}, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=110)
    return HEADER + body


def export_library(session: Session, folder: Path) -> dict[str, int]:
    """Write every library file into ``folder``; returns the number of entries per file."""
    folder.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name, text in library_files(session).items():
        (folder / name).write_text(text, encoding="utf-8")
        data = yaml.safe_load(text) or {}
        counts[name] = len(next(iter(data.values()), None) or [])
    return counts


def library_zip(session: Session) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in library_files(session).items():
            archive.writestr(f"library/{name}", text)
    return buffer.getvalue()


# ---------------------------------------------------------------------------- import


def read_library_folder(folder: Path, measure_ids: set[str] | None) -> tuple[Library, list[MeasureText]]:
    """Validate a library folder with the loader's own checks; raise with every problem."""
    library, problems = read_library(folder)
    texts, text_problems = read_measure_texts(folder / f"{MEASURE_TEXTS}.yaml", measure_ids)
    problems += text_problems
    if problems or library is None:
        raise QuestionnaireError(problems)
    return library, texts


def import_library(session: Session, folder: Path, force: bool = False) -> ApplyReport:
    """Validate ``folder`` and apply it (all or nothing); flushes and reindexes, does not commit."""
    library, texts = read_library_folder(folder, set(latest_questionnaire(session).measures))
    report = apply_library(session, library, texts, "import", force)
    reindex(session)
    return report


def web_edited(session: Session) -> set[tuple[str, str]]:
    """(kind, key) of the entries whose latest change was made in the web."""
    latest = select(func.max(ContentEdit.id)).group_by(ContentEdit.kind, ContentEdit.key).scalar_subquery()
    rows = session.execute(
        select(ContentEdit.kind, ContentEdit.key).filter(
            ContentEdit.id.in_(latest), ContentEdit.source.in_(WEB_SOURCES)
        )
    )
    return {(kind, key) for kind, key in rows}


def apply_library(
    session: Session, library: Library, texts: list[MeasureText], source: str, force: bool = False
) -> ApplyReport:
    """Write what differs from the database; keep entries edited in the web unless ``force``."""
    report = ApplyReport()
    protected = set() if force else web_edited(session)
    existing = {(entry.kind, entry.key): entry for entry in session.scalars(select(LibraryEntry))}
    wanted: list[tuple[str, str, dict[str, Any]]] = [
        (kind, value.id, value.model_dump(mode="json"))
        for kind in LIBRARY_FILES
        if kind != "countries"
        for value in getattr(library, kind)
    ]
    wanted += [(MEASURE_TEXTS, text.measure, text.model_dump(mode="json")) for text in texts]
    for kind, key, data in wanted:
        row = existing.get((kind, key))
        before = dict(row.data) if row is not None else None
        if not _decide(report, kind, key, before, data, protected):
            continue
        if row is None:
            session.add(LibraryEntry(kind=kind, key=key, data=data))
        else:
            row.data = data
        record_edit(session, None, kind, key, before, data, source)
    _apply_countries(session, library, source, protected, report)
    session.flush()
    return report


def _decide(
    report: ApplyReport,
    kind: str,
    key: str,
    before: dict[str, Any] | None,
    after: dict[str, Any],
    protected: set[tuple[str, str]],
) -> bool:
    """Whether to write the entry, noting the decision in the report."""
    name = f"{kind}:{key}"
    if before == after:
        report.unchanged += 1
        return False
    if before is not None and (kind, key) in protected:
        report.skipped.append(name)
        return False
    (report.added if before is None else report.changed).append(name)
    return True


def _apply_countries(
    session: Session, library: Library, source: str, protected: set[tuple[str, str]], report: ApplyReport
) -> None:
    countries = {country.code: country for country in session.scalars(select(Country))}
    for profile in library.countries:
        data = profile.model_dump(mode="json")
        row = countries.get(profile.code)
        before = dict(row.profile) if row is not None and row.profile else None
        if not _decide(report, "countries", profile.code, before, data, protected):
            continue
        if row is None:
            session.add(
                Country(
                    code=profile.code, name=profile.name, kind=profile.kind, subregion=profile.subregion, profile=data
                )
            )
        else:
            row.name, row.kind, row.subregion, row.profile = profile.name, profile.kind, profile.subregion, data
        record_edit(session, None, "countries", profile.code, before, data, source)
