"""Terrain results as files: a viewshed (or two observers compared) as GeoJSON or GeoPackage
polygons, an elevation profile as CSV, and the viewshed as an overlay of the PNG and PDF
exports. Each carries its basis ("derived"), its inputs, the method notes and the DEM credit:
in the polygons' properties, in the CSV's ``#`` header lines, in the image's caption and
footer.
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
import shapely
from pyproj import Transformer

from geo.analysis.profile import Profile
from geo.analysis.sightlines import SUMMIT_LABEL, SUMMIT_NOTE, Comparison, ViewshedReport
from geo.analysis.terrain import CORRECTION_NOTE
from geo.analysis.viewshed import RESOLUTION_NOTE
from geo.core.crs import WGS84
from geo.core.figures import approx
from geo.core.view import ViewState
from geo.core.vocabulary import MAX_ZOOM, MIN_ZOOM
from geo.data.dem import DEM_CREDIT
from geo.export.data import DRIVERS
from geo.export.layout import OUTPUT_PRESETS, layout
from geo.export.map_layers import MERCATOR, RES_Z0
from geo.export.overlay import Area, Overlay
from geo.render.terrain_charts import km2
from geo.render.terrain_layers import COMPARE_COLOURS, FILL_OPACITY, VIEWSHED_COLOUR

BASIS: Final[str] = "derived"
_TO_MERCATOR = Transformer.from_crs(WGS84, MERCATOR, always_xy=True)
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


def viewshed_filename(report: ViewshedReport, ext: str,
                      comparison: Comparison | None = None) -> str:
    """``viewshed[_compared]_<lat>N_<lon>E_h<height>_r<radius>km.<ext>``."""
    observer, params = report.observer, report.result.params
    stem = "viewshed_compared" if comparison else "viewshed"
    return (f"{stem}_{observer.lat:.4f}N_{observer.lon:.4f}E_h{params.observer_height_m:g}"
            f"_r{params.radius_km:g}km.{ext}")


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


def _observer_words(report: ViewshedReport) -> str:
    o = report.observer
    return f"{report.label} ({o.lat:.5f} N, {o.lon:.5f} E, ground {o.ground_m:,.0f} m)"


def viewshed_overlay(report: ViewshedReport, comparison: Comparison | None = None) -> Overlay:
    """The viewshed (or the comparison) for the static map: areas in the live map's colours,
    the observers, and a caption with the parameters and the figures."""
    params = report.result.params
    setting = (f"eye {params.observer_height_m:g} m above ground, targets "
               f"{params.target_height_m:g} m, radius {params.radius_km:g} km, "
               f"k = {params.refraction_k}")
    notes = [report.result.note, CORRECTION_NOTE, RESOLUTION_NOTE]
    reports = [report] if comparison is None else [comparison.first, comparison.second]
    if any(r.label == SUMMIT_LABEL for r in reports):
        notes.append(SUMMIT_NOTE)
    points = tuple((r.observer.lon, r.observer.lat, r.label) for r in reports)
    if comparison is None:
        zones = ", ".join(f"{name} {approx(area.visible_km2)}"
                          for name, area in report.zones.items())
        heights = " / ".join(f"{h:g}" for h, _ in report.sensitivity)
        seen = " / ".join(approx(area) for _, area in report.sensitivity)
        caption = (f"From {_observer_words(report)}; {setting} · visible "
                   f"{km2(report.result.visible_km2)}: {zones} · eye {heights} m: {seen} km²")
        return Overlay(f"What Hermon sees: the view from {report.label}",
                       (Area(report.result.polygons, VIEWSHED_COLOUR,
                             f"Visible from {report.label}", FILL_OPACITY),), points,
                       caption, tuple(notes), DEM_CREDIT)
    first, second = comparison.first.label, comparison.second.label
    labels = (f"Only {first} sees", f"Only {second} sees", "Both see")
    caption = (f"{_observer_words(comparison.first)} against "
               f"{_observer_words(comparison.second)}; {setting} · "
               + ", ".join(f"{label[0].lower()}{label[1:]} {km2(area)}"
                           for label, area in zip(labels, comparison.km2, strict=True)))
    areas = tuple(Area(geometry, colour, label, FILL_OPACITY) for geometry, colour, label in
                  zip(comparison.polygons, COMPARE_COLOURS, labels, strict=True))
    return Overlay(f"What Hermon sees: {first} against {second}", areas, points, caption,
                   tuple(notes), DEM_CREDIT)


def framed(view: ViewState, overlay: Overlay, presets: tuple[str, ...] = ("slide", "a4"),
           margin: float = 1.1) -> ViewState:
    """The view centred on the overlay's areas, at the highest zoom at which they fit the map
    of every one of ``presets`` (the PNG slide and the PDF's A4 page)."""
    west, south, east, north = shapely.union_all([a.geometry for a in overlay.areas]).bounds
    (x0, x1), (y0, y1) = _TO_MERCATOR.transform([west, east], [south, north])
    zoom = MAX_ZOOM
    for preset in (OUTPUT_PRESETS[name] for name in presets):
        _, _, width, height = layout(preset)["map"]
        for axis_px, span in ((width * preset.width, x1 - x0), (height * preset.height, y1 - y0)):
            fits = math.floor(math.log2(axis_px * RES_Z0 / preset.scale / (span * margin)))
            zoom = min(zoom, fits)
    return view.replace(lat=round((south + north) / 2, 4), lon=round((west + east) / 2, 4),
                        zoom=max(zoom, MIN_ZOOM))
