"""Viewsheds. First the sweep of geo.analysis.terrain on synthetic terrain made here (a flat
plane, a smooth Earth's horizon, a wall, a single peak, random hills), checked against a simple
ray-caster written here and against xarray-spatial's viewshed, cell by cell on the same inputs;
then the real DEM: the Hermon summit, Majdal Shams, zones, bad input, the cache."""

from __future__ import annotations

import importlib
import json
import math
from collections.abc import Callable

import numpy as np
import pytest
import xarray as xr
from numba.core.dispatcher import Dispatcher
from shapely.geometry import box, shape

from geo.analysis.terrain import curvature_drop, horizon_distance_m, visible_cells
from geo.analysis.viewshed import (
    CELL_KM2,
    ViewshedParams,
    area_by_zone,
    compare,
    height_sensitivity,
    highest_cell_near,
    viewshed,
)
from geo.data.dem import TerrainInputError
from geo.data.loaders import DATA_DIR

CELL = 90.0
K = 0.13
Sweep = Callable[..., np.ndarray]


def distances(shape: tuple[int, int], row: int, col: int) -> np.ndarray:
    rows, cols = np.indices(shape)
    return np.hypot(rows - row, cols - col) * CELL


def bilinear(elev: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    r0 = np.clip(np.floor(rows).astype(int), 0, elev.shape[0] - 2)
    c0 = np.clip(np.floor(cols).astype(int), 0, elev.shape[1] - 2)
    fr, fc = rows - r0, cols - c0
    top = (1 - fc) * elev[r0, c0] + fc * elev[r0, c0 + 1]
    bottom = (1 - fc) * elev[r0 + 1, c0] + fc * elev[r0 + 1, c0 + 1]
    return (1 - fr) * top + fr * bottom


def ray_cast(elev: np.ndarray, row: int, col: int, h_obs: float, h_tgt: float, radius: float,
             k: float | None) -> np.ndarray:
    """The independent check: for every cell, walk the straight sight line from the observer's
    eye to the target at quarter-cell steps over the bilinear, curvature-lowered terrain; the
    cell is visible when no step (more than half a cell from either end) rises above it."""
    lowered = elev - curvature_drop(distances(elev.shape, row, col), k)
    eye = lowered[row, col] + h_obs
    out = np.zeros(elev.shape, dtype=bool)
    for r in range(elev.shape[0]):
        cols = np.arange(elev.shape[1])
        length = np.hypot(r - row, cols - col)  # in cells
        steps = max(int(length.max() * 4), 2)
        t = np.linspace(0, 1, steps + 1)[None, 1:-1]
        along = t * length[:, None]
        between = (along > 0.5) & (along < length[:, None] - 0.5)
        pr = row + (r - row) * t + 0 * cols[:, None]
        pc = col + (cols[:, None] - col) * t
        ground = bilinear(elev, pr, pc) - curvature_drop(along * CELL, k)
        target = lowered[r, :, None] + h_tgt
        clear = np.where(between, ground <= eye + (target - eye) * t, True).all(axis=1)
        out[r] = clear
    return out & (distances(elev.shape, row, col) <= radius)


def off_edge(result: np.ndarray, reference: np.ndarray) -> int:
    """Cells where ``result`` differs from ``reference`` and that are more than one cell from
    any change of state in ``reference``."""
    padded = np.pad(reference, 1, mode="edge")
    shifted = np.stack([padded[1 + dr:padded.shape[0] - 1 + dr, 1 + dc:padded.shape[1] - 1 + dc]
                        for dr in (-1, 0, 1) for dc in (-1, 0, 1)])
    edge = shifted.any(axis=0) & ~shifted.all(axis=0)
    return int(((result != reference) & ~edge).sum())


@pytest.fixture(scope="module")
def library() -> Sweep:
    """xarray-spatial's viewshed on the same (curvature-lowered) terrain, as a boolean grid."""
    module = importlib.import_module("xrspatial.viewshed")
    for kernel in vars(module).values():  # numba compiles these (~30 s); keep them on disk
        if isinstance(kernel, Dispatcher):
            kernel.enable_caching()

    def run(elev: np.ndarray, row: int, col: int, h_obs: float, h_tgt: float, radius: float,
            k: float | None) -> np.ndarray:
        dist = distances(elev.shape, row, col)
        lowered = (elev - curvature_drop(dist, k)).astype(np.float64)
        ny, nx = elev.shape
        raster = xr.DataArray(lowered, dims=("y", "x"),
                              coords={"y": np.arange(ny) * CELL, "x": np.arange(nx) * CELL})
        seen = module.viewshed(raster, x=col * CELL, y=row * CELL, observer_elev=h_obs,
                               target_elev=h_tgt)
        return (seen.values != -1) & (dist <= radius)

    return run


def sweep(elev: np.ndarray, row: int, col: int, h_obs: float, h_tgt: float, radius: float,
          k: float | None) -> np.ndarray:
    return visible_cells(elev, row, col, cell_m=CELL, observer_height_m=h_obs,
                         target_height_m=h_tgt, radius_m=radius, refraction_k=k)


def hills(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    rows, cols = np.indices((n, n))
    elev = np.zeros((n, n))
    for _ in range(12):
        r, c = rng.uniform(0, n, 2)
        height, width = rng.uniform(50, 400), rng.uniform(3, 12)
        elev += height * np.exp(-((rows - r) ** 2 + (cols - c) ** 2) / (2 * width**2))
    return elev


# --- synthetic terrain ----------------------------------------------------------------------


def test_flat_plane_without_correction_sees_the_whole_disc() -> None:
    elev = np.zeros((161, 161))
    radius = 6_000.0
    seen = sweep(elev, 80, 80, 10, 2, radius, None)
    assert np.array_equal(seen, distances(elev.shape, 80, 80) <= radius)


@pytest.mark.parametrize(("h_obs", "h_tgt"), [(10.0, 2.0), (50.0, 0.0)])
def test_flat_plane_with_correction_ends_at_the_horizon(h_obs: float, h_tgt: float) -> None:
    horizon = horizon_distance_m(h_obs, h_tgt, K)
    radius = horizon + 10 * CELL
    half = math.ceil(radius / CELL)
    elev = np.zeros((2 * half + 1, 2 * half + 1))
    seen = sweep(elev, half, half, h_obs, h_tgt, radius, K)
    dist = distances(elev.shape, half, half)
    assert seen[dist <= horizon - CELL].all()
    assert not seen[dist >= horizon + CELL].any()


def test_a_wall_blocks_exactly_what_lies_behind_it() -> None:
    elev = np.zeros((121, 121))
    elev[:, 70] = 100.0  # a wall ten cells east of the observer, across the whole grid
    seen = sweep(elev, 60, 60, 10, 2, 5_000, None)
    in_disc = distances(elev.shape, 60, 60) <= 5_000
    expected = in_disc.copy()
    expected[:, 71:] = False
    assert np.array_equal(seen, expected)


def test_a_single_peak_sees_its_slopes_and_hides_what_lies_behind_it() -> None:
    dist = distances((121, 121), 60, 60)
    cone = np.maximum(600.0 - 0.12 * dist, 0.0)
    seen_from_top = sweep(cone, 60, 60, 2, 2, 5_000, K)
    assert seen_from_top[dist <= 5_000].all()
    seen_from_plain = sweep(cone, 60, 115, 2, 2, 6_000, None)
    assert seen_from_plain[60, 61:100].all()  # the near slope, up to the top
    assert not seen_from_plain[60, 5:59].any()  # behind the top


@pytest.mark.parametrize("case", ["horizon", "short wall", "peak", "hills 1", "hills 2"])
def test_sweep_agrees_with_ray_casting_and_the_library(case: str, library: Sweep) -> None:
    n = 121
    elev, row, col, h_obs, radius, k = {
        "horizon": (np.zeros((n, n)), 60, 60, 2.0, 5_400.0, K),
        "short wall": (np.where((np.arange(n) >= 40) & (np.arange(n) <= 80), 60.0, 0.0)[:, None]
                       * (np.arange(n) == 75)[None, :], 60, 60, 10.0, 5_400.0, None),
        "peak": (np.maximum(600.0 - 0.12 * distances((n, n), 60, 60), 0.0), 60, 115, 2.0,
                 9_000.0, None),
        "hills 1": (hills(n, 1), 10, 20, 10.0, 9_000.0, K),
        "hills 2": (hills(n, 2), 60, 60, 10.0, 9_000.0, K),
    }[case]
    seen = sweep(elev, row, col, h_obs, 2.0, radius, k)
    cast = ray_cast(elev, row, col, h_obs, 2.0, radius, k)
    reference = library(elev, row, col, h_obs, 2.0, radius, k)
    assert seen.any() and not seen.all()
    assert off_edge(seen, cast) == 0
    assert off_edge(seen, reference) == 0
    assert abs(int(seen.sum()) - int(reference.sum())) <= 0.03 * reference.sum()


def test_sweep_agrees_with_the_library_on_the_real_dem(library: Sweep) -> None:
    """On the real terrain the two differ only where sight lines graze it: under 1.5 % of the
    cells within 20 km of the summit, and the visible areas within 2 %."""
    from geo.data.dem import load_metric_dem

    dem = load_metric_dem()
    summit = highest_cell_near(35.859975, 33.409997)
    half = math.ceil(20_000 / CELL)
    window = dem.elevation[summit.row - half:summit.row + half + 1,
                           summit.col - half:summit.col + half + 1].astype(np.float64)
    window = np.where(np.isnan(window), np.nanmin(window), window)  # east of 36° E: no data
    seen = sweep(window, half, half, 10, 2, 20_000, K)
    reference = library(window, half, half, 10, 2, 20_000, K)
    in_disc = distances(window.shape, half, half) <= 20_000
    assert (seen != reference).sum() <= 0.015 * in_disc.sum()
    assert abs(int(seen.sum()) - int(reference.sum())) <= 0.02 * reference.sum()


# --- the real DEM ---------------------------------------------------------------------------


def layer(name: str) -> dict[str, dict]:
    with (DATA_DIR / "layers" / f"{name}.geojson").open(encoding="utf-8") as handle:
        return {f["properties"]["id"]: f for f in json.load(handle)["features"]}


@pytest.fixture(scope="module")
def summit_point() -> tuple[float, float]:
    lon, lat = layer("context")["hermon_summit"]["geometry"]["coordinates"]
    return lon, lat


def test_summit_observer_stands_near_2803_m(summit_point: tuple[float, float]) -> None:
    summit = highest_cell_near(*summit_point)
    assert abs(summit.ground_m - 2_803) <= 20
    assert highest_cell_near(*summit_point, radius_m=1_000).ground_m >= summit.ground_m


def test_majdal_shams_is_hidden_from_the_summit(summit_point: tuple[float, float]) -> None:
    summit = highest_cell_near(*summit_point)
    result = viewshed(summit.lon, summit.lat)
    majdal_shams = next(f for f in layer("places").values()
                        if f["properties"]["name"] == "Majdal Shams")
    assert not result.sees(*majdal_shams["geometry"]["coordinates"])
    assert result.sees(summit.lon, summit.lat)
    assert result.visible_km2 == pytest.approx(result.visible.sum() * CELL_KM2)
    assert 0 < result.visible_km2 < result.covered_km2
    assert result.outside_dem_km2 > 0  # 40 km east of the summit is beyond 36° E
    assert "no terrain data" in result.note


def test_a_radius_inside_the_tiles_is_fully_covered() -> None:
    result = viewshed(35.5, 33.0, ViewshedParams(radius_km=10))
    assert result.outside_dem_km2 == 0
    assert result.note == "The whole radius has terrain data."
    assert result.covered_km2 == pytest.approx(math.pi * 10**2, rel=0.01)
    assert result.polygons.area > 0 and result.polygons.bounds[0] > 35.3  # WGS84 degrees


def test_results_are_read_only(summit_point: tuple[float, float]) -> None:
    first = viewshed(*summit_point)
    assert not first.visible.flags.writeable and not first.in_range.flags.writeable


def test_zone_split_counts_only_covered_ground(summit_point: tuple[float, float]) -> None:
    result = viewshed(*summit_point, ViewshedParams(radius_km=20))
    west, east = box(35.0, 32.0, 35.86, 34.0), box(35.86, 32.0, 37.0, 34.0)
    outside = box(36.05, 33.0, 37.0, 34.0)  # beyond 36° E: no terrain data at all
    areas = area_by_zone(result, {"west": west, "east": east, "outside": outside})
    assert areas["west"].visible_km2 + areas["east"].visible_km2 == pytest.approx(
        result.visible_km2, rel=0.01)
    assert areas["outside"].visible_km2 == 0 and areas["outside"].covered_km2 == 0
    assert areas["outside"].outside_dem_km2 > 10
    assert sum(a.outside_dem_km2 for a in areas.values()) >= result.outside_dem_km2
    assert areas["west"].outside_dem_km2 == 0
    for area in areas.values():
        assert area.visible_km2 <= area.covered_km2
    golan = shape(layer("context")["golan_osm"]["geometry"])
    assert 0 < area_by_zone(result, {"golan": golan})["golan"].visible_km2 < result.visible_km2


def test_height_sensitivity_and_comparison(summit_point: tuple[float, float]) -> None:
    params = ViewshedParams(radius_km=15)
    figures = height_sensitivity(viewshed(*summit_point, params))
    assert [h for h, _ in figures] == [0.0, 10.0, 20.0]
    assert figures[1][1] == viewshed(*summit_point, params).visible_km2
    low = height_sensitivity(viewshed(*summit_point, ViewshedParams(observer_height_m=5,
                                                                     radius_km=15)))
    assert [h for h, _ in low] == [0.0, 5.0, 15.0]
    summit = viewshed(*summit_point, params)
    below = viewshed(35.8, 33.35, params)
    only_summit, only_below, both = compare(summit, below)
    assert only_summit + both == pytest.approx(summit.visible_km2)
    assert only_below + both == pytest.approx(below.visible_km2)
    assert compare(summit, summit) == (0.0, 0.0, pytest.approx(summit.visible_km2))


@pytest.mark.parametrize(
    ("lon", "lat", "params", "message"),
    [
        (36.2, 33.0, ViewshedParams(), "outside the terrain data"),
        (35.8, 33.2, ViewshedParams(radius_km=0), "radius"),
        (35.8, 33.2, ViewshedParams(radius_km=100.5), "radius"),
        (35.8, 33.2, ViewshedParams(observer_height_m=-1), "observer height"),
        (35.8, 33.2, ViewshedParams(target_height_m=float("nan")), "target height"),
    ],
)
def test_bad_input_gets_a_plain_message(lon: float, lat: float, params: ViewshedParams,
                                        message: str) -> None:
    with pytest.raises(TerrainInputError, match=message):
        viewshed(lon, lat, params)
    assert issubclass(TerrainInputError, ValueError)
