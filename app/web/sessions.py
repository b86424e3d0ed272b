"""Sessions that end for real.

Flask keeps the session in a signed cookie, so the server must check something it stores to
end one: every session carries the user's ``session_generation`` from when it began, and the
user loader refuses a session whose generation is no longer the user's. Raising the generation
(sign-out, password change, deactivation, role or country change, "sign out everywhere") ends
every session of that user at once on every worker and server. The cookie also carries when the
session began and was last used, for the absolute lifetime and the idle timeout.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TypeGuard

from flask import current_app, flash, session
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from app.models import User
from app.web.database import db

GENERATION, STARTED, SEEN = "_generation", "_started", "_seen"
SEEN_RESOLUTION = 60  # seconds: the cookie is rewritten at most once a minute for the idle clock
KEPT_ACROSS_SIGN_IN = ("language",)


@dataclass(frozen=True)
class SignedIn:
    """Who the session says is signed in, once its clocks have been checked (no database read)."""

    user_id: int
    generation: int


def begin(user: User) -> None:
    """Sign the user in with a fresh session (nothing from before carries over but the language)."""
    kept = {key: session[key] for key in KEPT_ACROSS_SIGN_IN if key in session}
    session.clear()
    session.update(kept)
    login_user(user)
    now = int(time.time())
    session[GENERATION], session[STARTED], session[SEEN] = user.session_generation, now, now
    _adopt_chosen_language(user)


def _adopt_chosen_language(user: User) -> None:
    """A language chosen in the header before signing in is the person's latest choice: keep it on
    the account too, so e-mails and reports (made outside this session) come in the language the
    pages are shown in."""
    chosen = session.get("language")
    if isinstance(chosen, str) and chosen in current_app.config["LANGUAGES"] and user.language != chosen:
        user.language = chosen
        db().commit()


def renew(user: User) -> None:
    """Keep this session after the user's generation was raised by their own action (a password change)."""
    session[GENERATION] = user.session_generation


def end() -> None:
    """Sign out of this browser (the caller raises the generation to end the user's other sessions)."""
    logout_user()
    _clear()


ENDED = "session_ended"


def refuse() -> None:
    """Forget a session that is over. Called by the user loader, so neither ``logout_user`` nor a
    translated message here (choosing the language asks for the user again); the sign-in page
    says that the session ended (``tell_if_ended``)."""
    _clear()
    session[ENDED] = True


def tell_if_ended() -> None:
    if session.pop(ENDED, False):
        flash(_("Your session has ended. Sign in again to go on."), "info")


def _clear() -> None:
    kept = {key: session[key] for key in KEPT_ACROSS_SIGN_IN if key in session}
    session.clear()
    session.update(kept)


def signed_in() -> SignedIn | None:
    """The session's user and generation if it is still within its lifetime and idle time."""
    user_id, generation = session.get("_user_id"), session.get(GENERATION)
    started, seen = session.get(STARTED), session.get(SEEN)
    if not isinstance(user_id, str) or not (user_id.isascii() and user_id.isdigit() and len(user_id) <= 18):
        return None
    if not (_is_int(generation) and _is_int(started) and _is_int(seen)):
        return None
    now = time.time()
    lifetime = current_app.config["SESSION_LIFETIME_SECONDS"]
    idle = current_app.config["SESSION_IDLE_SECONDS"]
    if now - started > lifetime or now - seen > idle or started > now + 60:
        return None
    if now - seen >= SEEN_RESOLUTION:
        session[SEEN] = int(now)
    return SignedIn(int(user_id), generation)


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def is_current(user: User, who: SignedIn) -> bool:
    return user.active and user.id == who.user_id and user.session_generation == who.generation
