"""Layer geometry per zoom (geo.render.payloads): simplified by a tolerance from the map's first
zoom, neighbouring polygons simplified together so that no gap or overlap opens between them
at any zoom, coordinates rounded to 1e-6 degree."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from geo.core.timeline import state_at
from geo.core.view import parse_view
from geo.core.vocabulary import MAX_ZOOM, MIN_ZOOM
from geo.data.loaders import DATA_DIR, load_all
from geo.render.map import SIMPLIFY_PX, MapSpec, build_map
from geo.render.payloads import (
    DECIMALS,
    geometries_json,
    rows_payload,
    simplified,
    tolerance_m,
)

ZOOMS = range(MIN_ZOOM, MAX_ZOOM + 1, 2)


@pytest.fixture(scope="module")
def layers() -> gpd.GeoDataFrame:
    return load_all(DATA_DIR)["layers"].data


def _pairs(layers: gpd.GeoDataFrame, *prefixes: str) -> list[tuple[str, object]]:
    chosen = layers[layers["id"].str.startswith(prefixes)
                    & layers.geometry.geom_type.isin(["Polygon", "MultiPolygon"])]
    return list(zip(chosen["id"], chosen.geometry, strict=True))


def _no_gap_or_overlap(geoms: list) -> None:
    """A valid coverage (no overlap, edges that meet match), and the areas' union is as large
    as their sum (nothing lost to slivers between them)."""
    assert shapely.coverage_is_valid(np.asarray(geoms, dtype=object), gap_width=0.0)
    total = sum(g.area for g in geoms)
    assert shapely.union_all(geoms).area == pytest.approx(total, rel=1e-9)


@pytest.mark.parametrize("zoom", ZOOMS)
def test_areas_of_limitation_and_separation_keep_their_shared_edges(layers, zoom) -> None:
    pairs = _pairs(layers, "aos_", "aol_")
    assert len(pairs) == 5  # the Area of Separation and the four bands
    for pixels in (SIMPLIFY_PX.get("areas_of_limitation", 0.0), 0.5, 2.0):
        geoms = simplified(pairs, tolerance_m(zoom, pixels))
        _no_gap_or_overlap(geoms)


@pytest.mark.parametrize("zoom", ZOOMS)
def test_admin_units_keep_their_shared_edges(layers, zoom) -> None:
    for prefix, group in (("gov_", "governorates"), ("district_", "districts")):
        geoms = simplified(_pairs(layers, prefix), tolerance_m(zoom, SIMPLIFY_PX[group]))
        _no_gap_or_overlap(geoms)


def test_detail_follows_the_zoom_and_coordinates_are_rounded(layers) -> None:
    pairs = _pairs(layers, "district_")
    counts = [shapely.get_num_coordinates(simplified(pairs, tolerance_m(z, 0.5))).sum()
              for z in (8, 10, 12)]
    assert counts[0] < counts[1] < counts[2] <= shapely.get_num_coordinates(
        [g for _, g in pairs]).sum()
    coords = shapely.get_coordinates(simplified(pairs, tolerance_m(10, 0.5)))
    np.testing.assert_array_equal(coords, np.round(coords, DECIMALS))
    point = geometries_json([{"id": "p", "geometry": shapely.Point(35.1234567891, 33.1)}], 0.0)
    assert point[0]["coordinates"] == (35.123457, 33.1)
    rows = state_at(layers, "2025-06-01").to_dict("records")
    assert len(rows_payload(rows, 10.0)["features"]) == len(rows)


def test_a_map_at_a_lower_zoom_sends_less(layers) -> None:
    features = state_at(layers, "2025-06-01")
    sizes = []
    for zoom in (8, 12):
        view = parse_view({"date": "2025-06-01", "zoom": str(zoom)})
        fmap = build_map(features, features.iloc[0:0].assign(event_type=[]),
                         MapSpec(view, (view.lat, view.lon, zoom)))
        sizes.append(len(fmap.get_root().render()))
    assert sizes[0] < sizes[1]
