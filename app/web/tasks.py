"""Background tasks that need the app (database, templates, links, settings): the reminder
schedule, the daily digest and the nightly backup, plus the record of failed tasks for
administrators. The consumer (``ctsat worker``) imports this module; e-mail delivery itself is
``app.services.mail.deliver_mail``, report rendering ``app.services.report_jobs.render_report``."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask import Flask
from huey import crontab
from huey.signals import SIGNAL_ERROR

from app.models import TaskFailure
from app.observability import logged_task
from app.services.backups import scheduled_backup
from app.services.queue import huey, logged
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


@huey.periodic_task(crontab(minute="7"), retries=2, retry_delay=300, context=True)
@logged("reminders")
def reminders_task() -> None:
    """Every hour: reminders are recorded once, so running often only makes them timely. Returns
    nothing: huey would keep a periodic task's result in its storage for ever, unread."""
    run_reminders(task_app())


@huey.periodic_task(crontab(hour="6", minute="30"), retries=2, retry_delay=600, context=True)
@logged("digests")
def digests_task() -> None:
    """Every morning (UTC): one digest e-mail per person who chose digests (nothing kept as a result)."""
    run_digests(task_app())


BACKUP_MINUTE = 30


def backup_due(moment: datetime) -> bool:
    """Whether the consumer's scheduler (every minute, UTC) starts the nightly backup now."""
    hour = task_app().config["BACKUP_HOUR"]
    return hour is not None and moment.hour == hour and moment.minute == BACKUP_MINUTE


def claim_backup(day: date, task_id: str) -> bool:
    """Whether this run makes the day's backup: the first worker to ask claims it in the queue's
    storage (shared by every worker on Redis), so several workers make one backup, and a retry of
    the run that claimed it may try again."""
    key = f"ctsat.backup.{day.isoformat()}"
    if huey.put_if_empty(key, task_id):
        huey.delete(f"ctsat.backup.{(day - timedelta(days=1)).isoformat()}")
        return True
    return bool(huey.get(key, peek=True) == task_id)


@huey.periodic_task(backup_due, retries=2, retry_delay=900, context=True)
def nightly_backup(task: Any = None) -> None:
    """Every night: a backup into BACKUP_DIR, keeping the newest BACKUP_KEEP (a failure is retried
    twice, 15 minutes apart, and listed for administrators). Nothing is returned: huey would keep
    a result for ever."""
    task_id = str(task.id) if task is not None else None
    with logged_task("backup", task_id):
        if task_id is not None and not claim_backup(datetime.now(UTC).date(), task_id):
            log.info("tonight's backup is made by another worker")
            return
        log.info("backup written: %s", scheduled_backup(task_app().config))


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
