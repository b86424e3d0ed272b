"""Accounts: create users, check passwords (Argon2), find who may sign in."""

from __future__ import annotations

from collections.abc import Collection

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.errors import N_, CtsatError
from app.models import User
from app.models.base import utcnow
from app.models.users import ROLES

# Argon2id at OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): about 0.1 s per hash
# on these 2-core machines, where argon2-cffi's default profile (64 MiB, 4 lanes) takes 0.6 s
# and makes each sign-in slow. Hashes made with other parameters are upgraded at sign-in.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
_DUMMY_HASH = _hasher.hash("not a real password")
MIN_PASSWORD = 10


class AccountError(CtsatError, ValueError):
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
        raise AccountError(N_("unknown role '%(role)s': use one of %(roles)s"), role=role, roles=", ".join(ROLES))
    if role in ("official", "coordinator") and not country_code:
        raise AccountError(N_("a %(role)s needs a country"), role=role)
    if len(password) < MIN_PASSWORD:
        raise AccountError(N_("the password needs at least %(count)s characters"), count=MIN_PASSWORD)
    email = normalise_email(email)
    if session.scalar(select(func.count(User.id)).filter_by(email=email)):
        raise AccountError(N_("a user with the email %(email)s exists already"), email=email)
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
        raise AccountError(N_("the password needs at least %(count)s characters"), count=MIN_PASSWORD)
    user.password_hash = _hasher.hash(password)


class AccountRefused(AccountError):
    """A change refused for a reason the web words for the user.

    ``reason`` is a stable code (e.g. ``email_taken``), ``field`` the input it concerns.
    """

    def __init__(self, reason: str, field: str, detail: str = "") -> None:
        self.reason = reason
        self.field = field
        super().__init__(f"{field}: {reason}{f' ({detail})' if detail else ''}")


NAME_MAX = 200
AGENCY_MAX = 200


def check_password(user: User, password: str) -> bool:
    """Whether the password is the user's current one."""
    try:
        return bool(_hasher.verify(user.password_hash, password))
    except (VerificationError, InvalidHashError):
        return False


def change_password(user: User, current: str, new: str) -> None:
    """The user's own change: the current password first, then a new one of MIN_PASSWORD characters."""
    if not check_password(user, current):
        raise AccountRefused("wrong_password", "current_password")
    if len(new) < MIN_PASSWORD:
        raise AccountRefused("password_short", "new_password")
    set_password(user, new)


def clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise AccountRefused("name_missing", "name")
    if len(name) > NAME_MAX:
        raise AccountRefused("too_long", "name")
    return name


def clean_agency(agency: str | None) -> str | None:
    agency = " ".join((agency or "").split())
    if len(agency) > AGENCY_MAX:
        raise AccountRefused("too_long", "agency")
    return agency or None


def update_profile(user: User, name: str, agency: str | None, language: str, languages: Collection[str]) -> None:
    """What every user may change about themselves: name, agency and interface language."""
    if language not in languages:
        raise AccountRefused("language_unknown", "language", language)
    name, agency = clean_name(name), clean_agency(agency)
    user.name, user.agency, user.language = name, agency, language
