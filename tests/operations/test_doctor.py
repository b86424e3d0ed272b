"""``ctsat doctor --production`` says in plain words what a production start lacks, and exits 1."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli import cli
from app.environment import production_problems
from app.services.migrations import upgrade

GOOD = {
    "SESSION_COOKIE_SECURE": True,
    "SMTP_URL": "smtp://mailer:pw@mail.example:587",
    "DATABASE_URL": "postgresql+psycopg://ctsat@db/ctsat",
    "SERVERS": 1,
    "REDIS_URL": "",
}
KEY = {"SECRET_KEY": "k" * 64}


def _problems(config: dict[str, object], environ: dict[str, str]) -> str:
    return "\n".join(production_problems({**GOOD, **config}, environ))


def test_a_secret_key_only_generated_into_the_instance_folder_is_a_problem() -> None:
    assert "SECRET_KEY is not set in the environment" in _problems({}, {})


def test_a_short_secret_key_is_a_problem() -> None:
    assert "shorter than 32" in _problems({}, {"SECRET_KEY": "short"})


def test_serving_without_https_is_a_problem() -> None:
    assert "CTSAT_HTTPS is not 1" in _problems({"SESSION_COOKIE_SECURE": False}, KEY)


def test_mail_written_to_files_is_a_problem() -> None:
    assert "CTSAT_SMTP_URL is not set" in _problems({"SMTP_URL": ""}, KEY)


def test_several_servers_need_postgresql_and_redis() -> None:
    found = _problems({"SERVERS": 3, "DATABASE_URL": "sqlite:///x.db"}, KEY)
    assert "use PostgreSQL" in found and "REDIS_URL is not set" in found


def test_one_server_needs_neither_postgresql_nor_redis() -> None:
    found = _problems({"DATABASE_URL": "sqlite:///x.db"}, KEY)
    assert "PostgreSQL" not in found and "REDIS_URL" not in found


def test_the_command_lists_each_problem_and_exits_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'doctor.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("CTSAT_HTTPS", raising=False)
    monkeypatch.setenv("CTSAT_SERVERS", "2")
    result = CliRunner().invoke(cli, ["doctor", "--production"])
    assert result.exit_code == 1
    assert "problem: SECRET_KEY is not set" in result.output
    assert "problem: database" not in result.output  # SQLite makes its file
    assert "problem: migrations: behind: run `ctsat db-upgrade`." in result.output


def test_the_command_passes_when_everything_is_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'doctor.db'}"
    upgrade(url)
    for name, value in {
        "DATABASE_URL": url,
        "SECRET_KEY": "k" * 64,
        "CTSAT_HTTPS": "1",
        "CTSAT_SMTP_URL": "smtp://mailer:pw@mail.example:587",
        "CTSAT_SERVERS": "1",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("REDIS_URL", raising=False)
    result = CliRunner().invoke(cli, ["doctor", "--production"])
    system = [
        line
        for line in result.output.splitlines()
        if line.startswith("problem:") and ("harfbuzz" in line or "Noto" in line)
    ]
    if system:
        pytest.skip("this machine lacks the PDF fonts or harfbuzz: " + "; ".join(system))
    assert result.exit_code == 0, result.output
    assert "Ready for production" in result.output
