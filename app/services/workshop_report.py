"""The workshop report: gather the workshop as plain values (``app.reporting.workshop_inputs``),
render it with ``app.reporting.workshop`` and keep the PDF in the report cache; and the
facilitator's summary it prints.

Who may download is decided by ``manage_workshop`` (facilitators of the workshop and admins), so
callers pass a workshop they have opened that way. The workshop's sharing terms decide
(``app.core.workshop_terms.for_report``): a country's scores, over the workshop's measures only,
leave the database only when the terms let the report show results (by name, or only in figures
over at least three countries).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.countries import country_labels
from app.core.errors import N_, PermissionDenied
from app.core.limits import WORKSHOP_SUMMARY
from app.core.questionnaire import Questionnaire
from app.core.scoring import restrict_scores
from app.core.workshop_terms import for_report
from app.models import Country, User, Workshop
from app.reporting.builder import render_pdf, report_key
from app.reporting.workshop import workshop_html
from app.reporting.workshop_inputs import (
    Attendee,
    CountryInput,
    GroupInput,
    Progress,
    QuestionResult,
    StrategyInput,
    WorkshopMeta,
    WorkshopReportInput,
)
from app.services.assessments import scores_of
from app.services.catalog import get_library
from app.services.report_jobs import ReportSettings
from app.services.workshop_evaluation import summary as evaluation_summary
from app.services.workshop_groups import groups_of, member_countries, strategies_of
from app.services.workshops import (
    WorkshopError,
    participants_of,
    questionnaire_of_workshop,
    runs,
    scope_of,
    workshop_assessments,
)

SUMMARY_LIMIT = WORKSHOP_SUMMARY


def save_summary(user: User, workshop: Workshop, text: str) -> None:
    """The facilitator's summary; WorkshopError when it is too long (nothing is cut silently)."""
    if not runs(user, workshop):
        raise PermissionDenied(N_("only the workshop's facilitator can write its summary"))
    cleaned = text.replace("\r\n", "\n").strip()
    if len(cleaned) > SUMMARY_LIMIT:
        raise WorkshopError(
            N_("the summary is %(count)s characters long; keep it under %(limit)s"),
            count=len(cleaned),
            limit=SUMMARY_LIMIT,
        )
    workshop.summary = cleaned


def _countries(
    session: Session, workshop: Workshop, questionnaire: Questionnaire, scope: list[str], language: str
) -> list[CountryInput]:
    """The invited countries that have an assessment, named in the report's ``language`` and in that name's order."""
    rows = session.execute(select(Country.code, Country.name))
    names = country_labels(((code, name) for code, name in rows), language)
    assessments = workshop_assessments(session, workshop)
    results = for_report(workshop.sharing_terms).results
    countries = []
    for code in workshop.invited_countries:
        assessment = assessments.get(code)
        if assessment is None:
            continue
        scores = restrict_scores(questionnaire, scores_of(session, assessment), scope)
        progress = {m: Progress(scores.measures[m].answered, scores.measures[m].applicable) for m in scope}
        countries.append(CountryInput(code, names.get(code, code), progress, scores if results else None))
    return sorted(countries, key=lambda country: country.name)


def _groups(session: Session, workshop: Workshop) -> list[GroupInput]:
    groups = []
    for group in groups_of(session, workshop):
        strategies = [
            StrategyInput(s.title, list(s.measures), s.actions, s.lead, list(s.resources))
            for s in strategies_of(session, group)
        ]
        people = len(group.members) if group.kind == "pillar" else 0
        groups.append(
            GroupInput(group.name, group.kind, group.pillar_id, member_countries(session, group), people, strategies)
        )
    order = {"pillar": 0, "similar": 1, "custom": 2}
    return sorted(groups, key=lambda group: (order.get(group.kind, 3), group.name))


def _evaluation(session: Session, workshop: Workshop) -> tuple[int, list[QuestionResult]]:
    responses, summaries = evaluation_summary(session, workshop)
    return responses, [
        QuestionResult(
            found.question["text"],
            found.question["kind"],
            found.answered,
            found.mean,
            tuple(found.counts.items()),
            tuple(found.texts),
            tuple(found.earlier),
        )
        for found in summaries
    ]


def workshop_report_input(
    session: Session, workshop: Workshop, language: str = "en", today: date | None = None
) -> WorkshopReportInput:
    """Everything the workshop report shows, as the plain values ``app.reporting`` takes."""
    questionnaire = questionnaire_of_workshop(session, workshop)
    scope = scope_of(workshop, questionnaire)
    facilitator = session.get(User, workshop.facilitator_id)
    meta = WorkshopMeta(
        workshop.id,
        workshop.title,
        workshop.starts_on,
        workshop.ends_on,
        workshop.venue,
        workshop.online,
        facilitator.name if facilitator else "",
        today or date.today(),
        language,
    )
    attendees = [Attendee(u.name, p.country_code, p.agency, p.pillar_id) for p, u in participants_of(session, workshop)]
    responses, evaluation = _evaluation(session, workshop)
    return WorkshopReportInput(
        meta=meta,
        questionnaire=questionnaire,
        library=get_library(session),
        scope=scope,
        countries=_countries(session, workshop, questionnaire, scope, language),
        attendees=attendees,
        groups=_groups(session, workshop),
        summary=workshop.summary,
        responses=responses,
        evaluation=evaluation,
        terms=workshop.sharing_terms,
    )


def report_file_name(workshop: Workshop) -> str:
    """A file name that carries no user-typed text (safe in Content-Disposition)."""
    return f"ctsat-workshop-{workshop.id}-report.pdf"


def workshop_report_pdf(
    session: Session, workshop: Workshop, settings: ReportSettings, language: str = "en", today: date | None = None
) -> bytes:
    """The report as PDF: from the cache when the same HTML was rendered before, else rendered now."""
    html = workshop_html(workshop_report_input(session, workshop, language, today), settings.assets)
    key = report_key(html, settings.assets)
    cached = settings.cache.document(key, "pdf")
    if cached is not None:
        return cached.read_bytes()
    pdf = render_pdf(html, settings.assets).pdf
    settings.cache.store(key, "pdf", pdf)
    return pdf
