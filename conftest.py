"""Loaded by pytest before anything under tests/: background tasks run at once, in the test's
own process (tests/integration/test_task_consumer.py starts a real consumer process)."""

import os

os.environ["CTSAT_TASKS"] = "immediate"
