"""Incident frames as stores keep them, and back: the same columns and types in every backend."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from geo.core.crs import WGS84
from geo.core.model import INCIDENT_COLUMNS, INCIDENT_EXTRA_COLUMNS, INCIDENT_REQUIRED
from geo.data.incidents import incident_frame
from geo.data.store.base import StoreError

#: Numeric columns: kept as numbers, read back with empty cells as "".
NUMERIC_COLUMNS: tuple[str, ...] = (
    "latitude", "longitude", "fatalities", "geo_precision", "time_precision",
)


def prepare(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The schema's columns of an incident frame, in WGS84, dates and texts as strings."""
    missing = [c for c in INCIDENT_REQUIRED if c not in gdf]
    if missing:
        raise StoreError(f"not an incident dataset: missing column(s) {', '.join(missing)}.")
    keep = [c for c in (*INCIDENT_COLUMNS, *INCIDENT_EXTRA_COLUMNS) if c in gdf]
    frame = gpd.GeoDataFrame(gdf[keep].copy(), geometry=gdf.geometry.to_numpy(), crs=gdf.crs)
    if frame.crs is None:
        frame = frame.set_crs(WGS84)
    elif not frame.crs.equals(WGS84):
        frame = frame.to_crs(WGS84)
    for col in frame.columns:
        if col == frame.geometry.name:
            continue
        series = frame[col]
        if pd.api.types.is_datetime64_any_dtype(series):
            frame[col] = series.dt.strftime("%Y-%m-%d")
        elif series.dtype == object or pd.api.types.is_string_dtype(series):
            frame[col] = series.astype(object).where(series.notna(), None)
            frame[col] = [None if v is None else str(v) for v in frame[col]]
    return frame


def restore(raw: pd.DataFrame, name: str) -> gpd.GeoDataFrame:
    """A typed incident frame from the columns a store read back (geometry column dropped)."""
    missing = [c for c in INCIDENT_REQUIRED if c not in raw]
    if missing:
        raise StoreError(
            f"saved dataset {name!r} is not an incident dataset (missing {', '.join(missing)})."
        )
    geometry = raw.geometry.name if isinstance(raw, gpd.GeoDataFrame) else None
    frame = pd.DataFrame(raw.drop(columns=geometry) if geometry else raw)
    for col in (*INCIDENT_COLUMNS, *INCIDENT_EXTRA_COLUMNS):
        if col not in frame:
            frame[col] = ""
    for col in frame.columns:
        if col in NUMERIC_COLUMNS:
            frame[col] = frame[col].astype(object).where(frame[col].notna(), "")
        elif frame[col].dtype == object or pd.api.types.is_string_dtype(frame[col]):
            frame[col] = frame[col].fillna("").astype(object)
    try:
        return incident_frame(frame)
    except (ValueError, TypeError) as exc:
        raise StoreError(f"saved dataset {name!r} has unreadable values ({exc}).") from exc
