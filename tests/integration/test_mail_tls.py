"""SMTP never sends in clear text to another machine: STARTTLS is used when the server offers it,
and a server that offers none is refused (only a relay on this machine may speak plain SMTP)."""

from __future__ import annotations

import os
import shutil
import socket
import ssl
import subprocess
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from app.services.mail import InsecureMailServer, _send_smtp, is_loopback


class _Keep:
    def __init__(self) -> None:
        self.received: list[tuple[bytes, bool]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        self.received.append((envelope.original_content, session.ssl is not None))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def certificate(tmp_path: Path) -> Path:
    """A self-signed certificate for 127.0.0.1 (made with openssl, as an operator would)."""
    if shutil.which("openssl") is None:
        if os.environ.get("CI"):
            pytest.fail("openssl is missing: .ci/packages.txt installs it")
        pytest.skip("openssl is not installed (make system-packages installs it)")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subject = ["-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
    command = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", *subject]
    subprocess.run([*command, "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return tmp_path


def _serve(handler: _Keep, tls_folder: Path | None = None) -> Iterator[int]:
    from aiosmtpd.controller import Controller

    port = _free_port()
    options: dict[str, Any] = {}
    if tls_folder is not None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(tls_folder / "cert.pem", tls_folder / "key.pem")
        options = {"tls_context": context, "require_starttls": True}
    controller = Controller(handler, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


def _message() -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "ctsat@x.example", "anong@police.example", "Hello"
    message.set_content("Plain words\n")
    return message


def test_starttls_is_used_when_the_server_offers_it(certificate: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate / "cert.pem"))  # trust the test's own certificate
    handler = _Keep()
    for port in _serve(handler, certificate):
        _send_smtp(f"smtp://127.0.0.1:{port}", _message(), plain_allowed=lambda host: False)
    assert len(handler.received) == 1 and handler.received[0][1] is True  # delivered inside TLS


def test_a_server_without_starttls_elsewhere_is_refused_and_gets_nothing() -> None:
    handler = _Keep()
    for port in _serve(handler):
        with pytest.raises(InsecureMailServer, match="offers no STARTTLS"):
            _send_smtp(f"smtp://user:secret@127.0.0.1:{port}", _message(), plain_allowed=lambda host: False)
    assert handler.received == []


def test_only_this_machine_may_speak_plain_smtp() -> None:
    assert is_loopback("localhost") and is_loopback("127.0.0.1") and is_loopback("::1")
    assert not is_loopback("mail.example.org") and not is_loopback("10.0.0.5") and not is_loopback("")
