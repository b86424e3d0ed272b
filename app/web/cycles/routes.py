"""Assessment cycles: start, assign measures, submit, review, send back, finalise, next cycle."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("cycles", __name__, url_prefix="/assessments")
