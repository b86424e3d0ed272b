"""Single-use, expiring links: invitations (the invited person sets their own password) and
password resets. Only the SHA-256 of a link's token is stored; the token itself goes into one
e-mail and nowhere else.

Administrators invite anyone; a coordinator invites officials of their own country.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Collection
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.errors import N_, NotFound, PermissionDenied
from app.models import Invitation, PasswordReset, User
from app.models.base import utcnow
from app.services.accounts import (
    AccountRefused,
    create_user,
    normalise_email,
    password_problem,
    set_password,
    void_reset_links,
)
from app.services.administration import UserFields, checked_fields

COORDINATOR_INVITES = ("official",)


class LinkInvalid(AccountRefused):
    """The link is unknown, used, withdrawn or expired (one message for all: nothing to probe)."""

    def __init__(self) -> None:
        super().__init__("link_invalid", "token")


def new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# Invitations


def may_invite(actor: User, role: str, country_code: str | None) -> bool:
    if not actor.active:
        return False
    if actor.role == "admin":
        return True
    return actor.role == "coordinator" and role in COORDINATOR_INVITES and country_code == actor.country_code


def may_invite_anyone(actor: User) -> bool:
    return actor.active and actor.role in ("admin", "coordinator")


def invite(
    session: Session, actor: User, fields: UserFields, languages: Collection[str], days: int
) -> tuple[Invitation, str]:
    """A pending invitation and the token for its link (to be e-mailed at once)."""
    if actor.role == "coordinator":
        fields = replace(fields, country_code=actor.country_code)
    fields = checked_fields(session, fields, languages, None)
    if not may_invite(actor, fields.role, fields.country_code):
        raise PermissionDenied(N_("a coordinator invites officials of their own country; administrators invite anyone"))
    if _pending_for(session, fields.email) is not None:
        raise AccountRefused("invitation_pending", "email", fields.email)
    token, digest = new_token()
    now = utcnow()
    invitation = Invitation(
        email=fields.email,
        name=fields.name,
        role=fields.role,
        country_code=fields.country_code,
        agency=fields.agency,
        language=fields.language,
        token_hash=digest,
        invited_by=actor.id,
        sent_at=now,
        expires_at=now + timedelta(days=days),
    )
    session.add(invitation)
    session.flush()
    return invitation, token


def _pending_for(session: Session, email: str) -> Invitation | None:
    rows = session.scalars(
        select(Invitation).where(
            Invitation.email == email, Invitation.accepted_at.is_(None), Invitation.withdrawn_at.is_(None)
        )
    )
    now = utcnow()
    return next((row for row in rows if _aware(row.expires_at) > now), None)


def visible_invitations(session: Session, actor: User) -> list[Invitation]:
    """Invitations not yet accepted or withdrawn that the actor may manage, newest first."""
    if not may_invite_anyone(actor):
        return []
    statement = select(Invitation).where(Invitation.accepted_at.is_(None), Invitation.withdrawn_at.is_(None))
    if actor.role != "admin":
        statement = statement.where(Invitation.country_code == actor.country_code, Invitation.role == "official")
    return list(session.scalars(statement.order_by(Invitation.sent_at.desc(), Invitation.id.desc())))


def get_invitation(session: Session, actor: User, invitation_id: int) -> Invitation:
    invitation = session.get(Invitation, invitation_id)
    if invitation is None or invitation.accepted_at is not None or invitation.withdrawn_at is not None:
        raise NotFound("no such pending invitation")
    if not may_invite(actor, invitation.role, invitation.country_code):
        raise NotFound("no such pending invitation")  # another country's: not even its existence
    return invitation


def resend(session: Session, actor: User, invitation_id: int, days: int) -> tuple[Invitation, str]:
    """A new link (the old one stops working) and a new expiry."""
    invitation = get_invitation(session, actor, invitation_id)
    token, digest = new_token()
    now = utcnow()
    invitation.token_hash, invitation.sent_at, invitation.expires_at = digest, now, now + timedelta(days=days)
    invitation.invited_by = actor.id  # who sends it again answers for it now
    return invitation, token


def withdraw(session: Session, actor: User, invitation_id: int) -> Invitation:
    invitation = get_invitation(session, actor, invitation_id)
    invitation.withdrawn_at = utcnow()
    return invitation


def open_invitation(session: Session, token: str) -> Invitation:
    """The pending invitation of a link, or LinkInvalid."""
    if not token or len(token) > 100:
        raise LinkInvalid()
    invitation = session.scalars(select(Invitation).filter_by(token_hash=token_hash(token))).one_or_none()
    if invitation is None or invitation.accepted_at or invitation.withdrawn_at:
        raise LinkInvalid()
    if _aware(invitation.expires_at) <= utcnow():
        raise LinkInvalid()
    inviter = session.get(User, invitation.invited_by) if invitation.invited_by is not None else None
    if inviter is None or not may_invite(inviter, invitation.role, invitation.country_code):
        raise LinkInvalid()  # the inviter left, or no longer invites for this country and role
    return invitation


def accept(session: Session, token: str, name: str, password: str) -> User:
    """Create the invited person's account with the password they chose; the link is used up."""
    invitation = open_invitation(session, token)
    if session.scalar(select(User.id).filter_by(email=invitation.email)) is not None:
        raise AccountRefused("email_taken", "email", invitation.email)
    if problem := password_problem(password, invitation.email, name):
        raise AccountRefused(problem, "new_password")
    user = create_user(
        session,
        invitation.email,
        name.strip() or invitation.name,
        password,
        invitation.role,
        invitation.country_code,
        invitation.agency,
        invitation.language,
    )
    invitation.accepted_at, invitation.user_id = utcnow(), user.id
    return user


# Password resets


def request_reset(session: Session, email: str, minutes: int) -> tuple[User, str] | None:
    """A reset link's token for the active account with this address, or None (the caller answers
    the same either way). Earlier unused links of the account stop working."""
    user = session.scalars(select(User).filter_by(email=normalise_email(email))).one_or_none()
    if user is None or not user.active:
        return None
    void_reset_links(session, user)
    token, digest = new_token()
    session.add(PasswordReset(user_id=user.id, token_hash=digest, expires_at=utcnow() + timedelta(minutes=minutes)))
    session.flush()
    return user, token


def open_reset(session: Session, token: str) -> PasswordReset:
    if not token or len(token) > 100:
        raise LinkInvalid()
    reset = session.scalars(select(PasswordReset).filter_by(token_hash=token_hash(token))).one_or_none()
    if reset is None or reset.used_at is not None or _aware(reset.expires_at) <= utcnow():
        raise LinkInvalid()
    return reset


def complete_reset(session: Session, token: str, password: str) -> User:
    """Set the new password (checked as any new one); every session of the user ends."""
    reset = open_reset(session, token)
    user = session.get(User, reset.user_id)
    if user is None or not user.active:
        raise LinkInvalid()
    if problem := password_problem(password, user.email, user.name):
        raise AccountRefused(problem, "new_password")
    set_password(user, password)
    reset.used_at = utcnow()
    return user
