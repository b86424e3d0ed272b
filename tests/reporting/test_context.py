"""The report's context: plain values that match the core's results (and so the results page)."""

from __future__ import annotations

import dataclasses
from datetime import date

from app.core.actions import ActionFields
from app.core.library import Library
from app.core.questionnaire import Questionnaire
from app.reporting.context import GAP_PRACTICES, GAP_RESOURCES, build_gap_context, text_direction
from app.reporting.inputs import ItemNote
from app.reporting.view import GapReport
from tests.reporting.conftest import mini_input


def test_scores_bands_and_completeness_are_the_cores_own(mini: Questionnaire, mini_library: Library) -> None:
    data = mini_input(mini, mini_library)
    report = build_gap_context(data)
    scores = data.results.scores
    assert report.summary.overall.score == scores.overall
    assert report.summary.overall.completeness == scores.completeness
    for pillar in report.summary.pillars:
        assert (pillar.score, pillar.completeness) == (
            scores.pillars[pillar.id].score,
            scores.pillars[pillar.id].completeness,
        )
        band = scores.pillars[pillar.id].band
        assert pillar.band == (mini.band_by_id(band).label["en"] if band else None)
    measures = {line.id: line for section in report.pillars for line in section.measures}
    assert {key: line.score for key, line in measures.items()} == {key: m.score for key, m in scores.measures.items()}


def test_a_critical_item_below_level_three_is_named_as_the_cap(mini: Questionnaire, mini_library: Library) -> None:
    report = build_gap_context(mini_input(mini, mini_library))
    prosecution = next(p for p in report.summary.pillars if p.id == "prosecution")
    assert prosecution.capped_by == ("PROS-1.1",)


def test_gaps_are_numbered_by_priority_and_shown_under_their_pillar(mini: Questionnaire, mini_library: Library) -> None:
    data = mini_input(mini, mini_library)
    report = build_gap_context(data)
    assert [card.item_id for card in report.summary.top_gaps] == [gap.item_id for gap in data.results.gaps][:5]
    assert [card.rank for card in report.summary.top_gaps] == list(range(1, len(report.summary.top_gaps) + 1))
    for section in report.pillars:
        assert all(card.pillar_id == section.id for card in section.gaps)
        assert [card.rank for card in section.gaps] == sorted(card.rank for card in section.gaps)
    assert sum(len(section.gaps) for section in report.pillars) == len(data.results.gaps) == report.summary.gap_count


def test_each_gap_carries_its_guidance_with_publisher_year_and_country(
    mini: Questionnaire, mini_library: Library
) -> None:
    report = build_gap_context(mini_input(mini, mini_library))
    card = next(card for section in report.pillars for card in section.gaps if card.item_id == "PROS-1.1")
    protocol = card.resources[0]
    assert (protocol.title, protocol.publisher, protocol.year, protocol.explicit) == (
        "Protocol to Prevent, Suppress and Punish Trafficking in Persons, Especially Women and Children",
        "United Nations",
        2000,
        True,
    )
    assert card.sources == ("Trafficking Protocol art. 5",)
    unit = next(card for section in report.pillars for card in section.gaps if card.item_id == "PROS-2.1")
    assert [(link.title, link.country) for link in unit.practices] == [
        ("A specialised anti-trafficking police unit", "Thailand")
    ]
    assert (unit.next_level, unit.next_level_text) == (1, "Initial")


def test_guidance_is_limited_and_says_how_much_more_there_is(mini: Questionnaire, mini_library: Library) -> None:
    data = mini_input(mini, mini_library)
    report = build_gap_context(data)
    for card in (card for section in report.pillars for card in section.gaps):
        guidance = data.results.guidance[card.item_id]
        assert len(card.resources) == min(len(guidance.resources), GAP_RESOURCES)
        assert len(card.resources) + card.more_resources == len(guidance.resources)
        assert len(card.practices) == min(len(guidance.practices), GAP_PRACTICES)
        assert len(card.practices) + card.more_practices == len(guidance.practices)


