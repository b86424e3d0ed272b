"""Editors change the knowledge base in the web: resources, practices, measure texts, country profiles.

Every change is checked with the same pydantic models as the YAML files (plus the links
the loader checks: topics, measures, countries), rich text is cleaned with nh3, the change is
recorded in ``content_edits`` (who, when, before, after), and the search index follows at once.
The caller commits.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.editorial import MEASURE_TEXTS, MeasureText
from app.core.errors import N_, CtsatError, NotFound, PermissionDenied
from app.core.library import Country as CountryProfile
from app.core.library import Library, Practice, Resource
from app.models import ContentEdit, Country, LibraryEntry, User
from app.services.catalog import get_library, latest_questionnaire
from app.services.rich_text import clean_html
from app.services.search import index_entry

EDITOR_ROLES = frozenset({"editor", "admin"})
ENTRY_MODELS: dict[str, type[Resource] | type[Practice]] = {"resources": Resource, "practices": Practice}
RICH_FIELDS = {"resources": ("summary",), "practices": ("description",)}
URL_FIELDS = ("url", "source_url")
PYDANTIC_CODES = {
    "missing": "missing",
    "literal_error": "choice",
    "string_pattern_mismatch": "pattern",
    "int_parsing": "number",
    "int_from_float": "number",
    "greater_than_equal": "range",
    "less_than_equal": "range",
}
INDEX_KINDS = {"resources": "resource", "practices": "practice", "countries": "country", MEASURE_TEXTS: "measure"}


@dataclass(frozen=True)
class FieldError:
    field: str  # a form field name ("title", "laws" ...), or "" for the whole form
    code: str  # "missing", "invalid", "choice", "unknown", "taken", "url", "empty" ...
    detail: str = ""
    where: tuple[str | int, ...] = ()  # inside a list field: (index, key)


class EntryInvalid(CtsatError):
    """The entry breaks the knowledge base's rules; nothing was saved."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{error.field}: {error.code} {error.detail}" for error in errors))


@dataclass(frozen=True)
class EditRecord:
    when: datetime
    who: str | None
    source: str
    changed: tuple[str, ...]


def can_edit_content(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.active and user.role in EDITOR_ROLES)


def require_editor(user: User) -> None:
    if not can_edit_content(user):
        raise PermissionDenied(N_("Only content editors can change the knowledge base."))


# ---------------------------------------------------------------------------- validation


def validation_errors(error: ValidationError) -> list[FieldError]:
    found = []
    for detail in error.errors():
        location = detail["loc"]
        field = str(location[0]) if location else ""
        code = PYDANTIC_CODES.get(detail["type"], "invalid")
        shown = str(detail.get("input")) if code == "pattern" else detail["msg"]
        found.append(FieldError(field, code, shown, tuple(location[1:])))
    return found


def check_url(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.startswith(("https://", "http://")))


def _validated(model: type[BaseModel], data: dict[str, Any]) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise EntryInvalid(validation_errors(error)) from None


def _link_errors(session: Session, entry: Resource | Practice) -> list[FieldError]:
    """The links the loader checks: topics, measures, countries and web addresses."""
    library = get_library(session)
    tags = {tag.id for tag in library.tags}
    measures = set(latest_questionnaire(session).measures)
    errors = [FieldError("tags", "unknown", tag) for tag in entry.tags if tags and tag not in tags]
    errors += [FieldError("measures", "unknown", measure) for measure in entry.measures if measure not in measures]
    if (
        isinstance(entry, Practice)
        and entry.country
        and entry.country not in library.country_names
        and not entry.country_name
    ):
        errors.append(FieldError("country", "unknown", entry.country))
    errors += [FieldError(name, "url") for name in URL_FIELDS if not check_url(getattr(entry, name, None))]
    return errors


def _cleaned(text: str) -> str:
    """Markup through nh3; plain text as it is (it is escaped wherever it is shown)."""
    text = text.replace("\r\n", "\n")
    return clean_html(text) if "<" in text else text.strip()


