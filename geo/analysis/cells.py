"""Exact point-in-polygon tests of many points against a few polygons, through a grid of cells.

A regular grid is laid over the polygons' bounds and every point is given its cell. For each
polygon, the cells its boundary may cross are those under the bounding box of one of its
segments; every other cell lies wholly inside or wholly outside the polygon. Along each row of
the grid, a run of such cells is one connected area that no boundary crosses, so one exact test
(of a point in the run) decides all of its points; only the points in boundary cells are tested
one by one. The answer is the same as ``shapely.intersects_xy`` (in or on) for every point:

* a point's cell is ``floor((x - x0) / size)``, the same monotone function for the points and
  the polygon's vertices, so a point on a segment falls in a cell under that segment's box;
* a cell (the points the function maps to it) is a rectangle, and a run of them in a row is
  connected: with no boundary point in it, it is all inside or all outside.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import shapely

#: Cells along the longer side of the grid.
GRID_CELLS: Final[int] = 512
#: Cells of a :class:`Buckets` grid (few enough for a 16-bit cell number, sorted by radix).
BUCKET_CELLS: Final[int] = 8192
_INSIDE: Final[int] = 1
_EDGE: Final[int] = 2


@dataclass(frozen=True)
class CellGrid:
    """Points (``x``, ``y``, no NaN) placed in the cells of a grid over ``bounds``."""

    x: np.ndarray
    y: np.ndarray
    x0: float
    y0: float
    size: float
    nx: int
    ny: int
    #: Flat cell index of every point (``iy * nx + ix``), -1 off the grid.
    cell: np.ndarray
    #: One point in each cell (its index), -1 for an empty cell.
    rep: np.ndarray

    @classmethod
    def of(cls, x: np.ndarray, y: np.ndarray, bounds: Sequence[float],
           cells: int = GRID_CELLS) -> CellGrid:
        minx, miny, maxx, maxy = (float(b) for b in bounds)
        size = max(maxx - minx, maxy - miny, 1e-9) / cells
        nx = int(np.floor((maxx - minx) / size)) + 1
        ny = int(np.floor((maxy - miny) / size)) + 1
        ix = np.floor((x - minx) / size)
        iy = np.floor((y - miny) / size)
        on = (ix >= 0) & (ix < nx) & (iy >= 0) & (iy < ny)
        cell = np.full(len(x), -1, dtype=np.int64)
        cell[on] = iy[on].astype(np.int64) * nx + ix[on].astype(np.int64)
        rep = np.full(nx * ny, -1, dtype=np.int64)
        rep[cell[on]] = np.flatnonzero(on)
        return cls(x, y, minx, miny, size, nx, ny, cell, rep)

    def _index(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Column and row of coordinates, clipped to the grid (the points' own function)."""
        ix = np.clip(np.floor((x - self.x0) / self.size), 0, self.nx - 1).astype(np.int64)
        iy = np.clip(np.floor((y - self.y0) / self.size), 0, self.ny - 1).astype(np.int64)
        return ix, iy

    def inside(self, geoms: Sequence[Any]) -> np.ndarray:
        """``out[k, i]``: point ``i`` lies in or on ``geoms[k]`` (None or empty: nowhere)."""
        out = np.zeros((len(geoms), len(self.x)), dtype=bool)
        on = np.flatnonzero(self.cell >= 0)
        everywhere = len(on) == len(self.x)
        cells = self.cell if everywhere else self.cell[on]
        for row, geom in zip(out, geoms, strict=True):
            if geom is None or geom.is_empty:
                continue
            if geom.geom_type not in ("Polygon", "MultiPolygon"):
                row[:] = _exact(geom, self.x, self.y, np.arange(len(self.x)))
                continue
            state = self._states(geom).ravel()[cells]
            edge = np.flatnonzero(state == _EDGE)
            if everywhere:
                np.equal(state, _INSIDE, out=row)
            else:
                row[on] = state == _INSIDE
                edge = on[edge]
            row[edge] = _exact(geom, self.x, self.y, edge)
        return out

    def first(self, geoms: Sequence[Any]) -> np.ndarray:
        """For every point, the index of the first of ``geoms`` it lies in or on (-1: none).
        Decided per cell where no boundary of a geometry before the answer crosses the cell;
        elsewhere point by point, each geometry's cells still deciding where none of its
        boundaries crosses them."""
        found = np.full(self.nx * self.ny, -1, dtype=np.int64)
        unsure = np.zeros(self.nx * self.ny, dtype=bool)
        states: list[np.ndarray | None] = [None] * len(geoms)
        if all(g is None or g.is_empty or g.geom_type in ("Polygon", "MultiPolygon")
               for g in geoms):
            for k, geom in enumerate(geoms):
                if geom is None or geom.is_empty:
                    continue
                states[k] = grid_states = self._states(geom).ravel()
                open_ = (found < 0) & ~unsure
                unsure |= open_ & (grid_states == _EDGE)
                found[open_ & (grid_states == _INSIDE)] = k
        else:
            unsure[:] = True
        out = np.full(len(self.x), -1, dtype=np.int64)
        on = self.cell >= 0
        out[on] = found[self.cell[on]]
        left = np.flatnonzero(on & unsure[np.where(on, self.cell, 0)])
        out[left] = -1
        for k, (geom, cells) in enumerate(zip(geoms, states, strict=True)):
            if geom is None or geom.is_empty or not len(left):
                continue
            if cells is None:
                hit = _exact(geom, self.x, self.y, left)
            else:
                state = cells[self.cell[left]]
                hit = state == _INSIDE
                edge = np.flatnonzero(state == _EDGE)
                hit[edge] = _exact(geom, self.x, self.y, left[edge])
            out[left[hit]] = k
            left = left[~hit]
        return out

    def _states(self, geom: Any) -> np.ndarray:
        """Every cell of the grid: wholly outside a polygonal ``geom`` (0), wholly inside
        (:data:`_INSIDE`), or under the box of one of its segments (:data:`_EDGE`)."""
        states = np.zeros((self.ny, self.nx), dtype=np.int8)
        minx, miny, maxx, maxy = geom.bounds
        (i0, i1), (j0, j1) = (v.tolist() for v in self._index(np.array([minx, maxx]),
                                                                np.array([miny, maxy])))
        ni, nj = i1 - i0 + 1, j1 - j0 + 1
        coords, ring = shapely.get_coordinates(
            shapely.get_rings(shapely.get_parts(geom)), return_index=True
        )
        ax, ay, bx, by = _pieces(coords, ring, self.size)
        # Each piece's box grown by far more than its computed ends may round by (~1e-15 of
        # the coordinates), so the boxes hold the whole boundary.
        hair = 1e-9 * max(1.0, float(np.abs(coords).max()))
        lo_i, lo_j = self._index(np.minimum(ax, bx) - hair, np.minimum(ay, by) - hair)
        hi_i, hi_j = self._index(np.maximum(ax, bx) + hair, np.maximum(ay, by) + hair)
        lo_i, lo_j = np.maximum(lo_i - i0, 0), np.maximum(lo_j - j0, 0)
        hi_i, hi_j = np.minimum(hi_i + 1 - i0, ni), np.minimum(hi_j + 1 - j0, nj)
        marks = np.zeros((nj + 1, ni + 1), dtype=np.int64)
        np.add.at(marks, (lo_j, lo_i), 1)
        np.add.at(marks, (lo_j, hi_i), -1)
        np.add.at(marks, (hi_j, lo_i), -1)
        np.add.at(marks, (hi_j, hi_i), 1)
        edge = marks.cumsum(axis=0).cumsum(axis=1)[:nj, :ni] > 0
        clear = ~edge
        starts = clear.copy()
        starts[:, 1:] &= edge[:, :-1]
        run = np.cumsum(starts.ravel()).reshape(nj, ni) - 1
        rep = self.rep.reshape(self.ny, self.nx)[j0:j1 + 1, i0:i1 + 1]
        filled = clear & (rep >= 0)
        run_rep = np.full(int(starts.sum()), -1, dtype=np.int64)
        run_rep[run[filled]] = rep[filled]
        tested = np.flatnonzero(run_rep >= 0)
        run_inside = np.zeros(len(run_rep) + 1, dtype=bool)  # + 1: where there is no run
        run_inside[tested] = _exact(geom, self.x, self.y, run_rep[tested])
        sub = states[j0:j1 + 1, i0:i1 + 1]
        sub[clear & run_inside[np.where(clear, run, len(run_rep))]] = _INSIDE
        sub[edge] = _EDGE
        return states


