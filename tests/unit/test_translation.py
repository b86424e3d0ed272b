"""Questionnaire text per language from translators' catalogues, string by string."""

from __future__ import annotations

from app.core.questionnaire import Questionnaire, localise
from app.core.translation import text_units, with_translations


def test_every_question_guidance_and_level_is_a_text_unit(mini: Questionnaire) -> None:
    contexts = {unit.context for unit in text_units(mini)}
    item = next(iter(mini.items.values()))
    assert f"{item.id}/question" in contexts
    assert all(f"{item.id}/levels/{level}" in contexts for level in item.levels)
    assert "scale/0" in contexts and "questionnaire/title" in contexts


def test_legal_sources_are_never_text_units(mini: Questionnaire) -> None:
    sources = {source for item in mini.items.values() for source in item.sources}
    assert not sources & {unit.english for unit in text_units(mini)}


def test_a_translation_is_used_and_a_missing_one_falls_back_to_english(mini: Questionnaire) -> None:
    first, second = list(mini.items.values())[:2]
    lookup = {(f"{first.id}/question", first.question["en"]): "คำถามภาษาไทย"}
    translated = with_translations(mini, {"th": lookup})
    assert localise(translated.items[first.id].question, "th") == "คำถามภาษาไทย"
    assert localise(translated.items[second.id].question, "th") == second.question["en"]
    assert "th" in translated.languages


def test_a_translation_of_older_english_is_not_used(mini: Questionnaire) -> None:
    item = next(iter(mini.items.values()))
    lookup = {(f"{item.id}/question", "An older wording of the question"): "คำแปลเก่า"}
    translated = with_translations(mini, {"th": lookup})
    assert localise(translated.items[item.id].question, "th") == item.question["en"]


def test_translations_change_no_score_rule(mini: Questionnaire) -> None:
    item = next(iter(mini.items.values()))
    translated = with_translations(mini, {"th": {(f"{item.id}/question", item.question["en"]): "ก"}})
    assert translated.scoring == mini.scoring and list(translated.items) == list(mini.items)
