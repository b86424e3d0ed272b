"""A user's own profile and password."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("account", __name__, url_prefix="/account")
