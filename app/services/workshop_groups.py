"""Workshop groups: pillar groups from participants' expertise, similar-country groups from
gap profiles (the core's similarity), hand adjustments, each group's workspace and strategies.

The workshop's sharing terms decide (``app.core.workshop_terms``): similar-country groups are
suggested only under terms that show the facilitators results by name; a workspace names the
countries with a gap only when its viewer may see them by name, and otherwise counts them over at
least three countries, or shows the viewer's own country's gaps alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.errors import N_, NotFound, PermissionDenied
from app.core.gaps import Gap, find_gaps
from app.core.guidance import Guidance, guidance_for
from app.core.limits import STRATEGY_ACTIONS, too_long
from app.core.numbers import ID_RANGE, is_int
from app.core.peers import MIN_COUNTRIES, group_similar
from app.core.questionnaire import localise
from app.core.scoring import restrict_scores
from app.core.workshop_terms import WORDING, for_facilitators, for_participants, groups_from_results
from app.models import Strategy, User, Workshop, WorkshopGroup, WorkshopParticipant
from app.services.assessments import scores_of
from app.services.catalog import get_library
from app.services.workshops import (
    WorkshopError,
    admitted_participant,
    participants_of,
    questionnaire_of_workshop,
    runs,
    scope_of,
    workshop_assessments,
)

SHOWN_GAPS = 12  # the most widely shared gaps first; a workspace is for discussion, not a full report


def groups_of(session: Session, workshop: Workshop) -> list[WorkshopGroup]:
    query = select(WorkshopGroup).filter_by(workshop_id=workshop.id).order_by(WorkshopGroup.kind, WorkshopGroup.name)
    return list(session.scalars(query))


def _replace(session: Session, workshop: Workshop, kind: str, groups: list[WorkshopGroup]) -> None:
    for old in session.scalars(select(WorkshopGroup).filter_by(workshop_id=workshop.id, kind=kind)):
        session.delete(old)
    session.add_all(groups)
    session.flush()


def suggest_pillar_groups(session: Session, workshop: Workshop) -> list[WorkshopGroup]:
    """One group per pillar that has participants, members being those participants."""
    questionnaire = questionnaire_of_workshop(session, workshop)
    people = participants_of(session, workshop)
    groups = []
    for pillar in questionnaire.pillars:
        members = [str(p.id) for p, _user in people if p.pillar_id == pillar.id]
        if members:
            name = localise(pillar.title, "en")
            groups.append(
                WorkshopGroup(workshop_id=workshop.id, kind="pillar", name=name, pillar_id=pillar.id, members=members)
            )
    _replace(session, workshop, "pillar", groups)
    return groups


def shared_profiles(session: Session, workshop: Workshop) -> dict[str, dict[str, float]]:
    """Measure-score vectors (measures in scope) of the countries that answered, if the terms
    show the facilitators results by name; else none."""
    if not groups_from_results(workshop.sharing_terms):
        return {}
    questionnaire = questionnaire_of_workshop(session, workshop)
    scope = scope_of(workshop, questionnaire)
    profiles: dict[str, dict[str, float]] = {}
    for code, assessment in workshop_assessments(session, workshop).items():
        scores = scores_of(session, assessment)
        if not any(scores.measures[measure].answered for measure in scope):
            continue
        profiles[code] = {m: score for m in scope if (score := scores.measures[m].score) is not None}
    return profiles


def suggest_similar_groups(session: Session, workshop: Workshop, count: int) -> list[WorkshopGroup]:
    if not groups_from_results(workshop.sharing_terms):
        raise WorkshopError(
            N_("under the terms %(terms)s the facilitators do not see results by name: form country groups by hand"),
            terms=WORDING[workshop.sharing_terms].title,
        )
    profiles = shared_profiles(session, workshop)
    if len(profiles) < 2:
        raise WorkshopError(N_("at least two countries must have answered to be grouped by their results"))
    if not 1 <= count <= len(profiles):
        raise WorkshopError(N_("choose between 1 and %(count)s groups"), count=len(profiles))
    groups = [
        WorkshopGroup(
            workshop_id=workshop.id, kind="similar", name=f"Similar countries {number}", pillar_id=None, members=members
        )
        for number, members in enumerate(group_similar(profiles, count), start=1)
    ]
    _replace(session, workshop, "similar", groups)
    return groups


def save_group(
    session: Session, workshop: Workshop, group: WorkshopGroup | None, name: str, members: list[str]
) -> WorkshopGroup:
    """Create a custom country group (group None) or rename and re-member a group by hand."""
    name = " ".join(name.split())
    if not name or len(name) > 200:
        raise WorkshopError(N_("give the group a name of at most 200 characters"))
    if group is None:
        group = WorkshopGroup(workshop_id=workshop.id, kind="custom", name=name, pillar_id=None, members=[])
        session.add(group)
    allowed = (
        {str(p.id) for p, _user in participants_of(session, workshop)}
        if group.kind == "pillar"
        else set(workshop.invited_countries)
    )
    if not set(members) <= allowed:
        raise WorkshopError(N_("choose the members from the list"))
    group.name, group.members = name, sorted(set(members))
    session.flush()
    return group


def get_group(session: Session, workshop: Workshop, group_id: int) -> WorkshopGroup:
    group = session.get(WorkshopGroup, group_id)
    if group is None or group.workshop_id != workshop.id:
        raise NotFound("no such group")
    return group


def member_countries(session: Session, group: WorkshopGroup) -> list[str]:
    if group.kind != "pillar":
        return list(group.members)
    ids = [int(member) for member in group.members if is_int(member, *ID_RANGE)]
    query = select(WorkshopParticipant.country_code).filter(WorkshopParticipant.id.in_(ids))
    return sorted(set(session.scalars(query)))


def may_work_in(session: Session, user: User, workshop: Workshop, group: WorkshopGroup) -> bool:
    """The facilitator, and participants whose country (or person, for a pillar group) is a member."""
    if runs(user, workshop):
        return True
    participant = admitted_participant(session, user, workshop)
    if participant is None:
        return False
    if group.kind == "pillar":
        return str(participant.id) in group.members
    return participant.country_code in group.members


@dataclass(frozen=True)
class SharedGap:
    item_id: str
    measure_id: str
    countries: list[str]  # empty when the viewer may not see the countries by name
    count: int
    guidance: Guidance


@dataclass(frozen=True)
class Workspace:
    countries: list[str]
    included: list[str]  # the countries whose gaps count (named only if ``named``)
    gaps: list[SharedGap]
    named: bool


def _workspace_countries(
    workshop: Workshop, countries: list[str], answered: list[str], participant: WorkshopParticipant | None
) -> tuple[list[str], bool]:
    """The member countries whose gaps the viewer may use, and whether by name."""
    shown = for_participants(workshop.sharing_terms) if participant else for_facilitators(workshop.sharing_terms)
    if shown.named:
        return answered, True
    if shown.spreads and len(answered) >= MIN_COUNTRIES:
        return answered, False
    own = [participant.country_code] if participant and participant.country_code in answered else []
    return own, True


def workspace(
    session: Session, workshop: Workshop, group: WorkshopGroup, participant: WorkshopParticipant | None = None
) -> Workspace:
    """Gaps present in most of the member countries the viewer may see (the facilitator: participant
    None), each with its guidance."""
    questionnaire = questionnaire_of_workshop(session, workshop)
    scope = set(scope_of(workshop, questionnaire))
    if group.pillar_id:
        scope &= {m.id for p in questionnaire.pillars if p.id == group.pillar_id for m in p.measures}
    countries = member_countries(session, group)
    assessments = workshop_assessments(session, workshop)
    scores = {
        code: restrict_scores(questionnaire, scores_of(session, assessments[code]), scope_of(workshop, questionnaire))
        for code in countries
        if code in assessments
    }
    answered = [code for code, s in scores.items() if any(m.answered for m in s.measures.values())]
    included, named = _workspace_countries(workshop, countries, answered, participant)
    found: dict[str, list[tuple[str, Gap]]] = {}
    for code in included:
        for gap in find_gaps(questionnaire, scores[code]):
            if gap.measure_id in scope:
                found.setdefault(gap.item_id, []).append((code, gap))
    library = get_library(session)
    shared = []
    for item_id, gaps in found.items():
        if 2 * len(gaps) > len(included):
            lowest = min(gap.level for _code, gap in gaps)
            guidance = guidance_for(questionnaire.items[item_id], lowest, questionnaire, library, limit=3)
            codes = sorted(code for code, _gap in gaps) if named else []
            shared.append(SharedGap(item_id, gaps[0][1].measure_id, codes, len(gaps), guidance))
    order = list(questionnaire.items)
    shared.sort(key=lambda gap: (-gap.count, order.index(gap.item_id)))
    return Workspace(countries, included if named else [], shared[:SHOWN_GAPS], named)


@dataclass(frozen=True)
class StrategyInput:
    title: str
    measures: list[str]
    actions: str
    lead: str
    resources: list[str]


def add_strategy(
    session: Session, user: User, workshop: Workshop, group: WorkshopGroup, data: StrategyInput
) -> Strategy:
    if not may_work_in(session, user, workshop, group):
        raise PermissionDenied(N_("only the group's members and the facilitator can record its strategies"))
    questionnaire = questionnaire_of_workshop(session, workshop)
    library = get_library(session)
    title = " ".join(data.title.split())
    if not title or len(title) > 200:
        raise WorkshopError(N_("give the strategy a title of at most 200 characters"))
    if not data.measures or not set(data.measures) <= set(questionnaire.measures):
        raise WorkshopError(N_("link the strategy to at least one measure"))
    if not set(data.resources) <= set(library.resource_by_id):
        raise WorkshopError(N_("choose the resources from the list"))
    if len(data.lead) > 200:
        raise WorkshopError(N_("the lead is longer than 200 characters"))
    if too_long(data.actions.strip(), STRATEGY_ACTIONS):
        raise WorkshopError(N_("keep the actions to %(limit)s characters or fewer"), limit=STRATEGY_ACTIONS)
    strategy = Strategy(
        group_id=group.id,
        title=title,
        measures=sorted(set(data.measures)),
        actions=data.actions.strip(),
        lead=data.lead.strip(),
        resources=list(dict.fromkeys(data.resources)),
        created_by=user.id,
    )
    session.add(strategy)
    session.flush()
    return strategy


def strategies_of(session: Session, group: WorkshopGroup) -> list[Strategy]:
    return list(session.scalars(select(Strategy).filter_by(group_id=group.id).order_by(Strategy.created_at)))
