"""Country updates and measure texts in the core: differences, applying, reading the YAML file."""

from __future__ import annotations

from pathlib import Path

from app.core.editorial import ProfileUpdate, apply_update, profile_changes, read_measure_texts
from app.core.library import Country, LawEntry

PROFILE = Country(code="THA", name="Thailand", laws=[LawEntry(title="Act 2008", year=2008)], coordinating_body="Old")
UPDATE = ProfileUpdate(
    laws=[LawEntry(title="Amendment", year=2017, url="https://example.org/a")], coordinating_body="New"
)


def test_an_update_appends_entries_and_replaces_the_coordinating_body() -> None:
    updated = apply_update(PROFILE, UPDATE)
    assert [law.title for law in updated.laws] == ["Act 2008", "Amendment"]
    assert updated.coordinating_body == "New" and updated.sops == []


def test_the_differences_name_each_changed_field_with_both_values() -> None:
    changes = {change.field: change for change in profile_changes(PROFILE, UPDATE)}
    assert set(changes) == {"laws", "coordinating_body"}
    assert [law.title for law in changes["laws"].current] == ["Act 2008"]  # type: ignore[union-attr]
    assert [law.title for law in changes["laws"].added] == ["Amendment"]
    assert (changes["coordinating_body"].current, changes["coordinating_body"].proposed) == ("Old", "New")


def test_an_update_with_nothing_in_it_is_empty() -> None:
    assert ProfileUpdate().empty and not UPDATE.empty


def test_measure_texts_report_unknown_measures_with_their_line(tmp_path: Path) -> None:
    file = tmp_path / "measure-texts.yaml"
    file.write_text("measure-texts:\n  - measure: PROS-1\n    policy_measures: Text\n  - measure: NOPE-9\n")
    texts, problems = read_measure_texts(file, {"PROS-1"})
    assert [text.measure for text in texts] == ["PROS-1"]
    assert [(problem.line, problem.message) for problem in problems] == [(4, "unknown measure 'NOPE-9'")]


def test_a_missing_measure_texts_file_is_no_texts(tmp_path: Path) -> None:
    assert read_measure_texts(tmp_path / "measure-texts.yaml") == ([], [])
