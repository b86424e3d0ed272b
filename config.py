"""Settings from the environment, with safe defaults for development."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
INSTANCE = Path(os.environ.get("CTSAT_INSTANCE", ROOT / "instance"))
TRANSLATIONS = ROOT / "app" / "translations"  # the interface's (and reports') gettext catalogues

# English and the languages of the member states' officials (issue 14); Arabic is right-to-left.
LANGUAGES = ("en", "th", "id", "vi", "km", "lo", "my", "mn", "ne", "si", "zh", "ar")  # zh: Chinese (Simplified)


def _secret_key() -> str:
    """SECRET_KEY from the environment; in development, one generated once and kept in instance/."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    INSTANCE.mkdir(mode=0o700, parents=True, exist_ok=True)
    stored = INSTANCE / "secret_key"
    if not stored.exists():
        stored.write_text(secrets.token_hex(32))
        stored.chmod(0o600)
    return stored.read_text().strip()


def database_url() -> str:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE / 'ctsat.db'}"
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def backup_hour(raw: str) -> int | None:
    """CTSAT_BACKUP_HOUR: the hour (0-23, UTC) of the worker's nightly backup, or "off" for none."""
    if raw.strip().lower() == "off":
        return None
    if raw.strip().isascii() and raw.strip().isdigit() and int(raw) < 24:
        return int(raw)
    raise ValueError(f"CTSAT_BACKUP_HOUR must be an hour from 0 to 23 (UTC) or off, not {raw!r}")


def load_config(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    https = os.environ.get("CTSAT_HTTPS", "") == "1"
    raw_megabytes = os.environ.get("CTSAT_EVIDENCE_MAX_MB", "20")
    evidence_megabytes = int(raw_megabytes) if raw_megabytes.isascii() and raw_megabytes.isdigit() else 20
    config: dict[str, Any] = {
        "SECRET_KEY": (overrides or {}).get("SECRET_KEY") or _secret_key(),
        "DATABASE_URL": database_url(),
        "QUESTIONNAIRES_PATH": Path(os.environ.get("CTSAT_QUESTIONNAIRES", ROOT / "questionnaires")),
        "REPORTS_PATH": Path(os.environ.get("CTSAT_REPORTS", ROOT / "reports")),
        "INSTANCE_PATH": INSTANCE,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": https,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": https,
        "PREFERRED_URL_SCHEME": "https" if https else "http",
        # Request bodies: 10 MB, or an evidence file of the largest size allowed and its form.
        "MAX_CONTENT_LENGTH": max(10, evidence_megabytes + 1) * 1024 * 1024,
        "EVIDENCE_PATH": os.environ.get("CTSAT_EVIDENCE") or None,  # default: INSTANCE_PATH/evidence
        "EVIDENCE_MAX_BYTES": evidence_megabytes * 1024 * 1024,
        "WTF_CSRF_TIME_LIMIT": None,
        # Counted in the app's own database by default, so every worker and server shares the
        # count (app/web/rate_limits.py); "redis://host:6379" where Redis is run.
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "ctsat-database://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT": os.environ.get("CTSAT_LOGIN_RATE_LIMIT", "10 per minute"),
        # A session ends after this long without a request, and this long after sign-in whatever.
        "SESSION_IDLE_SECONDS": 60 * int(os.environ.get("CTSAT_SESSION_IDLE_MINUTES", "120")),
        "SESSION_LIFETIME_SECONDS": 3600 * int(os.environ.get("CTSAT_SESSION_LIFETIME_HOURS", "12")),
        # E-mail: SMTP when set (smtp://user:password@host:587 with STARTTLS, smtps://… for TLS),
        # else every message is written as an .eml file in instance/mail/. smtp:// always uses STARTTLS:
        # a server that offers none is refused unless it runs on this machine (a local relay).
        "SMTP_URL": os.environ.get("CTSAT_SMTP_URL", ""),
        "MAIL_FROM": os.environ.get("CTSAT_MAIL_FROM", "CTSAT <no-reply@ctsat.localhost>"),
        # Operations (docs/deploy.md): one JSON line per request; Prometheus metrics at /metrics
        # when CTSAT_METRICS=1; Redis for the task queue (and /readyz checks it) when REDIS_URL is set.
        "REQUEST_LOG": os.environ.get("CTSAT_REQUEST_LOG", "1") != "0",
        "METRICS": os.environ.get("CTSAT_METRICS", "") == "1",
        "REDIS_URL": os.environ.get("REDIS_URL", ""),
        # How many app servers share the database (ctsat doctor --production: more than one needs
        # PostgreSQL and Redis).
        "SERVERS": int(os.environ.get("CTSAT_SERVERS", "1")),
        "BACKUP_DIR": Path(os.environ.get("CTSAT_BACKUP_DIR", INSTANCE / "backups")),
        "BACKUP_KEEP": int(os.environ.get("CTSAT_BACKUP_KEEP", "14")),
        # The worker backs up into BACKUP_DIR every night at BACKUP_HOUR:30 UTC and keeps the newest
        # BACKUP_KEEP (once, however many workers run); CTSAT_BACKUP_HOUR=off: no nightly backup.
        "BACKUP_HOUR": backup_hour(os.environ.get("CTSAT_BACKUP_HOUR", "2")),
        # A report expected to take longer than this is rendered by the worker, not in the request.
        "REPORT_INLINE_SECONDS": float(os.environ.get("CTSAT_REPORT_INLINE_SECONDS", "4")),
        # Links in e-mails sent outside a request (reminders, digests) start with this address.
        "BASE_URL": os.environ.get("CTSAT_BASE_URL", "http://127.0.0.1:5000"),
        # Admins, editors, facilitators and coordinators always sign in with a second factor;
        # "all" requires it of everyone.
        "REQUIRE_SECOND_FACTOR": os.environ.get("CTSAT_REQUIRE_SECOND_FACTOR", "roles"),
        "INVITATION_DAYS": int(os.environ.get("CTSAT_INVITATION_DAYS", "7")),
        "PASSWORD_RESET_MINUTES": int(os.environ.get("CTSAT_PASSWORD_RESET_MINUTES", "60")),
        # Administrators may read the .eml outbox in the app when no SMTP server is configured.
        "SHOW_OUTBOX": os.environ.get("CTSAT_SHOW_OUTBOX", "1") == "1",
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_TRANSLATION_DIRECTORIES": str(TRANSLATIONS),
        "TRANSLATIONS_PATH": TRANSLATIONS,
        "LANGUAGES": list(LANGUAGES),
    }
    config.update(overrides or {})
    return config
