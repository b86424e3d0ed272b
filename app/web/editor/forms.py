"""Forms for editors and coordinators, and the translation between form fields and entry data.

List fields are typed comma-separated ("PROT-2, GOV-1"); a country profile's laws, action plans,
SOPs and MOUs one per line as ``title | year | link | note``. Rich text is English: the other
languages an entry has are kept as they are.
"""

from __future__ import annotations

from typing import Any, get_args

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, Form, FormField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.core.library import Resource
from app.services.country_updates import REASON_MAX
from app.services.editorial import FieldError

TOO_LONG = _l("This is too long.")
RESOURCE_TYPES: tuple[str, ...] = get_args(Resource.model_fields["type"].annotation)
ENTRY_LINE_HINT = _l("One per line: title | year | link to the document | note (year, link and note may be left out).")
RICH_HINT = _l(
    "Paragraphs and lists may use the HTML tags p, ul, ol, li, strong, em and a href; anything else is removed."
)


def _list(hint: Any = None) -> StringField:
    return StringField(description=hint or _l("Separate several with commas."), validators=[Optional()])


class EntryForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF ships no type hints
    """Fields shared by resources and practices (``id`` only when creating)."""

    LISTS: tuple[str, ...] = ()
    RICH: tuple[str, ...] = ()
    id = StringField(
        _l("Id"),
        description=_l("Lower-case letters, digits and hyphens, e.g. unodc-model-law-2009. It cannot change later."),
        validators=[Optional(), Length(max=120, message=TOO_LONG)],
    )
    title = StringField(_l("Title"), validators=[DataRequired(_l("Enter a title.")), Length(max=500)])
    year = StringField(_l("Year"), validators=[Optional(), Length(max=4)])
    measures = _list(_l("Measure ids, e.g. PROT-2, GOV-1. Separate several with commas."))
    tags = _list(_l("Topic ids from the topic vocabulary, e.g. legislation, children."))
    unverified = _list(_l("Names of fields that could not be checked against a public source, e.g. url, year."))


class ResourceForm(EntryForm):
    LISTS = ("languages", "pillars", "measures", "tags", "unverified")
    RICH = ("summary",)
    publisher = StringField(_l("Publisher"), validators=[DataRequired(_l("Enter the publisher.")), Length(max=300)])
    type = SelectField(_l("Type"), choices=list(RESOURCE_TYPES))
    languages = _list(_l("Language codes, e.g. en, fr, th."))
    url = StringField(_l("Link"), validators=[Optional(), Length(max=1000)])
    part = StringField(_l("Part"), description=_l("A chapter or section, if the resource is part of a larger work."))
    pillars = _list(_l("Pillar ids, e.g. protection, prosecution."))
    summary = TextAreaField(_l("Summary"), description=RICH_HINT, render_kw={"rows": 8})
    ORDER = ("id", "title", "publisher", "year", "type", "languages", "url", "part", "pillars", "measures", "tags")


class PracticeForm(EntryForm):
    LISTS = ("measures", "tags", "unverified")
    RICH = ("description",)
    country = StringField(_l("Country"), description=_l("Three-letter code, e.g. THA."), validators=[Optional()])
    region = StringField(_l("Region"), description=_l("For a regional practice, instead of a country."))
    description = TextAreaField(_l("Description"), description=RICH_HINT, render_kw={"rows": 10})
    source = StringField(_l("Source"), validators=[DataRequired(_l("Enter the source.")), Length(max=500)])
    source_url = StringField(_l("Link to the source"), validators=[Optional(), Length(max=1000)])
    ORDER = ("id", "title", "country", "region", "year", "measures", "tags", "source", "source_url")


class MeasureTextForm(FlaskForm):  # type: ignore[misc]
    policy_measures = TextAreaField(_l("Policy measures"), description=RICH_HINT, render_kw={"rows": 10})
    methodology = TextAreaField(_l("Implementation methodology"), description=RICH_HINT, render_kw={"rows": 10})


class CountryForm(FlaskForm):  # type: ignore[misc]
    LISTS = ("roles", "unverified")
    SECTIONS = ("laws", "action_plans", "sops", "mous")
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter the country's name.")), Length(max=200)])
    official_name = StringField(_l("Official name"), validators=[Optional(), Length(max=300)])
    native_name = StringField(_l("Name in its own language"), validators=[Optional(), Length(max=300)])
    kind = SelectField(_l("Kind"))  # choices set by the view (translated labels)
    subregion = StringField(_l("Subregion"), validators=[Optional(), Length(max=60)])
    roles = _list(_l("Any of origin, transit, destination."))
    coordinating_body = StringField(_l("Coordinating body"), validators=[Optional(), Length(max=500)])
    laws = TextAreaField(_l("National laws"), description=ENTRY_LINE_HINT, render_kw={"rows": 5})
    action_plans = TextAreaField(_l("National action plans"), description=ENTRY_LINE_HINT, render_kw={"rows": 4})
    sops = TextAreaField(
        _l("Standard operating procedures and referral mechanisms"), description=ENTRY_LINE_HINT, render_kw={"rows": 3}
    )
    mous = TextAreaField(_l("Memoranda of understanding"), description=ENTRY_LINE_HINT, render_kw={"rows": 3})
    unverified = _list(_l("Names of fields that could not be checked, e.g. sops, mous."))
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=3000)], render_kw={"rows": 4})


