"""Countries (and member organisations) of the Bali Process."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, ShortText, Updated


class Country(Base):
    __tablename__ = "countries"

    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    name: Mapped[ShortText]
    kind: Mapped[str] = mapped_column(String(20), default="state")
    subregion: Mapped[str | None] = mapped_column(String(60))
    profile: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[Updated]
