"""Checks over the real data/: it all validates, the 1974 geometry is where it should be, and
every item carries its provenance."""

from __future__ import annotations

import datetime as dt

import pytest
import shapely

from geo.core.model import BASES, CONFIDENCES, is_blank, is_http_url
from geo.data.loaders import load_all
from geo.data.validate import run
from tests.conftest import DATA_DIR

METRIC = "EPSG:32636"  # UTM 36N, as used by scripts/build_data.py
TOLERANCE = 0.02

QUNEITRA = "place_gn_173334"
MAJDAL_SHAMS = "place_gn_167444"
KHAN_ARNABAH = "place_gn_168355"


@pytest.fixture(scope="module")
def results():
    assert (DATA_DIR / "incidents.csv").exists(), "data/incidents.csv has not been built yet"
    return load_all(DATA_DIR)


@pytest.fixture(scope="module")
def layers(results):
    return results["layers"].data.set_index("id", drop=False)


@pytest.fixture(scope="module")
def metric(layers):
    return layers.to_crs(METRIC).geometry


@pytest.fixture(scope="module")
def incidents(results):
    return results["incidents"].data


@pytest.fixture(scope="module")
def timeline(results):
    return results["timeline"].data


# ---------------------------------------------------------------------------------------------
# Everything validates


def test_every_dataset_loads_without_rejections(results):
    rejected = [r.as_row() for result in results.values() for r in result.rejected]
    assert rejected == []


def test_validate_reports_no_problem():
    problems = [p.as_row() for p in run(DATA_DIR)]
    assert problems == []


def test_datasets_are_not_empty(results):
    assert len(results["layers"].data) > 200
    assert len(results["incidents"].data) > 0
    assert len(results["timeline"].data) > 0


# ---------------------------------------------------------------------------------------------
# Places against the 1974 lines


def test_places_are_the_expected_geonames_points(layers):
    assert layers.loc[QUNEITRA, "name"] == "Al Qunayţirah"
    assert layers.loc[MAJDAL_SHAMS, "name"] == "Majdal Shams"
    assert layers.loc[KHAN_ARNABAH, "name"].startswith("Kh")
    assert (layers.loc[[QUNEITRA, MAJDAL_SHAMS, KHAN_ARNABAH], "dataset"] == "places.geojson").all()


def test_quneitra_city_lies_inside_the_area_of_separation(layers):
    assert layers.geometry[QUNEITRA].within(layers.geometry["aos_osm"])


def test_majdal_shams_lies_west_of_line_a_in_the_golan(layers):
    point = layers.geometry[MAJDAL_SHAMS]
    assert point.within(layers.geometry["golan_osm"])
    assert not point.within(layers.geometry["aos_osm"])
    assert point.within(layers.geometry["aol_west_0_10"])
    assert not point.within(layers.geometry["aol_east_0_10"])


def test_khan_arnabah_lies_east_of_the_area_of_separation(layers):
    point = layers.geometry[KHAN_ARNABAH]
    assert not point.within(layers.geometry["aos_osm"])
    assert not point.within(layers.geometry["golan_osm"])
    assert point.within(layers.geometry["aol_east_0_10"])
    assert not point.within(layers.geometry["aol_west_0_10"])


# ---------------------------------------------------------------------------------------------
# Areas of Limitation: distances in UTM 36N


def vertex_distances(geom, line):
    points = shapely.points(shapely.get_coordinates(geom))
    return shapely.distance(points, line)


def within(value: float, km: float) -> bool:
    return abs(value - km * 1000) <= TOLERANCE * km * 1000


@pytest.mark.parametrize(
    ("band", "line"),
    [("aol_west_0_10", "alpha_line_osm"), ("aol_east_0_10", "bravo_line_inferred")],
)
def test_inner_band_reaches_10_km(metric, band, line):
    distances = vertex_distances(metric[band], metric[line])
    assert within(distances.max(), 10), distances.max()
    assert metric[band].distance(metric[line]) < 1.0  # the band starts at the line


@pytest.mark.parametrize(
    ("band", "line"),
    [("aol_west_10_20", "alpha_line_osm"), ("aol_east_10_20", "bravo_line_inferred")],
)
def test_outer_band_lies_between_10_and_20_km(metric, band, line):
    distances = vertex_distances(metric[band], metric[line])
    assert within(distances.max(), 20), distances.max()
    assert within(metric[band].distance(metric[line]), 10), metric[band].distance(metric[line])


@pytest.mark.parametrize(
    ("limit", "line"),
    [("aol_west_25_line", "alpha_line_osm"), ("aol_east_25_line", "bravo_line_inferred")],
)
def test_25_km_line_vertices_lie_25_km_from_their_line(metric, limit, line):
    distances = vertex_distances(metric[limit], metric[line])
    assert len(distances) > 10
    assert within(distances.min(), 25) and within(distances.max(), 25), (
        distances.min(), distances.max())


