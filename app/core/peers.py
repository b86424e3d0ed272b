"""Peers: who is strong where a country has a gap, the spread of shared scores,
and groups of countries with similar measure profiles (for workshops)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import median

MIN_COUNTRIES = 3
Profile = Mapping[str, float]


@dataclass(frozen=True)
class Spread:
    """Five-number summary of shared scores; never computed for fewer than 3 countries."""

    countries: int
    minimum: float
    lower_quartile: float
    median: float
    upper_quartile: float
    maximum: float


def spread(scores: Sequence[float]) -> Spread | None:
    if len(scores) < MIN_COUNTRIES:
        return None
    ordered = sorted(scores)
    half = len(ordered) // 2
    lower = ordered[:half]
    upper = ordered[half + len(ordered) % 2 :]
    return Spread(
        len(ordered),
        ordered[0],
        round(median(lower), 1),
        round(median(ordered), 1),
        round(median(upper), 1),
        ordered[-1],
    )


def similarity(first: Profile, second: Profile) -> float:
    """1 for identical measure profiles, 0 for opposite ones (mean absolute difference)."""
    shared = set(first).intersection(second)
    if not shared:
        return 0.0
    difference = sum(abs(first[measure] - second[measure]) for measure in shared) / len(shared)
    return round(1 - difference / 100, 4)


def peer_strengths(
    gap_items: Sequence[str], peer_levels: Mapping[str, Mapping[str, int]], strength_level: int = 3
) -> dict[str, list[str]]:
    """Item id → the peer countries (sorted) answering it at the strength level or above."""
    return {
        item_id: sorted(country for country, levels in peer_levels.items() if levels.get(item_id, -1) >= strength_level)
        for item_id in gap_items
    }


def _distance(group_a: list[str], group_b: list[str], profiles: Mapping[str, Profile]) -> float:
    pairs = [(a, b) for a in group_a for b in group_b]
    return sum(1 - similarity(profiles[a], profiles[b]) for a, b in pairs) / len(pairs)


def group_similar(profiles: Mapping[str, Profile], groups: int) -> list[list[str]]:
    """Split countries into ``groups`` groups of similar profiles (average-linkage
    agglomerative clustering; deterministic: ties go to the alphabetically first)."""
    if groups < 1:
        raise ValueError("at least one group is needed")
    clusters = [[country] for country in sorted(profiles)]
    while len(clusters) > groups:
        best: tuple[float, int, int] | None = None
        for i in range(len(clusters)):
            for j in range(i + 1, len(clusters)):
                distance = _distance(clusters[i], clusters[j], profiles)
                if best is None or distance < best[0]:
                    best = (distance, i, j)
        assert best is not None
        _, i, j = best
        clusters[i] = sorted(clusters[i] + clusters[j])
        del clusters[j]
    return sorted(clusters)
