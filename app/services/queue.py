"""The background task queue (huey): SQLite storage in the instance folder by default, Redis
when ``REDIS_URL`` is set, and immediate execution in this process when ``CTSAT_TASKS=immediate``
(the tests). ``ctsat worker`` runs a consumer; ``ctsat serve`` starts one beside gunicorn.

A task that fails is retried; its last failure is kept in ``task_failures`` for administrators
(``app.services.task_failures``).
"""

from __future__ import annotations

import os

from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey

from config import INSTANCE


def _make_huey() -> Huey:
    if os.environ.get("CTSAT_TASKS") == "immediate":
        return MemoryHuey("ctsat", immediate=True)
    if url := os.environ.get("REDIS_URL"):
        return RedisHuey("ctsat", url=url)
    INSTANCE.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("ctsat", filename=str(INSTANCE / "tasks.db"))


huey = _make_huey()
