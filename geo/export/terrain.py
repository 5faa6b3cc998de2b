"""Terrain results as files: a viewshed (or two observers compared) as GeoJSON or GeoPackage
polygons, an elevation profile as CSV. Each carries its basis ("derived"), its inputs, the
method notes and the DEM credit: in the polygons' properties, in the CSV's ``#`` header lines.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import tempfile
from pathlib import Path
from typing import Any, Final, Literal

import geopandas as gpd
import numpy as np
import pyogrio

from geo.analysis.profile import Profile
from geo.analysis.sightlines import Comparison, ViewshedReport
from geo.analysis.terrain import CORRECTION_NOTE
from geo.analysis.viewshed import RESOLUTION_NOTE
from geo.core.crs import WGS84
from geo.data.dem import DEM_CREDIT
from geo.export.data import DRIVERS

BASIS: Final[str] = "derived"
METHOD: Final[str] = ("viewshed on the 90 m UTM 36N terrain grid (SRTM-derived 3″ tiles), "
                      "observer on the centre of its cell")
TerrainFormat = Literal["geojson", "gpkg"]


def _inputs(report: ViewshedReport) -> dict[str, Any]:
    observer, params = report.observer, report.result.params
    return {
        "observer": report.label, "observer_lat": round(observer.lat, 5),
        "observer_lon": round(observer.lon, 5), "observer_ground_m": round(observer.ground_m),
        "observer_height_m": params.observer_height_m, "target_height_m": params.target_height_m,
        "radius_km": params.radius_km, "refraction_k": params.refraction_k,
    }


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def viewshed_frame(report: ViewshedReport, comparison: Comparison | None = None
                   ) -> gpd.GeoDataFrame:
    """One row for the viewshed, or three for a comparison (only the first observer sees, only
    the second, both), with the inputs, areas by zone, notes and credit."""
    common = {"basis": BASIS, "method": METHOD, "correction": CORRECTION_NOTE,
              "resolution": RESOLUTION_NOTE, "dem_credit": DEM_CREDIT}
    if comparison is None:
        zones = {f"{_slug(name)}_visible_km2": round(area.visible_km2, 1)
                 for name, area in report.zones.items()}
        rows = [{"item": "visible", **_inputs(report), "visible_km2": round(
            report.result.visible_km2, 1), **zones, "coverage": report.result.note, **common}]
        geometries = [report.result.polygons]
    else:
        first, second = comparison.first, comparison.second
        inputs = {f"first_{k}": v for k, v in _inputs(first).items()}
        inputs |= {f"second_{k}": v for k, v in _inputs(second).items()}
        items = ("only the first sees", "only the second sees", "both see")
        rows = [{"item": item, **inputs, "visible_km2": round(km2, 1), **common}
                for item, km2 in zip(items, comparison.km2, strict=True)]
        geometries = list(comparison.polygons)
    return gpd.GeoDataFrame(rows, geometry=geometries, crs=WGS84)


def viewshed_file(report: ViewshedReport, fmt: TerrainFormat,
                  comparison: Comparison | None = None) -> bytes:
    """:func:`viewshed_frame` written as GeoJSON or GeoPackage."""
    if fmt not in ("geojson", "gpkg"):
        raise ValueError(f"unknown terrain format {fmt!r}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"viewshed.{fmt}"
        pyogrio.write_dataframe(viewshed_frame(report, comparison), path, driver=DRIVERS[fmt],
                                layer="viewshed", geometry_type="MultiPolygon")
        return path.read_bytes()


def viewshed_filename(report: ViewshedReport, fmt: TerrainFormat,
                      comparison: Comparison | None = None) -> str:
    observer, params = report.observer, report.result.params
    stem = "viewshed_compared" if comparison else "viewshed"
    return (f"{stem}_{observer.lat:.4f}N_{observer.lon:.4f}E_h{params.observer_height_m:g}"
            f"_r{params.radius_km:g}km.{fmt}")


def _value(value: float) -> str:
    return "" if math.isnan(value) else f"{value:.1f}"


def profile_csv(profile: Profile, start: str, end: str) -> bytes:
    """The profile every 45 m: distance, position, ground and (for a straight line) the sight
    line's height, under ``#`` lines with the basis, inputs, result and credit."""
    sight = profile.sight
    header = {
        "basis": BASIS, "from": start, "to": end, "length_km": round(profile.length_km, 3),
        "observer_height_m": profile.observer_height_m,
        "target_height_m": profile.target_height_m, "refraction_k": profile.refraction_k,
        "end_visible": sight.visible,
        "crossings": [{"name": c.name, "km": round(c.distance_km, 3)} for c in profile.crossings],
        "correction": CORRECTION_NOTE, "resolution": RESOLUTION_NOTE, "dem_credit": DEM_CREDIT,
    }
    out = io.StringIO()
    for key, value in header.items():
        out.write(f"# {key}: {json.dumps(value, ensure_ascii=False)}\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["distance_km", "lat", "lon", "elevation_m", "sight_line_m"])
    ray = (np.interp(profile.distance_km, sight.distance_km, sight.ray_m)
           if sight.follows_profile else np.full(len(profile.distance_km), np.nan))
    for km, lat, lon, elevation, line in zip(profile.distance_km, profile.lat, profile.lon,
                                             profile.elevation_m, ray, strict=True):
        writer.writerow([f"{km:.3f}", f"{lat:.5f}", f"{lon:.5f}", _value(elevation),
                         _value(line)])
    return out.getvalue().encode("utf-8")