def test_bands_lie_on_their_own_side(metric):
    assert metric["aol_west_0_10"].intersection(metric["aol_east_0_10"]).area < 1.0
    assert metric["aol_east_0_10"].intersection(metric["aos_osm"]).area < 1000.0


# ---------------------------------------------------------------------------------------------
# Provenance


def has_link_or_document(sources) -> bool:
    return isinstance(sources, list) and any(
        isinstance(s, dict) and (is_http_url(s.get("url")) or not is_blank(s.get("document")))
        for s in sources
    )


def test_every_feature_has_a_usable_source(layers):
    missing = [fid for fid, sources in layers["sources"].items()
               if not has_link_or_document(sources)]
    assert missing == []


def test_every_feature_has_attribution_and_licence(layers):
    assert not layers["attribution"].map(is_blank).any()
    assert not layers["licence"].map(is_blank).any()


def test_every_timeline_entry_has_a_usable_source(timeline):
    missing = [e["id"] for e in timeline if not has_link_or_document(e.get("sources"))]
    assert missing == []


def test_every_incident_has_an_http_source(incidents):
    bad = incidents.loc[~incidents["url"].map(is_http_url), "event_id_cnty"].tolist()
    assert bad == []


def test_every_incident_has_basis_and_confidence(incidents):
    assert incidents["basis"].isin(BASES).all(), incidents["basis"].unique()
    assert incidents["confidence"].isin(CONFIDENCES).all(), incidents["confidence"].unique()


def test_incidents_are_dated_from_the_fall_of_assad(incidents):
    dates = incidents["event_date"]
    assert dates.min() >= "2024-12-08"
    assert dates.max() <= dt.date.today().isoformat()
    assert incidents["event_id_cnty"].is_unique


def test_timeline_has_the_paris_round_of_5_january_2026(timeline):
    rounds = [e for e in timeline if e["date"] == "2026-01-05" and e["kind"] == "round_of_talks"]
    assert len(rounds) == 1
    entry = rounds[0]
    assert "Paris" in entry.get("place", "") or "Paris" in entry["title"]


def test_1974_layers_are_linked_to_the_agreement_and_the_collapse(timeline):
    by_day = {}
    for entry in timeline:
        by_day.setdefault(entry["date"], set()).update(entry.get("changes", []))
    assert {"aos_osm", "alpha_line_osm", "bravo_line_inferred"} <= by_day["1974-05-31"]
    assert {"aos_osm", "alpha_line_osm", "bravo_line_inferred"} <= by_day["2024-12-08"]


@pytest.mark.parametrize(
    ("day", "status", "disputed"),
    [("2024-12-07", "in_force", False), ("2024-12-08", "collapsed", True),
     ("2026-01-05", "collapsed", True)],
)
def test_1974_lines_collapse_on_8_december_2024(layers, day, status, disputed):
    from geo.core.timeline import state_at

    state = state_at(layers.reset_index(drop=True), day).set_index("id")
    for fid in ("aos_osm", "alpha_line_osm", "bravo_line_inferred", "aol_east_0_10"):
        assert state.loc[fid, "status_on_date"] == status
        assert bool(state.loc[fid, "disputed_on_date"]) is disputed


# ---------------------------------------------------------------------------------------------
# Figures no more precise than their sources; how far the record reaches


def test_schematic_areas_are_stored_as_the_app_rounds_them(layers, metric):
    from geo.core.figures import area_label, round_sig

    areas = layers[layers["area_km2"].notna()]
    assert set(areas["id"]) >= {"prop_sw_zones", "prop_no_fly", "prop_zone1_plus2km"}
    for fid, row in areas.iterrows():
        assert row["basis"] == "schematic", fid
        assert row["area_km2"] == round_sig(metric[fid].area / 1e6), fid
        cut = None if row["cut_at_lon"] is None or row["cut_at_lon"] != row["cut_at_lon"] \
            else row["cut_at_lon"]
        assert row["area_label"] == area_label(int(row["area_km2"]), cut), fid


def test_positions_carry_a_location_precision(layers):
    positions = layers[layers["layer"] == "position"]
    assert positions["geo_precision"].isin([1, 2, 3]).all()


def test_coverage_reaches_the_last_dated_row(results, incidents, timeline):
    through = results["coverage"].data.data_through.isoformat()
    assert incidents["event_date"].max() <= through
    assert max(e["date"] for e in timeline) <= through
    last = results["coverage"].data.months[-1]["month"]
    assert last >= through[:7]
