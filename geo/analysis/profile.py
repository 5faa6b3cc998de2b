"""Elevation profiles on the real terrain: the ground along a line, the line of sight from its
first point to its last, and where the line crosses given lines or zone edges.

Elevations are read from the stored 3″ grid (bilinear between cell centres), every half cell
(45 m); distances are measured in UTM zone 36N. The sight line carries the same curvature and
refraction correction as the viewshed, and is drawn bent by it, so that it plots over the
uncorrected ground: the end point is visible when the ray stays above the ground all the way.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely.geometry import LineString, MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from geo.analysis.terrain import REFRACTION_K, curvature_drop
from geo.analysis.viewshed import check_heights
from geo.core.terrain import DEFAULT_OBSERVER_HEIGHT_M, DEFAULT_TARGET_HEIGHT_M
from geo.data.dem import (
    CELL_M,
    COVERAGE_NOTE,
    TerrainInputError,
    geometry_to_metric,
    geometry_to_wgs84,
    load_dem,
    to_metric,
    to_wgs84,
)
from geo.data.loaders import DATA_DIR

PROFILE_STEP_M: Final[float] = CELL_M / 2
MIN_LINE_M: Final[float] = 2 * CELL_M
#: Two crossings closer than this along the profile are one.
_SAME_CROSSING_M: Final[float] = 1.0

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Crossing:
    """Where the profile line crosses a named line or zone edge."""

    name: str
    distance_km: float
    lon: float
    lat: float


@dataclass(frozen=True, eq=False)
class SightLine:
    """The line of sight from the first point (plus the observer height) to the last (plus the
    target height), along the straight line between them."""

    distance_km: FloatArray
    terrain_m: FloatArray  # ground under the straight line (NaN without terrain data)
    ray_m: FloatArray  # height of the sight line, bent by the correction to plot over the ground
    visible: bool
    clearance_m: float  # least height of the ray above the ground between the two ends
    blocked_at_km: float | None  # where the ground rises highest above the ray, when it does
    follows_profile: bool  # the profile line is straight, so the ray lies over its chart


@dataclass(frozen=True, eq=False)
class Profile:
    lon: FloatArray
    lat: FloatArray
    distance_km: FloatArray
    elevation_m: FloatArray  # NaN where the line leaves the terrain data
    length_km: float
    crossings: tuple[Crossing, ...]
    sight: SightLine
    observer_height_m: float
    target_height_m: float
    refraction_k: float | None


def _samples(line: LineString) -> tuple[FloatArray, FloatArray, FloatArray]:
    """(distance m, x, y) every half cell along a metric line, both ends included."""
    count = max(math.ceil(line.length / PROFILE_STEP_M), 1) + 1
    distance = np.linspace(0.0, line.length, count)
    xy = shapely.get_coordinates(shapely.line_interpolate_point(line, distance))
    return distance, xy[:, 0], xy[:, 1]


def _ground(xs: FloatArray, ys: FloatArray, data_dir: Path) -> tuple[FloatArray, FloatArray,
                                                                     FloatArray]:
    """(lon, lat, elevation m) at metric points."""
    metric = shapely.multipoints(np.column_stack([xs, ys]))
    lonlat = shapely.get_coordinates(geometry_to_wgs84(metric))
    lon, lat = lonlat[:, 0], lonlat[:, 1]
    return lon, lat, load_dem(data_dir).sample(lon, lat)


def _sight(line: LineString, observer_height_m: float, target_height_m: float,
           refraction_k: float | None, follows_profile: bool, data_dir: Path) -> SightLine:
    distance, xs, ys = _samples(line)
    ground = _ground(xs, ys, data_dir)[2]
    drop = curvature_drop(distance, refraction_k)
    eye = ground[0] + observer_height_m
    target = ground[-1] - drop[-1] + target_height_m
    ray = eye + (target - eye) * distance / distance[-1] + drop
    between = (distance > CELL_M / 2) & (distance < distance[-1] - CELL_M / 2) & ~np.isnan(ground)
    gap = np.where(between, ray - ground, np.inf)
    worst = int(np.argmin(gap))
    clearance = float(gap[worst]) if between.any() else math.inf
    return SightLine(
        distance_km=distance / 1000.0, terrain_m=ground, ray_m=ray, visible=clearance >= 0,
        clearance_m=clearance, blocked_at_km=None if clearance >= 0 else distance[worst] / 1000,
        follows_profile=follows_profile,
    )


def _crossings(line: LineString, lines: Mapping[str, BaseGeometry]) -> tuple[Crossing, ...]:
    found: list[Crossing] = []
    for name, geometry in lines.items():
        metric = geometry_to_metric(geometry)
        edge = metric.boundary if isinstance(metric, Polygon | MultiPolygon) else metric
        seen: list[float] = []
        for x, y in shapely.get_coordinates(line.intersection(edge)):
            along = float(line.project(shapely.Point(x, y)))
            if all(abs(along - other) > _SAME_CROSSING_M for other in seen):
                seen.append(along)
                lon, lat = to_wgs84(x, y)
                found.append(Crossing(name, along / 1000.0, lon, lat))
    return tuple(sorted(found, key=lambda c: (c.distance_km, c.name)))


def _check_line(points: Sequence[tuple[float, float]], data_dir: Path) -> LineString:
    if len(points) < 2 or not all(math.isfinite(v) for p in points for v in p):
        raise TerrainInputError("A profile needs a line of at least two points.")
    for label, (lon, lat) in (("start", points[0]), ("end", points[-1])):
        if load_dem(data_dir).cell_of(lon, lat) is None:
            raise TerrainInputError(
                f"The line's {label} ({lat:.4f} N, {lon:.4f} E) is outside the terrain data. "
                f"{COVERAGE_NOTE}"
            )
    line = LineString([to_metric(lon, lat) for lon, lat in points])
    if line.length < MIN_LINE_M:
        raise TerrainInputError(
            f"The line is {line.length:.0f} m long: a profile needs at least {MIN_LINE_M:.0f} m "
            "(two terrain cells)."
        )
    return line


def elevation_profile(
    points: Sequence[tuple[float, float]],
    crossing_lines: Mapping[str, BaseGeometry] | None = None,
    *,
    observer_height_m: float = DEFAULT_OBSERVER_HEIGHT_M,
    target_height_m: float = DEFAULT_TARGET_HEIGHT_M,
    refraction_k: float | None = REFRACTION_K,
    data_dir: Path = DATA_DIR,
) -> Profile:
    """The profile along ``points`` ((lon, lat), WGS84), its sight line from the first point to
    the last, and its crossings with ``crossing_lines`` (name → WGS84 line or polygon; a
    polygon is crossed at its edges)."""
    check_heights(observer_height_m, target_height_m)
    line = _check_line(points, data_dir)
    distance, xs, ys = _samples(line)
    lon, lat, elevation = _ground(xs, ys, data_dir)
    ends = LineString([line.coords[0], line.coords[-1]])
    return Profile(
        lon=lon, lat=lat, distance_km=distance / 1000.0, elevation_m=elevation,
        length_km=line.length / 1000.0,
        crossings=_crossings(line, crossing_lines or {}),
        sight=_sight(ends, observer_height_m, target_height_m, refraction_k,
                     follows_profile=len(line.coords) == 2, data_dir=data_dir),
        observer_height_m=observer_height_m, target_height_m=target_height_m,
        refraction_k=refraction_k,
    )
