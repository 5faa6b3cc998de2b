"""Server-side aggregation of incidents for large datasets.

Above :data:`POINT_LIMIT` incidents the map does not receive one marker per event. It receives
square grid cells at a few resolutions (vectorised with numpy/pandas), and the browser shows the
resolution that fits the zoom. Filtering below the limit brings individual events back.
"""

from __future__ import annotations

import html
from typing import Any, Final

import numpy as np
import pandas as pd

from geo.core import styles

#: Largest number of individual incident markers sent to the browser.
POINT_LIMIT: Final[int] = 1500
#: Grid resolutions in degrees, with the zoom range at which each is shown.
LEVELS: Final[tuple[tuple[float, int, int], ...]] = (
    (0.2, 0, 9),
    (0.05, 10, 11),
    (0.0125, 12, 18),
)


#: The columns :func:`grid_cells` reads.
CELL_COLUMNS: Final[tuple[str, ...]] = ("longitude", "latitude", "fatalities", "event_type")
#: Style shared by every cell; each cell carries only its radius ``r`` and colour ``c``.
CELL_STYLE: Final[dict[str, Any]] = {
    "color": "#222222", "weight": 1, "fillOpacity": 0.75, "className": "incident-cell",
}


def grid_cells(incidents: pd.DataFrame, cell: float) -> pd.DataFrame:
    """Count incidents per square cell of ``cell`` degrees: lon, lat (cell centre), count,
    fatalities (sum of reported), top_type (most frequent event type; on a tie, the type seen
    first)."""
    if incidents.empty:
        return pd.DataFrame(columns=["lon", "lat", "count", "fatalities", "top_type"])
    ix = np.floor(incidents["longitude"].to_numpy(dtype=float) / cell).astype(np.int64)
    iy = np.floor(incidents["latitude"].to_numpy(dtype=float) / cell).astype(np.int64)
    fatalities = pd.to_numeric(incidents["fatalities"], errors="coerce").fillna(0).to_numpy()
    types, type_names = pd.factorize(incidents["event_type"].astype(str), sort=False)
    # One integer per cell, in order of first appearance (as groupby(sort=False) gives).
    key = (ix - ix.min()) * (int(iy.max() - iy.min()) + 1) + (iy - iy.min())
    cells, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    cell_of = rank[inverse.reshape(-1)]
    count = np.bincount(cell_of, minlength=len(cells))
    fat = np.bincount(cell_of, weights=fatalities.astype(float), minlength=len(cells))
    per_type = np.bincount(cell_of * len(type_names) + types,
                           minlength=len(cells) * len(type_names)).reshape(len(cells), -1)
    top = np.asarray(type_names, dtype=object)[per_type.argmax(axis=1)]
    at = first[order]
    return pd.DataFrame({
        "lon": (ix[at] + 0.5) * cell,
        "lat": (iy[at] + 0.5) * cell,
        "count": count,
        "fatalities": fat,
        "top_type": top,
    })


def cell_radius(count: int) -> float:
    return float(round(min(5 + 3.2 * np.log2(max(count, 1)), 32.0), 1))


def aggregate_payload(incidents: pd.DataFrame) -> list[dict[str, Any]]:
    """One GeoJSON FeatureCollection per grid level, each tagged with its zoom range and the
    cell style (:data:`CELL_STYLE`); a cell's properties are its escaped tooltip ``tip``, its
    radius ``r`` and its fill colour ``c`` (the most frequent event type's)."""
    levels = []
    for cell, min_zoom, max_zoom in LEVELS:
        cells = grid_cells(incidents, cell)
        types = {t: (html.escape(str(t)), styles.event_color(t)) for t in set(cells["top_type"])}
        radius: dict[int, float] = {}
        features = []
        for x, y, c, f, t in zip(
            cells["lon"].round(5).tolist(), cells["lat"].round(5).tolist(),
            cells["count"].astype(int).tolist(),
            cells["fatalities"].astype(int).tolist(), cells["top_type"].tolist(), strict=True,
        ):
            if c not in radius:
                radius[c] = cell_radius(c)
            name, colour = types[t]
            features.append({
                "type": "Feature",
                "properties": {
                    "tip": f"{c} incidents · {f} reported fatalities · mostly {name}",
                    "r": radius[c],
                    "c": colour,
                },
                "geometry": {"type": "Point", "coordinates": [x, y]},
            })
        levels.append({"min_zoom": min_zoom, "max_zoom": max_zoom, "cell_deg": cell,
                       "style": CELL_STYLE,
                       "data": {"type": "FeatureCollection", "features": features}})
    return levels
