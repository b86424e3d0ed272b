"""The short PDF reports: the one-page summary sheet and the 2-6 page cycle comparison."""

from __future__ import annotations

import dataclasses
import random
from datetime import date
from pathlib import Path

import pytest

from app.core.answers import Answer, AssessmentInput
from app.core.library import Library
from app.core.questionnaire import Questionnaire
from app.core.results import assess
from app.reporting.builder import gap_report, layout, render_html
from app.reporting.comparison import NoPreviousCycle, build_comparison_context
from app.reporting.documents import ReportUnavailable, prepare_report, produce, report_html
from app.reporting.inputs import GapReportInput, PreviousCycle
from app.reporting.view import GapReport
from tests.reporting.conftest import (
    ASSETS,
    bookmark_labels,
    demo_answers,
    meta,
    mini_input,
    overflowing_text,
    page_texts,
)

LONG = " ".join(["Is there a thoroughly documented and adequately resourced national mechanism"] * 6)


def _pages(html: str) -> int:
    return len(layout(html, ASSETS).pages)


def _summary_html(report: GapReport) -> str:
    return render_html("summary.html", ASSETS, report.language, report=report)


@pytest.fixture(scope="module")
def real_input(real_questionnaire: Questionnaire, real_library: Library) -> GapReportInput:
    """The demo assessment (half answered) after a previous cycle whose levels were lower or equal."""
    answers = demo_answers(real_questionnaire)
    chance = random.Random(7)
    before = {
        item_id: Answer(item_id, level=max(0, (answer.level or 0) - chance.choice([0, 0, 1, 2])))
        for item_id, answer in answers.answers.items()
    }
    before_scores = assess(real_questionnaire, real_library, AssessmentInput(before, roles=answers.roles)).scores
    return GapReportInput(
        meta=meta(roles=("origin", "transit", "destination")),
        questionnaire=real_questionnaire,
        library=real_library,
        results=assess(real_questionnaire, real_library, answers),
        previous=PreviousCycle("Self-assessment 2024", date(2024, 5, 6), before_scores),
    )


# --------------------------------------------------------------------------------- summary sheet


def test_the_summary_sheet_of_the_demo_assessment_is_exactly_one_page(real_input: GapReportInput) -> None:
    produced = produce(prepare_report("summary", "pdf", real_input, ASSETS), ASSETS)
    assert produced.pages == 1


def test_the_summary_sheet_stays_one_page_with_the_longest_texts(mini: Questionnaire, mini_library: Library) -> None:
    report = gap_report(mini_input(mini, mini_library, previous={"PROS-1.1": 0}), ASSETS)
    summary = report.summary
    long_gap = dataclasses.replace(summary.top_gaps[0], question=LONG, critical=True)
    long_strength = dataclasses.replace(summary.top_strengths[0], question=LONG)
    long_pillars = tuple(
        dataclasses.replace(pillar, title=LONG[:80], capped_by=("PROS-1.1", "PROS-1.2", "PROS-2.1", "PROT-1.2") * 3)
        for pillar in summary.pillars * 3
    )[:4]
    cover = dataclasses.replace(
        report.cover,
        country_name="The Independent and Sovereign Republic of " * 4,
        native_name="สาธารณรัฐประชาธิปไตยประชาชนแห่งความยุติธรรม" * 4,
        assessment_title=LONG,
        questionnaire_title=LONG,
        marking="Restricted — for official use only within the ministries named in the circular " * 2,
    )
    worst = dataclasses.replace(
        report,
        cover=cover,
        summary=dataclasses.replace(
            summary,
            overall=dataclasses.replace(summary.overall, completeness=0.53),
            top_gaps=(long_gap,) * 5,
            top_strengths=(long_strength,) * 5,
            pillars=long_pillars,
        ),
    )
    document = layout(_summary_html(worst), ASSETS)
    assert len(document.pages) == 1
    assert overflowing_text(document) == []


def test_the_summary_sheet_names_country_cycle_scores_gaps_strengths_and_marking(
    mini: Questionnaire, mini_library: Library, tmp_path: Path
) -> None:
    data = mini_input(mini, mini_library, confidentiality="Restricted")
    produced = produce(prepare_report("summary", "pdf", data, ASSETS), ASSETS)
    (text,) = page_texts(produced.content, tmp_path)
    words = " ".join(text.split())
    for expected in ("Thailand", "ประเทศไทย", "Summary sheet", "National self-assessment 2026", "RESTRICTED"):
        assert expected in words
    assert "Thailand — Summary sheet — Restricted" in words and "Page 1 of 1" in words
    scores = data.results.scores
    assert "Overall score" in words and f"{scores.overall:.1f}" in words
    for gap in data.results.gaps[:5]:
        assert gap.item_id in words
    for item_id in data.results.strengths[:5]:
        assert item_id in words


