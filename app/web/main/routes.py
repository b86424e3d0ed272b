"""Home page, health check (alive) and readiness check (database, migrations, queue).

Signed-in users see their assessments at ``/``; visitors see the public resource centre.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, jsonify, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import text

from app.models import Country
from app.security import PARTICIPANT_ROLE
from app.services.account_links import visible_invitations
from app.services.assessments import visible_assessments
from app.services.notifications import my_work
from app.services.readiness import readiness
from app.services.workshops import joined_workshops
from app.web.database import db
from app.web.library.routes import public_home

blueprint = Blueprint("main", __name__)


@blueprint.get("/")
def home() -> ResponseReturnValue:
    if not current_user.is_authenticated:
        return public_home()
    session = db()
    assessments = visible_assessments(session, current_user)
    codes = {assessment.country_code for assessment in assessments}
    countries = {code: session.get(Country, code) for code in codes}
    workshops = joined_workshops(session, current_user) if current_user.role == PARTICIPANT_ROLE else []
    work = my_work(session, current_user, date.today(), visible_invitations(session, current_user))
    for item in work.assignments + work.reviews:
        countries.setdefault(item.assessment.country_code, session.get(Country, item.assessment.country_code))
    return render_template(
        "main/home.html", assessments=assessments, countries=countries, workshops=workshops, work=work
    )


@blueprint.get("/healthz")
def healthz() -> ResponseReturnValue:
    try:
        db().execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        return jsonify({"status": "error", "database": "unreachable"}), 503
    return jsonify({"status": "ok", "database": "ok"})


@blueprint.get("/readyz")
def readyz() -> ResponseReturnValue:
    """200 when the database answers at the migrations' head and the queue (if configured) answers; else 503."""
    found = readiness(db(), current_app.extensions.get("ctsat.queue_check"))
    return jsonify({"status": "ok" if found.ready else "error", **found.checks}), 200 if found.ready else 503
