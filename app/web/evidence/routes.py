"""Evidence files of an item: one page per item lists them and takes uploads (no JavaScript
needed); downloads are always attachments, sent only to people who may read the assessment.

- ``evidence.item_files``  GET/POST /assessments/<id>/items/<item_id>/evidence
- ``evidence.download``    GET      /assessments/<id>/evidence/<file_id>
- ``evidence.remove``      POST     /assessments/<id>/evidence/<file_id>/remove
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.errors import NotFound
from app.core.evidence_types import MEDIA_TYPES
from app.models import User
from app.security import can_answer, can_manage
from app.services.assessments import open_assessment, questionnaire_of
from app.services.evidence import (
    EvidenceError,
    attach_evidence,
    evidence_of,
    evidence_store,
    find_evidence,
    remove_evidence,
)
from app.web.database import db
from app.web.errors import describe

blueprint = Blueprint("evidence", __name__, url_prefix="/assessments")


def _page(assessment: Any, item_id: str, status: int = 200, error: str | None = None) -> ResponseReturnValue:
    session = db()
    questionnaire = questionnaire_of(session, assessment)
    item = questionnaire.items.get(item_id)
    if item is None:
        raise NotFound("no such item")
    files = evidence_of(session, assessment, item_id)
    people = {user.id: user.name for user in (session.get(User, row.uploaded_by) for row in files) if user}
    return render_template(
        "evidence/item.html",
        assessment=assessment,
        questionnaire=questionnaire,
        item=item,
        measure_id=questionnaire.measure_of_item[item_id],
        files=files,
        people=people,
        editable=can_answer(current_user, assessment),
        manager=can_manage(current_user, assessment),
        limit_mb=evidence_store(current_app.config).limit // (1024 * 1024),
        error=error,
    ), status


@blueprint.route("/<int:assessment_id>/items/<item_id>/evidence", methods=["GET", "POST"])
@login_required
def item_files(assessment_id: int, item_id: str) -> ResponseReturnValue:
    session = db()
    assessment = open_assessment(session, current_user, assessment_id)
    if request.method == "GET":
        return _page(assessment, item_id)
    store = evidence_store(current_app.config)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _page(assessment, item_id, 400, _("Choose a file to attach."))
    try:
        row = attach_evidence(session, current_user, assessment, item_id, upload.filename, upload.stream, store)
    except EvidenceError as failure:
        session.rollback()
        return _page(assessment, item_id, 400, describe(failure))
    finally:
        upload.close()  # a large upload is spooled to a temporary file
    session.commit()
    flash(_("%(name)s is attached to %(item)s.", name=row.filename, item=item_id), "info")
    return redirect(url_for(".item_files", assessment_id=assessment.id, item_id=item_id))


@blueprint.get("/<int:assessment_id>/evidence/<int:file_id>")
@login_required
def download(assessment_id: int, file_id: int) -> ResponseReturnValue:
    session = db()
    assessment = open_assessment(session, current_user, assessment_id)
    row = find_evidence(session, assessment, file_id)
    path = evidence_store(current_app.config).path(row.storage_key)
    if not path.is_file():
        raise NotFound("the file is missing from the evidence store")
    response = send_file(
        path, mimetype=MEDIA_TYPES[row.kind], as_attachment=True, download_name=row.filename, max_age=0
    )
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@blueprint.post("/<int:assessment_id>/evidence/<int:file_id>/remove")
@login_required
def remove(assessment_id: int, file_id: int) -> ResponseReturnValue:
    session = db()
    assessment = open_assessment(session, current_user, assessment_id)
    row = find_evidence(session, assessment, file_id)
    item_id, name = row.item_id, row.filename
    key = remove_evidence(session, current_user, assessment, row)
    session.commit()
    evidence_store(current_app.config).delete(key)
    flash(_("%(name)s is removed.", name=name), "info")
    return redirect(url_for(".item_files", assessment_id=assessment.id, item_id=item_id))
