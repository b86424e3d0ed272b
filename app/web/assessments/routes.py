"""An assessment: its home (progress by measure), answering a measure, item history, results."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from app.core.answers import AnswerFields, answer_fields
from app.core.errors import AnswerError, NotFound
from app.core.questionnaire import Questionnaire, localise
from app.core.scoring import Scores
from app.models import Country, User
from app.reporting.charts import BarRow, PillarRow, measure_bars, pillar_bars
from app.security import can_answer
from app.services.answering import measure_view, save_measure
from app.services.assessments import answer_history, open_assessment, questionnaire_of, results_of
from app.services.catalog import get_library
from app.services.cycles import assignees_of, assignments_of, notes_of
from app.services.evidence import evidence_counts
from app.services.peers import PeerView, peer_view, previous_comparison
from app.services.plans import can_edit_plan
from app.web.answer_input import answer_choice, fingerprint, interface_symbols, parse_fields, parse_version
from app.web.database import db
from app.web.errors import describe
from app.web.extensions import RTL_LANGUAGES

blueprint = Blueprint("assessments", __name__, url_prefix="/assessments")
SHOWN_GAPS = 20  # the results page shows this many gap cards; the PDF report has them all


@blueprint.get("/<int:assessment_id>")
@login_required
def overview(assessment_id: int) -> ResponseReturnValue:
    session = db()
    assessment = open_assessment(session, current_user, assessment_id)
    assignments = assignments_of(session, assessment)
    return render_template(
        "assessments/overview.html",
        assessment=assessment,
        questionnaire=questionnaire_of(session, assessment),
        results=results_of(session, assessment, guidance_gaps=0),
        country=session.get(Country, assessment.country_code),
        editable=can_answer(current_user, assessment),
        assignments=assignments,
        assignees=assignees_of(session, assessment),
    )


def _names(session: Any, ids: list[int]) -> dict[int, str]:
    return {user.id: user.name for user in (session.get(User, user_id) for user_id in set(ids)) if user}


def _submitted(
    view: Any,
) -> tuple[dict[str, tuple[AnswerFields, int]], dict[str, AnswerError], dict[str, AnswerFields]]:
    """Parse the form for every item on the page: what changed, what is invalid, and all values."""
    changed: dict[str, tuple[AnswerFields, int]] = {}
    errors: dict[str, AnswerError] = {}
    values: dict[str, AnswerFields] = {}
    symbols = interface_symbols()
    for entry in view.items:
        item = entry.item
        raw = {
            name: request.form.get(f"{item.id}-{name}") for name in ("answer", "value", "reason", "comment", "evidence")
        }
        try:
            fields = parse_fields(item, raw, symbols)
            version = parse_version(request.form.get(f"{item.id}-version", "0"), item.id)
        except AnswerError as error:
            errors[item.id] = error
            values[item.id] = AnswerFields(
                value=raw["value"],
                dont_know=raw["answer"] == "dont_know",
                not_applicable=raw["answer"] == "not_applicable",
                reason=raw["reason"] or "",
                comment=raw["comment"] or "",
                evidence=raw["evidence"] or "",
            )
            continue
        values[item.id] = fields
        if fingerprint(fields) != request.form.get(f"{item.id}-original"):
            changed[item.id] = (fields, version)
    return changed, errors, values


@blueprint.route("/<int:assessment_id>/measures/<measure_id>", methods=["GET", "POST"])
@login_required
def measure(assessment_id: int, measure_id: str) -> ResponseReturnValue:
    session = db()
    assessment = open_assessment(session, current_user, assessment_id)
    view = measure_view(session, assessment, measure_id)
    editable = can_answer(current_user, assessment)
    values = {entry.item.id: answer_fields(entry.answer) for entry in view.items}
    errors: dict[str, AnswerError] = {}
    conflicts: dict[str, Any] = {}
    status = 200
    if request.method == "POST":
        if not editable:
            return render_template(
                "errors/error.html",
                status=403,
                title=_("This assessment cannot be changed now"),
                message=_("Only your country's officials can answer, and only while it is a draft."),
            ), 403
        changed, errors, submitted = _submitted(view)
        result = save_measure(session, current_user, assessment, changed)
        errors.update(result.errors)
        conflicts = result.conflicts
        if not errors and not conflicts:
            session.commit()
            flash(
                _("Saved %(count)s answer(s).", count=len(result.saved)) if result.saved else _("Nothing had changed."),
                "info",
            )
            return redirect(url_for(".measure", assessment_id=assessment.id, measure_id=measure_id))
        session.commit()
        view = measure_view(session, assessment, measure_id)
        values.update(submitted)
        status = 409 if conflicts and not errors else 400
    assignment = assignments_of(session, assessment).get(measure_id)
    return render_template(
        "assessments/measure.html",
        assignment=assignment,
        assignees=assignees_of(session, assessment).get(measure_id, []),
        evidence_counts=evidence_counts(session, assessment),
        notes=notes_of(session, assessment, measure_id),
        assessment=assessment,
        view=view,
        values=values,
        errors={item_id: describe(error) for item_id, error in errors.items()},
        conflicts=conflicts,
        editable=editable,
        country=session.get(Country, assessment.country_code),
        answer_choice=answer_choice,
        fingerprint=fingerprint,
        fields_of=answer_fields,
    ), status


@blueprint.get("/<int:assessment_id>/items/<item_id>/history")
@login_required
def history(assessment_id: int, item_id: str) -> ResponseReturnValue:
    session = db()
    assessment = open_assessment(session, current_user, assessment_id)
    questionnaire = questionnaire_of(session, assessment)
    item = questionnaire.items.get(item_id)
    if item is None:
        raise NotFound(item_id)
    changes = answer_history(session, current_user, assessment, item_id)
    return render_template(
        "assessments/history.html",
        assessment=assessment,
        questionnaire=questionnaire,
        item=item,
        changes=changes,
        people=_people(session, changes),
    )


def _people(session: Any, changes: list[Any]) -> dict[int, str]:
    return _names(session, [change.changed_by for change in changes if change.changed_by])


def _charts(
    questionnaire: Questionnaire, scores: Scores, peers: PeerView, previous: Scores | None
) -> tuple[Markup, Markup]:
    """The pillar and measure charts (the same SVG module as the PDF reports)."""
    language = str(get_locale() or "en").split("_")[0]
    pillars = [
        PillarRow(
            localise(p.title, language),
            p.id,
            scores.pillars[p.id].score,
            previous.pillars[p.id].score if previous and p.id in previous.pillars else None,
        )
        for p in questionnaire.pillars
    ]
    measures = []
    for pillar in questionnaire.pillars:
        for measure in pillar.measures:
            found = peers.spreads.get(measure.id)
            band = (found.minimum, found.median, found.maximum) if found else None
            measures.append(
                BarRow(
                    f"{measure.id} {localise(measure.title, language)}",
                    pillar.id,
                    scores.measures[measure.id].score,
                    spread=band,
                )
            )
    rtl = language in RTL_LANGUAGES
    description = _("Scores from 0 to 100; the table below gives the values.")
    pillar_svg = pillar_bars(
        pillars,
        title=_("Score by pillar"),
        description=description,
        id_prefix="pillar-chart",
        rtl=rtl,
        current_label=_("This cycle"),
        previous_label=_("Previous cycle"),
    )
    measure_svg = measure_bars(
        measures,
        title=_("Score by measure"),
        description=description,
        id_prefix="measure-chart",
        rtl=rtl,
        target_label=_("Target"),
        spread_label=_("Peers: lowest, median, highest"),
    )
    return Markup(pillar_svg), Markup(measure_svg)


@blueprint.get("/<int:assessment_id>/results")
@login_required
def results(assessment_id: int) -> ResponseReturnValue:
    session = db()
    assessment = open_assessment(session, current_user, assessment_id)
    questionnaire = questionnaire_of(session, assessment)
    found = results_of(session, assessment, guidance_gaps=SHOWN_GAPS)
    peers = peer_view(session, assessment, questionnaire, found)
    comparison = previous_comparison(session, assessment, questionnaire, found.scores)
    pillar_chart, measure_chart = _charts(questionnaire, found.scores, peers, comparison[2] if comparison else None)
    return render_template(
        "assessments/results.html",
        assessment=assessment,
        questionnaire=questionnaire,
        results=found,
        library=get_library(session),
        country=session.get(Country, assessment.country_code),
        pillar_chart=pillar_chart,
        measure_chart=measure_chart,
        peers=peers,
        comparison=comparison,
        plan_editable=can_edit_plan(current_user, assessment),
        shown_gaps=SHOWN_GAPS,
    )


from app.web.assessments import crosswalk as _crosswalk  # noqa: E402,F401  (registers its view on this blueprint)
