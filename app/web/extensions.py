"""Unbound Flask extensions, initialised in the app factory."""

from __future__ import annotations

from flask import request, session
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFProtect

from app.web import rate_limits  # noqa: F401 - registers the "ctsat-database://" storage

login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
babel = Babel()

RTL_LANGUAGES = frozenset({"ar", "fa", "ur", "ps", "he", "dv"})


def select_locale() -> str | None:
    from flask import current_app

    languages = current_app.config["LANGUAGES"]
    chosen = session.get("language")
    if chosen in languages:
        return str(chosen)
    if current_user.is_authenticated and current_user.language in languages:
        return str(current_user.language)
    return request.accept_languages.best_match(languages)
