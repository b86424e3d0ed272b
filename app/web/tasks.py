"""Background tasks that need the app (database, templates, links): the reminder schedule and the
daily digest, plus the record of failed tasks for administrators. The consumer (``ctsat worker``)
imports this module; e-mail delivery itself is ``app.services.mail.deliver_mail``."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from flask import Flask
from huey import crontab
from huey.signals import SIGNAL_ERROR

from app.models import TaskFailure
from app.services.queue import huey
from app.web import notify
from app.web.database import db

log = logging.getLogger(__name__)
_app: Flask | None = None


def bind_app(app: Flask) -> None:
    """The app the tasks of this process use (the consumer's, or a test's)."""
    global _app
    _app = app


def task_app() -> Flask:
    global _app
    if _app is None:
        from app.web.factory import create_app

        _app = create_app()
    return _app


def run_reminders(app: Flask, today: date | None = None) -> int:
    """Due-soon and overdue reminders for today; how many notices were recorded."""
    with app.app_context(), app.test_request_context(base_url=app.config["BASE_URL"]):
        count = notify.send_reminders(db(), today or date.today())
        db().commit()
    return count


def run_digests(app: Flask) -> int:
    with app.app_context(), app.test_request_context(base_url=app.config["BASE_URL"]):
        count = notify.send_digests(db())
        db().commit()
    return count


@huey.periodic_task(crontab(minute="7"), retries=2, retry_delay=300)
def reminders_task() -> int:
    """Every hour: reminders are recorded once, so running often only makes them timely."""
    return run_reminders(task_app())


@huey.periodic_task(crontab(hour="6", minute="30"), retries=2, retry_delay=600)
def digests_task() -> int:
    """Every morning (UTC): one digest e-mail per person who chose digests."""
    return run_digests(task_app())


@huey.signal(SIGNAL_ERROR)
def record_failure(signal: str, task: Any, exc: BaseException | None = None) -> None:
    """Keep each failure (the message, never the task's arguments) for the administrators' page."""
    if _app is None and huey.immediate:
        return
    app = task_app()
    try:
        with app.app_context():
            db().add(
                TaskFailure(
                    task=str(task.name)[:200],
                    task_id=str(task.id)[:64],
                    error=f"{type(exc).__name__}: {exc}"[:2000],
                    retries_left=int(task.retries or 0),
                )
            )
            db().commit()
    except Exception:  # noqa: BLE001 - a failure to record must not hide the task's own failure
        log.exception("could not record the failure of task %s", task.id)
