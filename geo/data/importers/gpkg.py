"""GeoPackage uploads: the first point layer, reprojected to WGS84, with incident fields."""

from __future__ import annotations

import tempfile
import warnings
from pathlib import Path
from typing import Final

import geopandas as gpd
import pandas as pd

from geo.core.crs import WGS84
from geo.data.importers.result import ImportResult, IncidentImportError
from geo.data.importers.rows import cell, finish_features, point_reason, z_note

FORMAT_GPKG: Final[str] = "incident GeoPackage (dashboard schema)"


def import_gpkg(data: bytes, name: str) -> ImportResult:
    import pyogrio  # local: only needed for this format

    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="incident-import-") as folder, \
            warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # GDAL notes on odd files; errors raise
        path = Path(folder) / "upload.gpkg"
        path.write_bytes(data)
        try:
            layers = pyogrio.list_layers(path)
        except Exception as exc:  # noqa: BLE001 - GDAL raises several kinds
            raise IncidentImportError(
                f"{name}: not a readable GeoPackage ({_gdal_reason(exc, path, name)})."
            ) from None
        if len(layers) == 0:
            raise IncidentImportError(f"{name}: the GeoPackage has no layers.")
        point_layers = [str(n) for n, g in layers if g and "point" in str(g).lower()]
        chosen = point_layers[0] if point_layers else str(layers[0][0])
        if len(layers) > 1:
            others = [str(n) for n, _ in layers if str(n) != chosen]
            notes.append(f"Read layer {chosen!r}; other layers ignored: {', '.join(others)}.")
        try:
            gdf = pyogrio.read_dataframe(path, layer=chosen)
        except Exception as exc:  # noqa: BLE001
            raise IncidentImportError(
                f"{name}: layer {chosen!r} could not be read ({_gdal_reason(exc, path, name)})."
            ) from None
    if len(gdf) == 0:
        raise IncidentImportError(f"{name}: layer {chosen!r} has no features.")
    pre: list[list[str]] = [[] for _ in range(len(gdf))]
    lon: list[str] = [""] * len(gdf)
    lat: list[str] = [""] * len(gdf)
    if isinstance(gdf, gpd.GeoDataFrame) and gdf.geometry.name in gdf:
        if gdf.crs is None:
            notes.append("The layer declares no CRS; coordinates were read as WGS84 lon/lat.")
        elif not gdf.crs.equals(WGS84):
            notes.append(f"Reprojected from {gdf.crs.to_string()} to WGS84 lon/lat.")
            gdf = gdf.to_crs(WGS84)
        with_z = 0
        for i, geom in enumerate(gdf.geometry.to_numpy()):
            if geom is None or geom.is_empty:
                continue
            if geom.geom_type == "Point":
                lon[i], lat[i] = cell(float(geom.x)), cell(float(geom.y))
                with_z += bool(geom.has_z)
            else:
                pre[i].append(point_reason(geom.geom_type))
        notes += [n for n in [z_note(with_z)] if n]
        props = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    else:
        props = pd.DataFrame(gdf)
    frame = pd.DataFrame(index=props.index)
    for col in props.columns:
        series = props[col]
        if pd.api.types.is_datetime64_any_dtype(series):
            frame[str(col)] = series.dt.strftime("%Y-%m-%d").fillna("").astype(object)
        else:
            frame[str(col)] = series.astype(object).map(cell)
    has_point = [bool(x) for x in lon]
    if "longitude" in frame:
        frame["longitude"] = [x or str(o) for x, o in zip(lon, frame["longitude"], strict=True)]
        frame["latitude"] = [y or str(o) for y, o in zip(lat, frame["latitude"], strict=True)]
    else:
        frame["longitude"], frame["latitude"] = lon, lat
    for i, ok in enumerate(has_point):
        if not ok and not pre[i] and not (frame.at[frame.index[i], "latitude"]):
            pre[i].append("no geometry and no latitude/longitude")
    return finish_features(FORMAT_GPKG, frame.reset_index(drop=True), pre, name, notes)


def _gdal_reason(exc: Exception, path: Path, name: str) -> str:
    """GDAL's message without its SQL, the temporary path or repetitions, for the user."""
    text = str(exc).replace(str(path), name).strip()
    if "failed: " in text:  # "sqlite3_prepare_v2(SELECT …) failed: file is not a database; …"
        text = text.rsplit("failed: ", 1)[1]
    parts = list(dict.fromkeys(p.strip() for p in text.split(";") if p.strip()))
    reason = "; ".join(parts)[:160] or type(exc).__name__
    if any(k in reason for k in ("not a database", "malformed", "disk image")):
        reason += ": the file is damaged or incomplete"
    return reason