def test_peers_are_named_and_comments_kept(mini: Questionnaire, mini_library: Library) -> None:
    notes = {"PROS-2.1": ItemNote("ยังไม่มีหน่วยเฉพาะ", "Police order 12/2025")}
    report = build_gap_context(mini_input(mini, mini_library, notes=notes, peers={"PROS-2.1": ["PHL", "IDN"]}))
    card = next(card for section in report.pillars for card in section.gaps if card.item_id == "PROS-2.1")
    assert card.peers == ("Indonesia", "Philippines")
    assert (card.comment, card.evidence) == ("ยังไม่มีหน่วยเฉพาะ", "Police order 12/2025")


def test_strengths_and_data_gaps_are_listed(mini: Questionnaire, mini_library: Library) -> None:
    report = build_gap_context(mini_input(mini, mini_library))
    assert [item.item_id for item in report.summary.top_strengths] == ["PROT-1.1", "PROS-1.3"]
    assert [item.item_id for item in report.data_gaps] == ["PROS-2.2"]
    protection = next(section for section in report.pillars if section.id == "protection")
    assert [item.item_id for item in protection.strengths] == ["PROT-1.1"]


def test_the_action_plan_keeps_plan_order_and_names_measures(mini: Questionnaire, mini_library: Library) -> None:
    actions = [
        ActionFields("Draft amendments", "PROS-1", ("PROS-1.2",), start=date(2027, 1, 1)),
        ActionFields("Train investigators", None),
    ]
    report = build_gap_context(mini_input(mini, mini_library, actions=actions))
    assert [(a.number, a.title, a.measure_title) for a in report.actions] == [
        (1, "Draft amendments", "Criminalising trafficking in persons"),
        (2, "Train investigators", None),
    ]


def test_no_previous_cycle_means_no_comparison(mini: Questionnaire, mini_library: Library) -> None:
    assert build_gap_context(mini_input(mini, mini_library)).comparison is None


def test_the_comparison_gives_changes_by_pillar_measure_and_item(mini: Questionnaire, mini_library: Library) -> None:
    previous = {"PROS-1.1": 0, "PROS-1.3": 4, "PROS-2.1": 0, "PROT-1.1": 2}
    report = build_gap_context(mini_input(mini, mini_library, previous=previous))
    comparison = report.comparison
    assert comparison is not None
    assert comparison.overall.delta == round(comparison.overall.after - comparison.overall.before, 1)  # type: ignore[operator]
    assert [line.id for line in comparison.pillars] == ["prosecution", "protection"]
    assert [item.item_id for item in comparison.declined_items] == ["PROS-1.3"]
    assert comparison.chart.startswith("<svg") and "comparison-chart-title" in comparison.chart


def test_the_methodology_annex_reads_the_questionnaires_rules(mini: Questionnaire, mini_library: Library) -> None:
    annex = build_gap_context(mini_input(mini, mini_library)).methodology
    assert [band.label for band in annex.bands] == ["Absent", "Initial", "Emerging", "Developing", "Established"]
    assert annex.critical_cap == "Emerging" and annex.critical_level == 3
    assert [item.item_id for item in annex.critical_items] == ["PROS-1.1", "PROT-1.1"]
    assert annex.scale[0] == (0, "Not in place")


def test_the_context_is_plain_values_only(mini: Questionnaire, mini_library: Library) -> None:
    allowed = (str, int, float, bool, date, type(None))

    def check(value: object, where: str) -> None:
        if dataclasses.is_dataclass(value):
            for field in dataclasses.fields(value):
                check(getattr(value, field.name), f"{where}.{field.name}")
        elif isinstance(value, tuple):
            for index, element in enumerate(value):
                check(element, f"{where}[{index}]")
        else:
            assert isinstance(value, allowed), f"{where} is a {type(value).__name__}"

    report: GapReport = build_gap_context(mini_input(mini, mini_library, previous={"PROS-1.1": 0}))
    check(report, "report")


def test_text_direction_follows_the_first_strong_character() -> None:
    assert text_direction("ایران") == "rtl"
    assert text_direction("العراق 2026") == "rtl"
    assert text_direction("2026 ประเทศไทย") == "ltr"
    assert text_direction("12 / 34") == "ltr"
