"""The action plan: actions drafted from gaps, ordered, edited, tracked across cycles.

Who may do what is decided here (pure functions at the top), so no caller can forget it:
the country's officials and coordinator draft the plan while the assessment is not final;
admins read it; once final, only the coordinator may still update an action's status, so
that progress can be tracked after the cycle closes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.actions import ActionFields
from app.core.errors import N_, CtsatError, NotFound, PermissionDenied, Translate
from app.core.gaps import Gap
from app.core.limits import PLAN_SHORT, PLAN_TEXT, PLAN_TITLE
from app.core.questionnaire import Questionnaire
from app.models import Action, Assessment, User
from app.models.assessments import ACTION_STATUSES
from app.security import COUNTRY_ROLES, can_start_assessment, can_view_assessment
from app.services.assessments import questionnaire_of

MAX_TITLE = PLAN_TITLE
MAX_SHORT = PLAN_SHORT
MAX_TEXT = PLAN_TEXT
UNFINISHED = frozenset(ACTION_STATUSES) - {"done", "dropped"}
DIRECTIONS = ("up", "down")


class ActionError(CtsatError):
    """An action's fields break a rule of the plan; ``field`` names the one to correct."""

    def __init__(self, field: str, message: str, **params: object) -> None:
        self.field = field
        super().__init__(message, **params)

    def render(self, translate: Translate) -> str:
        """``<field>: <message>``, the message translated."""
        return f"{self.field}: {super().render(translate)}"


# --- Permissions (pure) -------------------------------------------------------------------


def _of_country(user: User, assessment: Assessment) -> bool:
    return bool(user.active) and user.role in COUNTRY_ROLES and user.country_code == assessment.country_code


def can_edit_plan(user: User, assessment: Assessment) -> bool:
    """The country's officials and coordinator, while the assessment is not final."""
    return assessment.status != "final" and _of_country(user, assessment)


def can_update_action_status(user: User, assessment: Assessment) -> bool:
    """Whoever may edit the plan; after the cycle is final, the country's coordinator still may."""
    return can_edit_plan(user, assessment) or (_of_country(user, assessment) and user.role == "coordinator")


# --- Rules for an action's fields (pure) --------------------------------------------------


def items_outside_measure(questionnaire: Questionnaire, measure_id: str | None, item_ids: tuple[str, ...]) -> list[str]:
    """The items that are not items of the measure (all of them when the measure is unknown)."""
    measure = questionnaire.measures.get(measure_id or "")
    own = {item.id for item in measure.items} if measure else set()
    return [item_id for item_id in item_ids if item_id not in own]


def ends_before_start(start: date | None, end: date | None) -> bool:
    return start is not None and end is not None and end < start


def check_action(questionnaire: Questionnaire, draft: ActionFields) -> None:
    """Raises ActionError naming the first field that breaks a rule."""
    if not draft.title.strip():
        raise ActionError("title", N_("an action needs a title"))
    if len(draft.title) > MAX_TITLE:
        raise ActionError("title", N_("the title is longer than %(limit)s characters"), limit=MAX_TITLE)
    if draft.measure_id not in questionnaire.measures:
        raise ActionError(
            "measure_id", N_("%(measure)s is not a measure of this questionnaire"), measure=repr(draft.measure_id)
        )
    outside = items_outside_measure(questionnaire, draft.measure_id, draft.item_ids)
    if outside:
        raise ActionError(
            "item_ids", N_("%(items)s not in measure %(measure)s"), items=", ".join(outside), measure=draft.measure_id
        )
    if ends_before_start(draft.start, draft.end):
        raise ActionError("end", N_("the end date is before the start date"))
    if draft.status not in ACTION_STATUSES:
        raise ActionError(
            "status",
            N_("%(status)s is not one of %(statuses)s"),
            status=repr(draft.status),
            statuses=", ".join(ACTION_STATUSES),
        )
    for name, limit in (("lead_agency", MAX_SHORT), ("budget", MAX_SHORT), ("partners", MAX_TEXT)):
        if len(getattr(draft, name)) > limit:
            raise ActionError(name, N_("longer than %(limit)s characters"), limit=limit)
    if len(draft.indicator) > MAX_TEXT:
        raise ActionError("indicator", N_("longer than %(limit)s characters"), limit=MAX_TEXT)