class ProposedEntryForm(Form):  # type: ignore[misc]
    title = StringField(_l("Title"), validators=[Optional(), Length(max=500, message=TOO_LONG)])
    year = StringField(_l("Year"), validators=[Optional(), Length(max=4, message=TOO_LONG)])
    url = StringField(
        _l("Link to the document"),
        description=_l("An address starting with https://"),
        validators=[Optional(), Length(max=1000, message=TOO_LONG)],
    )
    note = StringField(_l("Note"), validators=[Optional(), Length(max=1000, message=TOO_LONG)])


class ProposedPlanForm(ProposedEntryForm):
    year = StringField(_l("First year"), validators=[Optional(), Length(max=4, message=TOO_LONG)])
    note = StringField(
        _l("Note"),
        description=_l("The period it covers, e.g. 2023–2027, and anything else the editor should know."),
        validators=[Optional(), Length(max=1000, message=TOO_LONG)],
    )


class ProposalForm(FlaskForm):  # type: ignore[misc]
    SECTIONS = ("laws", "action_plans", "sops", "mous")
    laws = FormField(ProposedEntryForm, label=_l("A new law"))
    action_plans = FormField(ProposedPlanForm, label=_l("A new national action plan"))
    sops = FormField(ProposedEntryForm, label=_l("New standard operating procedures or a national referral mechanism"))
    mous = FormField(ProposedEntryForm, label=_l("A new memorandum of understanding"))
    coordinating_body = StringField(
        _l("Coordinating body"),
        description=_l("The national body that coordinates the response, if it changed."),
        validators=[Optional(), Length(max=500, message=TOO_LONG)],
    )
    comment = TextAreaField(
        _l("Note for the editor"), validators=[Optional(), Length(max=2000, message=TOO_LONG)], render_kw={"rows": 3}
    )


class ApproveForm(FlaskForm):  # type: ignore[misc]
    """Only the CSRF token."""


class RejectForm(FlaskForm):  # type: ignore[misc]
    reason = TextAreaField(
        _l("Reason for rejecting"),
        description=_l("The coordinator will read it."),
        validators=[DataRequired(_l("Give a reason: the coordinator will read it.")), Length(max=REASON_MAX)],
        render_kw={"rows": 3},
    )


# ---------------------------------------------------------------------------- form ↔ data


def split_list(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def _blank_none(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def entry_lines(entries: list[dict[str, Any]]) -> str:
    lines = []
    for entry in entries:
        parts = [str(entry.get(name) or "") for name in ("title", "year", "url", "note")]
        lines.append(" | ".join(parts).rstrip(" |"))
    return "\n".join(lines)


def parse_entry_lines(text: str | None) -> tuple[list[dict[str, Any]], list[str]]:
    """Entries from ``title | year | link | note`` lines, and the problems found (by line)."""
    entries, problems = [], []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        title, year, url, note = [*(part.strip() for part in line.split("|", 3)), "", "", ""][:4]
        if not title:
            problems.append(_("Line %(line)s: a title is needed.", line=number))
            continue
        entry: dict[str, Any] = {"title": title, "year": year or None, "url": url or None, "note": note or None}
        entries.append({key: value for key, value in entry.items() if value is not None})
    return entries, problems


def form_data(form: FlaskForm, names: tuple[str, ...], existing: dict[str, Any]) -> dict[str, Any]:
    """Entry data from the form: lists split, empty texts left out, rich text as English."""
    data: dict[str, Any] = {}
    for name in names:
        value = getattr(form, name).data
        if name in getattr(form, "LISTS", ()):
            data[name] = split_list(value)
        elif name in getattr(form, "RICH", ()):
            others = {lang: text for lang, text in (existing.get(name) or {}).items() if lang != "en"}
            data[name] = {**others, "en": (value or "").strip()} if (value or "").strip() else others
        elif _blank_none(value) is not None:
            data[name] = value.strip()
    return data


def fill_form(form: FlaskForm, data: dict[str, Any], names: tuple[str, ...]) -> None:
    for name in names:
        value = data.get(name)
        field = getattr(form, name)
        if name in getattr(form, "LISTS", ()):
            field.data = ", ".join(value or [])
        elif name in getattr(form, "SECTIONS", ()):
            field.data = entry_lines(value or [])
        elif isinstance(value, dict):
            field.data = value.get("en", "")
        else:
            field.data = "" if value is None else str(value)


def error_message(error: FieldError) -> str:
    messages: dict[str, str] = {
        "missing": _("This is required."),
        "choice": _("Choose one of the listed values."),
        "taken": _("This id is already used: choose another."),
        "url": _("Enter an address starting with https:// or http://."),
        "empty": _("Nothing was proposed: fill in at least one section."),
        "too_long": _("This is too long."),
        "number": _("Enter a whole number, e.g. a year like 2019."),
        "range": _("This is out of range."),
    }
    if error.code == "unknown":
        return str(_("Not known here: %(value)s.", value=error.detail))
    if error.code == "pattern":
        return str(_("Not in the expected form: %(value)s.", value=error.detail))
    if error.code in messages:
        return messages[error.code]
    where = " ".join(str(part + 1) if isinstance(part, int) else part for part in error.where)
    return f"{where}: {error.detail}" if where else error.detail


def show_errors(form: FlaskForm, errors: list[FieldError]) -> None:
    """Attach each error to its field (or a sub-field, or the form as a whole)."""
    for error in errors:
        field: Any = getattr(form, error.field, None) if error.field else None
        if isinstance(field, FormField) and error.where and isinstance(error.where[-1], str):
            field = getattr(field.form, error.where[-1], None)
            error = FieldError(error.field, error.code, error.detail)
        if isinstance(field, Field):
            field.errors = [*field.errors, error_message(error)]
        else:
            form.form_errors.append(error_message(error))
