"""Zone analytics: classification of real places against the layers in data/, signed distance
to Line A checked against geodesic distances, and summary numbers on a tiny fixture."""

from __future__ import annotations

import datetime as dt
import json
import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Geod
from shapely.geometry import Point, box

from geo.analysis.filters import IncidentFilter, filter_incidents
from geo.analysis.summary import before_after, zone_counts, zone_summary
from geo.analysis.zones import CLASS_COLUMNS, ZONES, classify, line_distance_m
from geo.data.loaders import DATA_DIR, load_all

GEOD = Geod(ellps="WGS84")
QUNEITRA = (33.12595, 35.82461)
MAJDAL_SHAMS = (33.27029, 35.7716)
KHAN_ARNABAH = (33.18378, 35.89158)


@pytest.fixture(scope="module")
def layers() -> gpd.GeoDataFrame:
    return load_all(DATA_DIR)["layers"].data


def _incidents(points: list[tuple[float, float]], dates: list[str] | str = "2025-10-01",
               fatalities: list[int | None] | None = None) -> pd.DataFrame:
    if isinstance(dates, str):
        dates = [dates] * len(points)
    return pd.DataFrame({
        "event_id_cnty": [f"T{i}" for i in range(len(points))],
        "event_date": dates,
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "actor1": "A", "actor2": "", "admin1": "", "admin2": "", "admin3": "", "location": "",
        "notes": "",
        "latitude": [p[0] for p in points],
        "longitude": [p[1] for p in points],
        "fatalities": pd.array(fatalities or [None] * len(points), dtype="Int64"),
    })


def _geodesic_to_line_m(lat: float, lon: float, line) -> float:
    """Geodesic distance to the nearest point of a lon/lat line, densified to ~20 m steps."""
    coords = shapely.get_coordinates(shapely.segmentize(line, 0.0002))
    _, _, dist = GEOD.inv(np.full(len(coords), lon), np.full(len(coords), lat),
                          coords[:, 0], coords[:, 1])
    return float(dist.min())


def _alpha(layers: gpd.GeoDataFrame):
    return layers.loc[layers["id"] == "alpha_line_osm", "geometry"].iloc[0]


# ---------------------------------------------------------------------------------------------
# Real places


def test_quneitra_city_is_in_the_area_of_separation(layers) -> None:
    row = classify(_incidents([QUNEITRA]), layers).iloc[0]
    assert row["in_aos"] and not row["in_golan"]
    assert row["aol_band"] == ""
    assert row["governorate"] == "Quneitra" and row["district"] == "Quneitra"
    assert row["alpha_km"] > 0  # east of Line A, in Syrian-claimed territory


def test_majdal_shams_is_in_the_golan_with_negative_alpha(layers) -> None:
    row = classify(_incidents([MAJDAL_SHAMS]), layers).iloc[0]
    assert row["in_golan"] and not row["in_aos"]
    assert row["aol_band"] == "west_0_10"
    assert row["alpha_km"] < 0


def test_khan_arnabah_is_east_of_the_aos_in_the_first_band(layers) -> None:
    row = classify(_incidents([KHAN_ARNABAH]), layers).iloc[0]
    assert not row["in_aos"] and not row["in_golan"]
    assert row["aol_band"] == "east_0_10"
    assert row["alpha_km"] > 0


@pytest.mark.parametrize("place", [QUNEITRA, MAJDAL_SHAMS, KHAN_ARNABAH])
def test_alpha_distance_matches_geodesic_within_one_percent(layers, place) -> None:
    row = classify(_incidents([place]), layers).iloc[0]
    expected = _geodesic_to_line_m(place[0], place[1], _alpha(layers))
    assert abs(row["alpha_km"]) * 1000 == pytest.approx(expected, rel=0.01)


def test_alpha_distance_for_every_place_label_within_one_percent(layers) -> None:
    places = json.loads((DATA_DIR / "layers" / "places.geojson").read_text(encoding="utf-8"))
    points = [(f["geometry"]["coordinates"][1], f["geometry"]["coordinates"][0])
              for f in places["features"]]
    result = classify(_incidents(points), layers)
    line = _alpha(layers)
    for (lat, lon), km in zip(points, result["alpha_km"], strict=True):
        expected = _geodesic_to_line_m(lat, lon, line)
        assert abs(km) * 1000 == pytest.approx(expected, rel=0.01, abs=1.0), (lat, lon)


def test_sign_follows_the_israeli_held_side(layers) -> None:
    katzrin, masadah, jaba = (32.99194, 35.69139), (33.23203, 35.75572), (33.1628, 35.92589)
    result = classify(_incidents([katzrin, masadah, jaba]), layers)
    assert list(np.sign(result["alpha_km"])) == [-1, -1, 1]
    assert list(result["in_golan"]) == [True, True, False]


