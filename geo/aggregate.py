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

from geo import styles

#: Largest number of individual incident markers sent to the browser.
POINT_LIMIT: Final[int] = 1500
#: Grid resolutions in degrees, with the zoom range at which each is shown.
LEVELS: Final[tuple[tuple[float, int, int], ...]] = (
    (0.2, 0, 9),
    (0.05, 10, 11),
    (0.0125, 12, 18),
)


def grid_cells(incidents: pd.DataFrame, cell: float) -> pd.DataFrame:
    """Count incidents per square cell of ``cell`` degrees: lon, lat (cell centre), count,
    fatalities (sum of reported), top_type (most frequent event type)."""
    if incidents.empty:
        return pd.DataFrame(columns=["lon", "lat", "count", "fatalities", "top_type"])
    ix = np.floor(incidents["longitude"].to_numpy(dtype=float) / cell).astype(np.int64)
    iy = np.floor(incidents["latitude"].to_numpy(dtype=float) / cell).astype(np.int64)
    fatalities = pd.to_numeric(incidents["fatalities"], errors="coerce").fillna(0).to_numpy()
    frame = pd.DataFrame({
        "ix": ix, "iy": iy, "fat": fatalities,
        "type": incidents["event_type"].astype(str).to_numpy(),
    })
    grouped = frame.groupby(["ix", "iy"], sort=False)
    out = grouped.agg(count=("fat", "size"), fatalities=("fat", "sum")).reset_index()
    top = (
        frame.groupby(["ix", "iy", "type"], sort=False).size().reset_index(name="n")
        .sort_values("n", ascending=False).drop_duplicates(["ix", "iy"])
    )
    out = out.merge(top[["ix", "iy", "type"]], on=["ix", "iy"], how="left")
    out["lon"] = (out["ix"] + 0.5) * cell
    out["lat"] = (out["iy"] + 0.5) * cell
    out = out.rename(columns={"type": "top_type"})
    return out[["lon", "lat", "count", "fatalities", "top_type"]]


def cell_radius(count: int) -> float:
    return float(round(min(5 + 3.2 * np.log2(max(count, 1)), 32.0), 1))


def aggregate_payload(incidents: pd.DataFrame) -> list[dict[str, Any]]:
    """One GeoJSON FeatureCollection per grid level, each tagged with its zoom range."""
    levels = []
    for cell, min_zoom, max_zoom in LEVELS:
        cells = grid_cells(incidents, cell)
        features = [
            {
                "type": "Feature",
                "properties": {
                    "tip": f"{int(c)} incidents · {int(f)} reported fatalities · mostly "
                    f"{html.escape(str(t))}",
                    "style": {"radius": cell_radius(int(c)), "color": "#222222", "weight": 1,
                              "fillColor": styles.event_color(t), "fillOpacity": 0.75,
                              "className": "incident-cell"},
                },
                "geometry": {"type": "Point", "coordinates": [round(x, 5), round(y, 5)]},
            }
            for x, y, c, f, t in cells[["lon", "lat", "count", "fatalities", "top_type"]]
            .itertuples(index=False, name=None)
        ]
        levels.append({"min_zoom": min_zoom, "max_zoom": max_zoom, "cell_deg": cell,
                       "data": {"type": "FeatureCollection", "features": features}})
    return levels
