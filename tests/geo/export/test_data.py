"""Data files (GeoJSON, GeoPackage, KML): visible layers and incidents, each with provenance."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest

from geo.export.data import export_data, export_frame
from geo.export.registry import FORMATS
from geo.export.snapshot import Snapshot
from tests.geo.export.conftest import EARLY, MakeSnap

PROVENANCE = ("sources", "basis", "confidence", "attribution", "licence", "valid_from",
              "valid_to", "status_on_date")


def test_export_frame_holds_visible_layers_and_incidents(snap: Snapshot) -> None:
    frame = export_frame(snap)
    assert set(frame["item"]) == {"feature", "incident"}
    assert len(frame[frame["item"] == "incident"]) == len(snap.window_incidents)
    assert set(frame.loc[frame["item"] == "feature", "group"]) <= set(snap.view.layers)
    assert all(frame[col].map(lambda v: isinstance(v, str)).all() for col in PROVENANCE)
    assert frame["valid_from"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    row = frame[frame["item_id"] == "aos_osm"].iloc[0]
    assert row["status_on_date"] == "collapsed" and row["disputed_on_date"] == "true"
    assert json.loads(row["sources"])[0]["publisher"]


def test_export_frame_leaves_out_hidden_layers(snap_of: MakeSnap) -> None:
    frame = export_frame(snap_of({**EARLY, "layers": "lines_1974"}))
    assert set(frame["item"]) == {"feature"}
    assert set(frame["group"]) == {"lines_1974"}


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "kml"])
def test_data_round_trips_with_provenance(fmt: str, snap: Snapshot, tmp_path: Path) -> None:
    expected = export_frame(snap)
    path = tmp_path / f"out.{FORMATS[fmt].ext}"
    path.write_bytes(export_data(snap, fmt))  # type: ignore[arg-type]
    back = gpd.read_file(path)
    assert len(back) == len(expected)
    assert sorted(back["item_id"]) == sorted(expected["item_id"])
    for col in PROVENANCE:
        assert col in back.columns, col
    back = back.set_index("item_id")
    aos = back.loc["aos_osm"]
    sources = aos["sources"] if isinstance(aos["sources"], list) else json.loads(aos["sources"])
    assert sources == json.loads(expected.set_index("item_id").loc["aos_osm", "sources"])
    assert aos["basis"] == "mapped" and aos["status_on_date"] == "collapsed"
    assert str(aos["valid_from"]).startswith("1974-05-31")
    assert back.geometry.notna().all()
    assert back.crs is not None and back.crs.to_epsg() == 4326


def test_geojson_keeps_dates_and_sources_as_text(snap: Snapshot) -> None:
    doc = json.loads(export_data(snap, "geojson"))
    props = next(f["properties"] for f in doc["features"] if f["properties"]["item_id"] ==
                 "aos_osm")
    assert props["valid_from"] == "1974-05-31"
    assert isinstance(props["sources"], str) and json.loads(props["sources"])


def test_export_frame_carries_what_the_popups_show(snap_of: MakeSnap) -> None:
    frame = export_frame(snap_of({"date": "2026-06-28", "window": "since",
                                  "layers": "positions,incidents,proposals,places"}))
    rows = frame.set_index("item_id")
    position = rows.loc["pos_hermon_outpost_2400_m"]
    assert position["date_text"] == "Dec 2024"  # month precision: not 2024-12-22
    assert position["geo_precision"] in ("1", "2", "3")
    assert position["location_precision_reported"]
    assert rows.loc["prop_sw_zones", "area_label"].startswith("≈ 6,300 km² (schematic); cut")
    event = rows.loc["SIS20250501-01"]
    assert (event["admin2"], event["admin2_reported"]) == ("Fiq", "Quneitra")
    assert event["name_ar"] and event["name_ar_source"]
    approx = frame[(frame["item"] == "incident") & frame["date_text"].str.startswith("about ")]
    assert len(approx) > 0
    republished = [json.loads(s)[0] for s in frame.loc[frame["item"] == "incident", "sources"]]
    assert any(s.get("via_republisher") is True for s in republished)
