"""Country updates: a coordinator proposes additions to their own country's profile, an editor
approves them (applied to the profile and audited) or rejects them with a reason.

The caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.editorial import ProfileChange, ProfileUpdate, apply_update, profile_changes
from app.core.errors import N_, ConflictError, NotFound, PermissionDenied
from app.core.library import Country as CountryProfile
from app.core.limits import UPDATE_COMMENT, UPDATE_REASON, too_long
from app.models import Country, CountryUpdate, User
from app.models.base import utcnow
from app.services.editorial import (
    EntryInvalid,
    FieldError,
    country_profile,
    country_row,
    profile_errors,
    require_editor,
    validation_errors,
    write_profile,
)

REASON_MAX = UPDATE_REASON


@dataclass(frozen=True)
class UpdateView:
    """An update with what an editor needs to decide: the country, who sent it, the differences."""

    update: CountryUpdate
    country_name: str
    submitter: str
    reviewer: str | None
    proposal: ProfileUpdate
    changes: list[ProfileChange]


def can_propose(user: Any, code: str) -> bool:
    """Coordinators propose updates to their own country's profile only."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.active
        and user.role == "coordinator"
        and user.country_code == code.upper()
    )


def submit_update(session: Session, user: User, code: str, data: dict[str, Any], comment: str | None) -> CountryUpdate:
    if not can_propose(user, code):
        raise PermissionDenied(N_("Coordinators can propose updates to their own country's profile only."))
    row = country_row(session, code)
    try:
        proposal = ProfileUpdate.model_validate(data)
    except ValidationError as error:
        raise EntryInvalid(validation_errors(error)) from None
    errors = profile_errors(apply_update(CountryProfile(code=row.code, name=row.name), proposal))
    if proposal.empty:
        errors.append(FieldError("", "empty"))
    if too_long(comment, UPDATE_COMMENT):
        errors.append(FieldError("comment", "too_long"))
    if errors:
        raise EntryInvalid(errors)
    update = CountryUpdate(
        country_code=row.code,
        submitted_by=user.id,
        proposal=proposal.model_dump(mode="json", exclude_defaults=True),
        comment=(comment or "").strip() or None,
    )
    session.add(update)
    session.flush()
    return update


def updates_of(session: Session, user: User) -> list[CountryUpdate]:
    """The updates the user submitted, newest first."""
    query = select(CountryUpdate).filter_by(submitted_by=user.id).order_by(CountryUpdate.id.desc())
    return list(session.scalars(query))


def queue(session: Session, user: User, status: str = "pending") -> list[UpdateView]:
    require_editor(user)
    query = select(CountryUpdate).filter_by(status=status).order_by(CountryUpdate.id)
    if status != "pending":
        query = query.order_by(None).order_by(CountryUpdate.reviewed_at.desc()).limit(50)
    return [_view(session, update) for update in session.scalars(query)]


def pending_count(session: Session) -> int:
    return session.scalar(select(func.count(CountryUpdate.id)).filter_by(status="pending")) or 0


def get_update(session: Session, user: User, update_id: int) -> UpdateView:
    require_editor(user)
    update = session.get(CountryUpdate, update_id)
    if update is None:
        raise NotFound(f"update {update_id}")
    return _view(session, update)


def _view(session: Session, update: CountryUpdate) -> UpdateView:
    row = session.get(Country, update.country_code)
    assert row is not None  # a foreign key
    proposal = ProfileUpdate.model_validate(update.proposal)
    rows = session.execute(
        select(User.id, User.name).filter(User.id.in_([update.submitted_by, update.reviewed_by or 0]))
    )
    names = {user_id: name for user_id, name in rows}
    return UpdateView(
        update=update,
        country_name=row.name,
        submitter=names.get(update.submitted_by, ""),
        reviewer=names.get(update.reviewed_by) if update.reviewed_by else None,
        proposal=proposal,
        changes=profile_changes(country_profile(row), proposal),
    )


def _pending(session: Session, user: User, update_id: int) -> CountryUpdate:
    require_editor(user)
    update = session.get(CountryUpdate, update_id, with_for_update=True)
    if update is None:
        raise NotFound(f"update {update_id}")
    if update.status != "pending":
        raise ConflictError(N_("This update has already been reviewed."))
    return update


def approve_update(session: Session, user: User, update_id: int) -> CountryUpdate:
    """Apply the update to the profile (audited, indexed) and mark it approved."""
    update = _pending(session, user, update_id)
    row = country_row(session, update.country_code)
    profile = apply_update(country_profile(row), ProfileUpdate.model_validate(update.proposal))
    write_profile(session, user, row, profile, source="update")
    update.status, update.reviewed_by, update.reviewed_at = "approved", user.id, utcnow()
    session.flush()
    return update


def reject_update(session: Session, user: User, update_id: int, reason: str) -> CountryUpdate:
    """Reject with a reason the coordinator will read (required)."""
    update = _pending(session, user, update_id)
    reason = (reason or "").strip()
    if not reason:
        raise EntryInvalid([FieldError("reason", "missing")])
    if len(reason) > REASON_MAX:
        raise EntryInvalid([FieldError("reason", "too_long")])
    update.status, update.reason, update.reviewed_by, update.reviewed_at = "rejected", reason, user.id, utcnow()
    session.flush()
    return update
