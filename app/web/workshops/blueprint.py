"""The workshops blueprint; its views live in the modules that ``routes`` imports."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("workshops", __name__)
