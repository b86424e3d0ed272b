"""The shipped questionnaire and knowledge base meet the bar set for them."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from app.core.answers import Answer, AssessmentInput
from app.core.content_report import ContentReport, content_report, normalised_title
from app.core.library import Library
from app.core.loader import load_library, load_questionnaire, validate_paths
from app.core.questionnaire import Questionnaire
from app.core.results import assess

CONTENT = Path(__file__).resolve().parents[2] / "questionnaires"
# Standards that must be critical items (issue "Content"), each found by words of its question.
CRITICAL_STANDARDS = {
    "offence in line with the Protocol definition": ["definition"],
    "all forms of exploitation": ["every form of exploitation"],
    "consent irrelevant once means are used": ["consent"],
    "child trafficking needs no means": ["child"],
    "non-punishment of victims": ["not detained, charged, prosecuted", "punish"],
    "formal identification procedure with a low threshold": ["low threshold"],
    "assistance not conditional on cooperation": ["cooperate"],
    "reflection period": ["reflection period"],
    "safe and voluntary return": ["voluntary"],
}


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library(CONTENT / "library")


@pytest.fixture(scope="module")
def questionnaire(library: Library) -> Questionnaire:
    return load_questionnaire(CONTENT / "ctsat-1.0", library)


@pytest.fixture(scope="module")
def report(questionnaire: Questionnaire, library: Library) -> ContentReport:
    return content_report(questionnaire, library)


def test_the_content_validates() -> None:
    problems, questionnaires, _ = validate_paths([CONTENT])
    assert [str(p) for p in problems] == []
    assert len(questionnaires) == 1


def test_the_questionnaire_has_every_measure_of_the_roadmap(questionnaire: Questionnaire) -> None:
    by_pillar = {pillar.id: len(pillar.measures) for pillar in questionnaire.pillars}
    assert by_pillar == {"governance": 6, "prevention": 6, "protection": 5, "prosecution": 9}


def test_the_minimums_hold(report: ContentReport) -> None:
    assert report.items >= 130
    assert report.resources >= 80
    assert report.practices >= 50
    assert report.countries >= 45
    assert report.measures_below_minimum == {}
    assert report.items_without_sources == []
    assert report.items_without_guidance == []


def test_the_critical_standards_are_critical_items(questionnaire: Questionnaire) -> None:
    critical = [item.question["en"].lower() for item in questionnaire.items.values() if item.critical]
    missing = [
        standard
        for standard, words in CRITICAL_STANDARDS.items()
        if not any(word in question for question in critical for word in words)
    ]
    assert missing == []


def test_every_gap_of_an_all_zero_assessment_gets_at_least_two_guidance_links(
    questionnaire: Questionnaire, library: Library
) -> None:
    answers = {item.id: Answer(item.id, level=0) for item in questionnaire.items.values() if item.scored}
    results = assess(questionnaire, library, AssessmentInput(answers=answers))
    assert results.gaps
    thin = [
        gap.item_id
        for gap in results.gaps
        if len(results.guidance[gap.item_id].resources) + len(results.guidance[gap.item_id].practices) < 2
    ]
    assert thin == []


@pytest.mark.parametrize("kind", ["resources", "practices", "instruments"])
def test_no_title_is_listed_twice(library: Library, kind: str) -> None:
    titles = Counter(normalised_title(entry.title) for entry in getattr(library, kind))
    assert [title for title, count in titles.items() if count > 1] == []


def test_no_question_is_asked_twice(questionnaire: Questionnaire) -> None:
    questions = Counter(normalised_title(item.question["en"]) for item in questionnaire.items.values())
    assert [question for question, count in questions.items() if count > 1] == []


def test_every_url_is_well_formed_and_unique(library: Library) -> None:
    urls = (
        [r.url for r in library.resources]
        + [p.source_url for p in library.practices]
        + [i.url for i in library.instruments]
    )
    urls += [
        law.url
        for country in library.countries
        for law in [*country.laws, *country.action_plans, *country.sops, *country.mous]
    ]
    present = [url for url in urls if url]
    for url in present:
        parts = urlsplit(url)
        assert parts.scheme == "https" and parts.netloc and " " not in url, url
    resource_urls = Counter(r.url for r in library.resources if r.url)
    assert [url for url, count in resource_urls.items() if count > 1] == []


def test_unverified_fields_are_left_empty(library: Library) -> None:
    for entry in [*library.resources, *library.practices, *library.instruments]:
        for name in entry.unverified:
            assert name in type(entry).model_fields, f"{entry.id}: unknown field {name} in unverified"
            value = getattr(entry, name)
            assert name in ("title", "source") or value in (None, "", []), (
                f"{entry.id}: {name} is marked unverified but filled"
            )


def test_every_bali_process_member_state_has_a_profile(library: Library) -> None:
    codes = {country.code for country in library.countries if country.kind == "state"}
    for code in [
        "AUS",
        "IDN",
        "THA",
        "PHL",
        "KHM",
        "LAO",
        "MMR",
        "VNM",
        "NPL",
        "LKA",
        "BGD",
        "MNG",
        "CHN",
        "JPN",
        "KOR",
        "NZL",
        "USA",
    ]:
        assert code in codes
