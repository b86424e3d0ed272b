"""Security headers on every response, and no-store on everything that may carry assessment data."""

from __future__ import annotations

from flask import Flask, Response, current_app, request, session
from flask_login import current_user

# Public resource-centre pages a shared cache may keep (for anonymous visitors only).
PUBLIC_BLUEPRINTS = frozenset({"library", "search"})

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    return response


def may_be_stored() -> bool:
    """Static files, and public resource-centre pages for a visitor who is not signed in."""
    endpoint = request.endpoint or ""
    if endpoint == "static" or endpoint.endswith(".static"):
        return True
    if request.blueprint not in PUBLIC_BLUEPRINTS:
        return False  # decided without asking who is signed in: that would load the user (a query)
    return not getattr(current_user, "is_authenticated", False)


def add_no_store(response: Response) -> Response:
    """``Cache-Control: no-store`` on every response to a signed-in user and every private page;
    ``private`` on a public page that sets the visitor's session cookie (its CSRF token is in the
    page): a shared cache must not hand one visitor's session to the next."""
    existing = response.headers.get("Cache-Control", "")
    if may_be_stored():
        if _sets_session_cookie() and "private" not in existing:
            response.headers["Cache-Control"] = f"private, {existing}" if existing else "private"
        return response
    if "no-store" not in existing:
        response.headers["Cache-Control"] = "private, no-store" if "private" in existing else "no-store"
    return response


def _sets_session_cookie() -> bool:
    """Whether Flask will send the session cookie with this response (it is added after these hooks)."""
    return bool(current_app.session_interface.should_set_cookie(current_app, session))


def register_headers(app: Flask) -> None:
    app.after_request(add_security_headers)
    app.after_request(add_no_store)
    if app.config.get("SESSION_COOKIE_SECURE"):
        app.after_request(_hsts)


def _hsts(response: Response) -> Response:
    response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response
