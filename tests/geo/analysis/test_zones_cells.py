"""The fast zone classification (distinct coordinates once, a grid of cells, positions by a
sorted index) gives exactly what the earlier one did, and the grid answers exactly as
``shapely.intersects_xy``, points on boundaries and vertices included."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import Polygon, box

from bench.synth import synthetic_incidents
from geo.analysis.cells import Buckets, CellGrid
from geo.analysis.zones import CLASS_COLUMNS, classify
from geo.data.loaders import DATA_DIR, load_all
from tests.geo.analysis.zones_reference import classify as reference_classify


@pytest.fixture(scope="module")
def layers() -> gpd.GeoDataFrame:
    return load_all(DATA_DIR)["layers"].data


@pytest.fixture(scope="module")
def incidents() -> pd.DataFrame:
    """10k synthetic incidents, some at the same village point, some without coordinates."""
    frame = synthetic_incidents(10_000, seed=7)
    frame.loc[5000:5999, ["longitude", "latitude"]] = frame.loc[:999, ["longitude", "latitude"]
                                                                ].to_numpy()
    frame.loc[100:109, "longitude"] = ""
    frame.loc[110:111, "event_date"] = "not a date"
    return frame


@pytest.mark.parametrize("respect_dates", [True, False])
def test_classification_is_identical_to_the_reference(layers, incidents, respect_dates) -> None:
    ours = classify(incidents, layers, respect_dates)
    reference = reference_classify(incidents, layers, respect_dates)
    for column in CLASS_COLUMNS:
        pd.testing.assert_series_equal(ours[column], reference[column], check_exact=True)
    assert ours["in_aos"].any() and ours["near_position_2km"].any()
    assert (ours["aol_band"] != "").any() and (ours["governorate"] != "").any()
    assert ours.loc[100:109, "alpha_km"].isna().all()


def test_classification_of_points_that_do_not_repeat_is_identical_too(layers) -> None:
    """Above the sample size, points that hardly repeat are not deduplicated first."""
    frame = synthetic_incidents(30_000, seed=11)
    ours = classify(frame, layers)
    reference = reference_classify(frame, layers)
    for column in CLASS_COLUMNS:
        pd.testing.assert_series_equal(ours[column], reference[column], check_exact=True)


def test_classification_without_layers_or_rows(layers, incidents) -> None:
    empty = classify(incidents.iloc[:0], layers)
    assert list(empty.columns[-len(CLASS_COLUMNS):]) == list(CLASS_COLUMNS) and not len(empty)
    none = classify(incidents.iloc[:50], layers.iloc[:0])
    reference = reference_classify(incidents.iloc[:50], layers.iloc[:0])
    for column in CLASS_COLUMNS:
        pd.testing.assert_series_equal(none[column], reference[column], check_exact=True)


def _boundary_points(geoms: list) -> tuple[np.ndarray, np.ndarray]:
    """Vertices, segment midpoints and points a hair either side of them."""
    coords = shapely.get_coordinates(shapely.get_rings(shapely.get_parts(geoms)))
    mids = (coords[1:] + coords[:-1]) / 2
    pts = np.vstack([coords, mids, mids + 1e-12, mids - 1e-12, coords + 1e-9])
    return pts[:, 0], pts[:, 1]


def test_the_grid_answers_as_intersects_xy(layers) -> None:
    polygons = list(layers.geometry[layers.geometry.geom_type.isin(["Polygon", "MultiPolygon"])])
    polygons += [box(35.8, 33.0, 35.9, 33.1), Polygon([(35.8, 33.0), (36.0, 33.2), (35.8, 33.2)])]
    rng = np.random.default_rng(3)
    bx, by = _boundary_points(polygons)
    x = np.concatenate([rng.uniform(35.3, 36.7, 30_000), bx, [35.0, 37.0]])
    y = np.concatenate([rng.uniform(32.4, 33.9, 30_000), by, [33.0, 33.0]])
    for cells in (16, 512):
        grid = CellGrid.of(x, y, shapely.total_bounds(polygons), cells)
        inside = grid.inside([*polygons, None, shapely.Point(35.85, 33.05)])
        for row, geom in zip(inside, polygons, strict=False):
            np.testing.assert_array_equal(row, shapely.intersects_xy(geom, x, y))
        assert not inside[len(polygons)].any()
        first = grid.first(polygons)
        expected = np.full(len(x), -1)
        for k in range(len(polygons) - 1, -1, -1):
            expected[shapely.intersects_xy(polygons[k], x, y)] = k
        np.testing.assert_array_equal(first, expected)


def test_positions_that_end_or_are_not_points_are_classified_as_the_reference(
        layers, incidents) -> None:
    """Positions with an end, without a start and an outline (not a point) take the paths
    that the built-in positions (points held without end) do not."""
    changed = layers.copy()
    positions = changed.index[changed["layer"] == "position"]
    changed.loc[positions[:6], "valid_to"] = "2025-03-01"
    changed.loc[positions[6:8], "valid_from"] = None
    changed.loc[positions[8], "geometry"] = changed.loc[positions[8], "geometry"].buffer(0.01)
    for respect_dates in (True, False):
        ours = classify(incidents, changed, respect_dates)
        reference = reference_classify(incidents, changed, respect_dates)
        pd.testing.assert_series_equal(ours["near_position_2km"], reference["near_position_2km"],
                                       check_exact=True)
        assert ours["near_position_2km"].any()
    assert (classify(incidents, changed)["near_position_2km"]
            != classify(incidents, layers)["near_position_2km"]).any()


def test_buckets_hold_every_point_of_a_box() -> None:
    rng = np.random.default_rng(5)
    x, y = rng.uniform(0, 1000, 20_000), rng.uniform(0, 300, 20_000)
    x[:10], y[:10] = 2000.0, -50.0  # off the grid: never returned
    buckets = Buckets.of(x, y, (0, 0, 1000, 300), cells=64)
    for minx, miny, maxx, maxy in [(10, 10, 60, 40), (0, 0, 1000, 300), (990, 290, 2000, 900),
                                    (500, 100, 500, 100)]:
        got = buckets.around(minx, miny, maxx, maxy)
        inside = np.flatnonzero((x >= minx) & (x <= maxx) & (y >= miny) & (y <= maxy))
        assert np.isin(inside[inside >= 10], got).all() and len(np.unique(got)) == len(got)
        assert not np.isin(np.arange(10), got).any()
