"""Terrain downloads: viewshed polygons (GeoJSON, GeoPackage) and the profile CSV carry their
basis, inputs and the DEM credit, and their figures match the results."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyogrio
import pytest

from geo.analysis.profile import elevation_profile
from geo.analysis.sightlines import comparison, crossing_lines, places, report, zones
from geo.analysis.viewshed import ViewshedParams
from geo.core.terrain import SUMMIT
from geo.data.dem import DEM_CREDIT
from geo.data.loaders import load_all
from geo.export.terrain import profile_csv, viewshed_file, viewshed_filename, viewshed_frame

PARAMS = ViewshedParams(observer_height_m=10, target_height_m=2, radius_km=15)


@pytest.fixture(scope="module")
def layers():
    return load_all()["layers"].data


@pytest.fixture(scope="module")
def summit(layers):
    return report(places(layers)[SUMMIT], PARAMS, zones(layers))


def test_the_viewshed_geojson_says_what_it_is(summit) -> None:
    data = json.loads(viewshed_file(summit, "geojson"))
    (feature,) = data["features"]
    props = feature["properties"]
    assert props["basis"] == "derived" and props["dem_credit"] == DEM_CREDIT
    assert props["observer_height_m"] == 10 and props["target_height_m"] == 2
    assert props["radius_km"] == 15 and props["refraction_k"] == 0.13
    assert props["observer_lat"] == pytest.approx(summit.observer.lat, abs=1e-5)
    assert props["visible_km2"] == pytest.approx(summit.result.visible_km2, abs=0.1)
    assert props["syria_east_of_line_b_visible_km2"] > 0
    assert "k = 0.13" in props["correction"] and "90 m" in props["resolution"]
    assert feature["geometry"]["type"] == "MultiPolygon"


def test_the_geopackage_reads_back(summit, tmp_path: Path) -> None:
    path = tmp_path / viewshed_filename(summit, "gpkg")
    path.write_bytes(viewshed_file(summit, "gpkg"))
    frame = pyogrio.read_dataframe(path)
    assert path.name.startswith("viewshed_33.41") and path.name.endswith("_h10_r15km.gpkg")
    assert list(frame["basis"]) == ["derived"] and frame.crs.to_epsg() == 4326
    assert frame.geometry.iloc[0].equals_exact(summit.result.polygons, 1e-9)


def test_a_comparison_has_three_rows(layers, summit) -> None:
    other = report(places(layers)["pos_hermon_outpost_2400_m"], PARAMS, zones(layers))
    frame = viewshed_frame(summit, comparison(summit, other))
    assert list(frame["item"]) == ["only the first sees", "only the second sees", "both see"]
    assert frame["first_observer"].iloc[0] == summit.label
    assert frame["visible_km2"].sum() == pytest.approx(
        summit.result.visible_km2 + other.result.visible_km2
        - frame["visible_km2"].iloc[2], abs=0.3)


def test_the_profile_csv(layers) -> None:
    profile = elevation_profile([(35.75, 33.2), (35.95, 33.15)], crossing_lines(layers))
    text = profile_csv(profile, "west", "east").decode("utf-8")
    header = dict(line[2:].split(": ", 1) for line in text.splitlines() if line.startswith("#"))
    assert json.loads(header["basis"]) == "derived"
    assert json.loads(header["dem_credit"]) == DEM_CREDIT
    assert json.loads(header["end_visible"]) == profile.sight.visible
    assert {c["name"] for c in json.loads(header["crossings"])} >= {"Line A", "Line B"}
    rows = list(csv.DictReader(io.StringIO("\n".join(
        line for line in text.splitlines() if not line.startswith("#")))))
    assert len(rows) == len(profile.distance_km)
    assert float(rows[-1]["distance_km"]) == pytest.approx(profile.length_km, abs=1e-3)
    assert float(rows[0]["sight_line_m"]) == pytest.approx(profile.elevation_m[0] + 10, abs=0.1)