def test_the_summary_sheet_escapes_user_text(mini: Questionnaire, mini_library: Library) -> None:
    html = report_html("summary", mini_input(mini, mini_library, assessment_title="<b>x</b> & co"), ASSETS)
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt; &amp; co" in html


# ------------------------------------------------------------------------------ cycle comparison


def test_the_comparison_of_the_demo_assessment_has_two_to_six_pages(real_input: GapReportInput) -> None:
    document = layout(report_html("comparison", real_input, ASSETS), ASSETS)
    assert 2 <= len(document.pages) <= 6
    assert overflowing_text(document) == []


def test_the_comparison_has_at_most_six_pages_when_many_items_fell_back(
    real_input: GapReportInput, real_questionnaire: Questionnaire, real_library: Library
) -> None:
    answers = demo_answers(real_questionnaire)
    worse = {item_id: Answer(item_id, level=0) for item_id in answers.answers}
    after = assess(real_questionnaire, real_library, AssessmentInput(worse, roles=answers.roles))
    data = dataclasses.replace(real_input, results=after)
    assert 2 <= _pages(report_html("comparison", data, ASSETS)) <= 6


def test_the_comparison_shows_both_cycles_pillars_measures_and_items(
    mini: Questionnaire, mini_library: Library, tmp_path: Path
) -> None:
    data = mini_input(mini, mini_library, previous={"PROS-1.1": 0, "PROS-1.3": 4, "PROT-1.1": 2})
    produced = produce(prepare_report("comparison", "pdf", data, ASSETS), ASSETS)
    words = " ".join(" ".join(page_texts(produced.content, tmp_path)).split())
    assert "Thailand — Cycle comparison report — Confidential" in words
    assert "Self-assessment 2024" in words and "National self-assessment 2026" in words
    report = build_comparison_context(data)
    for line in (report.overall, *(pillar.change for pillar in report.pillars)):
        assert f"{line.before:.1f}" in words and f"{line.after:.1f}" in words
    assert "PROS-1 Criminalising trafficking in persons" in words
    # largest rise first; only items with a level in both cycles (PROS-1.2 and PROT-1.2 were
    # not answered before, so they are counted as not compared, never as a rise from 0)
    assert [move.item_id for move in report.improved] == ["PROS-1.1", "PROT-1.1"]
    assert [move.item_id for move in report.declined] == ["PROS-1.3"]
    assert report.not_compared.unanswered_before >= 2


def test_the_comparison_draws_pillars_and_measures_as_small_multiples(
    mini: Questionnaire, mini_library: Library
) -> None:
    report = build_comparison_context(mini_input(mini, mini_library, previous={"PROS-1.1": 0}))
    assert "chart-comparison" in report.pillar_chart
    assert [pillar.chart.count("<g>") for pillar in report.pillars] == [2, 1]  # one panel per measure


def test_the_comparison_bookmarks_its_sections(mini: Questionnaire, mini_library: Library) -> None:
    html = report_html("comparison", mini_input(mini, mini_library, previous={"PROS-1.1": 0}), ASSETS)
    top = [label for level, label, _ in bookmark_labels(layout(html, ASSETS)) if level == 1]
    assert top == ["Two cycles side by side", "Measures", "Scores by measure", "Items that changed"]


def test_there_is_no_comparison_without_a_previous_cycle(mini: Questionnaire, mini_library: Library) -> None:
    with pytest.raises(NoPreviousCycle):
        build_comparison_context(mini_input(mini, mini_library))
    with pytest.raises(ReportUnavailable, match="no previous cycle"):
        prepare_report("comparison", "pdf", mini_input(mini, mini_library), ASSETS)


def test_a_comparison_after_a_barely_answered_cycle_says_what_was_not_compared(
    mini: Questionnaire, mini_library: Library
) -> None:
    data = mini_input(mini, mini_library, previous={"PROS-1.3": 1})
    report = build_comparison_context(data)
    assert report.compared == 1  # PROS-1.3 only: every other item lacked a level before
    assert [move.item_id for move in report.improved] == ["PROS-1.3"]
    assert report.not_compared.unanswered_before >= 4
    assert report.not_compared.total == len(data.results.scores.items) - 1
    html = report_html("comparison", data, ASSETS)
    assert "never read as “No” or as a level" in html
    assert f"{report.not_compared.total} items were not compared" in " ".join(html.split())


def test_measure_scores_are_compared_with_their_completeness(mini: Questionnaire, mini_library: Library) -> None:
    data = mini_input(mini, mini_library, previous={"PROS-1.3": 1})
    prosecution = next(
        section for section in build_comparison_context(data).pillars if section.change.id == "prosecution"
    )
    line = next(line for line in prosecution.measures if line.id == "PROS-1")
    assert line.before_completeness is not None and line.before_completeness < (line.after_completeness or 0)
