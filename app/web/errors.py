"""Error pages and JSON errors: a clear message for every failure, never a stack trace."""

from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.core.errors import AnswerError, ConflictError, CtsatError, NotFound, PermissionDenied


def describe(error: Exception) -> str:
    """The error's message for the user, in their language (domain errors carry a message id)."""
    if isinstance(error, CtsatError):
        return error.render(_)
    return str(error)


def as_sentence(text: str) -> str:
    """A message shown on its own: first letter capitalised and a full stop, where the script has them
    (domain messages are written as fragments, to be embedded in other text as well)."""
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?。।။" else text + "."


def _titles() -> dict[int, str]:
    return {
        400: _("The request could not be understood"),
        403: _("You do not have access to this"),
        404: _("Page not found"),
        405: _("This action is not allowed here"),
        409: _("Someone else changed this first"),
        413: _("The upload is too large"),
        429: _("Too many attempts"),
        500: _("Something went wrong on our side"),
    }


def _messages() -> dict[int, str]:
    return {
        400: _("Please check what you sent and try again."),
        403: _("Your account does not have permission for this page. Ask your country coordinator if you need access."),
        404: _("There is nothing at this address, or you do not have access to it."),
        405: _("Use the buttons and links on the page instead."),
        409: _("Reload the page to see the newer version; nothing you typed has been lost."),
        413: _("The file is larger than allowed."),
        429: _("Please wait a minute before trying again."),
        500: _("The error has been logged. Please try again in a moment."),
    }


def error_response(status: int, message: str | None = None) -> ResponseReturnValue:
    title = _titles().get(status, _titles()[500])
    text = message or _messages().get(status, _messages()[500])
    if (
        request.path.startswith("/api/")
        or request.path in ("/healthz", "/readyz", "/metrics")
        or request.accept_mimetypes.best == "application/json"
    ):
        return jsonify({"error": title, "message": text, "status": status}), status
    return render_template("errors/error.html", status=status, title=title, message=text), status


def register_errorhandlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> ResponseReturnValue:
        return error_response(
            400, _("Your form expired or was sent from elsewhere. Reload the page and send it again.")
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        status = error.code or 500
        return error_response(status if status in _titles() else 400 if status < 500 else 500)

    @app.errorhandler(NotFound)
    def not_found(error: NotFound) -> ResponseReturnValue:
        return error_response(404)

    @app.errorhandler(PermissionDenied)
    def denied(error: PermissionDenied) -> ResponseReturnValue:
        return error_response(403, describe(error) or None)

    @app.errorhandler(ConflictError)
    def conflict(error: ConflictError) -> ResponseReturnValue:
        return error_response(409, describe(error))

    @app.errorhandler(AnswerError)
    def bad_answer(error: AnswerError) -> ResponseReturnValue:
        return error_response(400, describe(error))

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> ResponseReturnValue:
        current_app.logger.exception("unhandled error", exc_info=error)
        return error_response(500)

    @app.errorhandler(InternalServerError)
    def internal(error: InternalServerError) -> ResponseReturnValue:
        return error_response(500)