def test_line_distance_matches_shapely(layers) -> None:
    rng = np.random.default_rng(7)
    from geo.analysis.zones import to_metric  # the same projection classify uses

    line = to_metric(_alpha(layers))
    minx, miny, maxx, maxy = line.bounds
    x = rng.uniform(minx - 30_000, maxx + 30_000, 500)
    y = rng.uniform(miny - 30_000, maxy + 30_000, 500)
    expected = shapely.distance(line, shapely.points(x, y))
    assert np.allclose(line_distance_m(line, x, y), expected, atol=0.05)


def test_proposal_zones_apply_from_their_own_date(layers) -> None:
    result = classify(_incidents([KHAN_ARNABAH] * 2, ["2025-09-15", "2025-09-16"]), layers)
    for zone in ("prop_zone1_plus2km", "prop_sw_zones", "prop_no_fly"):
        assert list(result[f"in_{zone}"]) == [False, True]
    geographic = classify(_incidents([KHAN_ARNABAH], "2025-09-15"), layers, respect_dates=False)
    assert geographic["in_prop_zone1_plus2km"].iloc[0]


def test_classify_adds_every_column_and_keeps_rows(layers) -> None:
    frame = _incidents([QUNEITRA, (33.5, 36.3)])
    result = classify(frame, layers)
    assert set(CLASS_COLUMNS) <= set(result.columns)
    assert len(result) == 2 and "in_aos" not in frame  # input untouched
    assert result.loc[1, "governorate"] != "Quneitra"


def test_classify_empty_frame(layers) -> None:
    result = classify(_incidents([]), layers)
    assert result.empty and set(CLASS_COLUMNS) <= set(result.columns)


# ---------------------------------------------------------------------------------------------
# Tiny fixture: a known square zone, a proposal, a position with a validity window


def _layer(fid: str, layer: str, geometry, valid_from: str, valid_to: str | None = None) -> dict:
    return {"id": fid, "layer": layer, "name": fid, "valid_from": valid_from,
            "valid_to": valid_to, "geometry": geometry}


@pytest.fixture
def tiny_layers() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame([
        _layer("aos_osm", "area_of_separation", box(35.80, 33.10, 35.85, 33.15), "1974-05-31"),
        _layer("prop_zone1_plus2km", "proposal_buffer_zone", box(35.80, 33.10, 35.90, 33.20),
               "2025-09-16"),
        _layer("pos_test", "position", Point(35.82, 33.12), "2025-01-01", "2025-06-01"),
    ], crs="EPSG:4326")


@pytest.fixture
def tiny(tiny_layers) -> pd.DataFrame:
    points = [(33.12, 35.82), (33.13, 35.83), (33.14, 35.84), (33.18, 35.88), (33.30, 35.60),
              (33.12, 35.82)]
    dates = ["2025-02-01", "2025-10-01", "2025-10-05", "2025-10-05", "2025-10-05", "2024-06-01"]
    return classify(_incidents(points, dates, [1, None, 2, 5, None, 4]), tiny_layers)


def test_tiny_classification(tiny) -> None:
    assert list(tiny["in_aos"]) == [True, True, True, False, False, True]
    assert list(tiny["in_prop_zone1_plus2km"]) == [False, True, True, True, False, False]
    assert list(tiny["near_position_2km"]) == [True, False, False, False, False, False]
    assert tiny["alpha_km"].isna().all()  # no Line A in this fixture


def test_near_position_uses_two_km_and_the_validity_window(tiny_layers) -> None:
    # 1.5 km and 2.5 km east of the position (1 deg lon ~ 93.3 km at 33.12 N).
    near, far = (33.12, 35.82 + 1.5 / 93.3), (33.12, 35.82 + 2.5 / 93.3)
    result = classify(_incidents([near, far, near, near],
                                 ["2025-03-01", "2025-03-01", "2024-12-31", "2025-06-01"]),
                      tiny_layers)
    assert list(result["near_position_2km"]) == [True, False, False, False]


