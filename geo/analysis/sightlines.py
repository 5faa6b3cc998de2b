"""What an observer sees, for the terrain page: the places to stand on, the zones the visible
area is split into, the lines a profile crosses, and one call that gathers a viewshed's figures.

The zones come from the layer features (geo.data.loaders): Syria east of Line B is the de facto
Syrian outline less the Area of Separation (the outline holds the Area of Separation and not
the Israeli-held Golan); the Area of Separation and the Golan are their own features. The
"summit" observer stands on the highest terrain cell within 500 m of the Natural Earth summit
point (see geo.analysis.viewshed.highest_cell_near).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import geopandas as gpd
from shapely.geometry.base import BaseGeometry

from geo.analysis.viewshed import (
    Observer,
    Viewshed,
    ViewshedParams,
    ZoneArea,
    area_by_zone,
    compare,
    compare_polygons,
    height_sensitivity,
    highest_cell_near,
    viewshed,
)
from geo.core.terrain import SUMMIT, point_of
from geo.data.dem import TerrainInputError

SYRIA_EAST_OF_B: Final[str] = "Syria east of Line B"
AOS: Final[str] = "Area of Separation"
GOLAN: Final[str] = "Golan (Israeli-held)"
#: Zone name -> (feature id, feature ids taken off it).
ZONE_FEATURES: Final[dict[str, tuple[str, tuple[str, ...]]]] = {
    SYRIA_EAST_OF_B: ("country_syria", ("aos_osm",)),
    AOS: ("aos_osm", ()),
    GOLAN: ("golan_osm", ()),
}
#: Crossing name -> feature id; a polygon is crossed at its edges.
CROSSING_FEATURES: Final[dict[str, str]] = {
    "Line A": "alpha_line_osm", "Line B": "bravo_line_inferred", "AoS edge": "aos_osm",
}
SUMMIT_FEATURE: Final[str] = "hermon_summit"
SUMMIT_LABEL: Final[str] = "Hermon summit"
SUMMIT_NOTE: Final[str] = (
    "The summit observer stands on the highest terrain cell within 500 m of the summit point."
)


@dataclass(frozen=True)
class Place:
    """A place to stand on or to look at, picked from a list."""

    spec: str
    label: str
    lon: float
    lat: float


@dataclass(frozen=True, eq=False)
class ViewshedReport:
    """A viewshed with everything the page and its downloads print next to it."""

    label: str
    result: Viewshed
    sensitivity: tuple[tuple[float, float], ...]  # (observer height m, visible km²)
    zones: dict[str, ZoneArea]

    @property
    def observer(self) -> Observer:
        return self.result.observer


@dataclass(frozen=True, eq=False)
class Comparison:
    """Two viewsheds side by side: what only one of them sees, and what both see."""

    first: ViewshedReport
    second: ViewshedReport
    km2: tuple[float, float, float]  # only the first, only the second, both
    polygons: tuple[BaseGeometry, BaseGeometry, BaseGeometry]


def _geometry(layers: gpd.GeoDataFrame, feature_id: str) -> BaseGeometry:
    rows = layers.loc[layers["id"] == feature_id, "geometry"]
    if rows.empty:
        raise KeyError(f"no feature {feature_id!r} in the layers")
    geometry: BaseGeometry = rows.iloc[0]
    return geometry


def zones(layers: gpd.GeoDataFrame) -> dict[str, BaseGeometry]:
    """The zones a viewshed is split into (WGS84), by name."""
    out = {}
    for name, (feature_id, minus) in ZONE_FEATURES.items():
        geometry = _geometry(layers, feature_id)
        for other in minus:
            geometry = geometry.difference(_geometry(layers, other))
        out[name] = geometry
    return out


def crossing_lines(layers: gpd.GeoDataFrame) -> dict[str, BaseGeometry]:
    """The lines and edges a profile's crossings are named after (WGS84)."""
    return {name: _geometry(layers, fid) for name, fid in CROSSING_FEATURES.items()}


def places(layers: gpd.GeoDataFrame) -> dict[str, Place]:
    """The summit observer, every reported position, then every named place, by spec."""
    point = _geometry(layers, SUMMIT_FEATURE)
    summit = highest_cell_near(point.x, point.y)
    out = {SUMMIT: Place(SUMMIT, SUMMIT_LABEL, summit.lon, summit.lat)}
    for kind in ("position", "place"):
        rows = layers[(layers["layer"] == kind) & layers.geometry.notna()]
        for row in rows.sort_values("name").itertuples():
            out[str(row.id)] = Place(str(row.id), str(row.name), row.geometry.x, row.geometry.y)
    return out


def resolve(spec: str, known: Mapping[str, Place]) -> Place:
    """The place a spec names: one of ``known``, or a ``lat,lon`` point."""
    if spec in known:
        return known[spec]
    point = point_of(spec)
    if point is None:
        raise TerrainInputError(f"Unknown place {spec!r}: pick one from the list or the map.")
    lon, lat = point
    return Place(spec, f"Point {lat:.4f} N, {lon:.4f} E", lon, lat)


def report(place: Place, params: ViewshedParams, zone_shapes: Mapping[str, BaseGeometry]
           ) -> ViewshedReport:
    """The viewshed from ``place`` with its ±10 m sensitivity and its km² by zone."""
    result = viewshed(place.lon, place.lat, params)
    return ViewshedReport(place.label, result, height_sensitivity(result),
                          area_by_zone(result, zone_shapes))


def comparison(first: ViewshedReport, second: ViewshedReport) -> Comparison:
    return Comparison(first, second, compare(first.result, second.result),
                      compare_polygons(first.result, second.result))
