"""The background task queue (huey): SQLite storage in the instance folder by default, Redis
when ``REDIS_URL`` is set, and immediate execution in this process when ``CTSAT_TASKS=immediate``
(the tests). ``ctsat worker`` runs a consumer; ``ctsat serve`` starts one beside gunicorn.

A task that fails is retried; each failure is kept in ``task_failures`` for administrators
(``app.web.tasks.record_failure``). Every task is wrapped in ``logged``: one JSON line when it ends.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import Any, TypeVar

from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey

from app.observability import logged_task
from config import INSTANCE

Result = TypeVar("Result")


def _make_huey() -> Huey:
    if os.environ.get("CTSAT_TASKS") == "immediate":
        return MemoryHuey("ctsat", immediate=True)
    if url := os.environ.get("REDIS_URL"):
        return RedisHuey("ctsat", url=url)
    INSTANCE.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("ctsat", filename=str(INSTANCE / "tasks.db"))


huey = _make_huey()


def logged(name: str) -> Callable[[Callable[..., Result]], Callable[..., Result]]:
    """Run a task inside ``logged_task(name, task id)``; declare the task with ``context=True`` so
    that huey passes it the task (a direct call logs without an id)."""

    def decorate(function: Callable[..., Result]) -> Callable[..., Result]:
        @functools.wraps(function)
        def run(*args: Any, task: Any = None, **kwargs: Any) -> Result:
            with logged_task(name, str(task.id) if task is not None else None):
                return function(*args, **kwargs)

        return run

    return decorate
