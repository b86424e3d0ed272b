"""Security events: who signed in or failed to, lock-outs, second-factor changes, invitations,
role changes and password resets. Never a password, code or link token."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import SecurityEvent, User

KINDS = (
    "sign_in",
    "sign_in_failed",
    "locked_out",
    "second_factor_failed",
    "second_factor_enrolled",
    "second_factor_reset",
    "recovery_code_used",
    "recovery_codes_renewed",
    "invitation_sent",
    "invitation_resent",
    "invitation_withdrawn",
    "invitation_accepted",
    "role_changed",
    "account_changed",
    "password_reset_requested",
    "password_reset",
    "password_changed",
)
PAGE_SIZE = 100


def record(
    session: Session,
    kind: str,
    *,
    user: User | None = None,
    actor: User | None = None,
    email: str = "",
    address: str = "",
    **detail: Any,
) -> None:
    session.add(
        SecurityEvent(
            kind=kind,
            user_id=user.id if user else None,
            actor_id=actor.id if actor else None,
            email=(email or (user.email if user else ""))[:254],
            address=address[:64],
            detail=detail,
        )
    )


def account_of(session: Session, email: str) -> User | None:
    """The account with this address, if any (failed sign-ins are shown to their owner)."""
    return session.scalars(select(User).where(User.email == email.strip().lower()[:254])).one_or_none()


@dataclass(frozen=True)
class EventQuery:
    kind: str | None = None
    email: str = ""
    since: datetime | None = None


def events(session: Session, query: EventQuery, limit: int = PAGE_SIZE) -> list[SecurityEvent]:
    """The newest events matching the filters."""
    conditions = []
    if query.kind:
        conditions.append(SecurityEvent.kind == query.kind)
    if text := query.email.strip().lower():
        conditions.append(func.lower(SecurityEvent.email).contains(text, autoescape=True))
    if query.since:
        conditions.append(SecurityEvent.at >= query.since)
    statement = select(SecurityEvent).where(*conditions).order_by(SecurityEvent.id.desc()).limit(limit)
    return list(session.scalars(statement))


def recent_sign_ins(session: Session, user: User, limit: int = 10) -> list[SecurityEvent]:
    """The user's own recent sign-ins and failed tries, newest first."""
    statement = (
        select(SecurityEvent)
        .where(SecurityEvent.user_id == user.id, SecurityEvent.kind.in_(("sign_in", "sign_in_failed", "locked_out")))
        .order_by(SecurityEvent.id.desc())
        .limit(limit)
    )
    return list(session.scalars(statement))
