"""The minister's brief: at most 20 pages for the demo assessment and for a fully answered one,
with the summary, the charts, the top gaps of each pillar (next step, one resource) and the plan."""

from __future__ import annotations

import pytest

from app.core.actions import ActionFields
from app.core.answers import Answer, AssessmentInput
from app.core.library import Library
from app.core.questionnaire import Questionnaire
from app.core.results import assess
from app.reporting.documents import ReportUnavailable, check_report, prepare_report, produce
from app.reporting.inputs import GapReportInput
from tests.reporting.conftest import ASSETS, demo_answers, meta, page_texts

PILLARS = ["Governance and partnership", "Prevention", "Protection", "Prosecution"]
MAX_PAGES = 20


def brief_of(questionnaire: Questionnaire, library: Library, answers: AssessmentInput, actions: int = 0) -> bytes:
    plan = [ActionFields(title=f"Action {number}", lead_agency="Ministry of Justice") for number in range(actions)]
    data = GapReportInput(
        meta=meta(roles=("origin", "transit", "destination")),
        questionnaire=questionnaire,
        library=library,
        results=assess(questionnaire, library, answers),
        actions=plan,
    )
    produced = produce(prepare_report("brief", "pdf", data, ASSETS), ASSETS)
    assert produced.pages is not None and produced.pages <= MAX_PAGES, produced.pages
    return produced.content


def fully_answered(questionnaire: Questionnaire) -> AssessmentInput:
    levels = {item_id: Answer(item_id, level=index % 3) for index, item_id in enumerate(questionnaire.items)}
    scored = {item_id: answer for item_id, answer in levels.items() if questionnaire.items[item_id].scored}
    return AssessmentInput(answers=scored, roles=frozenset({"origin", "transit", "destination"}))


@pytest.fixture(scope="module")
def demo_brief(
    real_questionnaire: Questionnaire, real_library: Library, tmp_path_factory: pytest.TempPathFactory
) -> str:
    pdf = brief_of(real_questionnaire, real_library, demo_answers(real_questionnaire), actions=12)
    return " ".join(" ".join(page_texts(pdf, tmp_path_factory.mktemp("brief"))).split())


def test_the_demo_brief_has_summary_charts_top_gaps_and_the_action_plan(demo_brief: str) -> None:
    for heading in ("Minister's brief", "Executive summary", "Scores by measure", "Top gaps by pillar", "Action plan"):
        assert heading in demo_brief
    for pillar in PILLARS:
        assert pillar in demo_brief
    assert "Next step" in demo_brief and "A resource that helps" in demo_brief
    assert "Action 11" in demo_brief


def test_the_brief_leaves_the_detail_to_the_full_report(demo_brief: str) -> None:
    assert "Annex: methodology" not in demo_brief and "Gaps, in order of priority" not in demo_brief
    assert "more gaps in the gap-analysis report" in demo_brief


def test_a_fully_answered_assessment_still_gets_a_brief_of_at_most_twenty_pages(
    real_questionnaire: Questionnaire, real_library: Library
) -> None:
    brief_of(real_questionnaire, real_library, fully_answered(real_questionnaire), actions=30)


def test_the_brief_is_a_pdf_only() -> None:
    with pytest.raises(ReportUnavailable):
        check_report("brief", "docx")