def swap_target(order: list[int], action_id: int, direction: str) -> int | None:
    """The id of the neighbour an action swaps places with, or None at either end."""
    if direction not in DIRECTIONS:
        raise ActionError("direction", N_("%(direction)s is not up or down"), direction=repr(direction))
    index = order.index(action_id)
    other = index - 1 if direction == "up" else index + 1
    return order[other] if 0 <= other < len(order) else None


def action_fields(action: Action) -> ActionFields:
    return ActionFields(
        title=action.title,
        measure_id=action.measure_id,
        item_ids=tuple(action.item_ids or ()),
        lead_agency=action.lead_agency,
        partners=action.partners,
        start=action.start,
        end=action.end,
        budget=action.budget,
        indicator=action.indicator,
        status=action.status,
    )


# --- Reading the plan ---------------------------------------------------------------------


def open_plan(session: Session, user: User, assessment_id: int) -> Assessment:
    """The assessment whose plan the user may read; otherwise NotFound (never reveal it exists)."""
    assessment = session.get(Assessment, assessment_id)
    if assessment is None or not can_view_assessment(user, assessment):
        raise NotFound("no such assessment")
    return assessment


def plan_of(session: Session, assessment_id: int) -> list[Action]:
    """The actions of an assessment in plan order, in one query."""
    query = select(Action).filter_by(assessment_id=assessment_id).order_by(Action.position, Action.id)
    return list(session.scalars(query))


def get_action(session: Session, assessment: Assessment, action_id: int) -> Action:
    action = session.get(Action, action_id)
    if action is None or action.assessment_id != assessment.id:
        raise NotFound("no such action")
    return action


@dataclass(frozen=True)
class CarriedAction:
    """An action of this cycle carried from the previous one, with its status then and now."""

    action: Action
    source: Action | None


@dataclass(frozen=True)
class PlanProgress:
    previous: Assessment | None
    carried: list[CarriedAction] = field(default_factory=list)
    counts_now: Counter[str] = field(default_factory=Counter)
    counts_then: Counter[str] = field(default_factory=Counter)


def plan_progress(session: Session, assessment: Assessment, actions: list[Action]) -> PlanProgress:
    """Progress across cycles: what was carried from the previous cycle, and statuses then and now."""
    previous = session.get(Assessment, assessment.previous_id) if assessment.previous_id else None
    earlier = plan_of(session, previous.id) if previous else []
    by_id = {action.id: action for action in earlier}
    carried = [
        CarriedAction(action, by_id.get(action.carried_from_id))
        for action in actions
        if action.carried_from_id is not None
    ]
    return PlanProgress(
        previous,
        carried,
        Counter(action.status for action in actions),
        Counter(action.status for action in earlier),
    )


@dataclass(frozen=True)
class GapToPlan:
    gap: Gap
    actions: list[Action]


def gaps_to_plan(gaps: list[Gap], actions: list[Action], limit: int = 10) -> list[GapToPlan]:
    """The top gaps, each with the actions of the plan that already address its item."""
    return [
        GapToPlan(gap, [action for action in actions if gap.item_id in (action.item_ids or [])]) for gap in gaps[:limit]
    ]


# --- Changing the plan --------------------------------------------------------------------


def _require_edit(user: User, assessment: Assessment) -> None:
    if not can_edit_plan(user, assessment):
        raise PermissionDenied(N_("only the country's officials can change the plan, and only before it is final"))


def _apply(action: Action, draft: ActionFields) -> None:
    action.title = draft.title.strip()
    action.measure_id = draft.measure_id
    action.item_ids = list(dict.fromkeys(draft.item_ids))
    action.lead_agency = draft.lead_agency.strip()
    action.partners = draft.partners.strip()
    action.start, action.end = draft.start, draft.end
    action.budget = draft.budget.strip()
    action.indicator = draft.indicator.strip()
    action.status = draft.status


