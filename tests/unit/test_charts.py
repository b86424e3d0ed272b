"""SVG charts: well-formed, accessible, escaped, proportional, mirrored for RTL, deterministic."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence

import pytest

from app.reporting.charts import (
    MAX_LABEL_CHARS,
    NO_VALUE,
    PILLAR_COLOURS,
    BarRow,
    ComparisonRow,
    PillarRow,
    comparison_multiples,
    measure_bars,
    pillar_bars,
)

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>alert(1)</script> & \"double\" 'single'"

Chart = Callable[[str, str], str]


def _measures(label: str = "GOV-1 Legal framework", title: str = "Measures", prefix: str = "m") -> str:
    rows = [
        BarRow(label, "governance", 72.5, target=80, spread=(30, 55, 90)),
        BarRow("PREV-1 Reduction of vulnerability", "prevention", 35.2),
        BarRow("PROS-1 Criminalising trafficking in persons", "prosecution", None),
        BarRow("PROS-2 Investigations", "prosecution", 48.0),
        BarRow("PROT-1 Victim identification", "protection", 55.5),
    ]
    return measure_bars(rows, title=title, description="Scores by measure", id_prefix=prefix)


def _pillars(label: str = "Prevention", title: str = "Pillars", prefix: str = "p") -> str:
    rows = [
        PillarRow(label, "prevention", 45.3, previous=38.0),
        PillarRow("Protection", "protection", 62.1, previous=64.5),
        PillarRow("Prosecution", "prosecution", 71.0),
        PillarRow("Governance and partnership", "governance", 100.0, previous=90.0),
    ]
    return pillar_bars(rows, title=title, description="Scores by pillar", id_prefix=prefix)


def _comparison(label: str = "Prevention", title: str = "Comparison", prefix: str = "c") -> str:
    rows = [
        ComparisonRow(label, "prevention", 38.0, 45.3),
        ComparisonRow("Protection", "protection", 64.5, 62.1),
        ComparisonRow("Prosecution", "prosecution", None, 71.0),
        ComparisonRow("Governance and partnership", "governance", 90.0, 100.0),
    ]
    return comparison_multiples(rows, title=title, description="Before and after", id_prefix=prefix)


CHARTS = pytest.mark.parametrize("chart", [_measures, _pillars, _comparison], ids=["measures", "pillars", "comparison"])


def _root(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def _with_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [element for element in root.iter() if name in element.get("class", "").split()]


def _texts(root: ET.Element) -> list[str]:
    return [element.text or "" for element in root.iter(f"{SVG}text")]


def _bar_widths(svg: str) -> list[float]:
    return [float(bar.get("width", "nan")) for bar in _with_class(_root(svg), "bar")]


def _measure_chart(rows: Sequence[BarRow], *, rtl: bool = False) -> str:
    return measure_bars(rows, title="t", description="d", id_prefix="m", rtl=rtl)


# ------------------------------------------------------------------------------------ all charts


@CHARTS
def test_chart_is_well_formed_xml_in_the_svg_namespace(chart: Callable[[], str]) -> None:
    assert _root(chart()).tag == f"{SVG}svg"


@CHARTS
def test_chart_is_an_image_labelled_by_its_title_and_desc(chart: Callable[[], str]) -> None:
    root = _root(chart())
    by_id = {element.get("id"): element for element in root.iter() if element.get("id")}
    title_id, desc_id = root.get("aria-labelledby", "").split()
    assert root.get("role") == "img"
    assert by_id[title_id].tag == f"{SVG}title" and by_id[title_id].text
    assert by_id[desc_id].tag == f"{SVG}desc" and by_id[desc_id].text
    assert root[0] is by_id[title_id]


def test_id_prefix_keeps_the_ids_of_two_charts_on_one_page_apart() -> None:
    first, second = _root(_measures(prefix="first")), _root(_measures(prefix="second"))
    ids = [element.get("id") for root in (first, second) for element in root.iter() if element.get("id")]
    assert sorted(ids) == ["first-desc", "first-title", "second-desc", "second-title"]


@pytest.mark.parametrize("prefix", ["", "1chart", 'a" onload="x', "a b"])
def test_an_id_prefix_that_is_not_a_plain_identifier_is_refused(prefix: str) -> None:
    with pytest.raises(ValueError, match="id_prefix"):
        _measures(prefix=prefix)


@CHARTS
def test_markup_in_a_label_is_escaped_and_round_trips_as_text(chart: Callable[..., str]) -> None:
    svg = chart(label=HOSTILE)
    root = _root(svg)
    assert "<script" not in svg
    assert not list(root.iter(f"{SVG}script")) and not list(root.iter("script"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in svg
    assert any(HOSTILE in (element.text or "") for element in root.iter(f"{SVG}title"))


@CHARTS
def test_markup_in_the_title_is_escaped(chart: Callable[..., str]) -> None:
    root = _root(chart(title=HOSTILE))
    assert root[0].text == HOSTILE
    assert not list(root.iter(f"{SVG}script"))


@CHARTS
def test_characters_xml_cannot_hold_are_dropped(chart: Callable[..., str]) -> None:
    root = _root(chart(label="Pre\x00ven\x1btion\ufffe"))
    assert any("Prevention" in text for text in _texts(root))


@CHARTS
def test_chart_has_no_script_event_handler_style_or_external_reference(chart: Callable[..., str]) -> None:
    svg = chart(label=HOSTILE, title=HOSTILE)
    root = _root(svg)
    tags = {element.tag.removeprefix(SVG) for element in root.iter()}
    attributes = {name for element in root.iter() for name in element.attrib}
    assert tags <= {"svg", "title", "desc", "g", "rect", "line", "circle", "text"}
    assert not {name for name in attributes if name.lower().startswith("on") or "href" in name.lower()}
    assert "url(" not in svg


@CHARTS
def test_same_input_gives_byte_identical_output(chart: Callable[[], str]) -> None:
    assert chart() == chart()


@CHARTS
def test_coordinates_have_at_most_one_decimal(chart: Callable[[], str]) -> None:
    root = _root(chart())
    names = {"x", "y", "x1", "x2", "y1", "y2", "width", "height", "cx", "cy"}
    values = [value for element in root.iter() for name, value in element.attrib.items() if name in names]
    assert values and all(re.fullmatch(r"-?\d+(\.\d)?", value) for value in values)


@CHARTS
def test_gridlines_at_the_band_limits_are_labelled(chart: Callable[[], str]) -> None:
    texts = _texts(_root(chart()))
    assert all(str(value) in texts for value in (0, 20, 40, 60, 80, 100))


@CHARTS
def test_text_is_set_in_noto_sans(chart: Callable[[], str]) -> None:
    family = _root(chart()).get("font-family", "")
    assert family.startswith('"Noto Sans",') and family.endswith("sans-serif")


@CHARTS
def test_each_pillar_colour_fills_its_bars(chart: Callable[[], str]) -> None:
    fills = {bar.get("fill") for bar in _with_class(_root(chart()), "bar") if "previous" not in bar.get("class", "")}
    assert fills == set(PILLAR_COLOURS.values())


def test_width_below_the_minimum_is_refused() -> None:
    with pytest.raises(ValueError, match="width"):
        measure_bars([], title="t", description="d", id_prefix="m", width=200)


# ---------------------------------------------------------------------------------- measure bars


def test_measure_bar_widths_are_proportional_to_scores() -> None:
    rows = [BarRow("A", "prevention", 100.0), BarRow("B", "prevention", 50.0), BarRow("C", "prevention", 25.0)]
    full, half, quarter = _bar_widths(_measure_chart(rows))
    assert half == full / 2 and quarter == full / 4


def test_measure_bars_start_at_the_same_x() -> None:
    rows = [BarRow("A", "prevention", 100.0), BarRow("B", "protection", 10.0)]
    assert len({bar.get("x") for bar in _with_class(_root(_measure_chart(rows)), "bar")}) == 1


def test_scores_outside_the_axis_are_clamped_for_drawing_but_printed_as_given() -> None:
    root = _root(_measure_chart([BarRow("A", "prevention", 100.0), BarRow("B", "prevention", 120.0)]))
    widths = [bar.get("width") for bar in _with_class(root, "bar")]
    assert widths[0] == widths[1]
    assert [value.text for value in _with_class(root, "value")] == ["100.0", "120.0"]


def test_missing_score_draws_no_bar_and_prints_a_dash() -> None:
    root = _root(_measure_chart([BarRow("A", "prevention", None)]))
    assert _with_class(root, "bar") == []
    assert [value.text for value in _with_class(root, "value")] == [NO_VALUE]


def test_value_is_printed_with_one_decimal() -> None:
    root = _root(_measure_chart([BarRow("A", "prevention", 72.46), BarRow("B", "prevention", 0)]))
    assert [value.text for value in _with_class(root, "value")] == ["72.5", "0.0"]


def test_long_label_is_shortened_with_an_ellipsis_and_kept_whole_for_hover() -> None:
    label = "PREV-5 Prevention during natural disasters, humanitarian emergencies and conflicts"
    root = _root(_measure_chart([BarRow(label, "prevention", 40.0)]))
    shown = _with_class(root, "label")[0].text or ""
    hover = root.find(f"{SVG}g/{SVG}title")
    assert len(shown) <= MAX_LABEL_CHARS and shown.endswith("\u2026") and label.startswith(shown[:-1])
    assert hover is not None and hover.text == f"{label}: 40.0"


def test_target_tick_is_drawn_at_the_target_value() -> None:
    rows = [BarRow("A", "prevention", 100.0), BarRow("B", "prevention", 10.0, target=60.0)]
    root = _root(_measure_chart(rows))
    full = _with_class(root, "bar")[0]
    tick = _with_class(root, "target")[0]
    start, length = float(full.get("x", "nan")), float(full.get("width", "nan"))
    assert tick.get("x1") == tick.get("x2")
    assert float(tick.get("x1", "nan")) == pytest.approx(start + 0.6 * length, abs=0.1)


def test_peer_spread_runs_from_minimum_to_maximum_with_a_dot_at_the_median() -> None:
    rows = [BarRow("A", "prevention", 100.0), BarRow("B", "prevention", 10.0, spread=(20.0, 50.0, 90.0))]
    root = _root(_measure_chart(rows))
    full = _with_class(root, "bar")[0]
    start, length = float(full.get("x", "nan")), float(full.get("width", "nan"))
    line = _with_class(root, "spread")[0]
    dot = root.find(f".//{SVG}circle")
    assert float(line.get("x1", "nan")) == pytest.approx(start + 0.2 * length, abs=0.1)
    assert float(line.get("x2", "nan")) == pytest.approx(start + 0.9 * length, abs=0.1)
    assert dot is not None and float(dot.get("cx", "nan")) == pytest.approx(start + 0.5 * length, abs=0.1)


def test_legend_for_target_and_peers_appears_only_when_they_are_drawn() -> None:
    plain = _root(_measure_chart([BarRow("A", "prevention", 50.0)]))
    marked = _root(_measure_chart([BarRow("A", "prevention", 50.0, target=70.0)]))
    assert _with_class(plain, "legend") == []
    assert "Target" in _texts(marked)


def test_chart_grows_by_one_row_height_per_measure() -> None:
    def height(count: int) -> int:
        return int(_root(_measure_chart([BarRow("A", "prevention", 50.0)] * count)).get("height", "0"))

    assert height(10) - height(5) == 5 * 26


def test_rtl_puts_labels_on_the_right_and_values_on_the_left() -> None:
    root = _root(_measure_chart([BarRow("GOV-1 الإطار القانوني", "governance", 50.0)], rtl=True))
    width = float(root.get("width", "nan"))
    label, value = _with_class(root, "label")[0], _with_class(root, "value")[0]
    assert float(label.get("x", "nan")) > width / 2 and label.get("direction") == "rtl"
    assert float(value.get("x", "nan")) < width / 2 and value.get("direction") is None


def test_rtl_bars_mirror_the_left_to_right_bars() -> None:
    rows = [BarRow("A", "prevention", 30.0, target=45.0)]
    ltr, rtl = _root(_measure_chart(rows)), _root(_measure_chart(rows, rtl=True))
    width = float(ltr.get("width", "nan"))
    ltr_bar, rtl_bar = _with_class(ltr, "bar")[0], _with_class(rtl, "bar")[0]
    ltr_end = float(ltr_bar.get("x", "nan"))
    rtl_end = float(rtl_bar.get("x", "nan")) + float(rtl_bar.get("width", "nan"))
    assert rtl_end == pytest.approx(width - ltr_end, abs=0.1)
    ltr_tick, rtl_tick = _with_class(ltr, "target")[0], _with_class(rtl, "target")[0]
    assert float(rtl_tick.get("x1", "nan")) == pytest.approx(width - float(ltr_tick.get("x1", "nan")), abs=0.1)


# ----------------------------------------------------------------------------------- pillar bars


def test_pillar_column_heights_are_proportional_to_scores() -> None:
    rows = [PillarRow("A", "prevention", 100.0), PillarRow("B", "protection", 50.0)]
    bars = _with_class(_root(pillar_bars(rows, title="t", description="d", id_prefix="p")), "bar")
    full, half = (float(bar.get("height", "nan")) for bar in bars)
    assert half == full / 2
    assert float(bars[0].get("y", "nan")) + full == float(bars[1].get("y", "nan")) + half


def test_pillar_value_is_printed_above_its_column_and_its_name_below() -> None:
    root = _root(pillar_bars([PillarRow("Prevention", "prevention", 45.3)], title="t", description="d", id_prefix="p"))
    column, value, name = _with_class(root, "bar")[0], _with_class(root, "value")[0], _with_class(root, "label")[0]
    top, bottom = float(column.get("y", "nan")), float(column.get("y", "nan")) + float(column.get("height", "nan"))
    assert value.text == "45.3" and float(value.get("y", "nan")) < top
    assert name.text == "Prevention" and float(name.get("y", "nan")) > bottom


def test_previous_cycle_adds_a_lighter_dashed_column_and_a_legend() -> None:
    rows = [PillarRow("Prevention", "prevention", 45.3, previous=38.0)]
    root = _root(pillar_bars(rows, title="t", description="d", id_prefix="p", previous_label="Previous cycle"))
    previous = _with_class(root, "previous")
    assert len(previous) == 1 and previous[0].get("stroke-dasharray")
    assert previous[0].get("stroke") == PILLAR_COLOURS["prevention"]
    assert previous[0].get("fill") != PILLAR_COLOURS["prevention"]
    assert "Previous cycle" in _texts(root)


def test_without_previous_scores_there_is_one_column_per_pillar_and_no_legend() -> None:
    rows = [PillarRow("A", "prevention", 45.3), PillarRow("B", "protection", 60.0)]
    root = _root(pillar_bars(rows, title="t", description="d", id_prefix="p"))
    assert len(_with_class(root, "bar")) == 2
    assert _with_class(root, "previous") == [] and _with_class(root, "legend") == []


def test_long_pillar_name_wraps_onto_two_lines() -> None:
    rows = [PillarRow("Governance and partnership", "governance", 50.0)] * 4
    root = _root(pillar_bars(rows, title="t", description="d", id_prefix="p"))
    assert [label.text for label in _with_class(root, "label")[:2]] == ["Governance and", "partnership"]


# -------------------------------------------------------------------------- comparison multiples


def test_comparison_prints_the_change_with_its_sign() -> None:
    deltas = [delta.text for delta in _with_class(_root(_comparison()), "delta")]
    assert deltas == ["+7.3", "\u22122.4", NO_VALUE, "+10.0"]


def test_comparison_draws_a_before_and_an_after_column_per_pillar() -> None:
    root = _root(_comparison())
    assert len(_with_class(root, "previous")) == 3  # the missing "before" has no column
    assert len([bar for bar in _with_class(root, "bar") if "previous" not in bar.get("class", "")]) == 4
    assert _texts(root).count("Before") == 4 and _texts(root).count("After") == 4


def test_comparison_with_more_than_four_pillars_continues_on_a_second_line() -> None:
    rows = [ComparisonRow(f"P{index}", "prevention", 10.0, 20.0) for index in range(5)]
    one_line = _root(comparison_multiples(rows[:4], title="t", description="d", id_prefix="c"))
    two_lines = _root(comparison_multiples(rows, title="t", description="d", id_prefix="c"))
    assert int(two_lines.get("height", "0")) > int(one_line.get("height", "0"))


def test_no_change_is_printed_as_zero() -> None:
    rows = [ComparisonRow("A", "prevention", 40.0, 40.0)]
    root = _root(comparison_multiples(rows, title="t", description="d", id_prefix="c"))
    assert [delta.text for delta in _with_class(root, "delta")] == ["0.0"]


@pytest.mark.parametrize("rtl", [False, True])
def test_chart_text_never_inherits_the_page_direction(rtl: bool) -> None:
    """Inline in a right-to-left page, text would take the page's direction and flip its anchor."""
    root = _root(_measure_chart([BarRow("GOV-1 الإطار القانوني", "governance", 50.0)], rtl=rtl))
    assert root.get("direction") == "ltr"
