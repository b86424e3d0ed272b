"""URL converters: an id in a URL is ASCII digits that fit an id column, else the page is 404."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.routing import BaseConverter, ValidationError

from app.core.numbers import ID_RANGE, NumberError, parse_int


class IdConverter(BaseConverter):
    """``<int:name>`` everywhere: "٣", "²", "-1" and 20-digit numbers match no route (404)."""

    regex = r"[0-9]{1,19}"
    weight = 50

    def to_python(self, value: str) -> int:
        try:
            return parse_int(value, 0, ID_RANGE[1], field="id")
        except NumberError:
            raise ValidationError() from None

    def to_url(self, value: Any) -> str:
        return str(int(value))


def register_converters(app: Flask) -> None:
    """Replace Werkzeug's ``int`` (which accepts any Unicode digit and any size); call before blueprints."""
    app.url_map.converters["int"] = IdConverter
    app.url_map.converters["id"] = IdConverter
