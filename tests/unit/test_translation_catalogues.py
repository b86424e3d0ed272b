"""Translators' PO files: export keeps translations, import marks a reviewer's work, status counts."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog

from app.core.questionnaire import Questionnaire
from app.services.translations import (
    REVIEWED,
    catalogue_status,
    import_catalogue,
    mark_reviewed,
    questionnaire_lookups,
    questionnaire_template,
    read_catalogue,
    update_catalogue,
    write_catalogue,
)


def exported(mini: Questionnaire, folder: Path) -> Path:
    path = folder / "translations" / "th.po"
    write_catalogue(update_catalogue(questionnaire_template(mini), path, "th"), path)
    return path


def translator_file(path: Path, tmp_path: Path, translations: dict[str, str], name: str = "from-translator.po") -> Path:
    catalog = read_catalogue(path, "th")
    for message in catalog:
        if message.id and message.context in translations:
            message.string = translations[message.context]
    target = tmp_path / name
    write_catalogue(catalog, target)
    return target


def test_export_writes_one_string_per_text_unit(mini: Questionnaire, tmp_path: Path) -> None:
    status = catalogue_status(exported(mini, tmp_path), "questionnaire", "th")
    assert status.strings == len(questionnaire_template(mini)) and status.translated == 0


def test_an_imported_translation_is_a_draft_until_reviewed(mini: Questionnaire, tmp_path: Path) -> None:
    path = exported(mini, tmp_path)
    item = next(iter(mini.items))
    result = import_catalogue(
        translator_file(path, tmp_path, {f"{item}/question": "คำถาม"}), path, "th", reviewed=False
    )
    status = catalogue_status(path, "questionnaire", "th")
    assert (result.translated, status.translated, status.reviewed, status.draft) == (1, 1, 0, True)
    assert questionnaire_lookups(tmp_path)["th"][(f"{item}/question", mini.items[item].question["en"])] == "คำถาม"


def test_a_reviewers_file_marks_its_strings_reviewed(mini: Questionnaire, tmp_path: Path) -> None:
    path = exported(mini, tmp_path)
    item = next(iter(mini.items))
    import_catalogue(translator_file(path, tmp_path, {f"{item}/question": "คำถาม"}), path, "th", reviewed=True)
    status = catalogue_status(path, "questionnaire", "th")
    assert (status.translated, status.reviewed, status.draft) == (1, 1, False)


def test_a_changed_translation_loses_its_review(mini: Questionnaire, tmp_path: Path) -> None:
    path = exported(mini, tmp_path)
    item = next(iter(mini.items))
    import_catalogue(translator_file(path, tmp_path, {f"{item}/question": "คำถาม"}), path, "th", reviewed=True)
    changed = translator_file(path, tmp_path, {f"{item}/question": "คำถามใหม่"}, "again.po")
    import_catalogue(changed, path, "th", reviewed=False)
    message = next(m for m in read_catalogue(path, "th") if m.context == f"{item}/question")
    assert message.string == "คำถามใหม่" and REVIEWED not in message.flags


def test_an_editor_can_mark_a_whole_catalogue_reviewed(mini: Questionnaire, tmp_path: Path) -> None:
    path = exported(mini, tmp_path)
    item = next(iter(mini.items))
    import_catalogue(translator_file(path, tmp_path, {f"{item}/question": "คำถาม"}), path, "th", reviewed=False)
    assert mark_reviewed(path, "th") == 1
    assert not catalogue_status(path, "questionnaire", "th").draft


def test_export_keeps_translations_of_unchanged_english_only(mini: Questionnaire, tmp_path: Path) -> None:
    path = exported(mini, tmp_path)
    first, second = list(mini.items)[:2]
    import_catalogue(
        translator_file(path, tmp_path, {f"{first}/question": "หนึ่ง", f"{second}/question": "สอง"}),
        path,
        "th",
        reviewed=True,
    )
    template = questionnaire_template(mini)
    changed = Catalog(locale=None)
    for message in template:
        english = "A rewritten question" if message.context == f"{second}/question" else message.id
        changed.add(english, context=message.context)
    updated = update_catalogue(changed, path, "th")
    by_context = {message.context: message for message in updated if message.id}
    assert by_context[f"{first}/question"].string == "หนึ่ง" and REVIEWED in by_context[f"{first}/question"].flags
    assert by_context[f"{second}/question"].string == ""
