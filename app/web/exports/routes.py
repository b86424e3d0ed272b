"""Offline work: the assessment as an Excel workbook, CSV or JSON, and uploads back.

Uploading shows a row-by-row preview and stores the file under the instance folder; nothing is
saved until the user confirms, and confirming checks that the preview is still the one shown.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import Session
from werkzeug.exceptions import RequestEntityTooLarge

from app.core.errors import NotFound
from app.models import Assessment, Country
from app.security import can_answer
from app.services.assessments import open_assessment, questionnaire_of
from app.services.workbook import (
    MAX_BYTES,
    MAX_ROWS,
    MIMETYPES,
    ApplyReport,
    ImportPreview,
    PreviewChanged,
    UploadMissing,
    WorkbookError,
    confirm_import,
    discard_upload,
    download_name,
    export_csv,
    export_json,
    export_xlsx,
    preview_state,
    stage_import,
)
from app.services.workbook.words import WorkbookWords
from app.web.answer_input import interface_symbols
from app.web.database import db
from app.web.errors import describe, error_response
from app.web.exports.forms import ACCEPTED_EXTENSIONS, ConfirmForm, UploadForm

blueprint = Blueprint("exports", __name__, url_prefix="/assessments")

MEGABYTE = 1024 * 1024


def _language() -> str:
    return str(get_locale() or "en").split("_")[0]


def _words() -> WorkbookWords:
    """The offline file's words and numbers in the interface language."""
    return WorkbookWords.translated(_, interface_symbols())


def _uploads() -> Path:
    return Path(current_app.config["INSTANCE_PATH"]) / "uploads"


def _export_page(
    session: Session, assessment: Assessment, form: UploadForm, error: str | None = None, status: int = 200
) -> ResponseReturnValue:
    errors = [*(form.file.errors if form.file.errors else []), *([error] if error else [])]
    return render_template(
        "exports/index.html",
        assessment=assessment,
        country=session.get(Country, assessment.country_code),
        form=form,
        errors=errors,
        editable=can_answer(current_user, assessment),
        accept=",".join(f".{extension}" for extension in ACCEPTED_EXTENSIONS),
        max_megabytes=MAX_BYTES // MEGABYTE,
        max_rows=MAX_ROWS,
    ), status


def _cannot_change() -> ResponseReturnValue:
    return render_template(
        "errors/error.html",
        status=403,
        title=_("This assessment cannot be changed now"),
        message=_(
            "You can download this assessment, but only your country's officials can upload answers to it, "
            "and only while it is a draft."
        ),
    ), 403


def _preview_page(
    session: Session,
    assessment: Assessment,
    preview: ImportPreview,
    token: str,
    accepted: Iterable[str] = (),
    status: int = 200,
) -> ResponseReturnValue:
    counts = preview.counts()
    return render_template(
        "exports/preview.html",
        assessment=assessment,
        questionnaire=questionnaire_of(session, assessment),
        preview=preview,
        counts=counts,
        saving=counts["new"] + counts["changed"],
        form=ConfirmForm(formdata=None, token=token, state=preview_state(preview)),
        accepted=set(accepted),
        changed_meanwhile=status == 409,
    ), status


@blueprint.get("/<int:assessment_id>/export")
@login_required
def index(assessment_id: int) -> ResponseReturnValue:
    session = db()
    assessment = open_assessment(session, current_user, assessment_id)
    return _export_page(session, assessment, UploadForm(formdata=None))


def _export_body(session: Session, assessment: Assessment, kind: str) -> bytes:
    if kind == "xlsx":
        return export_xlsx(session, current_user, assessment, _language(), _words())
    if kind == "csv":  # with a byte order mark, so that Excel reads the file as UTF-8
        return ("\ufeff" + export_csv(session, current_user, assessment, _language(), _words())).encode()
    return json.dumps(export_json(session, current_user, assessment), ensure_ascii=False, indent=2).encode()


