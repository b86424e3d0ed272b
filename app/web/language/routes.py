"""Choosing the interface language: a small form in the header on every page (no JavaScript needed).

The choice is kept in the session (visitors too) and, for a signed-in user, on the account, so
it follows them to their next sign-in. Before any choice, the browser's Accept-Language decides
(``app.web.extensions.select_locale``).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.web.database import db

blueprint = Blueprint("language", __name__)


def _same_site(target: str | None) -> str:
    """Back to the page the switcher was on; only same-site paths."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")) and not urlsplit(target).netloc:
        return target
    return url_for("main.home")


@blueprint.post("/language")
def choose() -> ResponseReturnValue:
    language = request.form.get("language", "")
    if language in current_app.config["LANGUAGES"]:
        session["language"] = language
        if current_user.is_authenticated and current_user.language != language:
            current_user.language = language
            db().commit()
    return redirect(_same_site(request.form.get("next")), code=303)
