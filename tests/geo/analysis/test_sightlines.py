"""The terrain page's analysis on the real DEM and layers: places to stand on, the zones a
viewshed is split into, a report's figures, and two observers compared (km² and polygons)."""

from __future__ import annotations

import geopandas as gpd
import pytest

from geo.analysis.sightlines import (
    AOS,
    GOLAN,
    SUMMIT_LABEL,
    SYRIA_EAST_OF_B,
    comparison,
    crossing_lines,
    places,
    report,
    resolve,
    zones,
)
from geo.analysis.viewshed import ViewshedParams
from geo.core.crs import METRIC_CRS, WGS84
from geo.core.terrain import SUMMIT
from geo.data.dem import TerrainInputError
from geo.data.loaders import load_all

TEL_KUDNA = "pos_tell_kudneh_tel_kudna_post"


@pytest.fixture(scope="module")
def layers() -> gpd.GeoDataFrame:
    return load_all()["layers"].data


@pytest.fixture(scope="module")
def known(layers: gpd.GeoDataFrame) -> dict:
    return places(layers)


def km2_of(geometry: object) -> float:
    return float(gpd.GeoSeries([geometry], crs=WGS84).to_crs(METRIC_CRS).area.iloc[0]) / 1e6


def test_places_start_with_the_summit_on_its_highest_cell(known: dict) -> None:
    specs = list(known)
    assert specs[0] == SUMMIT and known[SUMMIT].label == SUMMIT_LABEL
    assert (round(known[SUMMIT].lat, 3), round(known[SUMMIT].lon, 3)) == (33.413, 35.857)
    assert TEL_KUDNA in specs and "place_gn_167444" in specs  # a position, Majdal Shams
    assert specs.index(TEL_KUDNA) < specs.index("place_gn_167444")  # positions before places


def test_resolve_names_a_listed_place_or_a_point(known: dict) -> None:
    assert resolve(TEL_KUDNA, known) is known[TEL_KUDNA]
    point = resolve("33.20000,35.80000", known)
    assert (point.lon, point.lat) == (35.8, 33.2) and "33.2000 N" in point.label
    with pytest.raises(TerrainInputError, match="Unknown place"):
        resolve("pos_not_there", known)


def test_syria_east_of_line_b_leaves_out_the_area_of_separation(layers) -> None:
    found = zones(layers)
    assert list(found) == [SYRIA_EAST_OF_B, AOS, GOLAN]
    assert found[SYRIA_EAST_OF_B].intersection(found[AOS]).area < 1e-9
    assert found[SYRIA_EAST_OF_B].intersection(found[GOLAN]).area < 1e-9
    assert set(crossing_lines(layers)) == {"Line A", "Line B", "AoS edge"}


def test_the_summit_report_at_the_defaults(layers, known: dict) -> None:
    result = report(known[SUMMIT], ViewshedParams(), zones(layers))
    assert result.observer.ground_m == pytest.approx(2788, abs=20)
    assert 600 < result.result.visible_km2 < 950
    assert [h for h, _ in result.sensitivity] == [0.0, 10.0, 20.0]
    assert result.sensitivity[1][1] == result.result.visible_km2
    areas = {name: area.visible_km2 for name, area in result.zones.items()}
    assert areas[SYRIA_EAST_OF_B] > areas[AOS] > 50 and areas[GOLAN] > 50
    assert sum(areas.values()) <= result.result.visible_km2  # Lebanon's slopes are in no zone
    assert result.zones[SYRIA_EAST_OF_B].outside_dem_km2 > 500  # east of 36° E: not counted


def test_outside_the_terrain_gets_a_plain_message(layers, known: dict) -> None:
    with pytest.raises(TerrainInputError, match="outside the terrain data"):
        report(resolve("33.30000,36.30000", known), ViewshedParams(), zones(layers))


def test_two_observers_compared_in_km2_and_polygons(layers, known: dict) -> None:
    params = ViewshedParams(radius_km=20)
    summit = report(known[SUMMIT], params, zones(layers))
    kudna = report(known[TEL_KUDNA], params, zones(layers))
    both = comparison(summit, kudna)
    only_summit, only_kudna, shared = both.km2
    assert only_summit + shared == pytest.approx(summit.result.visible_km2)
    assert only_kudna + shared == pytest.approx(kudna.result.visible_km2)
    for polygons, km2 in zip(both.polygons, both.km2, strict=True):
        assert km2_of(polygons) == pytest.approx(km2, rel=0.01, abs=0.1)
    assert both.polygons[0].intersection(both.polygons[1]).area == pytest.approx(0, abs=1e-9)
