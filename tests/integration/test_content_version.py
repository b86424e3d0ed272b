"""The questionnaires and the library held in memory follow the database's content version: a
change written by anyone (another server, ``ctsat load`` in another process) is seen at the next
transaction, with no restart and no call to forget the caches; the version is read once per
transaction. SQLite and PostgreSQL."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Connection, delete, event, select, update
from sqlalchemy.orm import Session

from app.models import LibraryEntry, QuestionnaireVersion
from app.services.catalog import content_token, get_library, latest_questionnaire
from tests.conftest import login
from tests.integration.test_api import new_assessment, put


def _written_elsewhere(session: Session, statement: Any) -> None:
    """A write as another process makes it: one statement, no ORM flush, then committed."""
    session.commit()
    session.execute(statement)
    session.commit()


def test_a_questionnaire_changed_elsewhere_is_seen_without_a_restart(session: Session) -> None:
    questionnaire = latest_questionnaire(session)
    row = session.scalars(
        select(QuestionnaireVersion).filter_by(questionnaire_id=questionnaire.id, version=questionnaire.version)
    ).one()
    content = copy.deepcopy(row.content)
    content["title"]["en"] = "Changed by a load on another server"
    _written_elsewhere(
        session, update(QuestionnaireVersion).where(QuestionnaireVersion.id == row.id).values(content=content)
    )
    assert latest_questionnaire(session).title["en"] == "Changed by a load on another server"


def test_a_library_entry_changed_elsewhere_is_seen_without_a_restart(session: Session) -> None:
    assert get_library(session).resource_by_id["investigation-manual"].title == "Test investigation manual"
    row = session.scalars(select(LibraryEntry).filter_by(kind="resources", key="investigation-manual")).one()
    data = {**row.data, "title": "Edited by an editor on another server"}
    _written_elsewhere(session, update(LibraryEntry).where(LibraryEntry.id == row.id).values(data=data))
    assert get_library(session).resource_by_id["investigation-manual"].title == "Edited by an editor on another server"


def test_a_library_entry_deleted_elsewhere_is_gone_without_a_restart(session: Session) -> None:
    assert "penalties-guide" in get_library(session).resource_by_id
    statement = delete(LibraryEntry).where(LibraryEntry.key == "penalties-guide")
    _written_elsewhere(session, statement)
    assert "penalties-guide" not in get_library(session).resource_by_id


def test_every_write_to_the_content_gives_a_new_version_and_a_rollback_keeps_the_old(session: Session) -> None:
    before = content_token(session)
    session.commit()
    nested = session.begin_nested()
    session.execute(update(LibraryEntry).where(LibraryEntry.key == "penalties-guide").values(key="renamed"))
    assert session.scalar(select(QuestionnaireVersion.id).limit(1)) is not None
    written = session.connection().exec_driver_sql("SELECT token FROM content_state").scalar()
    assert written not in (None, before)
    nested.rollback()
    session.commit()
    assert content_token(session) == before


@pytest.fixture
def token_reads(connection: Connection) -> Iterator[list[str]]:
    reads: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if "content_state" in statement:
            reads.append(statement)

    event.listen(connection, "before_cursor_execute", count)
    yield reads
    event.remove(connection, "before_cursor_execute", count)


def test_the_version_is_read_once_per_transaction(session: Session, token_reads: list[str]) -> None:
    for _ in range(3):
        latest_questionnaire(session)
        get_library(session)
    assert len(token_reads) == 1
    session.commit()
    latest_questionnaire(session)
    assert len(token_reads) == 2


def _with_item_type(content: dict[str, Any], item_id: str, item_type: str) -> dict[str, Any]:
    changed = copy.deepcopy(content)
    for pillar in changed["pillars"]:
        for measure in pillar["measures"]:
            for item in measure["items"]:
                if item["id"] == item_id:
                    item["type"] = item_type
    return changed


def test_an_autosave_checked_against_content_changed_since_is_checked_again(
    client: FlaskClient, session: Session, make_user: Any
) -> None:
    """The autosave's one statement uses the questionnaire as the process holds it; when the
    content changed on another server since, it writes nothing and the full path checks the
    answer against the new content."""
    assessment = new_assessment(session, make_user)
    login(client, make_user("official", "THA").email)
    assert put(client, assessment, "PROS-1.3", {"answer": "3", "version": 0}).status_code == 200
    assert put(client, assessment, "PROS-1.3", {"answer": "1", "version": 1}).status_code == 200  # the copy is held
    row = session.scalars(select(QuestionnaireVersion).filter_by(questionnaire_id="mini", version="1")).one()
    content = _with_item_type(row.content, "PROS-1.3", "yes_no")  # yes, partly or no: level 3 is no longer one
    _written_elsewhere(
        session, update(QuestionnaireVersion).where(QuestionnaireVersion.id == row.id).values(content=content)
    )
    refused = put(client, assessment, "PROS-1.3", {"answer": "3", "version": 2})
    assert refused.status_code == 400
    assert put(client, assessment, "PROS-1.3", {"answer": "4", "version": 2}).json["version"] == 3
