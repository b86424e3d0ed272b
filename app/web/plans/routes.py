"""The country's action plan, drafted from gaps."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("plans", __name__, url_prefix="/assessments")
