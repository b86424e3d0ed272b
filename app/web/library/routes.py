"""The public resource centre. Anyone may read it; it never shows an assessment.

Every page is built from the cached questionnaire and library (``open_resource_centre``).
"""

from __future__ import annotations

from typing import Any

from babel import Locale, UnknownLocaleError
from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_login import current_user

from app.services import country_updates, editorial, indicator_pages
from app.services import library_pages as pages
from app.web.country_names import reader_language
from app.web.database import db
from app.web.library.tile_map import tile_map

blueprint = Blueprint("library", __name__)


def _render(template: str, status: int = 200, **context: Any) -> ResponseReturnValue:
    return render_template(f"library/{template}", **context), status


def public_home() -> ResponseReturnValue:
    """The resource centre's home; anonymous visitors see it at ``/`` (see ``main.home``)."""
    centre = pages.open_resource_centre(db())
    return _render("home.html", centre=centre, counts=pages.measure_counts(centre))


@blueprint.get("/resource-centre")
def home() -> ResponseReturnValue:
    return public_home()


@blueprint.get("/planning")
def planning() -> ResponseReturnValue:
    centre = pages.open_resource_centre(db())
    return _render("planning.html", centre=centre, challenges=pages.challenges_by_pillar(centre))


@blueprint.get("/challenges")
def challenges() -> ResponseReturnValue:
    centre = pages.open_resource_centre(db())
    return _render("challenges.html", centre=centre, groups=pages.challenges_by_pillar(centre))


@blueprint.get("/principles")
def principles() -> ResponseReturnValue:
    return _render("principles.html", centre=pages.open_resource_centre(db()))


@blueprint.get("/instruments")
def instruments() -> ResponseReturnValue:
    return _render("instruments.html", centre=pages.open_resource_centre(db()))


@blueprint.get("/policy")
def policy() -> ResponseReturnValue:
    centre = pages.open_resource_centre(db())
    return _render("policy.html", centre=centre, counts=pages.measure_counts(centre))


@blueprint.get("/policy/<pillar_id>")
def pillar(pillar_id: str) -> ResponseReturnValue:
    centre = pages.open_resource_centre(db())
    return _render("pillar.html", centre=centre, pillar=centre.pillar(pillar_id), counts=pages.measure_counts(centre))


@blueprint.get("/policy/measures/<measure_id>")
def measure(measure_id: str) -> ResponseReturnValue:
    centre = pages.open_resource_centre(db())
    if measure_id != measure_id.upper() and measure_id.upper() in centre.questionnaire.measures:
        return redirect(url_for(".measure", measure_id=measure_id.upper()), 301)
    texts = editorial.public_extras(db(), centre.library).measure_texts.get(measure_id)
    return _render("measure.html", centre=centre, page=pages.measure_page(centre, measure_id), texts=texts)


@blueprint.get("/resources")
def resources() -> ResponseReturnValue:
    centre = pages.open_resource_centre(db())
    return _render("resources.html", centre=centre, groups=pages.resources_by_type(centre))


@blueprint.get("/resources/<resource_id>")
def resource(resource_id: str) -> ResponseReturnValue:
    centre = pages.open_resource_centre(db())
    return _render("resource.html", centre=centre, resource=pages.resource(centre, resource_id))


@blueprint.get("/indicators")
def indicator_sets() -> ResponseReturnValue:
    centre = pages.open_resource_centre(db())
    return _render("indicators.html", centre=centre, sets=indicator_pages.indicator_sets(centre))


@blueprint.get("/indicators/<set_id>")
def indicator_set(set_id: str) -> ResponseReturnValue:
    centre = pages.open_resource_centre(db())
    found = indicator_pages.indicator_set(centre, set_id)
    return _render("indicators_set.html", centre=centre, indicator_set=found)


@blueprint.get("/practices")
def practices() -> ResponseReturnValue:
    centre = pages.open_resource_centre(db())
    query = pages.parse_practice_query(centre, request.args)
    return _render(
        "practices.html",
        status=400 if query.ignored else 200,
        centre=centre,
        query=query,
        found=pages.find_practices(centre, query, reader_language()),
        options=pages.practice_options(centre, reader_language()),
        regional=pages.REGIONAL,
    )


@blueprint.get("/practices/<practice_id>")
def practice(practice_id: str) -> ResponseReturnValue:
    centre = pages.open_resource_centre(db())
    return _render("practice.html", centre=centre, practice=pages.practice(centre, practice_id))


@blueprint.get("/countries")
def countries() -> ResponseReturnValue:
    centre = pages.open_resource_centre(db())
    groups = pages.subregions(centre, reader_language())
    return _render("countries.html", centre=centre, groups=groups, tiles=tile_map(groups))


@blueprint.get("/countries/<code>")
def country(code: str) -> ResponseReturnValue:
    centre = pages.open_resource_centre(db())
    if code != code.upper() and code.upper() in centre.countries:
        return redirect(url_for(".country", code=code.upper()), 301)
    return _render(
        "country.html",
        centre=centre,
        country=pages.country(centre, code),
        sections=pages.PROFILE_SECTIONS,
        updated_at=editorial.public_extras(db(), centre.library).country_updated.get(code.upper()),
        can_propose=country_updates.can_propose(current_user, code),
    )


@blueprint.get("/sitemap")
def sitemap() -> ResponseReturnValue:
    centre = pages.open_resource_centre(db())
    return _render(
        "sitemap.html",
        centre=centre,
        resource_groups=pages.resources_by_type(centre),
        practices=pages.find_practices(centre, pages.PracticeQuery(), reader_language()),
        groups=pages.subregions(centre, reader_language()),
    )


@blueprint.get("/sitemap.xml")
def sitemap_xml() -> ResponseReturnValue:
    centre = pages.open_resource_centre(db())
    body = render_template("library/sitemap.xml", centre=centre)
    return body, 200, {"Content-Type": "application/xml; charset=utf-8"}


@blueprint.app_template_filter("language_name")
def language_name(code: str) -> str:
    """``fr`` → "French" in the reader's language; unknown codes stay as they are."""
    locale = get_locale() or Locale("en")
    try:
        return str(locale.languages.get(code) or Locale.parse(code).get_display_name(locale) or code)
    except (ValueError, UnknownLocaleError):
        return code
