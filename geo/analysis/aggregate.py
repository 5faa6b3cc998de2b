"""Server-side aggregation of incidents for large datasets.

Above :data:`POINT_LIMIT` incidents the map does not receive one marker per event. It receives
square grid cells at a few resolutions (vectorised with numpy/pandas), and the browser shows the
resolution that fits the zoom. Filtering below the limit brings individual events back.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from geo.core import styles

#: Largest number of individual incident markers sent to the browser.
POINT_LIMIT: Final[int] = 1500
#: Grid resolutions in degrees, with the zoom range at which each is shown.
LEVELS: Final[tuple[tuple[float, int, int], ...]] = (
    (0.2, 0, 9),
    (0.05, 10, 11),
    (0.0125, 12, 18),
)


#: The grid sizes of LEVELS (degrees).
SIZES: Final[tuple[float, ...]] = tuple(level[0] for level in LEVELS)
#: Style shared by every cell; each cell carries only its radius ``r`` and colour ``c``.
CELL_STYLE: Final[dict[str, Any]] = {
    "color": "#222222", "weight": 1, "fillOpacity": 0.75, "className": "incident-cell",
}


@dataclass(frozen=True)
class CellIndex:
    """The grid cell of every incident of a dataset at each grid size, found once: the cells
    of a window are then counts over the rows it keeps (:func:`window_cells`), with no
    rounding or sorting of coordinates again on each date. Cells are numbered in the order
    their first incident appears in the dataset."""

    sizes: tuple[float, ...]
    #: Per grid size: each row's cell number, and each cell's centre (lon, lat).
    cell_of: tuple[NDArray[np.intp], ...]
    centres: tuple[tuple[NDArray[np.float64], NDArray[np.float64]], ...]
    #: Per row: its event type's code in ``type_names`` (sorted), its reported fatalities
    #: (NA: 0).
    types: NDArray[np.intp]
    type_names: tuple[str, ...]
    fatalities: NDArray[np.float64]

    @property
    def rows(self) -> int:
        return len(self.types)


def cell_index(incidents: pd.DataFrame, sizes: tuple[float, ...] = SIZES) -> CellIndex:
    """Index the incidents' cells at each grid size (degrees)."""
    lon = incidents["longitude"].to_numpy(dtype=float)
    lat = incidents["latitude"].to_numpy(dtype=float)
    cell_of, centres = [], []
    for size in sizes:
        ix, iy = np.floor(lon / size).astype(np.int64), np.floor(lat / size).astype(np.int64)
        if len(ix) == 0:
            cell_of.append(np.zeros(0, dtype=np.intp))
            centres.append((np.zeros(0), np.zeros(0)))
            continue
        key = (ix - ix.min()) * (int(iy.max() - iy.min()) + 1) + (iy - iy.min())
        _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        order = np.argsort(first, kind="stable")  # numbered by first appearance
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        cell_of.append(rank[inverse.reshape(-1)])
        at = first[order]
        centres.append(((ix[at] + 0.5) * size, (iy[at] + 0.5) * size))
    types, names = pd.factorize(incidents["event_type"].astype(str), sort=True)
    fatalities = pd.to_numeric(incidents["fatalities"], errors="coerce").fillna(0)
    return CellIndex(tuple(sizes), tuple(cell_of), tuple(centres), np.asarray(types, np.intp),
                     tuple(str(n) for n in names), fatalities.to_numpy(dtype=float))


def window_cells(index: CellIndex, level: int, keep: NDArray[np.bool_] | None = None
                 ) -> pd.DataFrame:
    """The cells at grid size ``index.sizes[level]`` of the rows ``keep`` selects (all by
    default): lon, lat (cell centre), count, fatalities (sum of reported), top_type (most
    frequent event type; on a tie, the first in alphabetical order, whatever the window), in
    cell order."""
    cell_of = index.cell_of[level]
    rows = np.arange(index.rows) if keep is None else np.flatnonzero(keep)
    cells, kinds = cell_of[rows], len(index.type_names)
    total = len(index.centres[level][0])
    count = np.bincount(cells, minlength=total)
    present = np.flatnonzero(count)
    fat = np.bincount(cells, weights=index.fatalities[rows], minlength=total)
    per_type = np.bincount(cells * kinds + index.types[rows],
                           minlength=total * kinds).reshape(total, kinds)
    top = np.asarray(index.type_names, dtype=object)[per_type[present].argmax(axis=1)] \
        if kinds else np.zeros(0, dtype=object)
    lon, lat = index.centres[level]
    return pd.DataFrame({"lon": lon[present], "lat": lat[present], "count": count[present],
                         "fatalities": fat[present], "top_type": top})


def grid_cells(incidents: pd.DataFrame, cell: float) -> pd.DataFrame:
    """Count incidents per square cell of ``cell`` degrees (see :func:`window_cells`), in
    order of their first incident."""
    if incidents.empty:
        return pd.DataFrame(columns=["lon", "lat", "count", "fatalities", "top_type"])
    return window_cells(cell_index(incidents, (cell,)), 0)


def cell_radius(count: int) -> float:
    return float(round(min(5 + 3.2 * np.log2(max(count, 1)), 32.0), 1))


def aggregate_payload(incidents: pd.DataFrame) -> list[dict[str, Any]]:
    """The cells of every grid level, each level tagged with its zoom range, its grid size and
    the cell style (:data:`CELL_STYLE`), its cells as columns: centre ``x``/``y`` (5 decimals),
    incidents ``n``, reported fatalities ``f``, radius ``r`` and most frequent event type ``t``
    (an index into the level's escaped ``types`` and their ``colors``). Columns, not a GeoJSON
    feature per cell: the browser builds the markers and their tooltips
    (geo.render.elements.ZoomLevelsLayer)."""
    return cells_payload(cell_index(incidents))


def cells_payload(index: CellIndex, keep: NDArray[np.bool_] | None = None
                  ) -> list[dict[str, Any]]:
    """:func:`aggregate_payload` of the rows of an indexed dataset that ``keep`` selects."""
    if index.sizes != SIZES:
        raise ValueError(f"cells_payload needs an index of the grid sizes {SIZES}")
    levels = []
    for level, (cell, min_zoom, max_zoom) in enumerate(LEVELS):
        cells = window_cells(index, level, keep)
        names, codes = np.unique(cells["top_type"].astype(str).to_numpy(), return_inverse=True)
        counts = cells["count"].astype(int).to_numpy()
        sizes, which = np.unique(counts, return_inverse=True)
        radius = np.asarray([cell_radius(int(c)) for c in sizes])[which.reshape(-1)]
        levels.append({
            "min_zoom": min_zoom, "max_zoom": max_zoom, "cell_deg": cell, "style": CELL_STYLE,
            "types": [html.escape(str(t)) for t in names],
            "colors": [styles.event_color(str(t)) for t in names],
            "x": cells["lon"].round(5).tolist(), "y": cells["lat"].round(5).tolist(),
            "n": counts.tolist(), "f": cells["fatalities"].astype(int).tolist(),
            "r": radius.tolist(), "t": codes.reshape(-1).tolist(),
        })
    return levels
