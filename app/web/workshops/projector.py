"""The projector view: the board for the room, in large type, refreshing itself (facilitators only;
projector.js reloads it when the board's ETag changes, with a pause button).

Everyone in the room sees the projector, so it shows only what the workshop's sharing terms show
every participant (``board(..., room=True)``), and each country's progress.
"""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from sqlalchemy import select

from app.core.workshop_terms import WORDING
from app.models import Country
from app.services.catalog import get_library
from app.services.workshop_board import board
from app.services.workshop_groups import groups_of, strategies_of
from app.services.workshops import manage_workshop, questionnaire_of_workshop
from app.web.country_names import names_by_code
from app.web.database import db
from app.web.workshops.blueprint import blueprint
from app.web.workshops.board_view import board_charts

REFRESH_SECONDS = 10  # projector.js checks the board's ETag this often


@blueprint.get("/workshops/<int:workshop_id>/projector")
@login_required
def projector(workshop_id: int) -> ResponseReturnValue:
    session = db()
    workshop = manage_workshop(session, current_user, workshop_id)
    questionnaire = questionnaire_of_workshop(session, workshop)
    names = names_by_code(session.scalars(select(Country)))
    data = board(session, workshop, None, room=True)
    groups = [(group, strategies_of(session, group)) for group in groups_of(session, workshop)]
    return render_template(
        "workshops/projector.html",
        workshop=workshop,
        questionnaire=questionnaire,
        data=data,
        names=names,
        charts=board_charts(data, questionnaire, names, "projector", large=True),
        groups=[(group, strategies) for group, strategies in groups if strategies],
        library=get_library(session),
        wording=WORDING[workshop.sharing_terms],
        refresh=REFRESH_SECONDS,
    )
