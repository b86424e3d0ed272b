"""The content's version: one row whose token changes with every write to the questionnaires,
the library or the countries' profiles.

Database triggers (migration 0015) replace the token with a new random one on every insert,
update or delete of ``questionnaire_versions``, ``library_entries`` and ``countries``, whichever
code (or person) writes, so every process of every server can tell whether the questionnaires
and the library it holds in memory are current by reading one short row
(``app.services.catalog``). A rolled-back write leaves the old token, and a token is never
reused, so a copy made inside a rolled-back transaction is never taken for current.
"""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, IntPk


class ContentState(Base):
    __tablename__ = "content_state"

    id: Mapped[IntPk]
    token: Mapped[str] = mapped_column(String(32))
