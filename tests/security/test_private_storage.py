"""Assessment data is never kept by a cache, and the database file is readable by its owner only."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient

from app.models.database import make_engine
from tests.conftest import login


def test_every_page_to_a_signed_in_user_is_no_store(client: FlaskClient, make_user: Any) -> None:
    login(client, make_user("official", "THA").email)
    for address in ("/", "/resources", "/search?q=law", "/account/"):
        assert "no-store" in client.get(address).headers.get("Cache-Control", ""), address


def test_the_api_is_no_store_even_when_it_refuses(client: FlaskClient) -> None:
    assert client.get("/api/v1/assessments/1").headers["Cache-Control"] == "no-store"


def test_sign_in_and_error_pages_are_no_store(client: FlaskClient) -> None:
    assert client.get("/login").headers["Cache-Control"] == "no-store"
    assert client.get("/no-such-page").headers["Cache-Control"] == "no-store"


def test_public_resource_centre_pages_and_static_files_may_be_cached(client: FlaskClient) -> None:
    for address in ("/resources", "/policy", "/search?q=law"):
        assert "no-store" not in client.get(address).headers.get("Cache-Control", ""), address
    response = client.get("/static/css/ctsat.css")
    assert "no-store" not in response.headers.get("Cache-Control", "")
    response.close()


def test_a_new_sqlite_database_and_its_folder_are_private(tmp_path: Path) -> None:
    database = tmp_path / "instance" / "ctsat.db"
    engine = make_engine(f"sqlite:///{database}")
    with engine.connect() as connection:
        connection.exec_driver_sql("CREATE TABLE t (x INTEGER)")
        connection.commit()
    engine.dispose()
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    assert stat.S_IMODE(database.parent.stat().st_mode) == 0o700


def test_a_public_page_that_sets_a_cookie_is_kept_by_no_shared_cache(client: FlaskClient) -> None:
    """A first visit gets a session cookie (and its CSRF token in the page): a shared cache that kept
    the response would hand that session to every later visitor (who could then be signed in to
    someone else's account with the shared token)."""
    for address in ("/resources", "/search?q=law"):
        fresh = client.application.test_client()
        response = fresh.get(address)
        assert response.headers.getlist("Set-Cookie"), address
        assert "private" in response.headers.get("Cache-Control", ""), address