def _clean_rich(data: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    cleaned = dict(data)
    for name in fields:
        value = cleaned.get(name)
        if isinstance(value, str):
            value = {"en": value}
        if isinstance(value, dict):
            cleaned[name] = {lang: _cleaned(text) for lang, text in value.items() if isinstance(text, str) and text}
    return cleaned


# ---------------------------------------------------------------------------- audit


def record_edit(
    session: Session,
    user: User | None,
    kind: str,
    key: str,
    before: dict[str, Any] | None,
    after: dict[str, Any],
    source: str = "web",
) -> None:
    session.add(
        ContentEdit(kind=kind, key=key, source=source, user_id=user.id if user else None, before=before, after=after)
    )


def history(session: Session, kind: str, key: str, limit: int = 50) -> list[EditRecord]:
    """The entry's changes, newest first, with the fields each one changed."""
    rows = session.execute(
        select(ContentEdit, User.name)
        .outerjoin(User, User.id == ContentEdit.user_id)
        .filter(ContentEdit.kind == kind, ContentEdit.key == key)
        .order_by(ContentEdit.created_at.desc(), ContentEdit.id.desc())
        .limit(limit)
    ).all()
    return [
        EditRecord(edit.created_at, name, edit.source, changed_fields(edit.before, edit.after)) for edit, name in rows
    ]


def changed_fields(before: dict[str, Any] | None, after: dict[str, Any]) -> tuple[str, ...]:
    if before is None:  # created: every field is new
        return ()
    return tuple(name for name in dict.fromkeys([*after, *before]) if before.get(name) != after.get(name))


def _after_save(session: Session, user: User, kind: str, key: str, before: dict[str, Any] | None, after: Any) -> None:
    record_edit(session, user, kind, key, before, after)
    session.flush()
    index_entry(session, INDEX_KINDS[kind], key)


# ---------------------------------------------------------------------------- resources and practices


def entry_data(session: Session, kind: str, key: str) -> dict[str, Any]:
    row = session.scalars(select(LibraryEntry).filter_by(kind=kind, key=key)).one_or_none()
    if row is None or kind not in ENTRY_MODELS:
        raise NotFound(f"{kind} {key}")
    return dict(row.data)


# Fields the web forms do not show: a save keeps what the files gave them.
KEPT_FIELDS: dict[str, tuple[str, ...]] = {
    "resources": ("note",),
    "practices": ("country_name", "note"),
    "countries": ("treaties",),
}


def _kept_fields(session: Session, kind: str, key: str) -> dict[str, Any]:
    row = session.scalars(select(LibraryEntry).filter_by(kind=kind, key=key)).one_or_none()
    stored = dict(row.data) if row is not None else {}
    return {name: stored[name] for name in KEPT_FIELDS.get(kind, ()) if name in stored}


def save_entry(session: Session, user: User, kind: str, key: str | None, data: dict[str, Any]) -> str:
    """Create (``key`` None) or change a resource or practice; returns its id."""
    require_editor(user)
    model = ENTRY_MODELS.get(kind)
    if model is None:
        raise NotFound(kind)
    data = _clean_rich({**data, "id": key or data.get("id")}, RICH_FIELDS[kind])
    if key is not None:
        data = {**_kept_fields(session, kind, key), **data}
    entry = _validated(model, data)
    errors = _link_errors(session, entry)
    row = session.scalars(select(LibraryEntry).filter_by(kind=kind, key=entry.id)).one_or_none()
    if key is None and row is not None:
        errors.insert(0, FieldError("id", "taken", entry.id))
    if key is not None and row is None:
        raise NotFound(f"{kind} {key}")
    if errors:
        raise EntryInvalid(errors)
    after = entry.model_dump(mode="json")
    before = dict(row.data) if row is not None else None
    if before == after:
        return str(entry.id)
    if row is None:
        session.add(LibraryEntry(kind=kind, key=entry.id, data=after))
    else:
        row.data = after
    _after_save(session, user, kind, entry.id, before, after)
    return str(entry.id)


# ---------------------------------------------------------------------------- measure texts


def measure_text(session: Session, measure_id: str) -> MeasureText | None:
    """What editors wrote for the measure (shown in preference to the questionnaire's text)."""
    data = session.scalars(select(LibraryEntry.data).filter_by(kind=MEASURE_TEXTS, key=measure_id)).one_or_none()
    if data is None:
        return None
    try:
        return MeasureText.model_validate(data)
    except ValidationError:
        return None


def save_measure_text(session: Session, user: User, measure_id: str, policy_measures: str, methodology: str) -> None:
    """Set the English policy measures and methodology of a measure (other languages are kept)."""
    require_editor(user)
    if measure_id not in latest_questionnaire(session).measures:
        raise NotFound(f"measure {measure_id}")
    row = session.scalars(select(LibraryEntry).filter_by(kind=MEASURE_TEXTS, key=measure_id)).one_or_none()
    before = dict(row.data) if row is not None else None
    current = MeasureText.model_validate(before) if before else MeasureText(measure=measure_id)
    texts = {"policy_measures": policy_measures, "methodology": methodology}
    changes = {name: _with_english(getattr(current, name), _cleaned(text)) for name, text in texts.items()}
    after = current.model_copy(update=changes).model_dump(mode="json")
    if before == after:
        return
    if row is None:
        session.add(LibraryEntry(kind=MEASURE_TEXTS, key=measure_id, data=after))
    else:
        row.data = after
    _after_save(session, user, MEASURE_TEXTS, measure_id, before, after)


def _with_english(text: dict[str, str], english: str) -> dict[str, str]:
    changed = {**text, "en": english}
    return {lang: value for lang, value in changed.items() if value}


# ---------------------------------------------------------------------------- country profiles


def country_row(session: Session, code: str) -> Country:
    row = session.get(Country, code.upper())
    if row is None:
        raise NotFound(f"country {code}")
    return row


def country_profile(row: Country) -> CountryProfile:
    """The row's profile as a core object (a bare one for a country loaded without a profile)."""
    try:
        return CountryProfile.model_validate(row.profile or {})
    except ValidationError:
        return CountryProfile(
            code=row.code, name=row.name, kind="organisation" if row.kind == "organisation" else "state"
        )


def profile_errors(profile: CountryProfile) -> list[FieldError]:
    return [
        FieldError(section, "url", entry.url or "", (index, "url"))
        for section in ("laws", "action_plans", "sops", "mous")
        for index, entry in enumerate(getattr(profile, section))
        if not check_url(entry.url)
    ]


def write_profile(session: Session, user: User, row: Country, profile: CountryProfile, source: str = "web") -> bool:
    """Store ``profile`` on the row (name, kind, subregion follow it), audited; False if nothing changed."""
    before = dict(row.profile) if row.profile else None
    after = profile.model_dump(mode="json")
    if before == after:
        return False
    row.profile = after
    row.name, row.kind, row.subregion = profile.name, profile.kind, profile.subregion
    record_edit(session, user, "countries", row.code, before, after, source)
    session.flush()
    index_entry(session, "country", row.code)
    return True


def save_country(session: Session, user: User, code: str, data: dict[str, Any]) -> None:
    require_editor(user)
    row = country_row(session, code)
    stored = dict(row.profile) if row.profile else {}
    kept = {name: stored[name] for name in KEPT_FIELDS["countries"] if name in stored and name not in data}
    profile = _validated(CountryProfile, {**kept, **data, "code": row.code})
    errors = profile_errors(profile)
    if errors:
        raise EntryInvalid(errors)
    write_profile(session, user, row, profile)


@dataclass(frozen=True)
class PublicExtras:
    """What the public pages show beside the library: measure texts, when each profile changed."""

    measure_texts: dict[str, MeasureText]
    country_updated: dict[str, datetime]


_extras_lock = threading.Lock()
_extras: tuple[Library, PublicExtras] | None = None


def public_extras(session: Session, library: Library) -> PublicExtras:
    """Read once per library object the catalogue hands out (it changes with every edit)."""
    global _extras
    cached = _extras
    if cached is not None and cached[0] is library:
        return cached[1]
    texts = {}
    for key, data in session.execute(select(LibraryEntry.key, LibraryEntry.data).filter_by(kind=MEASURE_TEXTS)):
        try:
            texts[key] = MeasureText.model_validate(data)
        except ValidationError:
            continue
    updated = {code: when for code, when in session.execute(select(Country.code, Country.updated_at))}
    extras = PublicExtras(texts, updated)
    with _extras_lock:
        _extras = (library, extras)
    return extras
