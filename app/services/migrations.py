"""Run Alembic migrations from code (``ctsat db-upgrade``, tests)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from app.models.database import create_private_sqlite_file
from config import ROOT


def alembic_config(url: str) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["url"] = url
    return config


def upgrade(url: str, revision: str = "head") -> None:
    if url.startswith("sqlite:///"):
        create_private_sqlite_file(url.removeprefix("sqlite:///"))
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)


def check(url: str) -> None:
    """Raise if the models and the migrations disagree."""
    command.check(alembic_config(url))
