"""``ctsat validate`` and ``ctsat score`` as a user runs them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from app.cli import cli

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "content"
QUESTIONNAIRE = str(FIXTURE / "mini-1")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_validate_passes_on_valid_content() -> None:
    code, output = run("validate", str(FIXTURE))
    assert code == 0
    assert output.startswith("OK: 1 questionnaire(s), 8 items")


def test_validate_prints_each_problem_and_fails(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    pillar = content / "mini-1" / "prosecution.yaml"
    pillar.write_text(
        pillar.read_text().replace("weight: 1\n        tags: [penalties]", "weight: 9\n        tags: [penalties]")
    )
    code, output = run("validate", str(content))
    assert code == 1
    assert f"{pillar}:" in output and "weight: Input should be less than or equal to 3" in output


def test_validate_reports_a_missing_path() -> None:
    code, output = run("validate", "/no/such/folder")
    assert code == 1
    assert "no such file or folder" in output


def test_score_prints_pillars_measures_and_gaps(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("PROS-1.1: partial\nPROS-1.2: 1\nPROS-1.3: 4\nPROS-2.1: dont_know\nPROT-1.1: 2\n")
    code, output = run("score", str(answers), "--questionnaire", QUESTIONNAIRE)
    assert code == 0, output
    assert "Prosecution" in output and "PROS-1" in output
    assert "PROS-1.1 Does national law criminalise trafficking in persons?" in output
    assert "Data gaps (don't know): PROS-2.1" in output


def test_score_json_has_scores_bands_and_guidance(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"PROS-1.1": 4, "PROS-1.2": 4, "PROS-1.3": 2, "PROT-1.1": 4}))
    code, output = run("score", str(answers), "--questionnaire", QUESTIONNAIRE, "--json")
    assert code == 0, output
    data = json.loads(output)
    prosecution = next(p for p in data["pillars"] if p["id"] == "prosecution")
    assert prosecution["band"] in {"absent", "initial", "emerging", "developing", "established"}
    gap = next(g for g in data["gaps"] if g["item"] == "PROS-1.3")
    assert gap["next_level"] == 3 and gap["resources"]


def test_score_names_the_item_of_a_bad_answer(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("PROS-1.3: 7\n")
    code, output = run("score", str(answers), "--questionnaire", QUESTIONNAIRE)
    assert code != 0
    assert "PROS-1.3: level 7 is out of range" in output
    answers.write_text("PROS-9.9: 1\n")
    code, output = run("score", str(answers), "--questionnaire", QUESTIONNAIRE)
    assert "PROS-9.9: no such item" in output


def test_score_takes_not_applicable_with_a_reason(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("PROS-1.3: {not_applicable: ''}\n")
    code, output = run("score", str(answers), "--questionnaire", QUESTIONNAIRE)
    assert code != 0 and "not_applicable" in output


def test_content_report_json_has_the_promised_keys() -> None:
    code, output = run("content-report", "--path", QUESTIONNAIRE, "--json")
    assert code == 0, output
    data = json.loads(output)
    for key in (
        "items",
        "critical_items",
        "resources",
        "practices",
        "countries",
        "measures_below_minimum",
        "items_without_sources",
        "unlinked_resources",
        "unlinked_practices",
    ):
        assert key in data
    assert data["items"] == 8 and data["critical_items"] == 2
    assert "PROS-2" in data["measures_below_minimum"]
    assert "PROS-1.2" in data["items_without_sources"]


def test_score_takes_unquoted_yes_and_no_for_yes_no_items(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("PROS-1.1: yes\nPROS-1.2: 2\nPROT-1.1: 4\n")
    code, output = run("score", str(answers), "--questionnaire", QUESTIONNAIRE, "--json")
    assert code == 0, output
    assert "PROS-1.1" not in [gap["item"] for gap in json.loads(output)["gaps"]]
    answers.write_text("PROS-1.3: no\n")
    code, output = run("score", str(answers), "--questionnaire", QUESTIONNAIRE)
    assert code != 0 and "PROS-1.3: yes or no is not an answer to a maturity item" in output


def test_score_rejects_a_file_that_is_not_utf8_with_a_clear_message(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_bytes("PROS-1.3: 2\n# commentaire: réponse\n".encode("latin-1"))
    code, output = run("score", str(answers), "--questionnaire", QUESTIONNAIRE)
    assert code != 0
    assert "is not UTF-8 text (byte 0xe9 on line 2)" in output and "Traceback" not in output


def test_score_rejects_an_item_answered_twice(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("PROS-1.3: 2\nPROS-2.1: 1\nPROS-1.3: 4\n")
    code, output = run("score", str(answers), "--questionnaire", QUESTIONNAIRE)
    assert code != 0 and "PROS-1.3: is answered twice (lines 1 and 3): keep one answer" in output
    answers = tmp_path / "answers.json"
    answers.write_text('{"PROS-1.3": 2, "PROS-1.3": 4}')
    code, output = run("score", str(answers), "--questionnaire", QUESTIONNAIRE)
    assert code != 0 and "PROS-1.3: is answered twice" in output


def test_score_warns_about_an_answer_to_a_hidden_item_and_counts_it_as_not_in_place(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("PROS-1.1: no\nPROS-1.2: 4\n")
    result = CliRunner().invoke(cli, ["score", str(answers), "--questionnaire", QUESTIONNAIRE, "--json"])
    assert result.exit_code == 0, result.output
    assert "warning: PROS-1.2: answered, but asked only when PROS-1.1 is at least partial" in result.stderr
    measure = next(m for m in json.loads(result.stdout)["measures"] if m["id"] == "PROS-1")
    assert measure["score"] == 0.0
