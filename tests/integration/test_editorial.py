"""Keeping the resource centre current: editors' pages, audit, country updates, YAML export and import."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import ContentEdit, Country, CountryUpdate, LibraryEntry, User
from app.services.content import load_content
from app.services.library_files import export_library, import_library
from tests.conftest import FIXTURE_CONTENT, csrf_token, login

SCRIPT = '<p>Safe words</p><script>alert("owned")</script><a href="javascript:alert(1)">click</a>'


def post_form(client: FlaskClient, url: str, /, **fields: Any) -> Any:
    """Post the form at ``url`` as a browser would, with its CSRF token and the given fields."""
    token = csrf_token(client.get(url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **fields})


def resource_fields(**changes: Any) -> dict[str, Any]:
    fields = {
        "id": "editors-handbook",
        "title": "Editors' handbook on victim referral",
        "publisher": "Test publisher",
        "year": "2024",
        "type": "handbook",
        "languages": "en",
        "measures": "PROT-1",
        "tags": "identification",
        "summary": "<p>How to refer <strong>victims</strong> quickly.</p>",
    }
    return {**fields, **changes}


@pytest.fixture
def editor(client: FlaskClient, make_user: Any) -> User:
    user: User = make_user("editor")
    login(client, user.email)
    return user


def edits(session: Session, kind: str, key: str) -> list[ContentEdit]:
    return list(session.scalars(select(ContentEdit).filter_by(kind=kind, key=key).order_by(ContentEdit.id)))


# ---------------------------------------------------------------------------- editors' pages


def test_a_new_resource_shows_on_its_public_page_and_in_search_at_once(
    client: FlaskClient, editor: User, session: Session
) -> None:
    response = post_form(client, "/editor/resources/new", **resource_fields())
    assert response.status_code == 302
    page = client.get("/resources/editors-handbook").get_data(as_text=True)
    assert "Editors&#39; handbook on victim referral" in page
    assert "<strong>victims</strong>" in page
    results = client.get("/search?q=referral+handbook").get_data(as_text=True)
    assert "/resources/editors-handbook" in results


def test_an_edited_title_replaces_the_old_one_on_the_page_and_in_search(client: FlaskClient, editor: User) -> None:
    post_form(client, "/editor/resources/new", **resource_fields())
    fields = {key: value for key, value in resource_fields(title="Renamed zebrafinch guide").items() if key != "id"}
    assert post_form(client, "/editor/resources/editors-handbook", **fields).status_code == 302
    assert "Renamed zebrafinch guide" in client.get("/resources/editors-handbook").get_data(as_text=True)
    assert "/resources/editors-handbook" in client.get("/search?q=zebrafinch").get_data(as_text=True)
    assert "/resources/editors-handbook" not in client.get("/search?q=referral+handbook").get_data(as_text=True)


def test_a_script_in_a_summary_is_stored_and_shown_inert(client: FlaskClient, editor: User, session: Session) -> None:
    post_form(client, "/editor/resources/new", **resource_fields(summary=SCRIPT))
    stored = session.scalars(select(LibraryEntry.data).filter_by(kind="resources", key="editors-handbook")).one()
    assert "<script" not in stored["summary"]["en"] and "javascript:" not in stored["summary"]["en"]
    page = client.get("/resources/editors-handbook").get_data(as_text=True)
    assert "Safe words" in page
    assert 'alert("owned")' not in page and "javascript:alert" not in page


def test_every_save_is_audited_with_who_and_what_changed(client: FlaskClient, editor: User, session: Session) -> None:
    post_form(client, "/editor/resources/new", **resource_fields())
    fields = {key: value for key, value in resource_fields(year="2025").items() if key != "id"}
    post_form(client, "/editor/resources/editors-handbook", **fields)
    rows = edits(session, "resources", "editors-handbook")
    assert [(row.source, row.user_id) for row in rows] == [("web", editor.id), ("web", editor.id)]
    assert rows[0].before is None and rows[1].before is not None
    assert (rows[1].before["year"], rows[1].after["year"]) == (2024, 2025)
    history = client.get("/editor/resources/editors-handbook").get_data(as_text=True)
    assert "changed: year" in history


@pytest.mark.parametrize(
    "url", ["/editor/resources/trafficking-protocol", "/editor/practices/specialised-unit", "/editor/countries/THA"]
)
def test_saving_a_form_unchanged_changes_and_records_nothing(
    client: FlaskClient, editor: User, session: Session, url: str
) -> None:
    page = client.get(url).get_data(as_text=True)
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page))
    fields.update(re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>\n?([^<]*)</textarea>', page))
    fields.update(re.findall(r'<select[^>]*name="([^"]+)"[^>]*>.*?<option selected value="([^"]*)"', page, re.S))
    fields = {name: html.unescape(value) for name, value in fields.items()}
    count = session.scalar(select(func.count(ContentEdit.id)))
    assert client.post(url, data=fields).status_code == 302
    assert session.scalar(select(func.count(ContentEdit.id))) == count


def test_invalid_input_is_shown_beside_its_field_and_kept(client: FlaskClient, editor: User, session: Session) -> None:
    response = post_form(client, "/editor/resources/new", **resource_fields(year="19x", id="Bad Id"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="19x"' in page and 'id="year-error"' in page and "Enter a whole number" in page
    assert 'id="id-error"' in page and "Not in the expected form: Bad Id." in page
    assert "Editors&#39; handbook on victim referral" in page
    assert not session.scalar(select(func.count()).select_from(LibraryEntry).filter_by(key="editors-handbook"))


def test_unknown_topics_and_unsafe_links_are_refused(client: FlaskClient, editor: User, session: Session) -> None:
    fields = resource_fields(tags="identification, no-such-topic", url="javascript:alert(1)")
    response = post_form(client, "/editor/resources/new", **fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Not known here: no-such-topic." in page and 'id="tags-error"' in page
    assert "Enter an address starting with https://" in page and 'id="url-error"' in page
    assert not session.scalar(select(func.count()).select_from(LibraryEntry).filter_by(key="editors-handbook"))


def test_an_id_already_used_is_refused(client: FlaskClient, editor: User) -> None:
    response = post_form(client, "/editor/resources/new", **resource_fields(id="trafficking-protocol"))
    assert response.status_code == 400
    assert "This id is already used" in response.get_data(as_text=True)


def test_an_edited_practice_shows_at_once(client: FlaskClient, editor: User) -> None:
    fields = {
        "title": "A specialised anti-trafficking police unit",
        "country": "THA",
        "measures": "PROS-2",
        "tags": "investigation",
        "description": "<ul><li>Trained investigators</li></ul>",
        "source": "Test source",
    }
    assert post_form(client, "/editor/practices/specialised-unit", **fields).status_code == 302
    assert "<li>Trained investigators</li>" in client.get("/practices/specialised-unit").get_data(as_text=True)


def test_a_web_save_keeps_the_note_saying_why_a_practice_has_no_link(
    client: FlaskClient, editor: User, session: Session
) -> None:
    row = session.scalars(select(LibraryEntry).filter_by(kind="practices", key="specialised-unit")).one()
    row.data = {**row.data, "source_url": None, "note": "No copy of the source was seen."}
    session.commit()
    fields = {
        "title": "A specialised anti-trafficking police unit",
        "country": "THA",
        "measures": "PROS-2",
        "tags": "investigation",
        "description": "<p>Trained investigators</p>",
        "source": "Test source",
    }
    assert post_form(client, "/editor/practices/specialised-unit", **fields).status_code == 302
    session.refresh(row)
    assert row.data["note"] == "No copy of the source was seen."


def test_measure_texts_show_on_the_measure_page_and_the_questionnaire_is_unchanged(
    client: FlaskClient, editor: User, session: Session
) -> None:
    from app.models import QuestionnaireVersion

    before = session.scalars(select(QuestionnaireVersion.checksum)).all()
    fields = {"policy_measures": "<p>Criminalise all forms.</p>", "methodology": "<ol><li>Review the law</li></ol>"}
    assert post_form(client, "/editor/measures/PROS-1", **fields).status_code == 302
    page = client.get("/policy/measures/PROS-1").get_data(as_text=True)
    assert "<p>Criminalise all forms.</p>" in page and "<li>Review the law</li>" in page
    assert session.scalars(select(QuestionnaireVersion.checksum)).all() == before
    assert len(edits(session, "measure-texts", "PROS-1")) == 1


def test_an_edited_measure_text_is_found_by_search_at_once(client: FlaskClient, editor: User) -> None:
    assert "/policy/measures/PROS-1" not in client.get("/search?q=quokkaprocedure").get_data(as_text=True)
    fields = {"policy_measures": "<p>Adopt the quokkaprocedure.</p>", "methodology": ""}
    assert post_form(client, "/editor/measures/PROS-1", **fields).status_code == 302
    assert "/policy/measures/PROS-1" in client.get("/search?q=quokkaprocedure").get_data(as_text=True)


def test_an_edited_country_profile_shows_with_its_last_update(client: FlaskClient, editor: User) -> None:
    fields = {
        "name": "Philippines",
        "kind": "state",
        "subregion": "South-East Asia",
        "coordinating_body": "Inter-Agency Council Against Trafficking",
        "laws": "Expanded Anti-Trafficking in Persons Act | 2012 | https://example.org/ra10364",
    }
    assert post_form(client, "/editor/countries/PHL", **fields).status_code == 302
    page = client.get("/countries/PHL").get_data(as_text=True)
    assert "Inter-Agency Council Against Trafficking" in page and "Expanded Anti-Trafficking" in page
    assert "Last updated" in page


@pytest.mark.parametrize("role,country", [("official", "THA"), ("coordinator", "THA"), ("facilitator", None)])
def test_other_roles_are_refused_the_editor_pages(client: FlaskClient, make_user: Any, role: str, country: Any) -> None:
    login(client, make_user(role, country).email)
    for url in ("/editor/", "/editor/resources/new", "/editor/countries/THA", "/editor/updates", "/editor/export.zip"):
        assert client.get(url).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client: FlaskClient) -> None:
    response = client.get("/editor/resources/trafficking-protocol")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_refused_post_changes_nothing(client: FlaskClient, make_user: Any, session: Session) -> None:
    login(client, make_user("coordinator", "THA").email)
    token = csrf_token(client.get("/").get_data(as_text=True))
    response = client.post("/editor/resources/new", data={"csrf_token": token, **resource_fields()})
    assert response.status_code == 403
    assert not session.scalar(select(func.count()).select_from(LibraryEntry).filter_by(key="editors-handbook"))


def test_the_header_links_the_editor_area_for_editors_only(client: FlaskClient, make_user: Any) -> None:
    login(client, make_user("editor").email)
    assert 'href="/editor/"' in client.get("/resources").get_data(as_text=True)
    other = client.application.test_client()
    login(other, make_user("official", "THA").email)
    assert 'href="/editor/"' not in other.get("/resources").get_data(as_text=True)


# ---------------------------------------------------------------------------- country updates

LAW = {"laws-title": "Anti-Trafficking in Persons Act (test)", "laws-year": "2017", "laws-url": "https://example.org/a"}


def propose(client: FlaskClient, code: str = "THA", **fields: Any) -> Any:
    return post_form(client, f"/countries/{code}/propose-update", **(fields or LAW))


def test_a_coordinator_proposes_an_update_that_waits_for_review(
    client: FlaskClient, make_user: Any, session: Session
) -> None:
    login(client, make_user("coordinator", "THA").email)
    assert 'href="/countries/THA/propose-update"' in client.get("/countries/THA").get_data(as_text=True)
    assert propose(client).status_code == 302
    update = session.scalars(select(CountryUpdate)).one()
    assert (update.country_code, update.status) == ("THA", "pending")
    assert "Anti-Trafficking in Persons Act (test)" not in client.get("/countries/THA").get_data(as_text=True)
    assert "Waiting for review" in client.get("/my/country-updates").get_data(as_text=True)


def test_a_coordinator_of_thailand_cannot_propose_for_the_philippines(
    client: FlaskClient, make_user: Any, session: Session
) -> None:
    login(client, make_user("coordinator", "THA").email)
    assert client.get("/countries/PHL/propose-update").status_code == 403
    assert 'href="/countries/PHL/propose-update"' not in client.get("/countries/PHL").get_data(as_text=True)
    token = csrf_token(client.get("/countries/THA/propose-update").get_data(as_text=True))
    assert client.post("/countries/PHL/propose-update", data={"csrf_token": token, **LAW}).status_code == 403
    assert not session.scalar(select(func.count(CountryUpdate.id)))


@pytest.mark.parametrize("role", ["official", "editor"])
def test_only_coordinators_propose_updates(client: FlaskClient, make_user: Any, role: str) -> None:
    login(client, make_user(role, "THA" if role == "official" else None).email)
    assert client.get("/countries/THA/propose-update").status_code == 403


def test_an_empty_or_unsafe_proposal_is_refused_and_kept(client: FlaskClient, make_user: Any, session: Session) -> None:
    login(client, make_user("coordinator", "THA").email)
    empty = propose(client, **{"laws-title": "", "comment": "nothing"})
    assert empty.status_code == 400 and "Nothing was proposed" in empty.get_data(as_text=True)
    unsafe = propose(client, **{**LAW, "laws-url": "javascript:alert(1)"})
    assert unsafe.status_code == 400 and "Anti-Trafficking in Persons Act (test)" in unsafe.get_data(as_text=True)
    assert not session.scalar(select(func.count(CountryUpdate.id)))


def submitted_update(client: FlaskClient, make_user: Any, session: Session) -> CountryUpdate:
    coordinator = client.application.test_client()
    login(coordinator, make_user("coordinator", "THA").email)
    propose(coordinator, **{**LAW, "coordinating_body": "Anti-Trafficking Committee (test)"})
    return session.scalars(select(CountryUpdate)).one()


def test_the_editor_sees_current_and_proposed_values_field_by_field(
    client: FlaskClient, editor: User, make_user: Any, session: Session
) -> None:
    update = submitted_update(client, make_user, session)
    assert "Update to Thailand" in client.get("/editor/updates").get_data(as_text=True)
    page = client.get(f"/editor/updates/{update.id}").get_data(as_text=True)
    assert "National laws" in page and "Coordinating body" in page
    assert "Anti-Trafficking in Persons Act (test)" in page and "1 new entry" in page


def test_approving_applies_the_update_and_audits_it(
    client: FlaskClient, editor: User, make_user: Any, session: Session
) -> None:
    update = submitted_update(client, make_user, session)
    assert post_form(client, f"/editor/updates/{update.id}/approve").status_code == 302
    session.refresh(update)
    assert (update.status, update.reviewed_by) == ("approved", editor.id)
    profile = session.get(Country, "THA").profile  # type: ignore[union-attr]
    assert profile["laws"][-1]["title"] == "Anti-Trafficking in Persons Act (test)"
    assert profile["coordinating_body"] == "Anti-Trafficking Committee (test)"
    assert [row.source for row in edits(session, "countries", "THA")][-1] == "update"
    page = client.get("/countries/THA").get_data(as_text=True)
    assert "Anti-Trafficking in Persons Act (test)" in page and "Last updated" in page
    assert post_form(client, f"/editor/updates/{update.id}/approve").status_code == 409


def test_rejecting_needs_a_reason_that_the_coordinator_then_reads(
    client: FlaskClient, editor: User, make_user: Any, session: Session
) -> None:
    update = submitted_update(client, make_user, session)
    refused = post_form(client, f"/editor/updates/{update.id}/reject", reason="  ")
    assert refused.status_code == 400 and "Give a reason" in refused.get_data(as_text=True)
    session.refresh(update)
    assert update.status == "pending"
    assert post_form(client, f"/editor/updates/{update.id}/reject", reason="No document link works").status_code == 302
    session.refresh(update)
    assert (update.status, update.reason) == ("rejected", "No document link works")
    coordinator = client.application.test_client()
    login(coordinator, session.get(User, update.submitted_by).email)  # type: ignore[union-attr]
    mine = coordinator.get("/my/country-updates").get_data(as_text=True)
    assert "Rejected" in mine and "No document link works" in mine


# ---------------------------------------------------------------------------- YAML out and in


def test_export_then_import_changes_nothing(session: Session, tmp_path: Path) -> None:
    counts = export_library(session, tmp_path / "library")
    assert counts["resources.yaml"] >= 4 and counts["countries.yaml"] >= 5
    before = {(row.kind, row.key): row.data for row in session.scalars(select(LibraryEntry))}
    report = import_library(session, tmp_path / "library")
    assert (report.added, report.changed, report.skipped) == ([], [], [])
    assert {(row.kind, row.key): row.data for row in session.scalars(select(LibraryEntry))} == before
    export_library(session, tmp_path / "again")
    for file in (tmp_path / "library").iterdir():
        assert file.read_text() == (tmp_path / "again" / file.name).read_text()


def test_an_exported_web_edit_round_trips_through_the_yaml(
    client: FlaskClient, editor: User, session: Session, tmp_path: Path
) -> None:
    post_form(client, "/editor/resources/new", **resource_fields())
    post_form(client, "/editor/measures/PROS-1", policy_measures="<p>Criminalise.</p>", methodology="")
    export_library(session, tmp_path)
    resources = yaml.safe_load((tmp_path / "resources.yaml").read_text())["resources"]
    assert any(entry["id"] == "editors-handbook" for entry in resources)
    texts = yaml.safe_load((tmp_path / "measure-texts.yaml").read_text())["measure-texts"]
    assert texts == [{"measure": "PROS-1", "policy_measures": {"en": "<p>Criminalise.</p>"}}]
    report = import_library(session, tmp_path)
    assert (report.added, report.changed) == ([], [])


def test_an_invalid_import_applies_nothing(session: Session, tmp_path: Path) -> None:
    export_library(session, tmp_path)
    text = (tmp_path / "resources.yaml").read_text().replace("type: treaty", "type: not-a-type", 1)
    (tmp_path / "resources.yaml").write_text(text.replace("Test penalties guide", "Changed title"))
    from app.core.errors import QuestionnaireError

    with pytest.raises(QuestionnaireError, match="resources.yaml"):
        import_library(session, tmp_path)
    assert session.scalar(select(func.count()).select_from(LibraryEntry).filter_by(key="penalties-guide"))
    data = session.scalars(select(LibraryEntry.data).filter_by(key="penalties-guide")).one()
    assert data["title"] == "Test penalties guide"


def test_loading_the_files_again_keeps_web_edits_unless_forced(
    client: FlaskClient, editor: User, session: Session
) -> None:
    fields = {key: value for key, value in resource_fields(title="Edited in the web").items() if key != "id"}
    fields.update(publisher="Test publisher", type="guideline", measures="PROS-1", tags="penalties")
    assert post_form(client, "/editor/resources/penalties-guide", **fields).status_code == 302
    report = load_content(session, FIXTURE_CONTENT)
    assert report.skipped == ["resources:penalties-guide"]
    assert session.scalars(select(LibraryEntry.data).filter_by(key="penalties-guide")).one()["title"] == (
        "Edited in the web"
    )
    forced = load_content(session, FIXTURE_CONTENT, force=True)
    assert forced.skipped == [] and forced.library_written == 1
    assert session.scalars(select(LibraryEntry.data).filter_by(key="penalties-guide")).one()["title"] == (
        "Test penalties guide"
    )
    assert edits(session, "resources", "penalties-guide")[-1].source == "load"


def test_editors_download_the_knowledge_base_as_a_zip(client: FlaskClient, editor: User) -> None:
    import io
    import zipfile

    response = client.get("/editor/export.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    assert "library/resources.yaml" in names and "library/countries.yaml" in names


def test_the_commands_export_and_import_the_library_and_load_names_what_it_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from app.cli import cli

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("CTSAT_INSTANCE", str(tmp_path / "instance"))
    runner = CliRunner()
    for command in (["db-upgrade"], ["load", "--path", str(FIXTURE_CONTENT)]):
        assert runner.invoke(cli, command).exit_code == 0
    exported = runner.invoke(cli, ["export-library", str(tmp_path / "out")])
    assert exported.exit_code == 0 and "resources.yaml" in exported.output
    imported = runner.invoke(cli, ["import-library", str(tmp_path / "out")])
    assert imported.exit_code == 0 and "Added 0, changed 0" in imported.output
    resources = tmp_path / "out" / "resources.yaml"
    resources.write_text(resources.read_text().replace("Test penalties guide", "Penalties guide, second edition"))
    changed = runner.invoke(cli, ["import-library", str(tmp_path / "out")])
    assert "changed: resources:penalties-guide" in changed.output and "Added 0, changed 1" in changed.output
    resources.write_text(resources.read_text().replace("type: treaty", "type: not-a-type", 1))
    refused = runner.invoke(cli, ["import-library", str(tmp_path / "out")])
    assert refused.exit_code == 1 and "nothing was imported" in refused.output
