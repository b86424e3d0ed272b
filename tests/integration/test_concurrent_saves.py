"""Two people saving at the same moment on SQLite both succeed, or meet a clear 409:
never a 500 from "database is locked"."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from app.models.database import make_engine
from app.services.accounts import create_user
from app.services.catalog import forget_cached, get_questionnaire
from app.services.content import load_content
from app.services.cycles import CycleSettings, start_cycle
from app.services.migrations import upgrade
from app.web.factory import create_app
from tests.conftest import FIXTURE_CONTENT, PASSWORD, csrf_token, login

ITEMS = ["PROS-1.3", "PROS-2.1", "PROS-2.2", "PROT-1.1"]


@pytest.fixture
def file_database(tmp_path: Path) -> tuple[str, int]:
    url = f"sqlite:///{tmp_path / 'concurrent.db'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        load_content(session, FIXTURE_CONTENT)
        coordinator = create_user(session, "c@test.example", "C", PASSWORD, "coordinator", "THA")
        for number in range(2):
            create_user(session, f"o{number}@test.example", f"O{number}", PASSWORD, "official", "THA")
        settings = CycleSettings("Concurrent", [], "Confidential", "private", {})
        assessment = start_cycle(session, coordinator, "THA", get_questionnaire(session, "mini", "1"), settings)
        session.commit()
        assessment_id = assessment.id
    engine.dispose()
    forget_cached()
    return url, assessment_id


def test_simultaneous_saves_never_fail_with_a_server_error(file_database: tuple[str, int], tmp_path: Path) -> None:
    url, assessment_id = file_database
    app = create_app(
        {"DATABASE_URL": url, "INSTANCE_PATH": tmp_path, "SECRET_KEY": "t", "LOGIN_RATE_LIMIT": "100/minute"}
    )
    statuses: list[int] = []
    lock = threading.Lock()

    def worker(number: int) -> None:
        client = app.test_client()
        login(client, f"o{number}@test.example")
        token = csrf_token(client.get("/").get_data(as_text=True))
        versions = dict.fromkeys(ITEMS, 0)
        for round_number in range(25):
            item_id = ITEMS[round_number % len(ITEMS)]
            body = {"answer": str(round_number % 5), "version": versions[item_id]}
            response = client.put(
                f"/api/v1/assessments/{assessment_id}/answers/{item_id}", json=body, headers={"X-CSRFToken": token}
            )
            if response.status_code == 200:
                versions[item_id] = response.json["version"]
            elif response.status_code == 409:
                versions[item_id] = response.json["current"]["version"]
            with lock:
                statuses.append(response.status_code)

    threads = [threading.Thread(target=worker, args=(number,)) for number in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    app.extensions["ctsat.engine"].dispose()
    assert len(statuses) == 50
    assert set(statuses) <= {200, 409}, statuses
    assert statuses.count(200) >= 25
