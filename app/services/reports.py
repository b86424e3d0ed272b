"""Reports of an assessment: gather everything a report shows as plain values, then let
``app.reporting`` build the document (gap analysis as PDF, DOCX or XLSX; summary sheet and cycle
comparison as PDF). Who may download is decided by ``open_assessment`` (the same check as the
results page), so callers pass an assessment they have already opened. Caching and background
rendering for the web are in ``app.services.report_jobs``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.core.actions import ActionFields
from app.core.countries import country_label
from app.core.errors import NotFound
from app.core.questionnaire import Questionnaire
from app.core.results import Results
from app.models import Action, Answer, Assessment, Country
from app.reporting.documents import FORMATS, KINDS, MIMETYPES, ProducedReport, ReportUnavailable, build_report_file
from app.reporting.documents import check_report as check_document
from app.reporting.fetcher import ReportAssets
from app.reporting.inputs import EvidenceNote, GapReportInput, ItemNote, PreviousCycle, ReportMeta
from app.services.assessments import questionnaire_of, results_of, scores_of
from app.services.catalog import get_library
from app.services.evidence import evidence_of
from app.services.peers import is_national_cycle, national_cycle
from app.services.plans import action_fields

__all__ = ["FORMATS", "KINDS", "MIMETYPES", "ReportUnavailable"]
PDF_MIMETYPE = MIMETYPES["pdf"]


def report_assets(config: Mapping[str, Any]) -> ReportAssets:
    """The report folder from the app's configuration (``REPORTS_PATH``), with the message catalogues
    it shares with the interface (``TRANSLATIONS_PATH``)."""
    folder = Path(config["REPORTS_PATH"])
    return ReportAssets(folder=folder, translations=Path(config.get("TRANSLATIONS_PATH", folder / "translations")))


def report_file_name(assessment: Assessment, kind: str = "gap", format: str = "pdf") -> str:
    """A file name that carries no user-typed text (safe in Content-Disposition)."""
    return f"ctsat-{assessment.country_code.lower()}-{kind}-report-{assessment.id}.{format}"


def _meta(session: Session, assessment: Assessment, language: str, today: date) -> ReportMeta:
    country = session.get(Country, assessment.country_code)
    profile = (country.profile if country else None) or {}
    return ReportMeta(
        assessment_id=assessment.id,
        country_code=assessment.country_code,
        country_name=country_label(country.code, country.name, language) if country else assessment.country_code,
        assessment_title=assessment.title,
        status=assessment.status,
        started=assessment.created_at.date(),
        generated=today,
        confidentiality=assessment.confidentiality,
        language=language,
        native_name=profile.get("native_name") or None,
        roles=tuple(assessment.roles or ()),
        revision=assessment.revision,
        final_reason=assessment.final_reason,
    )


def _notes(session: Session, assessment: Assessment) -> dict[str, ItemNote]:
    """Comments and evidence, in one query (only answers that have either)."""
    query = select(Answer.item_id, Answer.comment, Answer.evidence).where(
        Answer.assessment_id == assessment.id, or_(Answer.comment != "", Answer.evidence != "")
    )
    return {item_id: ItemNote(comment or "", evidence or "") for item_id, comment, evidence in session.execute(query)}


def _actions(session: Session, assessment: Assessment) -> list[ActionFields]:
    """The action plan, read straight from the actions table in plan order."""
    query = select(Action).filter_by(assessment_id=assessment.id).order_by(Action.position, Action.id)
    return [action_fields(row) for row in session.scalars(query)]


def _previous(session: Session, assessment: Assessment) -> PreviousCycle | None:
    if assessment.previous_id is None:
        return None
    previous = session.get(Assessment, assessment.previous_id)
    if previous is None or previous.country_code != assessment.country_code:
        return None
    try:
        scores = scores_of(session, previous)
    except NotFound:  # its questionnaire version is no longer loaded
        return None
    return PreviousCycle(previous.title, previous.created_at.date(), scores)


def peer_strengths_for(
    session: Session, assessment: Assessment, questionnaire: Questionnaire, item_ids: Iterable[str]
) -> dict[str, list[str]]:
    """Item id → codes of other countries whose latest assessment shared with peers answers it at
    the strength level. Only assessments whose coordinator chose to share them count."""
    wanted = sorted(set(item_ids))
    if not wanted or not is_national_cycle(session, assessment):
        return {}  # peers share national cycles only (app.services.peers)
    shared = session.execute(
        select(Assessment.id, Assessment.country_code)
        .where(
            national_cycle(),
            Assessment.sharing == "peers",
            Assessment.country_code != assessment.country_code,
            Assessment.questionnaire_id == assessment.questionnaire_id,
        )
        .order_by(Assessment.id)
    ).all()
    latest = {country: assessment_id for assessment_id, country in shared}
    if not latest:
        return {}
    country_of = {assessment_id: country for country, assessment_id in latest.items()}
    threshold = questionnaire.scoring.strength_level
    rows = session.execute(
        select(Answer.assessment_id, Answer.item_id).where(
            Answer.assessment_id.in_(list(country_of)), Answer.item_id.in_(wanted), Answer.level >= threshold
        )
    )
    peers: dict[str, list[str]] = {}
    for assessment_id, item_id in rows:
        peers.setdefault(item_id, []).append(country_of[assessment_id])
    return {item_id: sorted(codes) for item_id, codes in peers.items()}


def gap_report_input(
    session: Session, assessment: Assessment, language: str = "en", today: date | None = None
) -> GapReportInput:
    """Everything the gap-analysis report shows, as the plain values ``app.reporting`` takes."""
    questionnaire = questionnaire_of(session, assessment)
    results: Results = results_of(session, assessment)
    return GapReportInput(
        meta=_meta(session, assessment, language, today or date.today()),
        questionnaire=questionnaire,
        library=get_library(session),
        results=results,
        notes=_notes(session, assessment),
        actions=_actions(session, assessment),
        previous=_previous(session, assessment),
        peers=peer_strengths_for(session, assessment, questionnaire, (gap.item_id for gap in results.gaps)),
        evidence=[
            EvidenceNote(row.item_id, row.filename, row.kind, row.size, row.uploaded_at.date())
            for row in evidence_of(session, assessment)
        ],
    )


def has_previous_cycle(session: Session, assessment: Assessment) -> bool:
    """Whether the assessment follows a cycle of the same country that can be compared with it."""
    if assessment.previous_id is None:
        return False
    previous = session.get(Assessment, assessment.previous_id)
    return previous is not None and previous.country_code == assessment.country_code


def check_report(session: Session, assessment: Assessment, kind: str, format: str = "pdf") -> None:
    """ReportUnavailable unless the assessment has this report in this format."""
    check_document(kind, format)
    if kind == "comparison" and not has_previous_cycle(session, assessment):
        raise ReportUnavailable("this assessment has no previous cycle to compare with")


def build_report(
    session: Session,
    assessment: Assessment,
    assets: ReportAssets,
    kind: str = "gap",
    language: str = "en",
    format: str = "pdf",
) -> ProducedReport:
    """A report of ``assessment`` (already opened with the user's permission checked), uncached."""
    check_report(session, assessment, kind, format)
    return build_report_file(kind, format, gap_report_input(session, assessment, language), assets)


def assessment_for_report(session: Session, assessment_id: int) -> Assessment:
    """An assessment by id for the command line (operators see every country)."""
    assessment = session.get(Assessment, assessment_id)
    if assessment is None:
        raise NotFound(f"no assessment {assessment_id}")
    return assessment
