"""``ctsat`` commands for background work and the demo's second factor: ``worker`` (the task
consumer), ``serve`` (gunicorn and a worker together, what ``make run`` starts), ``demo-code``
and ``send-test-mail``."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import click

from config import ROOT


def _app() -> Any:
    from app.web.factory import create_app

    return create_app()


@click.command("worker")
@click.option("--workers", default=1, show_default=True, help="Threads running tasks.")
def worker_command(workers: int) -> None:
    """Run the background task consumer: e-mail, reminders, digests, long reports, the nightly backup."""
    from huey.consumer import Consumer

    from app.services.queue import huey
    from app.web.tasks import bind_app

    logging.basicConfig(level=logging.INFO, format="[%(asctime)s] [worker] %(levelname)s %(name)s: %(message)s")
    bind_app(_app())
    if huey.immediate:
        raise click.ClickException("CTSAT_TASKS=immediate runs tasks in the web process: no worker is needed")
    click.echo(f"CTSAT worker: {type(huey).__name__} queue, {workers} thread(s).")
    Consumer(huey, workers=workers, periodic=True, check_worker_health=True).run()


# gunicorn's default without the query string and the referrer: links from e-mails carry their
# single-use token in the query string, and no log should hold a working link.
ACCESS_LOG_FORMAT = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(a)s"'


@click.command("serve")
@click.option("--bind", default="127.0.0.1:5000", show_default=True)
@click.option("--workers", default=2, show_default=True, help="gunicorn worker processes.")
def serve_command(bind: str, workers: int) -> None:
    """Serve the app with gunicorn and run the background worker beside it; Ctrl+C stops both."""
    bin_dir = Path(sys.executable).parent
    children = [
        subprocess.Popen([str(bin_dir / "ctsat"), "worker"], cwd=ROOT),
        subprocess.Popen(
            [str(bin_dir / "gunicorn"), "--workers", str(workers), "--bind", bind, "--access-logfile", "-"]
            + ["--access-logformat", ACCESS_LOG_FORMAT, "wsgi:app"],
            cwd=ROOT,
        ),
    ]

    def stop(*_: Any) -> None:
        for child in children:
            if child.poll() is None:
                child.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
    finally:
        stop()
        for child in children:
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()
    codes = [child.returncode for child in children]
    if any(code not in (0, -signal.SIGTERM, -signal.SIGINT) for code in codes):
        raise SystemExit(1)


@click.command("demo-code")
@click.argument("email")
def demo_code_command(email: str) -> None:
    """Print a second-factor code of a demo user (from instance/demo-logins.txt) that has not been
    used yet: when the current one was, wait for the next one (each code works once)."""
    from app.models import User
    from app.services.demo import read_logins
    from app.services.second_factor import STEP, current_code, next_unused_step
    from app.services.security_log import account_of
    from app.web.database import db
    from config import INSTANCE

    logins = read_logins(Path(os.environ.get("CTSAT_INSTANCE", INSTANCE)) / "demo-logins.txt")
    login = logins.get(email.strip().lower())
    if login is None or not login.totp_secret:
        raise click.ClickException(f"{email} is not a demo user with a second factor (see instance/demo-logins.txt)")
    with _app().app_context():
        user: User | None = account_of(db(), login.email)
        step = next_unused_step(user) if user is not None else int(time.time()) // STEP
    if (wait := step * STEP - time.time()) > 0:
        click.echo(f"The current code was used already; waiting {wait:.0f} s for the next one…", err=True)
        time.sleep(wait)
    remaining = (step + 1) * STEP - int(time.time())
    code = current_code(login.totp_secret, at=step * STEP)
    click.echo(f"{code}   (valid for {remaining} more seconds; each code works once)")


@click.command("send-test-mail")
@click.argument("address")
def send_test_mail_command(address: str) -> None:
    """Queue a test e-mail to ADDRESS (the worker sends it): checks CTSAT_SMTP_URL and the worker."""
    from app.web.mail import send_message

    app = _app()
    with app.test_request_context(base_url=app.config["BASE_URL"]):
        send_message(address, None, "test_message", base_url=app.config["BASE_URL"])
    click.echo(f"Queued a test e-mail to {address}.")


COMMANDS = (worker_command, serve_command, demo_code_command, send_test_mail_command)
