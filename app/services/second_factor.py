"""The second factor: TOTP (RFC 6238) codes from an authenticator app, and one-time recovery codes.

A code is accepted for the current 30-second step or one either side (clock drift), and only for a
step later than the last one accepted: a code that was seen once never works again.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

import pyotp
import segno
from sqlalchemy import or_, update
from sqlalchemy.orm import object_session
from sqlalchemy.orm.attributes import set_committed_value

from app.models import User
from app.services.accounts import end_sessions

REQUIRED_ROLES = frozenset({"admin", "editor", "facilitator", "coordinator"})
RECOVERY_CODES = 10
ISSUER = "CTSAT"
STEP = 30


def required_for(user: User, policy: str = "roles") -> bool:
    """Whether the user must sign in with a second factor ("all": everyone)."""
    return policy == "all" or user.role in REQUIRED_ROLES


def has_second_factor(user: User) -> bool:
    return bool(user.totp_secret)


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(uri: str, label: str) -> str:
    """The QR code of the link as inline SVG (no image request, nothing leaves the page), an image named ``label``."""
    svg = str(segno.make(uri, error="m").svg_inline(scale=4))
    safe_label = label.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{safe_label}" ', 1)


def current_code(secret: str, at: float | None = None) -> str:
    return str(pyotp.TOTP(secret).at(int(at if at is not None else time.time())))


def _matching_step(secret: str, code: str, after: int | None) -> int | None:
    code = "".join(code.split())
    if not (len(code) == 6 and code.isascii() and code.isdigit()):
        return None
    now_step = int(time.time()) // STEP
    totp = pyotp.TOTP(secret)
    for step in (now_step - 1, now_step, now_step + 1):
        if (after is None or step > after) and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def code_was_used(user: User, code: str) -> bool:
    """Whether ``code`` is one of the user's codes of now (± one step) that was accepted already:
    signing in twice within 30 seconds needs the app's next code, and the person should be told so."""
    if not user.totp_secret or user.totp_last_step is None:
        return False
    step = _matching_step(user.totp_secret, code, None)
    return step is not None and step <= user.totp_last_step


def next_unused_step(user: User, at: float | None = None) -> int:
    """The first 30-second step whose code the user has not used yet (now, or the next one)."""
    now_step = int(at if at is not None else time.time()) // STEP
    return max(now_step, (user.totp_last_step or 0) + 1)


def check_code(user: User, code: str) -> bool:
    """Whether ``code`` is the user's current TOTP code, not used before; remembers it as used."""
    if not user.totp_secret:
        return False
    step = _matching_step(user.totp_secret, code, user.totp_last_step)
    return step is not None and _claim_step(user, step)


def _claim_step(user: User, step: int) -> bool:
    """Record ``step`` as used in one statement that succeeds only if no other request used it (or
    a later one) first: two sign-ins racing with the same code cannot both get in."""
    session = object_session(user)
    if session is None:  # an account not read from the database
        user.totp_last_step = step
        return True
    unused = or_(User.totp_last_step.is_(None), User.totp_last_step < step)
    statement = update(User).where(User.id == user.id, unused).values(totp_last_step=step)
    claimed = session.execute(statement.execution_options(synchronize_session=False))
    if getattr(claimed, "rowcount", 0) != 1:
        return False
    set_committed_value(user, "totp_last_step", step)
    return True


def enroll(user: User, secret: str, code: str) -> list[str] | None:
    """Turn the second factor on with a secret the user's app shows ``code`` for: the new recovery
    codes (shown once), or None when the code does not match."""
    step = _matching_step(secret, code, None)
    if step is None:
        return None
    user.totp_secret, user.totp_last_step = secret, step
    return new_recovery_codes(user)


def _digest(code: str) -> str:
    return hashlib.sha256("".join(code.lower().split()).replace("-", "").encode()).hexdigest()


def new_recovery_codes(user: User) -> list[str]:
    """Ten fresh one-time codes (the old ones stop working); only their hashes are kept."""
    codes = [f"{secrets.token_hex(4)}-{secrets.token_hex(4)}" for _ in range(RECOVERY_CODES)]
    user.recovery_codes = [_digest(code) for code in codes]
    return codes


def use_recovery_code(user: User, code: str) -> bool:
    """Whether ``code`` is one of the user's unused recovery codes; it is used up if so."""
    if len(code) > 40:
        return False
    digest = _digest(code)
    remaining = list(user.recovery_codes or [])
    for stored in remaining:
        if hmac.compare_digest(stored, digest):
            remaining.remove(stored)
            user.recovery_codes = remaining
            return True
    return False


def remove(user: User) -> None:
    """Forget the second factor (an administrator's reset of a lost one): every session ends, and
    the next sign-in asks the user to set one up again if their role needs it."""
    user.totp_secret, user.totp_last_step, user.recovery_codes = None, None, []
    end_sessions(user)
