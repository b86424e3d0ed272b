"""Server-rendered SVG charts, shared by web pages and PDF reports.

Each function returns one self-contained ``<svg>`` element as a string, safe to embed inline in
HTML: every piece of text passed in is XML-escaped, and the markup holds no script, event
handler, external reference or CSS ``url()``. A chart is an image (``role="img"``) named by its
``<title>`` and ``<desc>``; the caller renders the same data as a table beside it. The output is
deterministic (same input, byte-identical string) and uses coordinates rounded to 0.1.

Scores are drawn on a 0-100 axis with gridlines at the band limits (0, 20, ..., 100); values
outside are clamped for drawing but printed as given. ``None`` (or NaN) means "no score": no bar
is drawn and ``NO_VALUE`` is printed. With ``rtl=True`` the layout is mirrored and labels are set
right-to-left; numbers stay left-to-right.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from xml.sax.saxutils import escape, quoteattr

PILLAR_COLOURS: Mapping[str, str] = MappingProxyType(
    {"prevention": "#0072B2", "protection": "#009E73", "prosecution": "#D55E00", "governance": "#CC79A7"}
)
TEXT = "#1A1A1A"
MUTED = "#5C5C5C"
GRID = "#D0D0D0"
PANEL = "#F6F7F9"
FONT_FAMILY = (
    '"Noto Sans", "Noto Sans Thai", "Noto Sans Khmer", "Noto Sans Lao", "Noto Sans Myanmar", "Noto Sans Sinhala", '
    '"Noto Sans Devanagari", "Noto Sans Bengali", "Noto Naskh Arabic", "Noto Sans CJK SC", sans-serif'
)
GRID_VALUES = (0, 20, 40, 60, 80, 100)
MAX_LABEL_CHARS = 45
NO_VALUE = "\u2013"
MIN_WIDTH = 360

_SVG_NS = "http://www.w3.org/2000/svg"
_PAD = 8
_CHAR_W = 7.0  # average advance of a 13 px Noto Sans character, for fitting labels
_ROW_H = 26
_PANEL_H = 234
_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True, slots=True)
class BarRow:
    """One measure: ``label`` is shown as given (measure id and title); ``spread`` is
    (minimum, median, maximum) of peer scores."""

    label: str
    pillar: str
    score: float | None
    target: float | None = None
    spread: tuple[float, float, float] | None = None


@dataclass(frozen=True, slots=True)
class PillarRow:
    label: str
    pillar: str
    score: float | None
    previous: float | None = None


@dataclass(frozen=True, slots=True)
class ComparisonRow:
    label: str
    pillar: str
    before: float | None
    after: float | None


def pillar_colour(pillar: str) -> str:
    """The pillar's colour (``"prevention"``, ``"protection"``, ``"prosecution"``, ``"governance"``), muted grey
    for any other pillar."""
    return PILLAR_COLOURS.get(pillar.strip().lower(), MUTED)


def format_value(value: float | None) -> str:
    """A score as printed in charts: one decimal, or an en dash when there is none."""
    return NO_VALUE if value is None or math.isnan(value) else f"{value:.1f}"


def format_delta(before: float | None, after: float | None) -> str:
    """The change between two scores with its sign ("+4.5", "\u22123.0", "0.0"), as the core rounds it."""
    if before is None or after is None or math.isnan(before) or math.isnan(after):
        return NO_VALUE
    change = round(after - before, 1)
    if change > 0:
        return f"+{change:.1f}"
    return f"\u2212{-change:.1f}" if change < 0 else "0.0"


# ----------------------------------------------------------------------------------------- markup


def _plain(text: str) -> str:
    """Text with characters XML cannot hold removed and runs of white space collapsed."""
    return " ".join(_NOT_XML.sub("", text).split())


def _num(value: float) -> str:
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"


def _tag(name: str, attrs: Mapping[str, str | float], content: str = "") -> str:
    """An element; attribute values are quoted and escaped, ``content`` must already be markup."""
    opening = "".join(
        f" {key}={quoteattr(_NOT_XML.sub('', value) if isinstance(value, str) else _num(value))}"
        for key, value in attrs.items()
    )
    return f"<{name}{opening}>{content}</{name}>" if content else f"<{name}{opening}/>"


def _title(text: str) -> str:
    return _tag("title", {}, escape(_plain(text)))


def _truncate(text: str, limit: int) -> str:
    text = _plain(text)
    return text if len(text) <= limit else text[: max(limit - 1, 0)].rstrip() + "\u2026"


def _wrap(text: str, limit: int, lines: int = 2) -> list[str]:
    """Words in at most ``lines`` lines of ``limit`` characters, the last truncated if needed."""
    out: list[str] = []
    for word in _plain(text).split(" "):
        if out and len(out[-1]) + 1 + len(word) <= limit:
            out[-1] += " " + word
        else:
            out.append(word)
    if len(out) > lines:
        out[lines - 1 :] = [" ".join(out[lines - 1 :])]
    return [_truncate(line, limit) for line in out if line]


def _drawn(value: float | None) -> float | None:
    """A score as drawn: None or NaN is no score, others are clamped to the axis."""
    return None if value is None or math.isnan(value) else min(100.0, max(0.0, float(value)))


def _tint(colour: str, share: float = 0.3) -> str:
    """``colour`` mixed with white, keeping ``share`` of the colour."""
    channels = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(255 - (255 - c) * share):02X}" for c in channels)


def _style(style: Mapping[str, str | float]) -> dict[str, str | float]:
    """Keyword arguments as attributes: ``font_size`` is ``font-size``, ``class_`` is ``class``."""
    return {key.rstrip("_").replace("_", "-"): value for key, value in style.items()}


@dataclass(frozen=True, slots=True)
class _Frame:
    """Lays out in reading order: x grows from the start edge (the right one when ``rtl``)."""

    width: int
    rtl: bool

    def x(self, x: float) -> float:
        return self.width - x if self.rtl else x

    def left(self, x: float, w: float) -> float:
        """Left edge of a box that spans ``x`` to ``x + w`` in reading order."""
        return self.width - x - w if self.rtl else x

    def text(
        self, x: float, y: float, content: str, *, anchor: str = "start", numeric: bool = False, **style: str | float
    ) -> str:
        """Text at ``x`` (reading order); numbers stay left-to-right, so their anchor flips in RTL."""
        attrs: dict[str, str | float] = {"x": self.x(x), "y": y}
        if self.rtl and numeric:
            anchor = {"start": "end", "end": "start"}.get(anchor, anchor)
        if anchor != "start":
            attrs["text-anchor"] = anchor
        if self.rtl and not numeric:
            attrs["direction"] = "rtl"
        attrs.update(_style(style))
        return _tag("text", attrs, escape(_plain(content)))

    def line(self, x1: float, y1: float, x2: float, y2: float, stroke: str, width: float = 1, **style: str) -> str:
        attrs: dict[str, str | float] = {"x1": self.x(x1), "y1": y1, "x2": self.x(x2), "y2": y2, "stroke": stroke}
        attrs["stroke-width"] = width
        return _tag("line", {**attrs, **_style(style)})

    def rect(self, x: float, y: float, w: float, h: float, fill: str, **style: str | float) -> str:
        attrs: dict[str, str | float] = {"x": self.left(x, w), "y": y, "width": w, "height": h, "fill": fill}
        return _tag("rect", {**attrs, **_style(style)})


def _frame(width: int, rtl: bool, id_prefix: str) -> _Frame:
    if width < MIN_WIDTH:
        raise ValueError(f"chart width must be at least {MIN_WIDTH}, not {width}")
    if not _ID.match(id_prefix):
        raise ValueError(f"id_prefix must be a letter then letters, digits, '-' or '_': {id_prefix!r}")
    return _Frame(width, rtl)


def _svg(frame: _Frame, height: float, kind: str, title: str, description: str, id_prefix: str, body: list[str]) -> str:
    attrs: dict[str, str | float] = {
        "xmlns": _SVG_NS,
        "class": f"chart chart-{kind}",
        "width": frame.width,
        "height": round(height),
        "viewBox": f"0 0 {frame.width} {round(height)}",
        "role": "img",
        "aria-labelledby": f"{id_prefix}-title {id_prefix}-desc",
        "font-family": FONT_FAMILY,
        "font-size": 13,
        "fill": TEXT,
        # The frame mirrors the layout itself; text must not inherit a right-to-left page's
        # direction, which would flip every anchor and push numbers off the chart's edge.
        "direction": "ltr",
    }
    head = _tag("title", {"id": f"{id_prefix}-title"}, escape(_plain(title)))
    head += _tag("desc", {"id": f"{id_prefix}-desc"}, escape(_plain(description)))
    return _tag("svg", attrs, head + "".join(body))


@dataclass(frozen=True, slots=True)
class _Scale:
    """A vertical 0-100 axis, ``height`` px up from ``bottom``."""

    frame: _Frame
    bottom: float
    height: float

    def grid(self, x1: float, x2: float, *, labels: bool) -> list[str]:
        """Gridlines from ``x1`` to ``x2``, their values at the start side when ``labels``."""
        parts = []
        for value in GRID_VALUES:
            y = self.bottom - self.height * value / 100
            parts.append(self.frame.line(x1, y, x2, y, GRID))
            if labels:
                style: dict[str, str | float] = {"font_size": 11, "fill": MUTED}
                parts.append(self.frame.text(x1 - 6, y + 4, str(value), anchor="end", numeric=True, **style))
        return parts

    def column(self, x: float, w: float, value: float | None, colour: str, *, previous: bool) -> list[str]:
        """A column (none without a score) with its value above; ``previous`` is light with a dashed edge."""
        score = _drawn(value)
        top = self.bottom - (0.0 if score is None else self.height * score / 100)
        edge: dict[str, str | float] = {"stroke": colour, "stroke_dasharray": "4 2"} if previous else {}
        number: dict[str, str | float] = {"fill": MUTED, "font_size": 12} if previous else {"font_weight": "bold"}
        fill, kind = (_tint(colour), "bar previous") if previous else (colour, "bar")
        parts = [] if score is None else [self.frame.rect(x, top, w, self.bottom - top, fill, class_=kind, **edge)]
        text = format_value(value)
        parts.append(self.frame.text(x + w / 2, top - 6, text, anchor="middle", numeric=True, class_="value", **number))
        return parts


def _swatch(frame: _Frame, x: float, y: float, label: str, fill: str, **style: str | float) -> tuple[list[str], float]:
    """A 12 px legend key and its label at ``x``; returns the parts and the x after them."""
    text = _plain(label)
    parts = [frame.rect(x, y, 12, 12, fill, **style), frame.text(x + 18, y + 11, text, font_size=12)]
    return parts, x + 18 + len(text) * _CHAR_W + 20


# ------------------------------------------------------------------------------------ measure bars


def measure_bars(
    rows: Sequence[BarRow],
    *,
    title: str,
    description: str,
    id_prefix: str,
    width: int = 720,
    rtl: bool = False,
    target_label: str = "Target",
    spread_label: str = "Peers: lowest, median, highest",
) -> str:
    """Horizontal bars, one per measure in the order given, label at the start, value at the end."""
    frame = _frame(width, rtl, id_prefix)
    label_w = min(320, round(width * 0.44))
    plot_left = _PAD + label_w + 8
    value_x = width - _PAD
    plot_w = (value_x - 48 - plot_left) // 10 * 10
    top, bottom = 28, 28 + _ROW_H * len(rows) + 2
    body = []
    for value in GRID_VALUES:
        x = plot_left + plot_w * value / 100
        body.append(frame.line(x, top - 6, x, bottom, GRID))
        body.append(frame.text(x, top - 12, str(value), anchor="middle", numeric=True, font_size=11, fill=MUTED))
    max_chars = min(MAX_LABEL_CHARS, int(label_w // _CHAR_W))
    for index, row in enumerate(rows):
        body.append(_measure_row(frame, row, top + index * _ROW_H, plot_left, plot_w, max_chars))
    height = bottom + 8
    if any(row.target is not None or row.spread is not None for row in rows):
        body.append(_measure_legend(frame, plot_left, bottom + 12, target_label, spread_label))
        height += 26
    return _svg(frame, height, "measures", title, description, id_prefix, body)


def _measure_row(frame: _Frame, row: BarRow, y: float, plot_left: float, plot_w: float, max_chars: int) -> str:
    def at(value: float) -> float:
        return plot_left + plot_w * min(100.0, max(0.0, value)) / 100

    value = format_value(row.score)
    parts = [_title(f"{row.label}: {value}"), frame.text(_PAD, y + 16, _truncate(row.label, max_chars), class_="label")]
    score = _drawn(row.score)
    if score is not None:
        parts.append(frame.rect(plot_left, y + 5, at(score) - plot_left, 14, pillar_colour(row.pillar), class_="bar"))
    if row.spread is not None and not any(math.isnan(value) for value in row.spread):
        low, middle, high = row.spread
        parts.append(frame.line(at(low), y + 23, at(high), y + 23, MUTED, 1.5, class_="spread"))
        parts.append(_tag("circle", {"cx": frame.x(at(middle)), "cy": y + 23, "r": 2.5, "fill": MUTED}))
    target = _drawn(row.target)
    if target is not None:
        parts.append(frame.line(at(target), y + 1, at(target), y + 23, TEXT, 2, class_="target"))
    value_x = frame.width - _PAD
    parts.append(frame.text(value_x, y + 16, value, anchor="end", numeric=True, class_="value"))
    return _tag("g", {}, "".join(parts))


def _measure_legend(frame: _Frame, x: float, y: float, target_label: str, spread_label: str) -> str:
    target = _plain(target_label)
    parts = [frame.line(x + 4, y, x + 4, y + 16, TEXT, 2), frame.text(x + 14, y + 12, target, font_size=12)]
    x += 14 + len(target) * _CHAR_W + 24
    parts.append(frame.line(x, y + 8, x + 28, y + 8, MUTED, 1.5))
    parts.append(_tag("circle", {"cx": frame.x(x + 14), "cy": y + 8, "r": 2.5, "fill": MUTED}))
    parts.append(frame.text(x + 36, y + 12, _plain(spread_label), font_size=12))
    return _tag("g", {"class": "legend"}, "".join(parts))


# ------------------------------------------------------------------------------------- pillar bars


def pillar_bars(
    rows: Sequence[PillarRow],
    *,
    title: str,
    description: str,
    id_prefix: str,
    width: int = 720,
    rtl: bool = False,
    current_label: str = "This cycle",
    previous_label: str = "Previous cycle",
) -> str:
    """Columns, one per pillar (two when any row has a ``previous`` score), value above, name below."""
    frame = _frame(width, rtl, id_prefix)
    with_previous = any(_drawn(row.previous) is not None for row in rows)
    plot_left, plot_right = _PAD + 34, width - _PAD
    top = 50 if with_previous else 24
    scale = _Scale(frame, top + 200, 200)
    body = scale.grid(plot_left, plot_right, labels=True)
    group_w = (plot_right - plot_left) / max(len(rows), 1)
    for index, row in enumerate(rows):
        centre = plot_left + group_w * (index + 0.5)
        body.append(_pillar_group(scale, row, centre, group_w, previous_label if with_previous else None))
    if with_previous:
        parts, x = _swatch(frame, plot_left, 8, current_label, MUTED)
        more, _ = _swatch(frame, x, 8, previous_label, _tint(MUTED), stroke=MUTED, stroke_dasharray="3 2")
        body.append(_tag("g", {"class": "legend"}, "".join(parts + more)))
    return _svg(frame, scale.bottom + 46, "pillars", title, description, id_prefix, body)


def _pillar_group(scale: _Scale, row: PillarRow, centre: float, group_w: float, previous_label: str | None) -> str:
    """One pillar's column (and previous column unless ``previous_label`` is None) and its name."""
    colour = pillar_colour(row.pillar)
    hover = f"{row.label}: {format_value(row.score)}"
    if previous_label is None:
        bar_w = min(72.0, group_w * 0.45)
        parts = scale.column(centre - bar_w / 2, bar_w, row.score, colour, previous=False)
    else:
        hover += f"; {previous_label}: {format_value(row.previous)}"
        bar_w = min(56.0, group_w * 0.3)
        parts = scale.column(centre - 3 - bar_w, bar_w, row.previous, colour, previous=True)
        parts += scale.column(centre + 3, bar_w, row.score, colour, previous=False)
    for number, line in enumerate(_wrap(row.label, int(group_w // 7.5))):
        parts.append(scale.frame.text(centre, scale.bottom + 20 + 16 * number, line, anchor="middle", class_="label"))
    return _tag("g", {}, _title(hover) + "".join(parts))


# ---------------------------------------------------------------------------- comparison multiples


def comparison_multiples(
    rows: Sequence[ComparisonRow],
    *,
    title: str,
    description: str,
    id_prefix: str,
    width: int = 720,
    rtl: bool = False,
    before_label: str = "Before",
    after_label: str = "After",
) -> str:
    """One small panel per pillar (up to four in a line): a ``before`` and an ``after`` column and the change."""
    frame = _frame(width, rtl, id_prefix)
    columns = max(1, min(len(rows), 4))
    axis_w, panel_h, gap = 34, _PANEL_H, 16
    panel_w = (width - 2 * _PAD - axis_w) / columns
    body = []
    for index, row in enumerate(rows):
        line, column = divmod(index, columns)
        x0, y0 = _PAD + axis_w + column * panel_w, _PAD + line * (panel_h + gap)
        body.append(_panel(frame, row, (x0, y0, panel_w), (before_label, after_label), axis_labels=column == 0))
    lines = math.ceil(len(rows) / columns)
    height = 2 * _PAD + lines * panel_h + max(lines - 1, 0) * gap
    return _svg(frame, height, "comparison", title, description, id_prefix, body)


def _panel(
    frame: _Frame, row: ComparisonRow, box: tuple[float, float, float], labels: tuple[str, str], *, axis_labels: bool
) -> str:
    """A panel at ``box`` (x, y, width): name, change, then the before and after columns over their labels."""
    (x0, y0, panel_w), (before_label, after_label) = box, labels
    colour, centre = pillar_colour(row.pillar), x0 + panel_w / 2
    delta = format_delta(row.before, row.after)
    hover = f"{row.label}: {before_label} {format_value(row.before)}, {after_label} {format_value(row.after)}, {delta}"
    parts = [_title(hover), frame.rect(x0 + 4, y0, panel_w - 8, _PANEL_H, PANEL)]
    for number, line in enumerate(_wrap(row.label, int((panel_w - 16) // 7.5))):
        parts.append(
            frame.text(centre, y0 + 20 + 16 * number, line, anchor="middle", font_weight="bold", class_="label")
        )
    style: dict[str, str | float] = {"font_size": 15, "font_weight": "bold", "class_": "delta"}
    parts.append(frame.text(centre, y0 + 62, delta, anchor="middle", numeric=True, **style))
    scale = _Scale(frame, y0 + 208, 120)
    parts += scale.grid(x0 + 4, x0 + panel_w - 4, labels=axis_labels)
    bar_w = min(40.0, panel_w * 0.25)
    parts += scale.column(centre - 4 - bar_w, bar_w, row.before, colour, previous=True)
    parts += scale.column(centre + 4, bar_w, row.after, colour, previous=False)
    chars = int((bar_w + 30) // 6.5)
    for x, label in ((centre - 4 - bar_w / 2, before_label), (centre + 4 + bar_w / 2, after_label)):
        parts.append(
            frame.text(x, scale.bottom + 18, _truncate(label, chars), anchor="middle", font_size=11, fill=MUTED)
        )
    return _tag("g", {}, "".join(parts))


# ------------------------------------------------------------------------- heat map and progress

# One sequential scale (STYLE.md), lightest for the lowest band; text on a cell flips to white on
# the two darkest. The band's name is printed in every cell's tooltip and in the legend, and the
# score in the cell, so colour is never the only signal.
BAND_FILLS = ("#F1EEF6", "#CBC9E2", "#9E9AC8", "#6A51A3", "#3F007D")
_DARK_FROM = 3
NOT_SHOWN_FILL = "#FFFFFF"


@dataclass(frozen=True, slots=True)
class HeatBand:
    """A band in ascending order (lowest first), with its label."""

    id: str
    label: str


@dataclass(frozen=True, slots=True)
class HeatColumn:
    """A measure: ``label`` short (its id), ``title`` the full name for the tooltip."""

    label: str
    title: str
    pillar: str


@dataclass(frozen=True, slots=True)
class HeatCell:
    """A country's measure: ``shown`` False means its results are not shown (progress only)."""

    answered: int
    applicable: int
    shown: bool
    score: float | None = None
    band: str | None = None


@dataclass(frozen=True, slots=True)
class HeatRow:
    label: str
    cells: tuple[HeatCell, ...]
    completeness: str  # e.g. "12 of 20 answered", printed at the end of the row


def _band_fill(bands: Sequence[HeatBand], band: str | None) -> tuple[str, str]:
    """Fill and text colour of a band (unknown band: panel grey, near-black text)."""
    ids = [b.id for b in bands]
    if band not in ids:
        return PANEL, TEXT
    index = round(ids.index(band) * (len(BAND_FILLS) - 1) / max(len(ids) - 1, 1))
    return BAND_FILLS[index], ("#FFFFFF" if index >= _DARK_FROM else TEXT)


def heat_map(
    rows: Sequence[HeatRow],
    columns: Sequence[HeatColumn],
    bands: Sequence[HeatBand],
    *,
    title: str,
    description: str,
    id_prefix: str,
    not_shown_label: str = "Results not shown",
    answered_word: str = "answered",
    unanswered_label: str = "no answers yet",
    width: int = 720,
) -> str:
    """Countries (rows) by measures (columns): each cell coloured by band with the score in it and
    the items answered under it; a cell whose results are not shown is white with its progress; a
    measure with no answer yet is grey with a dash (not drawn as the lowest band).
    The chart widens to keep every cell at least 52 px; scale it with CSS (``width: 100%``)."""
    frame = _frame(max(MIN_WIDTH, width), False, id_prefix)
    label_w = min(190, max(110, 8 + int(max((len(_plain(r.label)) for r in rows), default=8) * _CHAR_W)))
    end_w = 150
    cell_w = max(52.0, (frame.width - label_w - end_w - 2 * _PAD) / max(len(columns), 1))
    width_needed = round(2 * _PAD + label_w + end_w + cell_w * len(columns))
    frame = _Frame(max(frame.width, width_needed), False)
    cell_h, top = 44, 34
    left = _PAD + label_w
    body = []
    for index, column in enumerate(columns):
        x = left + index * cell_w
        colour = pillar_colour(column.pillar)
        header = frame.rect(x + 2, top - 8, cell_w - 4, 4, colour)
        header += frame.text(
            x + cell_w / 2,
            top - 14,
            _truncate(column.label, int(cell_w // 7)),
            anchor="middle",
            font_size=12,
            font_weight="bold",
        )
        body.append(_tag("g", {"class": "heat-column"}, _title(f"{column.label} {column.title}") + header))
    for r, row in enumerate(rows):
        y = top + r * cell_h
        body.append(frame.text(_PAD, y + cell_h / 2 + 5, _truncate(row.label, int(label_w // _CHAR_W)), font_size=14))
        for c, cell in enumerate(row.cells[: len(columns)]):
            body.append(
                _heat_cell(
                    frame,
                    bands,
                    left + c * cell_w,
                    y,
                    cell_w,
                    cell_h,
                    row.label,
                    columns[c],
                    cell,
                    (not_shown_label, answered_word, unanswered_label),
                )
            )
        body.append(
            frame.text(
                left + len(columns) * cell_w + 10, y + cell_h / 2 + 5, row.completeness, font_size=12, fill=MUTED
            )
        )
    legend_y = top + len(rows) * cell_h + 18
    key_x: float = _PAD
    for band in bands:
        fill, _text = _band_fill(bands, band.id)
        parts, key_x = _swatch(frame, key_x, legend_y, band.label, fill, stroke=GRID)
        body.extend(parts)
    parts, key_x = _swatch(
        frame, key_x, legend_y, not_shown_label, NOT_SHOWN_FILL, stroke=MUTED, stroke_dasharray="3 2"
    )
    body.extend(parts)
    height = legend_y + 24
    return _svg(frame, height, "heatmap", title, description, id_prefix, body)


def _heat_cell(
    frame: _Frame,
    bands: Sequence[HeatBand],
    x: float,
    y: float,
    w: float,
    h: float,
    row_label: str,
    column: HeatColumn,
    cell: HeatCell,
    words: tuple[str, str, str],
) -> str:
    not_shown_label, answered_word, unanswered_label = words
    progress = f"{cell.answered}/{cell.applicable}" if cell.applicable else NO_VALUE
    if cell.shown and cell.answered == 0:
        ink = MUTED
        tip = f"{row_label} · {column.label}: {unanswered_label}"
        box = frame.rect(x + 1, y + 1, w - 2, h - 2, PANEL)
        big = frame.text(x + w / 2, y + 21, NO_VALUE, anchor="middle", numeric=True, font_size=15, fill=MUTED)
    elif cell.shown:
        fill, ink = _band_fill(bands, cell.band)
        band_label = next((b.label for b in bands if b.id == cell.band), "")
        value = format_value(cell.score)
        tip = f"{row_label} · {column.label}: {value}" + (f" · {band_label}" if band_label else "")
        box = frame.rect(x + 1, y + 1, w - 2, h - 2, fill)
        big = frame.text(
            x + w / 2, y + 21, value, anchor="middle", numeric=True, font_size=15, font_weight="bold", fill=ink
        )
    else:
        ink = MUTED
        tip = f"{row_label} · {column.label}: {not_shown_label}"
        box = frame.rect(x + 1.5, y + 1.5, w - 3, h - 3, NOT_SHOWN_FILL, stroke=GRID, stroke_dasharray="3 2")
        big = frame.text(x + w / 2, y + 21, NO_VALUE, anchor="middle", numeric=True, font_size=15, fill=MUTED)
    small = frame.text(x + w / 2, y + 37, progress, anchor="middle", numeric=True, font_size=11, fill=ink)
    tip += f" · {progress} {answered_word}"
    return _tag("g", {"class": "heat-cell"}, _title(tip) + box + big + small)


@dataclass(frozen=True, slots=True)
class ProgressRow:
    label: str
    answered: int
    applicable: int


def progress_bars(
    rows: Sequence[ProgressRow],
    *,
    title: str,
    description: str,
    id_prefix: str,
    of_word: str = "of",
    width: int = 720,
) -> str:
    """One bar per row: the share of applicable items answered, with "a of n (p %)" at the end."""
    frame = _frame(width, False, id_prefix)
    label_w = min(190, max(110, 8 + int(max((len(_plain(r.label)) for r in rows), default=8) * _CHAR_W)))
    text_w = 150
    plot_left = _PAD + label_w
    plot_w = frame.width - plot_left - text_w - _PAD
    row_h, top = 30, 8
    body = []
    for index, row in enumerate(rows):
        y = top + index * row_h
        share = row.answered / row.applicable if row.applicable else 0.0
        body.append(frame.text(_PAD, y + 18, _truncate(row.label, int(label_w // _CHAR_W)), font_size=14))
        body.append(frame.rect(plot_left, y + 4, plot_w, row_h - 10, PANEL, stroke=GRID))
        if share > 0:
            body.append(
                frame.rect(plot_left, y + 4, max(2.0, plot_w * min(share, 1.0)), row_h - 10, "#004C8C", class_="bar")
            )
        percent = f"{round(100 * share)} %" if row.applicable else NO_VALUE
        text = f"{row.answered} {of_word} {row.applicable} ({percent})"
        body.append(frame.text(plot_left + plot_w + 10, y + 18, text, numeric=True, font_size=13))
    return _svg(frame, top + len(rows) * row_h + 6, "progress", title, description, id_prefix, body)
