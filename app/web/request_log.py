"""One JSON log line per request, and an ``X-Request-ID`` on every response.

A request id sent by the proxy (nginx ``$request_id``, Caddy ``{http.request.uuid}``) is kept
when it looks like an id; otherwise one is made. The line names the route's rule
(``/assessments/<int:assessment_id>``), not the path, so no token in a URL reaches the log.
"""

from __future__ import annotations

import re
import time
import uuid

from flask import Flask, Response, g, request

from app.observability import REQUEST_LOGGER, log_json

HEADER = "X-Request-ID"
_SAFE_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


def request_id() -> str:
    """This request's id (made on first use)."""
    if "request_id" not in g:
        sent = request.headers.get(HEADER, "")
        g.request_id = sent if _SAFE_ID.fullmatch(sent) else uuid.uuid4().hex
    found: str = g.request_id
    return found


def _start() -> None:
    g.request_started = time.perf_counter()
    request_id()


def _user_id() -> int | None:
    """The signed-in user's id if this request loaded one (never loads it just for the log)."""
    user = g.get("_login_user")
    if user is not None and getattr(user, "is_authenticated", False):
        return int(user.id)
    return None


def _log(response: Response) -> Response:
    started = g.get("request_started", time.perf_counter())
    response.headers[HEADER] = request_id()
    log_json(
        REQUEST_LOGGER,
        event="request",
        request_id=request_id(),
        user_id=_user_id(),
        method=request.method,
        route=request.url_rule.rule if request.url_rule else None,
        endpoint=request.endpoint,
        status=response.status_code,
        duration_ms=round((time.perf_counter() - started) * 1000, 1),
    )
    return response


def register_request_log(app: Flask) -> None:
    """Call first among the response hooks: Flask runs them in reverse, so this one runs last."""
    if not app.config.get("REQUEST_LOG", True):
        return
    app.before_request(_start)
    app.after_request(_log)
