"""Structured logs: one JSON line per request (app/web/request_log.py) and per background task.

Lines go to the ``ctsat.requests`` and ``ctsat.tasks`` loggers, written to standard error
as bare JSON (gunicorn and systemd's journal keep them). They carry ids, routes, statuses
and durations, never a query string, form value, cookie, token or password.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

REQUEST_LOGGER = "ctsat.requests"
TASK_LOGGER = "ctsat.tasks"


class _Bare(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return record.getMessage()


def json_logger(name: str) -> logging.Logger:
    """The logger, given a handler that writes its lines as they are (once per process)."""
    logger = logging.getLogger(name)
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(_Bare())
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return logger


def log_json(name: str, **fields: Any) -> None:
    """Write one JSON line with a UTC timestamp first."""
    line = {"time": datetime.now(UTC).isoformat(timespec="milliseconds"), **fields}
    json_logger(name).info(json.dumps(line, ensure_ascii=False, default=str, separators=(",", ":")))


@contextmanager
def logged_task(task: str, task_id: str | None = None) -> Iterator[None]:
    """Log one line when a background task ends: its name, id, status ("ok" or "error") and duration.

    The huey consumer wraps each task in it (e.g. in a ``@huey.pre_execute``/``post_execute``
    pair or a decorator around the task function); the CLI wraps ``ctsat backup`` in it too.
    """
    started = time.perf_counter()
    status = "ok"
    try:
        yield
    except BaseException as error:
        status = "error"
        log_json(
            TASK_LOGGER,
            event="task",
            task=task,
            task_id=task_id,
            status=status,
            error=type(error).__name__,
            duration_ms=round((time.perf_counter() - started) * 1000, 1),
        )
        raise
    log_json(
        TASK_LOGGER,
        event="task",
        task=task,
        task_id=task_id,
        status=status,
        duration_ms=round((time.perf_counter() - started) * 1000, 1),
    )
