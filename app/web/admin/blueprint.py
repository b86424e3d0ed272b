from __future__ import annotations

from flask import Blueprint
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.core.errors import N_, PermissionDenied
from app.web.extensions import login_manager

blueprint = Blueprint("admin", __name__, url_prefix="/admin")


@blueprint.before_request
def administrators_only() -> ResponseReturnValue | None:
    """Anonymous visitors are sent to sign in; signed-in users other than administrators get 403."""
    if not current_user.is_authenticated:
        response: ResponseReturnValue = login_manager.unauthorized()
        return response
    if current_user.role != "admin":
        raise PermissionDenied(N_("Only administrators can manage users and countries."))
    return None