def test_zone_summary_numbers(tiny, tiny_layers) -> None:
    table = zone_summary(tiny, tiny_layers, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    rows = table.set_index("key")
    assert rows.loc["aos", "incidents"] == 3
    assert rows.loc["aos", "fatalities"] == 3  # 1 + blank + 2
    assert rows.loc["aos", "per_30_days"] == round(3 / 365 * 30, 2)
    assert rows.loc["prop_zone1_plus2km", "incidents"] == 3
    assert rows.loc["prop_zone1_plus2km", "fatalities"] == 7
    assert rows.loc["near_position", "incidents"] == 1
    assert math.isnan(rows.loc["near_position", "area_km2"])  # no position holds on 31 Dec
    assert rows.loc["all", "incidents"] == 5 and rows.loc["all", "fatalities"] == 8
    assert rows.loc["golan", "incidents"] == 0 and math.isnan(rows.loc["golan", "area_km2"])
    geodesic_area = abs(GEOD.geometry_area_perimeter(box(35.80, 33.10, 35.85, 33.15))[0]) / 1e6
    assert rows.loc["aos", "area_km2"] == pytest.approx(geodesic_area, rel=0.005)


def test_zone_summary_position_area_is_the_two_km_buffer(tiny, tiny_layers) -> None:
    table = zone_summary(tiny, tiny_layers, dt.date(2025, 1, 1), dt.date(2025, 3, 1))
    area = table.set_index("key").loc["near_position", "area_km2"]
    assert area == pytest.approx(math.pi * 4, rel=0.01)


def test_zone_summary_on_empty_frame(tiny_layers) -> None:
    empty = classify(_incidents([]), tiny_layers)
    table = zone_summary(empty, tiny_layers, dt.date(2025, 1, 1), dt.date(2025, 1, 31))
    assert (table["incidents"] == 0).all() and (table["fatalities"] == 0).all()
    assert len(table) == len(ZONES) + 1


def test_before_after_counts_equal_windows(tiny_layers) -> None:
    dates = ["2025-02-18", "2025-02-19", "2025-02-28", "2025-03-01", "2025-03-10", "2025-03-11"]
    frame = classify(_incidents([(33.12, 35.82)] * 6, dates), tiny_layers)
    result = before_after(frame, dt.date(2025, 3, 1), 10, as_of=dt.date(2026, 1, 1))
    assert result.before == (dt.date(2025, 2, 19), dt.date(2025, 2, 28))
    assert result.after == (dt.date(2025, 3, 1), dt.date(2025, 3, 10))
    rows = result.table.set_index("key")
    assert (rows.loc["aos", "before"], rows.loc["aos", "after"]) == (2, 2)
    assert rows.loc["aos", "change"] == 0 and rows.loc["aos", "change_pct"] == 0
    assert (rows.loc["all", "before"], rows.loc["all", "after"]) == (2, 2)
    assert not result.truncated


def test_before_after_shortens_both_windows_at_today(tiny_layers) -> None:
    dates = ["2025-02-18", "2025-02-24", "2025-02-28", "2025-03-01", "2025-03-05"]
    frame = classify(_incidents([(33.12, 35.82)] * 5, dates), tiny_layers)
    result = before_after(frame, dt.date(2025, 3, 1), 30, as_of=dt.date(2025, 3, 5))
    assert result.truncated and result.days == 5
    assert result.before == (dt.date(2025, 2, 24), dt.date(2025, 2, 28))
    rows = result.table.set_index("key")
    assert (rows.loc["aos", "before"], rows.loc["aos", "after"]) == (2, 2)
    future = before_after(frame, dt.date(2025, 4, 1), 30, as_of=dt.date(2025, 3, 5))
    assert future.days == 0 and future.table["after"].sum() == 0


def test_filter_incidents(tiny) -> None:
    frame = tiny.assign(
        event_type=["Battles", "Protests", "Battles", "Battles", "Protests", "Battles"],
        actor2=["", "Civilians", "", "", "", ""],
        location=["Jaba", "", "Hadar", "", "", ""],
        notes=["Shelling near the town", "", "", "", "", "shelling"],
    )
    assert len(filter_incidents(frame, IncidentFilter())) == 6
    assert len(filter_incidents(frame, IncidentFilter(start=dt.date(2025, 1, 1)))) == 5
    assert len(filter_incidents(frame, IncidentFilter(event_types=("Protests",)))) == 2
    assert len(filter_incidents(frame, IncidentFilter(actors=("Civilians",)))) == 1
    assert len(filter_incidents(frame, IncidentFilter(place="hadar"))) == 1
    assert len(filter_incidents(frame, IncidentFilter(text="SHELLING"))) == 2
    both = filter_incidents(frame, IncidentFilter(zones=("aos", "prop_zone1_plus2km")))
    assert len(both) == 5
    assert len(filter_incidents(frame, IncidentFilter(text="[a-z]+"))) == 0  # not a regex


def test_zone_counts(tiny) -> None:
    counts = zone_counts(tiny).set_index("key")["incidents"]
    assert counts["aos"] == 4 and counts["prop_zone1_plus2km"] == 3
