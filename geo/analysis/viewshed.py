"""Viewsheds on the real terrain: what an observer sees, in km², by zone, and as polygons.

Everything runs on the 90 m UTM 36N grid of :func:`geo.data.dem.load_metric_dem`, on the
smallest window the radius needs, with the sweep of :mod:`geo.analysis.terrain` (curvature and
refraction corrected, k = 0.13 unless stated). The observer stands on the centre of the grid
cell that contains the chosen point. Results are approximate at 90 m: a sight line that grazes
the terrain by a few metres can go either way, and the visible area depends on which cell the
observer stands on. Ground without terrain data (east of 36° E) is neither seen nor counted.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Final

import numpy as np
import shapely
from numpy.typing import NDArray
from rasterio.features import geometry_mask, shapes
from rasterio.transform import Affine
from shapely.geometry import MultiPolygon, shape
from shapely.geometry.base import BaseGeometry

from geo.analysis.terrain import REFRACTION_K, visible_cells
from geo.core.terrain import (
    DEFAULT_OBSERVER_HEIGHT_M,
    DEFAULT_RADIUS_KM,
    DEFAULT_TARGET_HEIGHT_M,
)
from geo.data.dem import (
    CELL_M,
    COVERAGE_NOTE,
    Dem,
    TerrainInputError,
    geometry_to_metric,
    geometry_to_wgs84,
    load_metric_dem,
    to_metric,
    to_wgs84,
)
from geo.data.loaders import DATA_DIR

MAX_RADIUS_KM: Final[float] = 100.0
MAX_HEIGHT_M: Final[float] = 1_000.0
SUMMIT_SEARCH_M: Final[float] = 500.0
#: Step between the observer heights of :func:`height_sensitivity`.
SENSITIVITY_STEP_M: Final[float] = 10.0
CELL_KM2: Final[float] = CELL_M * CELL_M / 1e6
RESOLUTION_NOTE: Final[str] = (
    "Approximate at the terrain's 90 m resolution: a sight line that grazes the ground by a few "
    "metres can go either way, and the area depends on the cell the observer stands on."
)

@dataclass(frozen=True)
class Observer:
    """Where the observer stands: the centre of a cell of the metric grid."""

    lon: float
    lat: float
    ground_m: float
    row: int
    col: int


@dataclass(frozen=True)
class ViewshedParams:
    observer_height_m: float = DEFAULT_OBSERVER_HEIGHT_M
    target_height_m: float = DEFAULT_TARGET_HEIGHT_M
    radius_km: float = DEFAULT_RADIUS_KM
    #: None: no correction for the Earth's curvature (nor refraction).
    refraction_k: float | None = REFRACTION_K


@dataclass(frozen=True, eq=False)
class Viewshed:
    """A viewshed on a window of the metric grid (read-only arrays)."""

    observer: Observer
    params: ViewshedParams
    visible: NDArray[np.bool_]  # the window's cells that are seen
    in_range: NDArray[np.bool_]  # the window's cells with terrain data within the radius
    transform: Affine  # of the window, in METRIC_CRS
    origin: tuple[int, int]  # (row, col) of the window's first cell in the metric grid
    visible_km2: float
    covered_km2: float  # ground with terrain data within the radius
    outside_dem_km2: float  # the rest of the radius's disc: no terrain data, not counted
    polygons: MultiPolygon  # the visible cells, in WGS84

    def sees(self, lon: float, lat: float) -> bool:
        """Whether the cell that contains (lon, lat) is visible (False beyond the window)."""
        col_f, row_f = ~self.transform @ to_metric(lon, lat)
        row, col = math.floor(row_f), math.floor(col_f)
        rows, cols = self.visible.shape
        return 0 <= row < rows and 0 <= col < cols and bool(self.visible[row, col])

    @property
    def note(self) -> str:
        """What the reader must know about the coverage of this result."""
        if self.outside_dem_km2 < CELL_KM2:
            return "The whole radius has terrain data."
        return (f"{self.outside_dem_km2:,.0f} km² of the radius has no terrain data and is not "
                f"counted. {COVERAGE_NOTE}")


@dataclass(frozen=True)
class ZoneArea:
    """The part of a viewshed that falls in one zone."""

    visible_km2: float
    covered_km2: float  # zone ground with terrain data within the radius
    outside_dem_km2: float  # zone ground within the radius without terrain data


def check_heights(observer_height_m: float, target_height_m: float) -> None:
    """Refuse heights above ground that are negative, over 1,000 m or not numbers."""
    for label, height in (("observer", observer_height_m), ("target", target_height_m)):
        if not (math.isfinite(height) and 0 <= height <= MAX_HEIGHT_M):
            raise TerrainInputError(
                f"The {label} height must be 0–{MAX_HEIGHT_M:,.0f} m (got {height:g})."
            )


def _check_params(params: ViewshedParams) -> None:
    radius = params.radius_km
    if not (math.isfinite(radius) and 0 < radius <= MAX_RADIUS_KM):
        raise TerrainInputError(
            f"The radius must be more than 0 and at most {MAX_RADIUS_KM:g} km (got {radius:g})."
        )
    check_heights(params.observer_height_m, params.target_height_m)
    k = params.refraction_k
    if k is not None and not (math.isfinite(k) and 0 <= k < 1):
        raise TerrainInputError(f"The refraction coefficient must be in [0, 1) (got {k:g}).")


def _observer_at(dem: Dem, row: int, col: int) -> Observer:
    lon, lat = to_wgs84(*dem.centre_of(row, col))
    return Observer(lon, lat, float(dem.elevation[row, col]), row, col)


def snap_observer(lon: float, lat: float, data_dir: Path = DATA_DIR) -> Observer:
    """The observer on the grid cell that contains (lon, lat); refused without terrain."""
    dem = load_metric_dem(data_dir)
    cell = dem.cell_of(*to_metric(lon, lat))
    if cell is None:
        raise TerrainInputError(
            f"The observer ({lat:.4f} N, {lon:.4f} E) is outside the terrain data. {COVERAGE_NOTE}"
        )
    return _observer_at(dem, *cell)


def highest_cell_near(lon: float, lat: float, radius_m: float = SUMMIT_SEARCH_M,
                      data_dir: Path = DATA_DIR) -> Observer:
    """The highest cell of the grid whose centre lies within ``radius_m`` of (lon, lat), or
    that contains it: where a "summit" observer stands."""
    dem = load_metric_dem(data_dir)
    x, y = to_metric(lon, lat)
    col_f, row_f = ~dem.transform @ (x, y)
    reach = math.ceil(radius_m / CELL_M) + 1
    rows = np.arange(max(math.floor(row_f) - reach, 0), min(math.floor(row_f) + reach + 1,
                                                            dem.shape[0]))
    cols = np.arange(max(math.floor(col_f) - reach, 0), min(math.floor(col_f) + reach + 1,
                                                            dem.shape[1]))
    near = np.hypot(rows[:, None] + 0.5 - row_f, cols[None, :] + 0.5 - col_f) * CELL_M <= radius_m
    near |= (rows[:, None] == math.floor(row_f)) & (cols[None, :] == math.floor(col_f))
    block = dem.elevation[rows[:, None], cols[None, :]].astype(np.float64)
    block = np.where(near & ~np.isnan(block), block, -np.inf)
    if block.size == 0 or not np.isfinite(block.max()):
        raise TerrainInputError(
            f"No terrain data within {radius_m:g} m of ({lat:.4f} N, {lon:.4f} E). "
            f"{COVERAGE_NOTE}"
        )
    r, c = np.unravel_index(int(np.argmax(block)), block.shape)
    return _observer_at(dem, int(rows[r]), int(cols[c]))


def _polygons(visible: NDArray[np.bool_], transform: Affine) -> MultiPolygon:
    parts = [shape(geom) for geom, value in
             shapes(visible.astype(np.uint8), mask=visible, transform=transform) if value]
    merged = geometry_to_wgs84(shapely.union_all(parts))
    return merged if isinstance(merged, MultiPolygon) else MultiPolygon(
        [g for g in shapely.get_parts(merged) if g.geom_type == "Polygon"]
    )


def _disc(half: int, radius_m: float) -> NDArray[np.bool_]:
    """The cells of the (2·half + 1)² square around the observer that lie within the radius."""
    offsets = np.arange(-half, half + 1) * CELL_M
    return np.hypot(offsets[:, None], offsets[None, :]) <= radius_m


def _viewshed_of_cell(row: int, col: int, params: ViewshedParams, data_dir: Path) -> Viewshed:
    dem = load_metric_dem(data_dir)
    radius_m = params.radius_km * 1000.0
    half = math.ceil(radius_m / CELL_M)
    r0, c0 = max(row - half, 0), max(col - half, 0)
    window = dem.elevation[r0:row + half + 1, c0:col + half + 1].astype(np.float64)
    visible = visible_cells(
        window, row - r0, col - c0, cell_m=CELL_M, observer_height_m=params.observer_height_m,
        target_height_m=params.target_height_m, radius_m=radius_m,
        refraction_k=params.refraction_k,
    )
    rows, cols = np.indices(window.shape)
    in_range = (np.hypot(rows - (row - r0), cols - (col - c0)) * CELL_M <= radius_m) & ~np.isnan(
        window
    )
    covered_km2 = float(in_range.sum()) * CELL_KM2
    disc_km2 = float(_disc(half, radius_m).sum()) * CELL_KM2  # counted in cells, like the rest
    transform = dem.transform @ Affine.translation(c0, r0)
    visible.flags.writeable = False
    in_range.flags.writeable = False
    return Viewshed(
        observer=_observer_at(dem, row, col),
        params=params,
        visible=visible,
        in_range=in_range,
        transform=transform,
        origin=(r0, c0),
        visible_km2=float(visible.sum()) * CELL_KM2,
        covered_km2=covered_km2,
        outside_dem_km2=disc_km2 - covered_km2,
        polygons=_polygons(visible, transform),
    )


def viewshed(lon: float, lat: float, params: ViewshedParams | None = None,
             data_dir: Path = DATA_DIR) -> Viewshed:
    """The viewshed from the cell that contains (lon, lat). Computed on every call: the app
    caches results in ui/ (ui.terrain), keyed on what the URL holds."""
    chosen = params or ViewshedParams()
    _check_params(chosen)
    observer = snap_observer(lon, lat, data_dir)
    return _viewshed_of_cell(observer.row, observer.col, chosen, data_dir)


def height_sensitivity(result: Viewshed,
                       data_dir: Path = DATA_DIR) -> tuple[tuple[float, float], ...]:
    """(observer height m, visible km²) at the result's height h and at h ± 10 m (never below
    ground), lowest height first, from the same observer cell (h itself is not recomputed)."""
    chosen, cell = result.params, result.observer
    heights = sorted({max(chosen.observer_height_m + step, 0.0)
                      for step in (-SENSITIVITY_STEP_M, 0.0, SENSITIVITY_STEP_M)})
    return tuple(
        (h, result.visible_km2 if h == chosen.observer_height_m else _viewshed_of_cell(
            cell.row, cell.col, replace(chosen, observer_height_m=h), data_dir).visible_km2)
        for h in heights
    )


def area_by_zone(result: Viewshed, zones: Mapping[str, BaseGeometry]) -> dict[str, ZoneArea]:
    """The visible km² inside each zone (WGS84 polygons), counting only ground with terrain
    data, with the zone's covered and uncovered ground within the radius (cells whose centre
    lies in the zone)."""
    radius_m = result.params.radius_km * 1000.0
    half = math.ceil(radius_m / CELL_M)
    top, left = result.observer.row - half, result.observer.col - half
    square = (2 * half + 1, 2 * half + 1)
    transform = result.transform @ Affine.translation(left - result.origin[1],
                                                      top - result.origin[0])
    visible, in_range = np.zeros(square, dtype=bool), np.zeros(square, dtype=bool)
    rows = slice(result.origin[0] - top, result.origin[0] - top + result.visible.shape[0])
    cols = slice(result.origin[1] - left, result.origin[1] - left + result.visible.shape[1])
    visible[rows, cols], in_range[rows, cols] = result.visible, result.in_range
    disc = _disc(half, radius_m)
    areas: dict[str, ZoneArea] = {}
    for name, zone in zones.items():
        metric = geometry_to_metric(zone)
        inside = np.zeros(square, dtype=bool) if metric.is_empty else ~geometry_mask(
            [metric], out_shape=square, transform=transform)
        areas[name] = ZoneArea(
            visible_km2=float((inside & visible).sum()) * CELL_KM2,
            covered_km2=float((inside & in_range).sum()) * CELL_KM2,
            outside_dem_km2=float((inside & disc & ~in_range).sum()) * CELL_KM2,
        )
    return areas


def _aligned(first: Viewshed, second: Viewshed) -> tuple[NDArray[np.bool_], NDArray[np.bool_],
                                                          Affine]:
    """The visible cells of both viewsheds on their common window, and its transform."""
    (a_row, a_col), (b_row, b_col) = first.origin, second.origin
    top, left = min(a_row, b_row), min(a_col, b_col)
    bottom = max(a_row + first.visible.shape[0], b_row + second.visible.shape[0])
    right = max(a_col + first.visible.shape[1], b_col + second.visible.shape[1])
    grids = []
    for result in (first, second):
        row, col = result.origin
        grid = np.zeros((bottom - top, right - left), dtype=bool)
        grid[row - top:row - top + result.visible.shape[0],
             col - left:col - left + result.visible.shape[1]] = result.visible
        grids.append(grid)
    transform = first.transform @ Affine.translation(left - a_col, top - a_row)
    return grids[0], grids[1], transform


def compare(first: Viewshed, second: Viewshed) -> tuple[float, float, float]:
    """(km² only the first sees, km² only the second sees, km² both see): what one observer
    adds over the other. Both must come from the same grid."""
    seen_a, seen_b, _ = _aligned(first, second)
    return (float((seen_a & ~seen_b).sum()) * CELL_KM2, float((seen_b & ~seen_a).sum()) * CELL_KM2,
            float((seen_a & seen_b).sum()) * CELL_KM2)


def compare_polygons(first: Viewshed, second: Viewshed
                     ) -> tuple[MultiPolygon, MultiPolygon, MultiPolygon]:
    """The ground of :func:`compare` as WGS84 polygons: (only the first sees, only the second
    sees, both see)."""
    seen_a, seen_b, transform = _aligned(first, second)
    return (_polygons(seen_a & ~seen_b, transform), _polygons(seen_b & ~seen_a, transform),
            _polygons(seen_a & seen_b, transform))
