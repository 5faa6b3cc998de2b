"""Incident downloads: CSV, GeoJSON (dates as ISO strings) and GeoPackage bytes.

Exports carry our incident columns, then any analysis columns (zones, distances). Text cells
that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or
carriage return) are prefixed with ``'`` in the CSV, so that opening a download is safe.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import tempfile
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from geo.core.crs import WGS84
from geo.core.model import INCIDENT_COLUMNS, INCIDENT_EXTRA_COLUMNS
from geo.export.snapshot import slug

_FORMULA_START: Final[tuple[str, ...]] = ("=", "+", "-", "@", "\t", "\r")


def export_columns(frame: pd.DataFrame) -> list[str]:
    """Our schema first, then the other (analysis) columns; never the geometry."""
    geometry = frame.geometry.name if isinstance(frame, gpd.GeoDataFrame) else None
    first = [c for c in (*INCIDENT_COLUMNS, *INCIDENT_EXTRA_COLUMNS) if c in frame]
    rest = [c for c in frame.columns if c not in first and c != geometry]
    return first + rest


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(frame[export_columns(frame)]).copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime("%Y-%m-%d")
    return out


def _defuse(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV of the incidents (formula-like text cells defused)."""
    out = _plain(frame)
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(_defuse)
    return out.to_csv(index=False, lineterminator="\n").encode("utf-8")


def _json_value(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) or math.isinf(value) else float(value)
    if isinstance(value, (dt.date, pd.Timestamp)):
        return value.strftime("%Y-%m-%d")
    return value


def to_geojson_bytes(frame: gpd.GeoDataFrame) -> bytes:
    """RFC 7946 FeatureCollection of points (lon/lat WGS84), dates as ISO strings."""
    out = _plain(frame)
    lon = pd.to_numeric(frame["longitude"], errors="coerce").to_numpy(dtype=float)
    lat = pd.to_numeric(frame["latitude"], errors="coerce").to_numpy(dtype=float)
    features = []
    for i, record in enumerate(out.to_dict("records")):
        props = {str(k): _json_value(v) for k, v in record.items()}
        geometry = None
        if not (math.isnan(lon[i]) or math.isnan(lat[i])):
            geometry = {"type": "Point", "coordinates": [round(lon[i], 7), round(lat[i], 7)]}
        features.append({"type": "Feature", "properties": props, "geometry": geometry})
    doc = {"type": "FeatureCollection", "features": features}
    return json.dumps(doc, ensure_ascii=False, allow_nan=False).encode("utf-8")


def to_gpkg_bytes(frame: gpd.GeoDataFrame, layer: str = "incidents") -> bytes:
    """A GeoPackage file (EPSG:4326, one point layer) as bytes."""
    out = _plain(frame)
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = [None if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))
                        else str(v) for v in out[col]]
    lon = pd.to_numeric(frame["longitude"], errors="coerce").to_numpy(dtype=float)
    lat = pd.to_numeric(frame["latitude"], errors="coerce").to_numpy(dtype=float)
    gdf = gpd.GeoDataFrame(out.reset_index(drop=True),
                           geometry=gpd.points_from_xy(lon, lat), crs=WGS84)
    with tempfile.TemporaryDirectory(prefix="incident-export-") as folder:
        path = Path(folder) / "export.gpkg"
        pyogrio.write_dataframe(gdf, path, layer=layer, driver="GPKG")
        return path.read_bytes()


def export_filename(dataset: str, start: dt.date | None, end: dt.date | None, ext: str) -> str:
    """``incidents_<dataset>_<start>_<end>.<ext>`` with a safe dataset slug."""
    name = slug(str(dataset))[:40] or "incidents"
    span = f"_{start:%Y%m%d}-{end:%Y%m%d}" if start and end else ""
    return f"incidents_{name}{span}.{ext.lstrip('.')}"
