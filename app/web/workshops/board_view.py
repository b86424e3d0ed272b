"""The board's charts (heat map of countries by measures, progress bars) from the board's data,
drawn by the one charts module; shared by the board, its JSON and the projector."""

from __future__ import annotations

from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _

from app.core.questionnaire import Questionnaire, localise
from app.reporting.charts import HeatBand, HeatCell, HeatColumn, HeatRow, ProgressRow, heat_map, progress_bars


def _language() -> str:
    return str(get_locale() or "en").split("_")[0]


def board_charts(
    data: dict[str, Any], questionnaire: Questionnaire, names: dict[str, str], prefix: str, large: bool = False
) -> dict[str, str]:
    """SVG strings: ``heat_map`` and ``progress`` (every text in them escaped by the charts module),
    countries in order of their names; ``large`` for the projector (drawn narrower, scaled up)."""
    language = _language()
    width = 760 if large else 1180  # drawn narrower, the projector's charts scale up: larger type
    bands = [
        HeatBand(b.id, localise(b.label, language)) for b in sorted(questionnaire.scoring.bands, key=lambda b: b.min)
    ]
    columns = [
        HeatColumn(m, localise(questionnaire.measures[m].title, language), questionnaire.pillar_of_measure[m])
        for m in data["measures"]
    ]
    countries = sorted(data["countries"], key=lambda row: names.get(row["code"], row["code"]))
    rows = []
    for country in countries:
        cells = tuple(
            HeatCell(cell["answered"], cell["applicable"], country["details"], cell.get("score"), cell.get("band"))
            for cell in (country["measures"][m] for m in data["measures"])
        )
        done = _(
            "%(answered)s of %(applicable)s answered", answered=country["answered"], applicable=country["applicable"]
        )
        rows.append(HeatRow(names.get(country["code"], country["code"]), cells, done))
    heat = heat_map(
        rows,
        columns,
        bands,
        title=_("Results by country and measure"),
        description=_(
            "Each cell: the measure score from 0 to 100, coloured by band, with items answered of those that apply"
            " under it. A white dashed cell: the workshop's sharing terms do not show that country's results here."
        ),
        id_prefix=f"{prefix}-heat",
        not_shown_label=_("Results not shown"),
        answered_word=_("answered"),
        unanswered_label=_("no answers yet"),
        width=width,
    )
    progress = progress_bars(
        [ProgressRow(names.get(c["code"], c["code"]), c["answered"], c["applicable"]) for c in countries],
        title=_("Progress by country"),
        description=_("Items answered of the items that apply, over the workshop's measures."),
        id_prefix=f"{prefix}-progress",
        of_word=_("of"),
        width=width,
    )
    return {"heat_map": heat, "progress": progress}
