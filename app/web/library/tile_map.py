"""Where each subregion sits on the regional overview: a tile map, roughly west to east.

Not a geographic map (no tiles from elsewhere, nothing to load): one labelled square per
subregion, placed so that neighbours stay neighbours. A subregion not listed here goes on
an extra row, so new data never disappears from the map.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.services.library_pages import Subregion

TILE_WIDTH = 170
TILE_HEIGHT = 84
GAP = 10
COLUMNS = 4
# (column, row) of the subregions of Bali Process members.
POSITIONS: dict[str, tuple[int, int]] = {
    "Europe": (0, 0),
    "Middle East": (0, 1),
    "South Asia": (1, 1),
    "East Asia": (2, 0),
    "South-East Asia": (2, 1),
    "Pacific": (3, 2),
    "North America": (3, 0),
}


@dataclass(frozen=True)
class Tile:
    subregion: Subregion
    x: int
    y: int
    width: int = TILE_WIDTH
    height: int = TILE_HEIGHT


@dataclass(frozen=True)
class TileMap:
    tiles: tuple[Tile, ...]
    width: int
    height: int


def tile_map(groups: list[Subregion]) -> TileMap:
    """Tiles for the named subregions (member organisations are not places, so not on the map)."""
    named = [(group, group.name) for group in groups if group.name is not None]
    rows = max((POSITIONS[name][1] for _group, name in named if name in POSITIONS), default=-1) + 1
    placed: list[tuple[Subregion, int, int]] = []
    extra = 0
    for group, name in named:
        if name in POSITIONS:
            column, row = POSITIONS[name]
        else:
            column, row = extra % COLUMNS, rows + extra // COLUMNS
            extra += 1
        placed.append((group, column, row))
    total_rows = max((row for _group, _column, row in placed), default=-1) + 1
    tiles = tuple(
        Tile(group, GAP + column * (TILE_WIDTH + GAP), GAP + row * (TILE_HEIGHT + GAP)) for group, column, row in placed
    )
    return TileMap(tiles, GAP + COLUMNS * (TILE_WIDTH + GAP), GAP + total_rows * (TILE_HEIGHT + GAP))
