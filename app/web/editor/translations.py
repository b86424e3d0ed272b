"""Reviewers' page: each language's catalogues (strings, translated, reviewed), a reviewed PO file
taken in, and a whole catalogue marked reviewed. Editors and administrators only."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField

from app.core.errors import N_, PermissionDenied
from app.services import editorial
from app.services.translation_review import CatalogueFileError, import_reviewed, review_whole
from app.web.database import db
from app.web.errors import describe
from app.web.extensions import login_manager
from app.web.translation_state import catalogues, current_drafts, refresh_interface

blueprint = Blueprint("translations", __name__, url_prefix="/editor/translations")


class ReviewedFileForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF ships no type hints
    catalogue = HiddenField()
    file = FileField(_l("Reviewed PO file"), validators=[FileRequired(_l("Choose the file to upload."))])


class MarkReviewedForm(FlaskForm):  # type: ignore[misc]
    catalogue = HiddenField()


@blueprint.before_request
def reviewers_only() -> ResponseReturnValue | None:
    if not current_user.is_authenticated:
        response: ResponseReturnValue = login_manager.unauthorized()
        return response
    if not editorial.can_edit_content(current_user):
        raise PermissionDenied(N_("Only editors can review translations."))
    return None


def _translated_languages() -> list[tuple[str, str]]:
    return [(code, name) for code, name in current_app.config["LANGUAGE_CHOICES"] if code != "en"]


def _language_name(language: str) -> str:
    names = dict(_translated_languages())
    if language not in names:
        abort(404)
    return names[language]


@blueprint.get("/")
def index() -> ResponseReturnValue:
    found = catalogues()
    rows = [(code, name, found.statuses(code)) for code, name in _translated_languages()]
    return render_template("editor/translations.html", rows=rows, drafts=current_drafts())


def _language_page(language: str, status: int = 200, error: str = "") -> ResponseReturnValue:
    page = render_template(
        "editor/translation_language.html",
        language=language,
        name=_language_name(language),
        statuses=catalogues().statuses(language),
        upload=ReviewedFileForm(),
        mark=MarkReviewedForm(),
        draft=language in current_drafts(),
        error=error,
    )
    return page, status


@blueprint.get("/<language>")
def language_page(language: str) -> ResponseReturnValue:
    return _language_page(language)


def _catalogue(language: str, name: str | None) -> str:
    _language_name(language)
    if name not in catalogues().names():
        abort(400, _("Choose one of the language's catalogues."))
    return str(name)


@blueprint.post("/<language>/upload")
def upload(language: str) -> ResponseReturnValue:
    form = ReviewedFileForm()
    name = _catalogue(language, form.catalogue.data)
    if not form.validate_on_submit():
        problems = [str(message) for messages in form.errors.values() for message in messages]
        return _language_page(language, 400, " ".join(problems))
    session = db()
    try:
        result = import_reviewed(session, current_user, catalogues(), name, language, form.file.data.read())
    except CatalogueFileError as error:
        session.rollback()
        return _language_page(language, 400, describe(error))
    session.commit()
    refresh_interface()
    flash(
        _(
            "%(taken)s translation(s) taken, %(reviewed)s marked reviewed.",
            taken=result.translated,
            reviewed=result.reviewed,
        ),
        "info",
    )
    if result.unknown:
        flash(_("%(count)s string(s) of the file are no longer in the catalogue (the English changed): skipped.",
                count=result.unknown), "info")  # fmt: skip
    return redirect(url_for("translations.language_page", language=language), code=303)


@blueprint.post("/<language>/review")
def review(language: str) -> ResponseReturnValue:
    form = MarkReviewedForm()
    name = _catalogue(language, form.catalogue.data)
    if not form.validate_on_submit():
        abort(400)
    session = db()
    try:
        count = review_whole(session, current_user, catalogues(), name, language)
    except CatalogueFileError as error:
        session.rollback()
        return _language_page(language, 400, describe(error))
    session.commit()
    refresh_interface()
    flash(_("%(count)s string(s) marked reviewed.", count=count), "info")
    return redirect(url_for("translations.language_page", language=language), code=303)
