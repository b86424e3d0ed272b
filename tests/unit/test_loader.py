"""The questionnaire format and ``validate``: every problem as file:line: path: message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.core.errors import QuestionnaireError
from app.core.loader import load_questionnaire, validate_paths

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "content"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A writable copy of the test content."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURE, target)
    return target


def problems_of(content: Path) -> list[str]:
    problems, _, _ = validate_paths([content])
    return [str(problem) for problem in problems]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} is not in {path.name}"
    path.write_text(text.replace(old, new, 1))


def line_of(path: Path, fragment: str) -> int:
    return next(number for number, line in enumerate(path.read_text().splitlines(), 1) if fragment in line)


def test_the_fixture_content_is_valid(content: Path) -> None:
    assert problems_of(content) == []


def test_three_planted_mistakes_give_three_located_problems(content: Path) -> None:
    pillar = content / "mini-1" / "prosecution.yaml"
    edit(pillar, "weight: 3\n        critical: true", "weight: 7\n        critical: true")
    edit(pillar, "show_if: {item: PROS-1.1, at_least: partial}", "show_if: {item: PROS-9.9, at_least: partial}")
    edit(pillar, "practices: [specialised-unit]", "practices: [no-such-practice]")
    problems = problems_of(content)
    assert len(problems) == 3, problems
    assert f"{pillar}:{line_of(pillar, 'weight: 7')}: measures[0].items[0].weight: " in problems[0]
    assert any(
        f"{pillar}:{line_of(pillar, 'PROS-9.9')}: measures[0].items[1].show_if.item: "
        "show_if names an unknown item 'PROS-9.9'" == p
        for p in problems
    )
    assert any(
        "links to an unknown practice 'no-such-practice'" in p and f":{line_of(pillar, 'no-such-practice')}:" in p
        for p in problems
    )


def test_unknown_keys_are_errors(content: Path) -> None:
    edit(
        content / "mini-1" / "prosecution.yaml",
        "weight: 1\n        tags: [penalties]",
        "wieght: 1\n        tags: [penalties]",
    )
    assert any("unknown key 'wieght'" in problem for problem in problems_of(content))


def test_duplicate_item_ids_are_errors(content: Path) -> None:
    edit(content / "mini-1" / "prosecution.yaml", "id: PROS-1.3", "id: PROS-1.2")
    assert any("duplicate item id 'PROS-1.2'" in problem for problem in problems_of(content))


def test_duplicate_keys_in_a_mapping_are_errors(content: Path) -> None:
    edit(
        content / "mini-1" / "prosecution.yaml",
        "weight: 1\n        tags: [penalties]",
        "weight: 1\n        weight: 2\n        tags: [penalties]",
    )
    assert any("duplicate key 'weight'" in problem for problem in problems_of(content))


def test_show_if_with_a_value_the_item_cannot_take(content: Path) -> None:
    edit(content / "mini-1" / "prosecution.yaml", "at_least: partial", "at_least: 3")
    assert any("'3' is not an answer of yes/no item PROS-1.1" in problem for problem in problems_of(content))


def test_parent_cycles_are_errors(content: Path) -> None:
    pillar = content / "mini-1" / "prosecution.yaml"
    edit(pillar, "      - id: PROS-1.3\n", "      - id: PROS-1.3\n        parent: PROS-1.2\n")
    edit(pillar, "        parent: PROS-1.1\n", "        parent: PROS-1.3\n")
    assert any("parent chain loops back" in problem for problem in problems_of(content))


def test_bands_must_cover_0_to_100(content: Path) -> None:
    edit(content / "mini-1" / "questionnaire.yaml", "min: 40, max: 60", "min: 45, max: 60")
    assert any("bands must cover 0–100" in problem for problem in problems_of(content))


def test_a_declared_language_must_have_every_text(content: Path) -> None:
    edit(content / "mini-1" / "questionnaire.yaml", "languages: [en]", "languages: [en, th]")
    problems = problems_of(content)
    assert any("missing text in declared language(s): th" in problem for problem in problems)


def test_yaml_syntax_errors_name_the_line(content: Path) -> None:
    pillar = content / "mini-1" / "prosecution.yaml"
    pillar.write_text(pillar.read_text() + "  - id: [unclosed\n")
    assert any(problem.startswith(f"{pillar}:") and "YAML syntax" in problem for problem in problems_of(content))


def test_library_tags_must_be_in_the_vocabulary(content: Path) -> None:
    edit(content / "library" / "resources.yaml", "tags: [criminalisation]", "tags: [crminalisation]")
    assert any("unknown tag 'crminalisation'" in problem for problem in problems_of(content))


def test_loading_raises_with_every_problem_and_returns_nothing(content: Path) -> None:
    edit(
        content / "mini-1" / "prosecution.yaml",
        "weight: 3\n        critical: true",
        "weight: 0\n        critical: true",
    )
    with pytest.raises(QuestionnaireError) as raised:
        load_questionnaire(content / "mini-1")
    assert "greater than or equal to 1" in str(raised.value)


def test_plain_strings_are_english_text(content: Path) -> None:
    questionnaire = load_questionnaire(content / "mini-1")
    assert questionnaire.items["PROS-1.1"].question == {"en": "Does national law criminalise trafficking in persons?"}


def test_measure_texts_written_by_editors_are_validated_too(content: Path) -> None:
    texts = content / "library" / "measure-texts.yaml"
    texts.write_text('measure-texts:\n  - measure: PROS-1\n    policy_measures: {en: "<p>Fine.</p>"}\n')
    assert problems_of(content) == []
    texts.write_text('measure-texts:\n  - measure: PROS-99\n    policy_measures: {en: "<p>No such measure.</p>"}\n')
    assert problems_of(content) == [f"{texts}:2: measure-texts[0].measure: unknown measure 'PROS-99'"]


def test_a_critical_item_without_a_reason_is_a_located_problem(content: Path) -> None:
    pillar = content / "mini-1" / "prosecution.yaml"
    edit(pillar, '        critical_reason: "Trafficking Protocol art. 5(1): the offence must exist."\n', "")
    assert problems_of(content) == [
        f"{pillar}:{line_of(pillar, 'critical: true')}: measures[0].items[0].critical: "
        "a critical item needs a critical_reason: the duty and its source"
    ]


def test_a_reason_on_an_item_that_is_not_critical_is_a_problem(content: Path) -> None:
    pillar = content / "mini-1" / "prosecution.yaml"
    edit(
        pillar,
        "        weight: 1\n        tags: [penalties]",
        "        weight: 1\n        critical_reason: Why\n        tags: [penalties]",
    )
    problems = problems_of(content)
    assert len(problems) == 1 and "critical_reason is only for items marked critical" in problems[0]


def test_same_as_must_name_a_known_item_of_the_same_type(content: Path) -> None:
    pillar = content / "mini-1" / "prosecution.yaml"
    edit(
        pillar,
        "        weight: 1\n        tags: [penalties]",
        "        weight: 1\n        same_as: PROS-9.9\n        tags: [penalties]",
    )
    assert any("same_as names an unknown item 'PROS-9.9'" in p for p in problems_of(content))
    edit(pillar, "same_as: PROS-9.9", "same_as: PROS-1.1")
    assert any("'PROS-1.1' is a yes_no item, this one is maturity" in p for p in problems_of(content))
    edit(pillar, "same_as: PROS-1.1", "same_as: PROS-2.1")
    assert problems_of(content) == []


def test_a_duty_that_names_an_unknown_item_is_a_located_problem(content: Path) -> None:
    duties = content / "library" / "duties.yaml"
    duties.write_text(
        "duties:\n"
        "- {id: tip-5-1, instrument: tip-protocol, article: art. 5(1), duty: Criminalise, items: [PROS-1.1]}\n"
        "- {id: untoc-23, instrument: untoc, article: art. 23, duty: Obstruction, items: [PROS-9.9]}\n"
    )
    assert problems_of(content) == [
        f"{duties}:3: duties[1].items[0]: names an item that mini@1 does not have: 'PROS-9.9'"
    ]


def test_a_treaty_status_marked_unknown_cannot_carry_dates(content: Path) -> None:
    countries = content / "library" / "countries.yaml"
    edit(
        countries,
        "{code: PHL, name: Philippines,",
        "{code: PHL, treaties: [{treaty: untoc, status: unknown, ratified: 2001-01-01,"
        " source: 'https://treaties.un.org/'}], name: Philippines,",
    )
    problems = problems_of(content)
    assert len(problems) == 1 and "an unknown status cannot have dates (ratified)" in problems[0]


def test_a_practice_from_a_country_without_a_profile_must_name_the_country(content: Path) -> None:
    practices = content / "library" / "practices.yaml"
    edit(practices, "    country: THA\n    measures: [PROS-2]", "    country: CAN\n    measures: [PROS-2]")
    problems = problems_of(content)
    assert len(problems) == 1 and "'CAN' has no country profile: add country_name" in problems[0]
    edit(practices, "    country: CAN\n", "    country: CAN\n    country_name: Canada\n")
    assert problems_of(content) == []
