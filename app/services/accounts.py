"""Accounts: create users, check passwords (Argon2), find who may sign in."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import User
from app.models.base import utcnow
from app.models.users import ROLES

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not a real password")
MIN_PASSWORD = 10


class AccountError(ValueError):
    """A user cannot be created or changed as asked."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_user(
    session: Session,
    email: str,
    name: str,
    password: str,
    role: str,
    country_code: str | None = None,
    agency: str | None = None,
    language: str = "en",
) -> User:
    if role not in ROLES:
        raise AccountError(f"unknown role '{role}': use one of {', '.join(ROLES)}")
    if role in ("official", "coordinator") and not country_code:
        raise AccountError(f"a {role} needs a country")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password needs at least {MIN_PASSWORD} characters")
    email = normalise_email(email)
    if session.scalar(select(func.count(User.id)).filter_by(email=email)):
        raise AccountError(f"a user with the email {email} exists already")
    user = User(
        email=email,
        name=name,
        password_hash=_hasher.hash(password),
        role=role,
        country_code=country_code,
        agency=agency,
        language=language,
    )
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with this email and password, else None (in about the same time either way)."""
    user = session.scalars(select(User).filter_by(email=normalise_email(email))).one_or_none()
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.last_login_at = utcnow()
    return user


def set_password(user: User, password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password needs at least {MIN_PASSWORD} characters")
    user.password_hash = _hasher.hash(password)