@blueprint.get("/<int:assessment_id>/export.<any(xlsx, csv, json):kind>")
@login_required
def download(assessment_id: int, kind: str) -> ResponseReturnValue:
    session = db()
    assessment = open_assessment(session, current_user, assessment_id)
    return Response(
        _export_body(session, assessment, kind),
        headers={
            "Content-Type": MIMETYPES[kind],
            "Content-Disposition": f'attachment; filename="{download_name(assessment, kind)}"',
            "Cache-Control": "private, no-store",
        },
    )


@blueprint.post("/<int:assessment_id>/import")
@login_required
def upload(assessment_id: int) -> ResponseReturnValue:
    session = db()
    assessment = open_assessment(session, current_user, assessment_id)
    if not can_answer(current_user, assessment):
        return _cannot_change()
    form = UploadForm()
    if not form.validate_on_submit():
        return _export_page(session, assessment, form, status=400)
    file = form.file.data
    try:
        preview, token = stage_import(
            session,
            current_user,
            assessment,
            _uploads(),
            file.read(MAX_BYTES + 1),
            file.filename or "",
            _words(),
        )
    except WorkbookError as error:
        return _export_page(session, assessment, form, describe(error), 400)
    return _preview_page(session, assessment, preview, token)


@blueprint.post("/<int:assessment_id>/import/confirm")
@login_required
def confirm(assessment_id: int) -> ResponseReturnValue:
    session = db()
    assessment = open_assessment(session, current_user, assessment_id)
    if not can_answer(current_user, assessment):
        return _cannot_change()
    form, accepted = ConfirmForm(), request.form.getlist("accept")
    expired = _("This upload has expired or was already used: please upload the file again.")
    if not form.validate_on_submit():
        return _export_page(session, assessment, UploadForm(formdata=None), expired, 400)
    try:
        token, state, words = form.token.data, form.state.data, _words()
        report = confirm_import(session, current_user, assessment, _uploads(), token, state, accepted, words)
    except PreviewChanged as changed:
        return _preview_page(session, assessment, changed.preview, form.token.data, accepted, 409)
    except UploadMissing:
        return _export_page(session, assessment, UploadForm(formdata=None), expired, 400)
    except WorkbookError as error:
        return _export_page(session, assessment, UploadForm(formdata=None), describe(error), 400)
    session.commit()
    discard_upload(_uploads(), form.token.data)
    _flash_report(report)
    return redirect(url_for("assessments.overview", assessment_id=assessment.id))


def _flash_report(report: ApplyReport) -> None:
    flash(
        _(
            "Import finished: %(applied)s answer(s) saved, %(skipped)s row(s) skipped, %(failed)s failed.",
            applied=report.applied,
            skipped=report.skipped,
            failed=report.failed,
        ),
        "info",
    )
    failed = [entry.item_id for entry in report.outcomes if entry.outcome == "failed"]
    if failed:
        flash(
            _(
                "Not saved, because someone changed them while you confirmed: %(items)s. "
                "Upload the file again to choose between the answers.",
                items=", ".join(failed),
            ),
            "error",
        )


@blueprint.errorhandler(RequestEntityTooLarge)
def too_large(error: RequestEntityTooLarge) -> ResponseReturnValue:
    """A body over the app-wide limit: the export page with the upload limit, not a bare error."""
    assessment_id = (request.view_args or {}).get("assessment_id")
    if not current_user.is_authenticated or not isinstance(assessment_id, int):
        return error_response(413)
    session = db()
    try:
        assessment = open_assessment(session, current_user, assessment_id)
    except NotFound:
        return error_response(404)
    if not can_answer(current_user, assessment):
        return _cannot_change()
    message = _("The file is larger than %(size)s MB.", size=MAX_BYTES // MEGABYTE)
    return _export_page(session, assessment, UploadForm(formdata=None), message, 400)
