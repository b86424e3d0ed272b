"""Readable, translated names for search facets and their values."""

from __future__ import annotations

from collections.abc import Iterable

from babel import Locale, UnknownLocaleError
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.countries import country_labels
from app.core.errors import NotFound
from app.core.questionnaire import localise
from app.models import Country
from app.services.catalog import latest_questionnaire
from app.services.search import FacetValue
from app.web.country_names import reader_language


def facet_titles() -> dict[str, str]:
    return {
        "kind": _("Kind"),
        "pillar": _("Pillar"),
        "measure": _("Measure"),
        "type": _("Type"),
        "country": _("Country"),
        "year": _("Year"),
        "language": _("Language"),
    }


def kind_labels() -> dict[str, str]:
    return {
        "resource": _("Resource"),
        "practice": _("Good practice"),
        "measure": _("Measure"),
        "item": _("Item"),
        "instrument": _("Instrument"),
        "country": _("Country profile"),
        "indicators": _("Victim identification indicators"),
    }


def type_labels() -> dict[str, str]:
    return {
        "treaty": _("Treaty"),
        "declaration": _("Declaration"),
        "model-law": _("Model law"),
        "toolkit": _("Toolkit"),
        "handbook": _("Handbook"),
        "guideline": _("Guideline"),
        "issue-brief": _("Issue brief"),
        "report": _("Report"),
        "training-manual": _("Training manual"),
        "policy-guide": _("Policy guide"),
        "indicators": _("Indicators"),
        "international": _("International instrument"),
        "regional": _("Regional instrument"),
        "state": _("Member state"),
        "organisation": _("Member organisation"),
    }


def value_labels(session: Session, counts: dict[str, list[FacetValue]]) -> dict[str, dict[str, str]]:
    """For each facet, value → label (values without a label show as they are)."""
    language = str(get_locale() or "en").split("_")[0]
    return {
        "kind": kind_labels(),
        "type": type_labels(),
        "language": _language_names(value.value for value in counts.get("language", [])),
        "country": _country_names(session, [value.value for value in counts.get("country", [])]),
        **_questionnaire_labels(session, language),
    }


def _questionnaire_labels(session: Session, language: str) -> dict[str, dict[str, str]]:
    try:
        questionnaire = latest_questionnaire(session)
    except NotFound:
        return {"pillar": {}, "measure": {}}
    return {
        "pillar": {pillar.id: localise(pillar.title, language) for pillar in questionnaire.pillars},
        "measure": {
            measure.id: f"{measure.id} {localise(measure.title, language)}"
            for measure in questionnaire.measures.values()
        },
    }


def _country_names(session: Session, codes: list[str]) -> dict[str, str]:
    if not codes:
        return {}
    rows = session.execute(select(Country.code, Country.name).where(Country.code.in_(codes)))
    return country_labels(((code, name) for code, name in rows), reader_language())


def _language_names(codes: Iterable[str]) -> dict[str, str]:
    locale = get_locale() or Locale("en")
    names: dict[str, str] = {}
    for code in codes:
        try:
            names[code] = str(locale.languages.get(code) or Locale.parse(code).get_display_name(locale) or code)
        except (ValueError, UnknownLocaleError):
            names[code] = code
    return names
