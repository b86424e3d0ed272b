"""The workshop board's charts: a heat map of countries by measures and progress bars per country."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from app.reporting.charts import (
    BAND_FILLS,
    NOT_SHOWN_FILL,
    HeatBand,
    HeatCell,
    HeatColumn,
    HeatRow,
    ProgressRow,
    heat_map,
    progress_bars,
)

SVG = "{http://www.w3.org/2000/svg}"
BANDS = [HeatBand("absent", "Absent"), HeatBand("initial", "Initial"), HeatBand("established", "Established")]
COLUMNS = [
    HeatColumn("PROT-1", "Victim identification", "protection"),
    HeatColumn("PROS-1", "Criminalising", "prosecution"),
]


def _map(rows: list[HeatRow], title: str = "Results") -> str:
    return heat_map(rows, COLUMNS, BANDS, title=title, description="Scores by band", id_prefix="heat")


def _titles(svg: str) -> list[str]:
    return [t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}title")]


def test_each_cell_prints_its_score_and_progress_and_names_its_band() -> None:
    row = HeatRow("Thailand", (HeatCell(3, 4, True, 85.0, "established"), HeatCell(1, 2, True, 12.5, "absent")), "4/6")
    svg = _map([row])
    assert "Thailand · PROT-1: 85.0 · Established · 3/4 answered" in _titles(svg)
    assert "Thailand · PROS-1: 12.5 · Absent · 1/2 answered" in _titles(svg)
    texts = [t.text for t in ET.fromstring(svg).iter(f"{SVG}text")]
    assert "85.0" in texts and "3/4" in texts and "Established" in texts  # the legend names every band
    assert f'fill="{BAND_FILLS[-1]}"' in svg and f'fill="{BAND_FILLS[0]}"' in svg


def test_a_cell_whose_results_are_not_shown_gives_progress_only() -> None:
    row = HeatRow("Nepal", (HeatCell(2, 4, False), HeatCell(0, 2, False)), "2/6")
    svg = _map([row])
    assert "Nepal · PROT-1: Results not shown · 2/4 answered" in _titles(svg)
    assert f'fill="{NOT_SHOWN_FILL}"' in svg and "Results not shown" in svg


def test_a_measure_nobody_answered_is_not_drawn_as_the_lowest_band() -> None:
    svg = _map([HeatRow("Nepal", (HeatCell(0, 4, True, 0.0, "absent"), HeatCell(1, 2, True, 50.0, "initial")), "")])
    assert "Nepal · PROT-1: no answers yet · 0/4 answered" in _titles(svg)


def test_the_heat_map_is_an_accessible_image_with_escaped_text() -> None:
    hostile = "<script>alert(1)</script> & co"
    svg = _map([HeatRow(hostile, (HeatCell(1, 1, True, 100.0, "established"),) * 2, "1/1")], title=hostile)
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and root.get("aria-labelledby") == "heat-title heat-desc"
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_many_measures_widen_the_map_instead_of_squeezing_cells() -> None:
    columns = [HeatColumn(f"PROS-{n}", "Measure", "prosecution") for n in range(1, 27)]
    rows = [HeatRow("Thailand", tuple(HeatCell(1, 2, True, 50.0, "initial") for _ in columns), "")]
    svg = heat_map(rows, columns, BANDS, title="t", description="d", id_prefix="wide", width=720)
    assert int(ET.fromstring(svg).get("width") or 0) >= 26 * 52


def test_the_heat_map_is_deterministic() -> None:
    rows = [HeatRow("Thailand", (HeatCell(1, 2, True, 50.0, "initial"), HeatCell(0, 2, False)), "1/4")]
    assert _map(rows) == _map(rows)


def test_progress_bars_print_answered_of_applicable_and_the_share() -> None:
    svg = progress_bars(
        [ProgressRow("Thailand", 3, 4), ProgressRow("Nepal", 0, 0)],
        title="Progress",
        description="Answered of applicable",
        id_prefix="progress",
    )
    texts = [t.text for t in ET.fromstring(svg).iter(f"{SVG}text")]
    assert "3 of 4 (75 %)" in texts and "0 of 0 (\u2013)" in texts
    assert ET.fromstring(svg).get("role") == "img"
