"""The editor area: resources, practices, measure texts and country profiles, the review queue
of country updates, and the knowledge base as a download. Editors and administrators only."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.core.errors import N_, ConflictError, PermissionDenied
from app.services import country_updates, editorial
from app.services import library_pages as pages
from app.services.library_files import library_zip
from app.web import notify
from app.web.admin.forms import kind_labels
from app.web.country_names import country_label
from app.web.database import db
from app.web.editor.forms import (
    ApproveForm,
    CountryForm,
    EntryForm,
    MeasureTextForm,
    PracticeForm,
    RejectForm,
    ResourceForm,
    fill_form,
    form_data,
    parse_entry_lines,
    show_errors,
)
from app.web.extensions import login_manager

blueprint = Blueprint("editor", __name__, url_prefix="/editor")
ENTRY_FORMS: dict[str, type[EntryForm]] = {"resources": ResourceForm, "practices": PracticeForm}
COUNTRY_FIELDS = ("name", "official_name", "native_name", "kind", "subregion", "roles", "coordinating_body")
COUNTRY_TAIL = ("unverified", "notes")


@blueprint.before_request
def editors_only() -> ResponseReturnValue | None:
    """Anonymous visitors are sent to sign in; signed-in users other than editors and admins get 403."""
    if not current_user.is_authenticated:
        response: ResponseReturnValue = login_manager.unauthorized()
        return response
    if not editorial.can_edit_content(current_user):
        raise PermissionDenied(N_("Only content editors can change the resource centre."))
    return None


@blueprint.get("/")
def index() -> ResponseReturnValue:
    session = db()
    centre = pages.open_resource_centre(session)
    return render_template(
        "editor/index.html",
        centre=centre,
        pending=country_updates.pending_count(session),
        resources=sorted(centre.library.resources, key=lambda entry: entry.title.casefold()),
        practices=sorted(centre.library.practices, key=lambda entry: entry.title.casefold()),
        countries=sorted(centre.library.countries, key=country_label),
    )


def _entry_page(kind: str, key: str | None) -> ResponseReturnValue:
    session = db()
    existing = editorial.entry_data(session, kind, key) if key else {}
    form = ENTRY_FORMS[kind]()
    names = tuple(name for name in (*form.ORDER, *form.RICH, "unverified") if key is None or name != "id")
    if not form.is_submitted():
        fill_form(form, existing, names)
    elif form.validate_on_submit():
        try:
            saved = editorial.save_entry(session, current_user, kind, key, form_data(form, names, existing))
        except editorial.EntryInvalid as error:
            show_errors(form, error.errors)
        else:
            session.commit()
            flash(_("Saved. The public page and search show it now."), "info")
            return redirect(url_for(".edit_entry", kind=kind, key=saved))
    return render_template(
        "editor/entry.html",
        form=form,
        kind=kind,
        key=key,
        names=names,
        history=editorial.history(session, kind, key) if key else [],
    ), 400 if request.method == "POST" else 200


@blueprint.route("/<any(resources, practices):kind>/new", methods=["GET", "POST"])
def new_entry(kind: str) -> ResponseReturnValue:
    return _entry_page(kind, None)


@blueprint.route("/<any(resources, practices):kind>/<key>", methods=["GET", "POST"])
def edit_entry(kind: str, key: str) -> ResponseReturnValue:
    return _entry_page(kind, key)


@blueprint.route("/measures/<measure_id>", methods=["GET", "POST"])
def edit_measure(measure_id: str) -> ResponseReturnValue:
    session = db()
    centre = pages.open_resource_centre(session)
    page = pages.measure_page(centre, measure_id)
    form = MeasureTextForm()
    if not form.is_submitted():
        text = editorial.measure_text(session, measure_id)
        form.policy_measures.data = text.policy_measures.get("en", "") if text else ""
        form.methodology.data = text.methodology.get("en", "") if text else ""
    elif form.validate_on_submit():
        editorial.save_measure_text(
            session, current_user, measure_id, form.policy_measures.data or "", form.methodology.data or ""
        )
        session.commit()
        flash(_("Saved. The public page shows it now."), "info")
        return redirect(url_for(".edit_measure", measure_id=measure_id))
    return render_template(
        "editor/measure.html", form=form, page=page, history=editorial.history(session, "measure-texts", measure_id)
    ), 400 if request.method == "POST" else 200


def _country_data(form: CountryForm, existing: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    data = form_data(form, COUNTRY_FIELDS + COUNTRY_TAIL, existing)
    problems = {}
    for section in form.SECTIONS:
        data[section], found = parse_entry_lines(getattr(form, section).data)
        if found:
            problems[section] = found
    return data, problems


@blueprint.route("/countries/<code>", methods=["GET", "POST"])
def edit_country(code: str) -> ResponseReturnValue:
    session = db()
    row = editorial.country_row(session, code)
    existing = editorial.country_profile(row).model_dump(mode="json")
    form = CountryForm()
    form.kind.choices = list(kind_labels().items())
    if not form.is_submitted():
        fill_form(form, existing, COUNTRY_FIELDS + CountryForm.SECTIONS + COUNTRY_TAIL)
    elif form.validate_on_submit():
        data, problems = _country_data(form, existing)
        for section, messages in problems.items():
            getattr(form, section).errors = messages
        if not problems:
            try:
                editorial.save_country(session, current_user, row.code, data)
            except editorial.EntryInvalid as error:
                show_errors(form, error.errors)
            else:
                session.commit()
                flash(_("Saved. The public profile and search show it now."), "info")
                return redirect(url_for(".edit_country", code=row.code))
    return render_template(
        "editor/country.html", form=form, row=row, history=editorial.history(session, "countries", row.code)
    ), 400 if request.method == "POST" else 200


@blueprint.get("/updates")
def updates() -> ResponseReturnValue:
    session = db()
    return render_template(
        "editor/updates.html",
        pending=country_updates.queue(session, current_user),
        decided=country_updates.queue(session, current_user, "approved")
        + country_updates.queue(session, current_user, "rejected"),
    )


def _update_page(update_id: int, reject_form: RejectForm | None = None) -> ResponseReturnValue:
    view = country_updates.get_update(db(), current_user, update_id)
    return render_template(
        "editor/update.html", view=view, approve_form=ApproveForm(), reject_form=reject_form or RejectForm()
    ), 400 if reject_form is not None else 200


@blueprint.get("/updates/<int:update_id>")
def update(update_id: int) -> ResponseReturnValue:
    return _update_page(update_id)


@blueprint.post("/updates/<int:update_id>/approve")
def approve(update_id: int) -> ResponseReturnValue:
    session = db()  # CSRFProtect has checked the form's token before the view runs
    try:
        approved = country_updates.approve_update(session, current_user, update_id)
    except ConflictError:
        raise ConflictError(N_("This update has already been reviewed.")) from None
    session.commit()
    notify.country_update_decided(session, approved)
    session.commit()
    flash(_("Approved: the profile of %(code)s now shows the update.", code=approved.country_code), "info")
    return redirect(url_for(".updates"))


@blueprint.post("/updates/<int:update_id>/reject")
def reject(update_id: int) -> ResponseReturnValue:
    session = db()
    form = RejectForm()
    if not form.validate_on_submit():
        return _update_page(update_id, form)
    try:
        rejected = country_updates.reject_update(session, current_user, update_id, form.reason.data or "")
    except editorial.EntryInvalid as error:
        show_errors(form, error.errors)
        return _update_page(update_id, form)
    except ConflictError:
        raise ConflictError(N_("This update has already been reviewed.")) from None
    session.commit()
    notify.country_update_decided(session, rejected)
    session.commit()
    flash(_("Rejected. The coordinator sees your reason."), "info")
    return redirect(url_for(".updates"))


@blueprint.get("/export.zip")
def export() -> ResponseReturnValue:
    body = library_zip(db())
    headers = {
        "Content-Type": "application/zip",
        "Content-Disposition": 'attachment; filename="ctsat-library.zip"',
        "Cache-Control": "no-store",
    }
    return body, 200, headers
