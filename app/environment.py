"""What the machine lacks that parts of CTSAT need (``ctsat doctor``)."""

from __future__ import annotations

import ctypes.util
import shutil
from pathlib import Path

NOTO_FOLDERS = (Path("/usr/share/fonts/truetype/noto"), Path("/usr/share/fonts/opentype/noto"))


def missing_parts() -> list[str]:
    notes = []
    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        notes.append("Chromium is not installed: browser tests will be skipped (make system-packages installs it).")
    if ctypes.util.find_library("harfbuzz-subset") is None:
        notes.append("libharfbuzz-subset0 is missing: PDF reports will be written far more slowly.")
    if not any((folder / "NotoSansThai-Regular.ttf").exists() for folder in NOTO_FOLDERS):
        notes.append("Noto fonts (fonts-noto-core, fonts-noto-cjk) are missing: non-Latin scripts may print as boxes.")
    return notes


def production_problems(config: dict[str, object], environ: dict[str, str]) -> list[str]:
    """What a production start lacks, each in plain words (``ctsat doctor --production``).

    Checks the settings only; the command also asks the database and Redis whether they answer.
    """
    problems = []
    key = environ.get("SECRET_KEY", "")
    if not key:
        problems.append(
            "SECRET_KEY is not set in the environment: sessions would be signed with a key generated into the "
            "instance folder, which other servers do not share. Set it to a long random value, the same on every "
            'server (python3 -c "import secrets; print(secrets.token_hex(32))").'
        )
    elif len(key) < 32:
        problems.append("SECRET_KEY is shorter than 32 characters: use a long random value.")
    if not config.get("SESSION_COOKIE_SECURE"):
        problems.append(
            "CTSAT_HTTPS is not 1: cookies are sent without the Secure flag and no HSTS header is set. Serve CTSAT "
            "over HTTPS behind Caddy or nginx (docs/deploy.md) and set CTSAT_HTTPS=1."
        )
    if not config.get("SMTP_URL"):
        problems.append(
            "CTSAT_SMTP_URL is not set: invitations and reminders would be written as files in instance/mail/ "
            "instead of being sent. Set it to smtp://user:password@host:587 (or smtps://…)."
        )
    url = str(config.get("DATABASE_URL", ""))
    servers = int(str(config.get("SERVERS", 1)))
    if servers > 1 and url.startswith("sqlite"):
        problems.append(
            f"CTSAT_SERVERS is {servers} but the database is SQLite, a file on one machine: use PostgreSQL "
            "(DATABASE_URL=postgresql://…) so that every server shares one database."
        )
    if servers > 1 and not config.get("REDIS_URL"):
        problems.append(
            f"CTSAT_SERVERS is {servers} but REDIS_URL is not set: the task queue would live in a file on one "
            "machine. Run Redis and set REDIS_URL=redis://host:6379/0 on every server."
        )
    if url.startswith("postgresql") and shutil.which("pg_dump") is None:
        problems.append("pg_dump is not installed: `ctsat backup` needs it (Debian package postgresql-client).")
    if ctypes.util.find_library("harfbuzz-subset") is None:
        problems.append("libharfbuzz-subset0 is not installed: PDF reports will be written far more slowly.")
    if not any((folder / "NotoSansThai-Regular.ttf").exists() for folder in NOTO_FOLDERS):
        problems.append(
            "Noto fonts are not installed (fonts-noto-core, fonts-noto-cjk): Thai, Khmer, Chinese and other "
            "scripts would print as boxes in PDF reports."
        )
    return problems
