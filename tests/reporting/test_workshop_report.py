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
from app.core.scoring import Scores, restrict_scores
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


def scope_of(questionnaire: Questionnaire) -> list[str]:
    """The five measures the workshop covered (as in issue 17: not the whole questionnaire)."""
    return list(questionnaire.measures)[:5]


def country(questionnaire: Questionnaire, library: Library, code: str, seed: int) -> CountryInput:
    scores = restrict_scores(questionnaire, scores_for(questionnaire, library, seed), scope_of(questionnaire))
    progress = {m: Progress(r.answered, r.applicable) for m, r in scores.measures.items()}
    return CountryInput(code, NAMES[code], progress, scores)


def without_scores(data: WorkshopReportInput, terms: str) -> WorkshopReportInput:
    countries = [replace(c, scores=None) for c in data.countries]
    return replace(data, countries=countries, terms=terms)


def workshop_input(questionnaire: Questionnaire, library: Library, terms: str = "everyone") -> WorkshopReportInput:
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
        scope=scope_of(questionnaire),
        countries=[country(questionnaire, library, code, seed) for seed, code in enumerate(SHARING)],
        attendees=attendees,
        groups=groups,
        summary="Day 1 found gaps in victim identification.\n\nDay 2 agreed three strategies.",
        responses=20,
        evaluation=evaluation,
        terms=terms,
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


def test_scores_are_refused_under_terms_that_show_no_results(real_workshop: WorkshopReportInput) -> None:
    with pytest.raises(ValueError, match="show no results"):
        replace(real_workshop, terms="private")
    with pytest.raises(ValueError, match="unknown sharing terms"):
        replace(real_workshop, terms="workshop")


def test_under_terms_for_everyone_every_country_is_named_with_results(real_workshop: WorkshopReportInput) -> None:
    report = workshop_context(real_workshop)
    assert [country.code for country in report.named] == list(SHARING)
    assert [table.countries for table in report.named_scores] == [tuple(SHARING)]
    assert report.heat_map.count('class="heat-cell"') == len(SHARING) * len(real_workshop.scope)


def test_the_report_scores_only_the_workshops_measures(real_workshop: WorkshopReportInput) -> None:
    report = workshop_context(real_workshop)
    q, scope = real_workshop.questionnaire, set(real_workshop.scope)
    in_scope_pillars = {q.pillar_of_measure[m] for m in scope}
    for named, given in zip(report.named, real_workshop.countries, strict=True):
        assert given.scores is not None and named.overall == given.scores.overall
        assert {line.id for line in named.pillars} == in_scope_pillars
        in_scope = [r for r in given.scores.measures.values() if r.measure_id in scope]
        assert named.completeness == pytest.approx(
            sum(r.answered for r in in_scope) / sum(r.applicable for r in in_scope), abs=0.001
        )
    other = next(m for m in q.measures if m not in scope)
    assert other not in report.heat_map and other not in "".join(str(t) for t in report.progress)


def test_under_anonymous_terms_no_country_is_named_and_the_spread_covers_all(
    real_workshop: WorkshopReportInput,
) -> None:
    report = workshop_context(replace(real_workshop, terms="anonymous"))
    assert report.named == () and report.named_scores == () and report.heat_map == ""
    assert report.aggregate is not None and report.aggregate.countries == len(SHARING)
    row = report.aggregate.rows[0]
    values = sorted(
        s for c in real_workshop.countries if c.scores and (s := c.scores.measures[row.id].score) is not None
    )
    assert (row.minimum, row.maximum) == (values[0], values[-1])
    html = workshop_html(replace(real_workshop, terms="anonymous"), ASSETS)
    results = html.split('id="results-heading"')[1].split('id="strategies-heading"')[0]
    results = results.replace('"Noto Sans Myanmar"', "")  # the charts' font list is not a country
    assert not any(name in results for name in NAMES.values())


def test_no_spread_over_fewer_than_three_countries(real_workshop: WorkshopReportInput) -> None:
    two = replace(real_workshop, terms="anonymous", countries=list(real_workshop.countries[:2]))
    assert workshop_context(two).aggregate is None


def test_under_private_terms_the_report_shows_progress_only(real_workshop: WorkshopReportInput) -> None:
    report = workshop_context(without_scores(real_workshop, "private"))
    assert report.named == () and report.aggregate is None and report.heat_map == ""
    assert report.progress[0].countries == tuple(SHARING)


def test_the_report_prints_its_terms_and_a_facilitators_report_is_marked_for_them(
    real_workshop: WorkshopReportInput,
) -> None:
    html = " ".join(workshop_html(replace(real_workshop, terms="facilitators"), ASSETS).split())
    assert "For the workshop's facilitators only" in html
    assert "Results shared only with the facilitators" in html
    everyone = " ".join(workshop_html(real_workshop, ASSETS).split())
    assert "Results shared with all participants" in everyone and "facilitators only" not in everyone


def test_progress_covers_every_invited_country(real_workshop: WorkshopReportInput) -> None:
    report = workshop_context(real_workshop)
    assert report.progress[0].countries == tuple(SHARING)
    thailand = next(c for c in real_workshop.countries if c.code == "THA")
    expected = sum(cell.answered for cell in thailand.progress.values())
    assert report.progress[0].totals[list(SHARING).index("THA")].answered == expected


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
    untouched = [replace(c, scores=None, progress={}) for c in real_workshop.countries]
    empty = replace(
        real_workshop, countries=untouched, attendees=(), groups=(), summary="", responses=0, terms="private"
    )
    html = " ".join(workshop_html(empty, ASSETS).split())
    for expected in (
        "The facilitator has not written a summary yet.",
        "Nobody has joined yet.",
        "No groups were formed.",
        "Nobody has filled in the evaluation yet.",
        "The workshop's sharing terms do not show countries by name in this report.",
        "The workshop's sharing terms show no results across countries.",
    ):
        assert expected in html, expected
    assert "How useful was the workshop overall?" not in html