def add_action(session: Session, user: User, assessment: Assessment, draft: ActionFields) -> Action:
    """A new action at the end of the plan. Raises PermissionDenied or ActionError."""
    _require_edit(user, assessment)
    check_action(questionnaire_of(session, assessment), draft)
    last = session.scalar(select(func.max(Action.position)).filter_by(assessment_id=assessment.id))
    action = Action(assessment_id=assessment.id, position=(last or 0) + 1, created_by=user.id)
    _apply(action, draft)
    session.add(action)
    session.flush()
    return action


def update_action(session: Session, user: User, assessment: Assessment, action: Action, draft: ActionFields) -> None:
    _require_edit(user, assessment)
    check_action(questionnaire_of(session, assessment), draft)
    _apply(action, draft)
    session.flush()


def update_action_status(session: Session, user: User, assessment: Assessment, action: Action, status: str) -> None:
    """Only the status: allowed on a final cycle for its coordinator, to track progress."""
    if not can_update_action_status(user, assessment):
        raise PermissionDenied(N_("only the country's coordinator can update the status of a final plan"))
    if status not in ACTION_STATUSES:
        raise ActionError(
            "status",
            N_("%(status)s is not one of %(statuses)s"),
            status=repr(status),
            statuses=", ".join(ACTION_STATUSES),
        )
    action.status = status
    session.flush()


def move_action(session: Session, user: User, assessment: Assessment, action: Action, direction: str) -> bool:
    """Swap the action with its neighbour; False when it is already first (up) or last (down)."""
    _require_edit(user, assessment)
    actions = plan_of(session, assessment.id)
    other_id = swap_target([each.id for each in actions], action.id, direction)
    if other_id is None:
        return False
    for index, each in enumerate(actions, start=1):
        each.position = index  # make positions distinct before swapping
    other = next(each for each in actions if each.id == other_id)
    action.position, other.position = other.position, action.position
    session.flush()
    return True


def delete_action(session: Session, user: User, assessment: Assessment, action: Action) -> None:
    _require_edit(user, assessment)
    session.delete(action)
    session.flush()


def carry_over(
    session: Session, user: User, new_assessment: Assessment, previous_assessment: Assessment
) -> list[Action]:
    """Copy the previous cycle's unfinished actions (not done, not dropped) to the end of the
    new cycle's plan, each with ``carried_from_id`` set. Items and measures that the new
    questionnaire no longer has are left out. Actions already carried are not copied twice.
    Whoever may edit the new plan, or start the new cycle, may carry the old plan into it."""
    if not (can_edit_plan(user, new_assessment) or can_start_assessment(user, new_assessment.country_code)):
        raise PermissionDenied(N_("only the country's people can carry its plan into a new cycle"))
    if previous_assessment.country_code != new_assessment.country_code:
        raise PermissionDenied(N_("a plan can only be carried over within one country"))
    questionnaire = questionnaire_of(session, new_assessment)
    existing = plan_of(session, new_assessment.id)
    done_already = {action.carried_from_id for action in existing}
    position = max((action.position for action in existing), default=0)
    copies: list[Action] = []
    for source in plan_of(session, previous_assessment.id):
        if source.status not in UNFINISHED or source.id in done_already:
            continue
        position += 1
        copy = Action(assessment_id=new_assessment.id, position=position, created_by=user.id, carried_from_id=source.id)
        _apply(copy, action_fields(source))
        if copy.measure_id not in questionnaire.measures:
            copy.measure_id = None
        outside = set(items_outside_measure(questionnaire, copy.measure_id, tuple(copy.item_ids)))
        copy.item_ids = [item_id for item_id in copy.item_ids if item_id not in outside]
        session.add(copy)
        copies.append(copy)
    session.flush()
    return copies
