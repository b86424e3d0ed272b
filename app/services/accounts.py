"""Accounts: create users, check passwords (Argon2), find who may sign in."""

from __future__ import annotations

import re
from collections.abc import Collection

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session, object_session
from zxcvbn import zxcvbn

from app.core.errors import N_, CtsatError
from app.models import PasswordReset, User
from app.models.base import utcnow
from app.models.users import ROLES
from app.services.throttle import SignInThrottle

# Argon2id at OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): about 0.1 s per hash
# on these 2-core machines, where argon2-cffi's default profile (64 MiB, 4 lanes) takes 0.6 s
# and makes each sign-in slow. Hashes made with other parameters are upgraded at sign-in.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
_DUMMY_HASH = _hasher.hash("not a real password")
MIN_PASSWORD = 12
PASSWORD_MAX = 200
# zxcvbn's score (0-4) estimates how many guesses a password needs against its bundled lists of
# common passwords, words and names; 3 is "safely unguessable" for an online attack.
MIN_PASSWORD_SCORE = 3


class AccountError(CtsatError, ValueError):
    """A user cannot be created or changed as asked."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


EMAIL_MAX = 254
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


def valid_email(email: str) -> bool:
    """Whether a (normalised) address looks like one: something@domain.tld, at most 254 characters."""
    return len(email) <= EMAIL_MAX and _EMAIL.match(email) is not None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


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
    email = normalise_email(email)
    if problem := password_problem(password, email, name):
        raise AccountError(PASSWORD_PROBLEMS[problem], count=MIN_PASSWORD)
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


PASSWORD_PROBLEMS = {
    "password_short": N_("the password needs at least %(count)s characters"),
    "password_long": N_("the password is too long"),
    "password_common": N_(
        "this password is too easy to guess: it is a common password or close to one, or to your name or"
        " e-mail. A few unrelated words make a strong one"
    ),
}


def password_problem(password: str, *personal: str | None) -> str | None:
    """Why a new password is refused (a key of PASSWORD_PROBLEMS), or None when it is good."""
    if len(password) < MIN_PASSWORD:
        return "password_short"
    if len(password) > PASSWORD_MAX:
        return "password_long"
    words = [part for text in personal if text for part in text.replace("@", " ").replace(".", " ").split()]
    if zxcvbn(password[:100], user_inputs=words)["score"] < MIN_PASSWORD_SCORE:
        return "password_common"
    return None


def end_sessions(user: User) -> None:
    """End every session of the user, on every worker and server (the next request is signed out)."""
    user.session_generation = (user.session_generation or 0) + 1


class TooManyFailures(AccountError):
    """Sign-in refused without checking the password: too many failures for this address just now."""

    def __init__(self, wait_seconds: int) -> None:
        self.wait_seconds = wait_seconds
        minutes = max(1, -(-wait_seconds // 60))
        super().__init__(
            N_("too many failed sign-ins for this e-mail address: try again in %(minutes)s min"),
            minutes=minutes,
        )


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with this email and password, else None (in about the same time either way).

    Failures are counted per address in the database (whether or not an account has it), so every
    worker and server sees them; after a few, TooManyFailures until a wait that doubles has passed.
    The caller commits either way, so that a failure is counted.
    """
    throttle = SignInThrottle.for_email(normalise_email(email))
    if wait := throttle.wait(session):
        raise TooManyFailures(wait)
    user = session.scalars(select(User).filter_by(email=normalise_email(email))).one_or_none()
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        throttle.failed(session)
        return None
    if user is None or not user.active:
        throttle.failed(session)
        return None
    throttle.succeeded(session)
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.last_login_at = utcnow()
    return user


def set_password(user: User, password: str) -> None:
    """A new password (checked as any new one) and the end of every session the user had."""
    if problem := password_problem(password, user.email, user.name):
        raise AccountError(PASSWORD_PROBLEMS[problem], count=MIN_PASSWORD)
    user.password_hash = _hasher.hash(password)
    end_sessions(user)
    session = object_session(user)
    if session is not None:
        void_reset_links(session, user)


def void_reset_links(session: Session, user: User) -> None:
    """Every unused password reset link of the user stops working: after a new password, or a
    new e-mail address (a link in the old mailbox must not take the account)."""
    for earlier in session.scalars(select(PasswordReset).filter_by(user_id=user.id, used_at=None)):
        earlier.used_at = utcnow()


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
    """The user's own change: the current password first, then a new one that passes
    ``password_problem``. Every session of the user ends (the caller may renew its own)."""
    if not check_password(user, current):
        raise AccountRefused("wrong_password", "current_password")
    if problem := password_problem(new, user.email, user.name):
        raise AccountRefused(problem, "new_password")
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
