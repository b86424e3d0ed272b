"""Guidance for a gap: what the next level looks like and what helps get there.

The item's explicit links come first, in the order the questionnaire lists
them; then other resources and practices ranked by the topics (tags) they share
with the item and by whether they serve the same measure or pillar.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from app.core.library import Library, Practice, Resource
from app.core.questionnaire import Item, Questionnaire

SAME_MEASURE = 3
SHARED_TAG = 2
SAME_PILLAR = 1


@dataclass(frozen=True)
class Match:
    """One linked resource or practice and why it was chosen."""

    kind: Literal["resource", "practice"]
    id: str
    explicit: bool
    same_measure: bool
    shared_tags: tuple[str, ...]
    rank: int
    part: str | None = None
    """Where in the resource to look for this item (chapter, tool, pages), when the item says."""


@dataclass(frozen=True)
class Guidance:
    item_id: str
    next_level: int | None
    next_level_text: dict[str, str]
    resources: tuple[Match, ...]
    practices: tuple[Match, ...]


def _rank(
    topics: set[str], measure_id: str, pillar_id: str, measures: list[str], pillars: list[str], tags: list[str]
) -> tuple[int, bool, tuple[str, ...]]:
    shared = tuple(sorted(topics.intersection(tags)))
    same_measure = measure_id in measures
    rank = SAME_MEASURE * same_measure + SHARED_TAG * len(shared) + SAME_PILLAR * (pillar_id in pillars)
    return rank, same_measure, shared


def _ranked(
    kind: Literal["resource", "practice"],
    explicit: list[str],
    candidates: list[Resource] | list[Practice],
    topics: set[str],
    measure_id: str,
    pillar_id: str,
    limit: int,
    parts: dict[str, str] | None = None,
) -> tuple[Match, ...]:
    chosen: list[Match] = []
    by_id = {candidate.id: candidate for candidate in candidates}
    for link in explicit:
        if link in by_id:
            candidate = by_id[link]
            pillars = getattr(candidate, "pillars", [])
            rank, same, shared = _rank(topics, measure_id, pillar_id, candidate.measures, pillars, candidate.tags)
            chosen.append(Match(kind, link, True, same, shared, rank, (parts or {}).get(link)))
    others = []
    for candidate in candidates:
        if candidate.id in explicit:
            continue
        pillars = getattr(candidate, "pillars", [])
        rank, same, shared = _rank(topics, measure_id, pillar_id, candidate.measures, pillars, candidate.tags)
        if same or shared:
            others.append(Match(kind, candidate.id, False, same, shared, rank))
    others.sort(key=lambda match: (-match.rank, match.id))
    return tuple((chosen + others)[: max(limit, len(chosen))])


def next_level(item: Item, level: int) -> int | None:
    if item.type == "yes_no":
        return 2 if level < 2 else (4 if level < 4 else None)
    return level + 1 if level < 4 else None


def guidance_for(item: Item, level: int, questionnaire: Questionnaire, library: Library, limit: int = 4) -> Guidance:
    """Guidance for ``item`` answered at ``level``."""
    measure_id = questionnaire.measure_of_item[item.id]
    pillar_id = questionnaire.pillar_of_measure[measure_id]
    measure = questionnaire.measures[measure_id]
    topics = set(item.tags) | set(measure.tags)
    following = next_level(item, level)
    text = item.levels.get(following, questionnaire.scale.get(following, {})) if following is not None else {}
    return Guidance(
        item.id,
        following,
        dict(text),
        _ranked(
            "resource", item.resources, library.resources, topics, measure_id, pillar_id, limit, item.resource_parts
        ),
        _ranked("practice", item.practices, library.practices, topics, measure_id, pillar_id, limit),
    )
