"""GET /search: public search with facets; any text and any parameters give a page, never an error."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale

from app.core.numbers import int_or
from app.services.search import FACET_NAMES, PER_PAGE, Facets, SearchResults, search
from app.web.database import db
from app.web.search.labels import facet_titles, value_labels

blueprint = Blueprint("search", __name__)
MAX_PAGE = 999_999


@blueprint.get("/search")
def results() -> ResponseReturnValue:
    facets, ignored = Facets.from_args(request.args)
    session = db()
    per_page = int(current_app.config.get("SEARCH_PER_PAGE", PER_PAGE))
    language = str(get_locale() or "en").split("_")[0]  # the searcher's language first
    found = search(session, request.args.get("q", ""), facets, _page(request.args.get("page", "")), per_page, language)
    return render_template(
        "search/results.html",
        results=found,
        ignored=[facet_titles()[name] for name in ignored],
        titles=facet_titles(),
        labels=value_labels(session, found.counts),
        link=lambda **changes: _link(found, **changes),
        page_numbers=_page_numbers(found.page, found.pages),
    )


def _page(raw: str) -> int:
    return int_or(raw, 1, 1, MAX_PAGE)


def _link(results: SearchResults, **changes: Any) -> str:
    """This search's URL with some filters (or the page) changed; ``None`` removes one."""
    params: dict[str, Any] = {"q": results.query, **results.facets.selected(), "page": results.page}
    if any(name in FACET_NAMES for name in changes):
        params["page"] = 1
    params.update(changes)
    return url_for("search.results", **{name: value for name, value in params.items() if value not in (None, "", 1)})


def _page_numbers(page: int, pages: int) -> list[int | None]:
    """Page numbers to offer: the first, the last and two either side of the current one (None = a gap)."""
    shown = sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})
    numbered: list[int | None] = []
    for number in shown:
        if numbered and number - (numbered[-1] or 0) > 1:
            numbered.append(None)
        numbered.append(number)
    return numbered
