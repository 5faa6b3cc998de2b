"""Elevation profiles: on tiles made in code (a flat plane, a ridge) the samples, the horizon of
the sight line and the crossings are where geometry puts them; on the real DEM, Majdal Shams is
hidden from the Hermon summit and a line across the Golan crosses Line A before Line B."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from shapely.geometry import LineString, box, shape

from geo.analysis.profile import PROFILE_STEP_M, elevation_profile
from geo.analysis.terrain import horizon_distance_m
from geo.analysis.viewshed import highest_cell_near
from geo.data.dem import TerrainInputError, to_metric, to_wgs84
from geo.data.loaders import DATA_DIR

SIZE = 1201
RIDGE_LAT = 33.5


def write_tiles(folder: Path, ridge_m: float = 0.0) -> Path:
    """Flat tiles at sea level with, optionally, a ridge one cell wide along RIDGE_LAT."""
    (folder / "dem").mkdir(parents=True)
    mosaic = np.zeros((2 * SIZE - 1, SIZE), dtype=">i2")
    mosaic[round((34 - RIDGE_LAT) * 1200)] = ridge_m
    mosaic[:SIZE].tofile(folder / "dem" / "N33E035.hgt")
    mosaic[SIZE - 1:].tofile(folder / "dem" / "N32E035.hgt")
    return folder


def east_of(lon: float, lat: float, metres: float) -> tuple[float, float]:
    x, y = to_metric(lon, lat)
    return to_wgs84(x + metres, y)


def north_of(lon: float, lat: float, metres: float) -> tuple[float, float]:
    x, y = to_metric(lon, lat)
    return to_wgs84(x, y + metres)


def test_flat_profile_samples(tmp_path: Path) -> None:
    data = write_tiles(tmp_path)
    start = (35.3, 33.0)
    profile = elevation_profile([start, east_of(*start, 5_000)], data_dir=data)
    assert profile.length_km == pytest.approx(5.0)
    assert profile.distance_km[0] == 0 and profile.distance_km[-1] == pytest.approx(5.0)
    assert np.diff(profile.distance_km).max() * 1000 <= PROFILE_STEP_M + 1e-6
    assert np.allclose(profile.elevation_m, 0.0)
    assert profile.sight.visible and profile.sight.follows_profile
    assert profile.sight.ray_m[0] == pytest.approx(10.0)  # the default observer height
    assert profile.sight.ray_m[-1] == pytest.approx(2.0)  # the default target height


def test_sight_line_ends_at_the_horizon(tmp_path: Path) -> None:
    data = write_tiles(tmp_path)
    start = (35.2, 33.0)
    horizon = horizon_distance_m(10.0, 2.0, 0.13)  # about 17.5 km
    near = elevation_profile([start, east_of(*start, horizon - 200)], data_dir=data)
    far = elevation_profile([start, east_of(*start, horizon + 200)], data_dir=data)
    flat_earth = elevation_profile([start, east_of(*start, horizon + 200)], data_dir=data,
                                   refraction_k=None)
    assert near.sight.visible and not far.sight.visible and flat_earth.sight.visible
    assert far.sight.clearance_m < 0 < near.sight.clearance_m
    # The bent ray plots over the flat ground: it dips lowest near the horizon of the observer.
    assert far.sight.ray_m.min() < 0


def test_a_ridge_hides_what_lies_behind_it(tmp_path: Path) -> None:
    data = write_tiles(tmp_path, ridge_m=300)
    start = north_of(35.5, RIDGE_LAT, -3_000)
    profile = elevation_profile([start, north_of(*start, 6_000)], data_dir=data)
    assert profile.elevation_m.max() == pytest.approx(300, abs=1)
    assert not profile.sight.visible
    assert profile.sight.blocked_at_km == pytest.approx(3.0, abs=0.1)
    assert profile.sight.clearance_m < -250
    before = elevation_profile([start, north_of(*start, 2_500)], data_dir=data)
    assert before.sight.visible


def test_crossings_along_the_line(tmp_path: Path) -> None:
    data = write_tiles(tmp_path)
    start, end = (35.3, 33.0), (35.7, 33.0)
    meridian = LineString([(35.5, 32.5), (35.5, 33.5)])
    zone = box(35.4, 32.9, 35.45, 33.1)
    profile = elevation_profile([start, (35.5, 33.0), end], {"meridian": meridian, "zone": zone},
                                data_dir=data)
    assert [c.name for c in profile.crossings] == ["zone", "zone", "meridian"]
    x0 = to_metric(*start)[0]
    for crossing, lon in zip(profile.crossings, (35.4, 35.45, 35.5), strict=True):
        assert crossing.lon == pytest.approx(lon, abs=1e-4)  # edges are straight in UTM
        assert crossing.distance_km == pytest.approx((to_metric(lon, 33.0)[0] - x0) / 1000,
                                                     abs=0.01)
    assert not profile.sight.follows_profile  # three points: the ray runs along the chord


@pytest.mark.parametrize(
    ("points", "message"),
    [
        ([(35.5, 33.0)], "at least two points"),
        ([(35.5, 33.0), (35.5005, 33.0)], "two terrain cells"),
        ([(36.2, 33.0), (35.5, 33.0)], "start .* outside the terrain data"),
        ([(35.5, 33.0), (36.3, 33.2)], "end .* outside the terrain data"),
    ],
)
def test_bad_lines_get_a_plain_message(points: list[tuple[float, float]], message: str) -> None:
    with pytest.raises(TerrainInputError, match=message):
        elevation_profile(points)


def test_negative_observer_height_is_refused() -> None:
    with pytest.raises(TerrainInputError, match="observer height"):
        elevation_profile([(35.5, 33.0), (35.6, 33.0)], observer_height_m=-5)


def features(name: str) -> dict[str, dict]:
    with (DATA_DIR / "layers" / f"{name}.geojson").open(encoding="utf-8") as handle:
        return {f["properties"]["id"]: f for f in json.load(handle)["features"]}


def test_majdal_shams_is_hidden_from_the_summit_by_a_ridge() -> None:
    lon, lat = features("context")["hermon_summit"]["geometry"]["coordinates"]
    summit = highest_cell_near(lon, lat)
    place = next(f for f in features("places").values()
                 if f["properties"]["name"] == "Majdal Shams")
    profile = elevation_profile([(summit.lon, summit.lat),
                                 tuple(place["geometry"]["coordinates"])])
    assert not profile.sight.visible
    assert profile.sight.clearance_m < -100  # the ridge stands hundreds of metres above the ray


def test_a_line_across_the_golan_crosses_line_a_then_line_b() -> None:
    reference = {key: shape(f["geometry"]) for key, f in features("reference_1974").items()}
    lines = {"Line A": reference["alpha_line_osm"], "Line B": reference["bravo_line_inferred"],
             "Area of Separation": reference["aos_osm"]}
    profile = elevation_profile([(35.75, 33.2), (35.95, 33.15)], lines)
    at = {name: [c.distance_km for c in profile.crossings if c.name == name] for name in lines}
    assert len(at["Line A"]) == 1 and len(at["Line B"]) == 1
    assert at["Line A"][0] < at["Line B"][0]
    # The Area of Separation lies between the two lines: its edges are crossed where they are.
    assert sorted(at["Area of Separation"]) == pytest.approx([at["Line A"][0], at["Line B"][0]],
                                                             abs=0.05)
    assert np.isfinite(profile.elevation_m).all()
