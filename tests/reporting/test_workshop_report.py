"""The workshop report from plain inputs: what it prints, what it keeps private, how it lays out."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from app.core.answers import Answer, AssessmentInput
from app.core.library import Library
from app.core.questionnaire import Questionnaire
from app.core.results import assess
from app.core.scoring import Scores
from app.reporting.builder import layout, write_pdf
from app.reporting.workshop import WORKSHOP_TEMPLATE, workshop_context, workshop_html
from app.reporting.workshop_inputs import (
    Attendee,
    CountryInput,
    GroupInput,
    Progress,
    QuestionResult,
    StrategyInput,
    WorkshopMeta,
    WorkshopReportInput,
)
from tests.integration.test_workshop_replay import NAMES, SHARING  # the nine states of seed 003
from tests.reporting.conftest import ASSETS, bookmark_labels, overflowing_text, page_texts, pdf_tool

VENUE = "Bangkok (กรุงเทพมหานคร)"  # Thai script: its Noto font must be embedded
AGENCIES = ("Police", "Office of the Attorney General", "Ministry of Social Welfare")


def scores_for(questionnaire: Questionnaire, library: Library, seed: int) -> Scores:
    """Answers to two thirds of the scored items at levels drawn from Random(seed)."""
    chance = random.Random(seed)
    answers = {}
    for index, item in enumerate(item for item in questionnaire.items.values() if item.scored):
        if index % 3 != 2:
            level = chance.choice([0, 2, 4]) if item.type == "yes_no" else chance.randint(0, 4)
            answers[item.id] = Answer(item.id, level=level)
    return assess(questionnaire, library, AssessmentInput(answers=answers)).scores


def country(questionnaire: Questionnaire, library: Library, code: str, seed: int) -> CountryInput:
    scores = scores_for(questionnaire, library, seed)
    progress = {m: Progress(r.answered, r.applicable) for m, r in scores.measures.items()}
    sharing = SHARING[code]
    return CountryInput(code, NAMES[code], sharing, progress, None if sharing == "private" else scores)


def workshop_input(questionnaire: Questionnaire, library: Library) -> WorkshopReportInput:
    pillars = [pillar.id for pillar in questionnaire.pillars if pillar.id != "governance"][:3]
    attendees = [
        Attendee(f"Participant {code}-{number}", code, AGENCIES[number], pillars[number])
        for code in SHARING
        for number in range(3)
    ]
    measure = next(iter(questionnaire.measures))
    resource = library.resources[0].id
    groups = [
        GroupInput(
            "Protection",
            "pillar",
            "protection",
            ["IDN", "KHM", "LAO"],
            9,
            [StrategyInput("Joint referral", [measure], "Draft SOPs.\nTrain frontline staff.", "Cambodia", [resource])],
        ),
        GroupInput("Mekong", "custom", None, ["KHM", "LAO"], 0),
    ]
    evaluation = [
        QuestionResult("How useful was the workshop overall?", "rating", 20, 4.2, (("4", 12), ("5", 8))),
        QuestionResult("What else would you like to tell the organisers?", "text", 2, texts=("More time", "Thanks")),
    ]
    return WorkshopReportInput(
        meta=WorkshopMeta(
            3, "RSR training workshop", date(2026, 5, 4), date(2026, 5, 5), VENUE, False, "Ana Reyes", date(2026, 5, 7)
        ),
        questionnaire=questionnaire,
        library=library,
        scope=list(questionnaire.measures),
        countries=[country(questionnaire, library, code, seed) for seed, code in enumerate(SHARING)],
        attendees=attendees,
        groups=groups,
        summary="Day 1 found gaps in victim identification.\n\nDay 2 agreed three strategies.",
        responses=20,
        evaluation=evaluation,
    )


@pytest.fixture(scope="module")
def real_workshop(real_questionnaire: Questionnaire, real_library: Library) -> WorkshopReportInput:
    return workshop_input(real_questionnaire, real_library)


@pytest.fixture(scope="module")
def real_document(real_workshop: WorkshopReportInput) -> Any:
    """The laid-out report of the nine-country workshop on the real questionnaire, once."""
    return layout(workshop_html(real_workshop, ASSETS), ASSETS)


@pytest.fixture(scope="module")
def real_pdf(real_document: Any) -> bytes:
    return write_pdf(real_document)


def test_scores_of_a_country_that_did_not_share_are_refused() -> None:
    scores = Scores("q", None, None, 0.0, {}, {}, {}, None)
    with pytest.raises(ValueError, match="does not share"):
        CountryInput("THA", "Thailand", "private", {}, scores)


def test_only_countries_sharing_with_the_workshop_are_named_with_results(real_workshop: WorkshopReportInput) -> None:
    report = workshop_context(real_workshop)
    assert [country.code for country in report.named] == ["KHM", "IDN", "LAO"]
    assert [table.countries for table in report.named_scores] == [("KHM", "IDN", "LAO")]
    assert (report.anonymous_countries, report.private_countries) == (3, 3)


def test_progress_covers_every_invited_country(real_workshop: WorkshopReportInput) -> None:
    report = workshop_context(real_workshop)
    assert report.progress[0].countries == tuple(SHARING)
    thailand = next(c for c in real_workshop.countries if c.code == "THA")
    expected = sum(cell.answered for cell in thailand.progress.values())
    assert report.progress[0].totals[list(SHARING).index("THA")].answered == expected


def test_the_aggregate_is_over_the_anonymous_countries_only(real_workshop: WorkshopReportInput) -> None:
    report = workshop_context(real_workshop)
    assert report.aggregate is not None and report.aggregate.countries == 3
    anonymous = [c.scores for c in real_workshop.countries if c.sharing == "peers" and c.scores]
    row = report.aggregate.rows[0]
    values = sorted(s for scores in anonymous if (s := scores.measures[row.id].score) is not None)
    assert (row.minimum, row.maximum) == (values[0], values[-1])


def test_no_aggregate_with_fewer_than_three_anonymous_countries(real_workshop: WorkshopReportInput) -> None:
    fewer = [c if c.code != "NPL" else replace(c, sharing="private", scores=None) for c in real_workshop.countries]
    report = workshop_context(replace(real_workshop, countries=fewer))
    assert report.aggregate is None and report.anonymous_countries == 2


def test_a_wide_workshop_splits_tables_at_nine_countries(real_workshop: WorkshopReportInput) -> None:
    more = [replace(c, code=f"{c.code[:2]}X") for c in real_workshop.countries[:4]]
    report = workshop_context(replace(real_workshop, countries=[*real_workshop.countries, *more]))
    assert [len(table.countries) for table in report.progress] == [9, 4]


def test_the_pdf_reads_as_a_record_of_the_workshop(real_pdf: bytes, tmp_path: Path) -> None:
    text = " ".join(" ".join(page.split()) for page in page_texts(real_pdf, tmp_path))
    for expected in (
        "RSR training workshop",
        "Facilitator's summary",
        "Day 2 agreed three strategies.",
        "Participant LKA-2",
        "Joint referral",
        "mean rating 4.2 of 5",
        "More time",
        "Cambodia",
    ):
        assert expected in text, expected


def test_the_pdf_embeds_subsets_of_the_noto_fonts_only(real_pdf: bytes, tmp_path: Path) -> None:
    rows = pdf_tool("pdffonts", real_pdf, tmp_path).splitlines()[2:]
    names = {row.split()[0].split("+")[1] for row in rows}
    assert {"Noto-Sans", "Noto-Sans-Bold", "Noto-Sans-Thai"} <= names
    assert all("+Noto-" in row.split()[0] and row.split()[-5:-3] == ["yes", "yes"] for row in rows), rows


def test_nothing_sticks_out_of_the_page_and_headings_become_bookmarks(real_document: Any) -> None:
    assert overflowing_text(real_document) == []
    top = [label for level, label, _page in bookmark_labels(real_document) if level == 1]
    assert top[:3] == ["Contents", "Facilitator's summary", "Progress"]


def test_user_text_is_escaped(real_workshop: WorkshopReportInput) -> None:
    hostile = replace(real_workshop, summary='<img src="http://example.org/x.png"> & more')
    html = workshop_html(hostile, ASSETS)
    assert "&lt;img" in html and '<img src="http' not in html
    assert WORKSHOP_TEMPLATE == "workshop.html"


def test_a_workshop_nobody_has_joined_yet_still_renders_with_clear_empty_states(
    real_workshop: WorkshopReportInput,
) -> None:
    untouched = [replace(c, sharing="private", scores=None, progress={}) for c in real_workshop.countries]
    empty = replace(real_workshop, countries=untouched, attendees=(), groups=(), summary="", responses=0)
    html = " ".join(workshop_html(empty, ASSETS).split())
    for expected in (
        "The facilitator has not written a summary yet.",
        "Nobody has joined yet.",
        "No groups were formed.",
        "Nobody has filled in the evaluation yet.",
        "No country shared its workshop assessment with the workshop.",
        "Fewer than three countries shared their results anonymously",
    ):
        assert expected in html, expected
    assert "How useful was the workshop overall?" not in html
