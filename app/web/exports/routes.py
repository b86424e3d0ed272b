"""Offline work: the assessment as an Excel workbook, CSV or JSON, and uploads back."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("exports", __name__, url_prefix="/assessments")
