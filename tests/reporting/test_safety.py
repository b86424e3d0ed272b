"""The renderer fetches nothing but the report's own assets: hostile user text stays text, and
even markup that reached WeasyPrint unescaped could not read a file or call a server."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from app.core.actions import ActionFields
from app.core.library import Library
from app.core.questionnaire import Questionnaire
from app.reporting.builder import build_gap_pdf, render_pdf
from app.reporting.fetcher import FetchLog
from app.reporting.inputs import ItemNote
from tests.reporting.conftest import ASSETS, mini_input, pdf_tool


class _Server:
    """A web server on 127.0.0.1 that records every request it gets."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
                server.requests.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "text/css")
                self.end_headers()
                self.wfile.write(b"body { background: red; }")

            def log_message(self, format: str, *args: object) -> None:
                return

        self.http = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_port}"

    def __enter__(self) -> _Server:
        threading.Thread(target=self.http.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.http.shutdown()
        self.http.server_close()


@pytest.fixture
def server() -> Iterator[_Server]:
    with _Server() as running:
        yield running


def _hostile(url: str) -> list[str]:
    return [
        '<img src="file:///etc/passwd">',
        f'<img src="{url}/img.png">',
        f'<link rel="stylesheet" href="{url}/style.css">',
        f'<p style="background: url({url}/inline.png)">styled</p>',
        f"<style>@import url({url}/import.css); body {{ background: url('file:///etc/passwd') }}</style>",
        f'<svg><image href="{url}/svg.png"/></svg>',
        f'<object data="{url}/object"></object><iframe src="{url}/frame"></iframe>',
    ]


def test_hostile_user_text_is_printed_as_text_and_fetches_nothing(
    mini: Questionnaire, mini_library: Library, server: _Server, tmp_path: Path
) -> None:
    hostile = _hostile(server.url)
    data = mini_input(
        mini,
        mini_library,
        assessment_title=hostile[0],
        country_name=hostile[2],
        notes={"PROS-2.1": ItemNote(comment=" ".join(hostile), evidence=hostile[3])},
        actions=[
            ActionFields(text, "PROT-1", lead_agency=text, indicator=text, start=date(2027, 1, 1)) for text in hostile
        ],
    )
    log = FetchLog()
    rendered = build_gap_pdf(data, ASSETS, log)
    assert server.requests == []
    assert log.refused == []
    assert all(url.startswith("https://report.ctsat.invalid/") for url in log.served)
    text = " ".join(pdf_tool("pdftotext", rendered.pdf, tmp_path, "-enc", "UTF-8").split())
    assert '<img src="file:///etc/passwd">' in text
    assert "root:" not in text


def test_unescaped_markup_still_cannot_reach_files_or_servers(server: _Server, tmp_path: Path) -> None:
    html = "<!doctype html><html><head>" + "".join(_hostile(server.url)) + "</head><body><p>Body</p></body></html>"
    log = FetchLog()
    rendered = render_pdf(html, ASSETS, log)
    assert server.requests == []
    assert "file:///etc/passwd" in log.refused
    assert {f"{server.url}/style.css", f"{server.url}/img.png", f"{server.url}/import.css"} <= set(log.refused)
    assert "root:" not in pdf_tool("pdftotext", rendered.pdf, tmp_path, "-enc", "UTF-8")
