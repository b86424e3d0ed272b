"""The workshop report and the facilitator's summary it prints (facilitators of the workshop only).

- ``workshops.report_pdf``  GET /workshops/<id>/report.pdf        the workshop report
- ``workshops.summary``     GET/POST /workshops/<id>/summary      write the facilitator's summary
"""

from __future__ import annotations

from datetime import date

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.services.report_jobs import report_settings
from app.services.workshop_report import report_file_name, save_summary, workshop_report_pdf
from app.services.workshops import WorkshopError, manage_workshop
from app.web.database import db
from app.web.errors import describe
from app.web.workshops.blueprint import blueprint


@blueprint.get("/workshops/<int:workshop_id>/report.pdf")
@login_required
def report_pdf(workshop_id: int) -> ResponseReturnValue:
    session = db()
    workshop = manage_workshop(session, current_user, workshop_id)
    language = str(get_locale() or "en").split("_")[0]
    pdf = workshop_report_pdf(session, workshop, report_settings(current_app.config), language, date.today())
    return Response(
        pdf,
        headers={
            "Content-Type": "application/pdf",
            "Content-Disposition": f'attachment; filename="{report_file_name(workshop)}"',
            "Cache-Control": "private, no-store",
        },
    )


@blueprint.route("/workshops/<int:workshop_id>/summary", methods=["GET", "POST"])
@login_required
def summary(workshop_id: int) -> ResponseReturnValue:
    session = db()
    workshop = manage_workshop(session, current_user, workshop_id)
    text, error, status = workshop.summary, None, 200
    if request.method == "POST":
        text = request.form.get("summary", "")
        try:
            save_summary(current_user, workshop, text)
        except WorkshopError as problem:
            session.rollback()
            error, status = describe(problem), 400
        else:
            session.commit()
            flash(_("The summary is saved; the workshop report prints it."), "info")
            return redirect(url_for(".board_page", workshop_id=workshop.id))
    return render_template("workshops/summary.html", workshop=workshop, text=text, error=error), status
