"""The declarative base: naming convention for constraints and shared column types."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from sqlalchemy import JSON, CheckConstraint, DateTime, MetaData, String
from sqlalchemy.orm import DeclarativeBase, mapped_column

from app.core.limits import TEXT_COLUMNS

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        datetime: DateTime(timezone=True),
        dict[str, Any]: JSON,
        list[str]: JSON,
    }


IntPk = Annotated[int, mapped_column(primary_key=True)]
Created = Annotated[datetime, mapped_column(default=utcnow)]
Updated = Annotated[datetime, mapped_column(default=utcnow, onupdate=utcnow)]
ShortText = Annotated[str, mapped_column(String(200))]


def length_checks(table: str) -> tuple[CheckConstraint, ...]:
    """The table's ``length(column) <= limit`` constraints, from the limits stated in app.core.limits."""
    return tuple(
        CheckConstraint(f"length({column}) <= {limit}", name=f"{column}_length")
        for (owner, column), limit in TEXT_COLUMNS.items()
        if owner == table
    )
