"""One message through the real queue: ``ctsat send-test-mail`` enqueues it in the SQLite task
storage, a ``ctsat worker`` process (as ``make run`` starts it) delivers it to an SMTP server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from email.message import EmailMessage
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.fixture
def smtp_messages() -> tuple[int, list[EmailMessage]]:  # type: ignore[misc]
    import socket

    from aiosmtpd.controller import Controller

    from tests.conftest import _Keep

    messages: list[EmailMessage] = []
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(_Keep(messages), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, messages
    finally:
        controller.stop()


def test_a_worker_process_delivers_a_queued_message(
    tmp_path: Path, smtp_messages: tuple[int, list[EmailMessage]]
) -> None:
    port, messages = smtp_messages
    environment = {key: value for key, value in os.environ.items() if key not in ("CTSAT_TASKS", "REDIS_URL")}
    environment.update(
        {
            "CTSAT_INSTANCE": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'ctsat.db'}",
            "CTSAT_SMTP_URL": f"smtp://127.0.0.1:{port}",
            "SECRET_KEY": "consumer-test",
        }
    )
    ctsat = str(Path(sys.executable).parent / "ctsat")
    worker = subprocess.Popen(
        [ctsat, "worker"],
        cwd=ROOT,
        env=environment,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        subprocess.run(
            [ctsat, "send-test-mail", "anong@police.example"],
            cwd=ROOT,
            env=environment,
            check=True,
            capture_output=True,
        )
        assert (tmp_path / "tasks.db").exists()
        deadline = time.monotonic() + 60
        while not messages and time.monotonic() < deadline:
            time.sleep(0.2)
        assert [message["To"] for message in messages] == ["anong@police.example"]
        assert messages[0]["Subject"] == "CTSAT test e-mail"
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=20)