@dataclass(frozen=True)
class Buckets:
    """Points sorted by the cell of a regular grid over ``bounds`` they fall in, to find the
    points in a box without a scan of all of them (points off the grid are left out)."""

    x0: float
    y0: float
    size: float
    nx: int
    ny: int
    #: Indices of the points on the grid, cell by cell.
    order: np.ndarray
    #: The points of cell ``c`` are ``order[starts[c]:starts[c + 1]]``.
    starts: np.ndarray

    @classmethod
    def of(cls, x: np.ndarray, y: np.ndarray, bounds: Sequence[float],
           cells: int = BUCKET_CELLS) -> Buckets:
        minx, miny, maxx, maxy = (float(b) for b in bounds)
        size = max(float(np.sqrt((maxx - minx) * (maxy - miny) / cells)),
                   (maxx - minx) / cells, (maxy - miny) / cells, 1e-9)
        nx = int(np.floor((maxx - minx) / size)) + 1
        ny = int(np.floor((maxy - miny) / size)) + 1
        ix = np.floor((x - minx) / size)
        iy = np.floor((y - miny) / size)
        on = np.flatnonzero((ix >= 0) & (ix < nx) & (iy >= 0) & (iy < ny))
        dtype = np.int16 if nx * ny <= np.iinfo(np.int16).max else np.int64
        cell = (iy[on] * nx + ix[on]).astype(dtype)
        order = on[np.argsort(cell, kind="stable")]
        starts = np.concatenate([[0], np.cumsum(np.bincount(cell, minlength=nx * ny))])
        return cls(minx, miny, size, nx, ny, order, starts)

    def around(self, minx: float, miny: float, maxx: float, maxy: float) -> np.ndarray:
        """The points in the cells under a box: every point of the grid inside the box, and
        some near it (a point's cell is a monotone function of its coordinates)."""
        i0, i1 = (int(np.clip(np.floor((v - self.x0) / self.size), 0, self.nx - 1))
                  for v in (minx, maxx))
        j0, j1 = (int(np.clip(np.floor((v - self.y0) / self.size), 0, self.ny - 1))
                  for v in (miny, maxy))
        return np.concatenate([
            self.order[self.starts[j * self.nx + i0]:self.starts[j * self.nx + i1 + 1]]
            for j in range(j0, j1 + 1)
        ])


def _pieces(coords: np.ndarray, ring: np.ndarray, size: float
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The segments of rings cut into pieces no longer than a cell along either axis."""
    seg = np.flatnonzero(ring[1:] == ring[:-1])
    a, b = coords[seg], coords[seg + 1]
    count = np.maximum(np.ceil(np.abs(b - a).max(axis=1) / size), 1).astype(np.int64)
    which = np.repeat(np.arange(len(seg)), count)
    step = np.arange(len(which)) - np.repeat(np.cumsum(count) - count, count)
    t0 = step / count[which]
    t1 = (step + 1) / count[which]
    d = b[which] - a[which]
    start = a[which] + d * t0[:, None]
    end = a[which] + d * t1[:, None]
    return start[:, 0], start[:, 1], end[:, 0], end[:, 1]


def _exact(geom: Any, x: np.ndarray, y: np.ndarray, idx: np.ndarray) -> np.ndarray:
    if not len(idx):
        return np.zeros(0, dtype=bool)
    shapely.prepare(geom)
    return np.asarray(shapely.intersects_xy(geom, x[idx], y[idx]), dtype=bool)
