"""Operators can see each request and task as one JSON line, ask whether a server is alive and
ready, and (when they switch it on) scrape Prometheus metrics."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.observability import REQUEST_LOGGER, TASK_LOGGER, json_logger, logged_task
from app.services.mail import Mail, queue_mail
from app.services.migrations import downgrade, upgrade
from app.web import tasks
from app.web.factory import create_app
from tests.conftest import login


@pytest.fixture
def own_app() -> Iterator[Any]:
    """Factory for an app with its own engine (disposed after the test)."""
    made: list[Flask] = []

    def factory(url: str, tmp_path: Path, **config: Any) -> Flask:
        app = create_app({"SECRET_KEY": "x", "DATABASE_URL": url, "INSTANCE_PATH": tmp_path, **config})
        made.append(app)
        return app

    yield factory
    for app in made:
        app.extensions["ctsat.engine"].dispose()


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[dict[str, Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(record.getMessage()))


@pytest.fixture
def logged() -> Iterator[list[dict[str, Any]]]:
    handler = _Lines()
    loggers = [json_logger(REQUEST_LOGGER), json_logger(TASK_LOGGER)]
    for logger in loggers:
        logger.addHandler(handler)
    yield handler.lines
    for logger in loggers:
        logger.removeHandler(handler)


def test_each_request_is_one_json_line_with_id_user_route_status_and_duration(
    client: FlaskClient, make_user: Any, logged: list[dict[str, Any]]
) -> None:
    user = make_user("official", "THA")
    login(client, user.email)
    logged.clear()
    response = client.get("/")
    (line,) = logged
    assert line["event"] == "request"
    assert line["request_id"] == response.headers["X-Request-ID"]
    assert line["user_id"] == user.id
    assert line["route"] == "/" and line["method"] == "GET" and line["status"] == 200
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0


def test_a_request_id_from_the_proxy_is_kept_and_a_malformed_one_replaced(
    client: FlaskClient, logged: list[dict[str, Any]]
) -> None:
    kept = client.get("/healthz", headers={"X-Request-ID": "abc123def456"})
    replaced = client.get("/healthz", headers={"X-Request-ID": 'x" {"injected":1}'})
    assert kept.headers["X-Request-ID"] == "abc123def456"
    assert replaced.headers["X-Request-ID"] != 'x" {"injected":1}'
    assert [line["request_id"] for line in logged] == [kept.headers["X-Request-ID"], replaced.headers["X-Request-ID"]]


def test_the_log_names_the_route_rule_never_the_path_query_or_form_values(
    client: FlaskClient, logged: list[dict[str, Any]]
) -> None:
    client.get("/search?q=secret-query-text")
    client.post("/login", data={"email": "someone@test.example", "password": "hunter2-secret"})
    text = json.dumps(logged)
    assert "secret-query-text" not in text and "hunter2-secret" not in text and "someone@test.example" not in text
    assert [line["route"] for line in logged] == ["/search", "/login"]


def test_a_request_that_matches_no_route_is_logged_with_its_status(
    client: FlaskClient, logged: list[dict[str, Any]]
) -> None:
    client.get("/no/such/page/with-token-abcdef")
    assert logged[-1]["status"] == 404 and logged[-1]["route"] is None
    assert "abcdef" not in json.dumps(logged)


def test_a_task_is_one_json_line_with_its_status_and_duration(logged: list[dict[str, Any]]) -> None:
    with logged_task("backup", task_id="t-1"):
        pass
    with pytest.raises(RuntimeError), logged_task("send_mail", task_id="t-2"):
        raise RuntimeError("the message text is not logged")
    assert [(line["task"], line["task_id"], line["status"]) for line in logged] == [
        ("backup", "t-1", "ok"),
        ("send_mail", "t-2", "error"),
    ]
    assert logged[1]["error"] == "RuntimeError" and "message text" not in json.dumps(logged)


def test_every_queued_task_is_one_json_line_with_the_queues_task_id(app: Flask, logged: list[dict[str, Any]]) -> None:
    queue_mail(Mail(to="anong@police.example", subject="Logged", text="x\n"))
    with app.app_context():
        tasks.bind_app(app)
        try:
            tasks.reminders_task()
            tasks.digests_task()
        finally:
            tasks._app = None
    assert [(line["task"], line["status"]) for line in logged] == [
        ("mail", "ok"),
        ("reminders", "ok"),
        ("digests", "ok"),
    ]
    assert all(line["task_id"] for line in logged)


def test_healthz_answers_while_the_process_is_alive(client: FlaskClient) -> None:
    assert client.get("/healthz").status_code == 200


def test_readyz_is_ok_when_the_database_answers_at_the_migrations_head(client: FlaskClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok", "migrations": "ok"}


def test_readyz_is_503_when_the_queue_does_not_answer(app: Flask, client: FlaskClient) -> None:
    app.extensions["ctsat.queue_check"] = lambda: "Redis does not answer (ConnectionError)"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json is not None and response.json["queue"] == "Redis does not answer (ConnectionError)"


def test_readyz_checks_redis_when_redis_url_is_set(own_app: Any, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ready.db'}"
    upgrade(url)
    app = own_app(url, tmp_path, REDIS_URL="redis://127.0.0.1:1/0")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json is not None and response.json["queue"].startswith("Redis does not answer")


def test_readyz_is_503_until_the_migrations_are_applied(own_app: Any, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'behind.db'}"
    upgrade(url)
    downgrade(url, "-1")
    app = own_app(url, tmp_path)
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json is not None and response.json["migrations"].startswith("behind")


def test_metrics_are_off_unless_configured(client: FlaskClient) -> None:
    assert client.get("/metrics").status_code == 404


def test_metrics_count_requests_per_route_rule_when_configured(own_app: Any, engine: Any, tmp_path: Path) -> None:
    app = own_app(engine.url.render_as_string(hide_password=False), tmp_path, METRICS=True)
    client = app.test_client()
    client.get("/resources/no-such-resource-token")
    body = client.get("/metrics").get_data(as_text=True)
    assert "flask_http_request_total" in body
    assert "no-such-resource-token" not in body
