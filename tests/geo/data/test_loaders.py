"""Validating loaders in geo.data.loaders and geo.data.incidents: whole-file errors raise
DatasetError, bad items are rejected with their reasons while the good ones are kept."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest

from geo.core.model import INCIDENT_COLUMNS, INCIDENT_EXTRA_COLUMNS, DatasetError
from geo.data.incidents import load_incidents_csv
from geo.data.loaders import load_feature_collection, load_layers, load_timeline
from tests.conftest import DROP

BOWTIE = {
    "type": "Polygon",
    "coordinates": [
        [[35.80, 33.00], [35.90, 33.10], [35.90, 33.00], [35.80, 33.10], [35.80, 33.00]]
    ],
}
SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[35.80, 33.00], [35.90, 33.00], [35.90, 33.10], [35.80, 33.10], [35.80, 33.00]]
    ],
}


def dumps(doc) -> str:
    return json.dumps(doc)


def rejected_by_item(result) -> dict[str, str]:
    return {r.item: r.reason for r in result.rejected}


# ---------------------------------------------------------------------------------------------
# load_feature_collection: whole-file errors


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON"),
        ("", "not valid JSON"),
        ("[1, 2, 3]", "expected a GeoJSON FeatureCollection, found 'list'"),
        ('{"type": "Feature", "properties": {}, "geometry": null}',
         "expected a GeoJSON FeatureCollection, found 'Feature'"),
        ('{"features": []}', "expected a GeoJSON FeatureCollection, found None"),
        ('{"type": "FeatureCollection", "features": {"a": 1}}', "'features' is not a list"),
        ('{"type": "FeatureCollection"}', "'features' is not a list"),
    ],
)
def test_unreadable_collection_raises_dataset_error(text, message):
    with pytest.raises(DatasetError) as info:
        load_feature_collection(text, "broken.geojson")
    assert message in str(info.value)
    assert str(info.value).startswith("broken.geojson:")


def test_utm_crs_member_is_refused_with_clear_message(test_data_dir):
    with pytest.raises(DatasetError) as info:
        load_feature_collection(test_data_dir / "utm36n.geojson", "utm36n.geojson")
    message = str(info.value)
    assert "utm36n.geojson" in message
    assert "WGS84" in message and "EPSG:4326" in message
    assert "EPSG::32636" in message
    assert "Reproject" in message


@pytest.mark.parametrize(
    "crs",
    [
        {"type": "name", "properties": {"name": "EPSG:32636"}},
        {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2039"}},
        {"type": "name", "properties": None},
        {"type": "name"},
        "EPSG:32636",
    ],
)
def test_non_wgs84_crs_is_refused(make_feature, make_collection, crs):
    doc = make_collection(make_feature(), crs=crs)
    with pytest.raises(DatasetError, match="must be WGS84"):
        load_feature_collection(dumps(doc), "x.geojson")


def test_bare_crs_string_is_named_in_the_message(make_feature, make_collection):
    doc = make_collection(make_feature(), crs="EPSG:32636")
    with pytest.raises(DatasetError, match="EPSG:32636"):
        load_feature_collection(dumps(doc), "x.geojson")


@pytest.mark.parametrize(
    "name", ["urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:EPSG::4326", "EPSG:4326"]
)
def test_wgs84_crs_members_are_accepted(make_feature, make_collection, name):
    doc = make_collection(make_feature(), crs={"type": "name", "properties": {"name": name}})
    result = load_feature_collection(dumps(doc), "x.geojson")
    assert result.ok
    assert list(result.data["id"]) == ["feat_1"]


# ---------------------------------------------------------------------------------------------
# load_feature_collection: good features


def test_good_collection_loads_as_wgs84_frame(make_feature, make_collection):
    doc = make_collection(
        make_feature(id="a"),
        make_feature(
            id="b", layer="area_of_separation", status="in_force", geometry=SQUARE,
            valid_from="1974-05-31", disputed=True,
            status_changes=[{"date": "2024-12-08", "status": "collapsed", "disputed": True}],
        ),
    )
    result = load_feature_collection(dumps(doc), "ok.geojson")
    assert result.ok
    frame = result.data
    assert frame.crs.to_epsg() == 4326
    assert list(frame["id"]) == ["a", "b"]
    assert list(frame.geometry.geom_type) == ["Point", "Polygon"]
    assert (frame["dataset"] == "ok.geojson").all()
    assert list(frame["disputed"]) == [False, True]
    assert frame["valid_to"].isna().all()
    assert frame.loc[0, "status_changes"] == []
    assert frame.loc[1, "status_changes"][0]["status"] == "collapsed"
    assert frame.geometry.iloc[0].coords[0] == (35.824, 33.125)


def test_optional_properties_get_defaults(make_feature, make_collection):
    feature = make_feature(name_ar=DROP, disputed=DROP, date_precision=DROP, notes=DROP,
                           valid_to=DROP)
    result = load_feature_collection(dumps(make_collection(feature)), "x")
    row = result.data.iloc[0]
    assert row["disputed"] is False or row["disputed"] == False  # noqa: E712 (numpy bool)
    assert row["date_precision"] == "day"
    assert row["name_ar"] == "" and row["notes"] == ""
    assert row["valid_to"] is None


def test_blank_valid_to_is_open_ended(make_feature, make_collection):
    """check_feature_properties treats a blank valid_to as open; the frame must agree."""
    result = load_feature_collection(dumps(make_collection(make_feature(valid_to=""))), "x")
    assert result.ok
    assert result.data["valid_to"].isna().all()


def test_dates_are_normalised_to_iso(make_feature, make_collection):
    feature = make_feature(valid_from=" 2024-12-08 ", valid_to="2025-01-01 ")
    result = load_feature_collection(dumps(make_collection(feature)), "x")
    assert result.ok
    assert result.data.loc[0, "valid_from"] == "2024-12-08"
    assert result.data.loc[0, "valid_to"] == "2025-01-01"


@pytest.mark.parametrize("kind", ["str", "bytes_bom", "path"])
def test_source_may_be_text_bytes_or_path(tmp_path, make_feature, make_collection, kind):
    text = dumps(make_collection(make_feature()))
    if kind == "str":
        source = text
    elif kind == "bytes_bom":
        source = b"\xef\xbb\xbf" + text.encode("utf-8")
    else:
        source = tmp_path / "x.geojson"
        source.write_text("\ufeff" + text, encoding="utf-8")
    result = load_feature_collection(source, "x.geojson")
    assert result.ok and list(result.data["id"]) == ["feat_1"]


# ---------------------------------------------------------------------------------------------
# load_feature_collection: per-feature rejections


@pytest.mark.parametrize(
    ("geometry", "reason"),
    [
        (BOWTIE, "invalid geometry"),
        ({"type": "Point", "coordinates": [35.8, 33.1, 400.0]}, "3D geometry"),
        ({"type": "LineString", "coordinates": [[35.8, 33.1, 1.0], [35.9, 33.2, 2.0]]},
         "3D geometry"),
        (None, "empty geometry"),
        ({"type": "Point", "coordinates": []}, "empty geometry"),
        ({"type": "GeometryCollection", "geometries": []}, "empty geometry"),
        ({"type": "Point", "coordinates": [770000.0, 3669000.0]}, "not lon/lat degrees"),
        ({"type": "Polygon", "coordinates": [[[35.0, 33.0], [36.0, 33.0]]]}, "unreadable geometry"),
        ({"type": "Blob", "coordinates": [35.8, 33.1]}, "unreadable geometry"),
        ({"type": "Point"}, "unreadable geometry"),
        ("POINT (35.8 33.1)", "unreadable geometry"),
    ],
)
def test_bad_geometry_is_rejected_and_good_feature_kept(make_feature, make_collection,
                                                        geometry, reason):
    doc = make_collection(make_feature(id="good"), make_feature(id="bad", geometry=geometry))
    result = load_feature_collection(dumps(doc), "g.geojson")
    assert list(result.data["id"]) == ["good"]
    assert len(result.rejected) == 1
    rejected = result.rejected[0]
    assert (rejected.dataset, rejected.item) == ("g.geojson", "bad")
    assert reason in rejected.reason


def test_mixed_collection_reports_each_bad_feature(make_feature, make_collection):
    doc = make_collection(
        make_feature(id="good_1"),
        make_feature(id="bowtie", geometry=BOWTIE),
        make_feature(id="three_d", geometry={"type": "Point", "coordinates": [35.8, 33.1, 5.0]}),
        make_feature(id="good_1", name="same id again"),
        make_feature(id="no_sources", sources=[]),
        make_feature(id="empty", geometry=None),
        make_feature(id="good_2", geometry=SQUARE),
        make_feature(id="js_link", sources=[{"title": "T", "url": "javascript:alert(1)"}]),
    )
    result = load_feature_collection(dumps(doc), "mixed.geojson")
    assert list(result.data["id"]) == ["good_1", "good_2"]
    assert result.data.loc[0, "name"] == "Test position"  # the first of the duplicates is kept
    reasons = rejected_by_item(result)
    assert set(reasons) == {"bowtie", "three_d", "good_1", "no_sources", "empty", "js_link"}
    assert "invalid geometry" in reasons["bowtie"]
    assert "Self-intersection" in reasons["bowtie"]
    assert "3D geometry" in reasons["three_d"]
    assert "duplicate id 'good_1'" in reasons["good_1"]
    assert "no source" in reasons["no_sources"]
    assert "empty geometry" in reasons["empty"]
    assert "not an http(s) URL" in reasons["js_link"]
    assert not result.ok


def test_feature_with_several_problems_lists_them_all(make_feature, make_collection):
    doc = make_collection(make_feature(id="bad", status="active", geometry=BOWTIE))
    reason = load_feature_collection(dumps(doc), "x").rejected[0].reason
    assert "status 'active'" in reason and "invalid geometry" in reason


@pytest.mark.parametrize(
    ("feature", "reason"),
    [
        ({"type": "Point", "coordinates": [35.8, 33.1]}, "not a GeoJSON Feature"),
        ("a string", "not a GeoJSON Feature"),
        ({"type": "Feature", "properties": None, "geometry": None}, "missing id"),
        ({"type": "Feature", "properties": ["id", "x"], "geometry": None}, "properties"),
        ({"type": "Feature", "properties": "id=x", "geometry": None}, "properties"),
    ],
)
def test_malformed_feature_is_rejected_not_raised(make_feature, make_collection, feature, reason):
    doc = make_collection(make_feature(id="good"), feature)
    result = load_feature_collection(dumps(doc), "x.geojson")
    assert list(result.data["id"]) == ["good"]
    assert [r.item for r in result.rejected] == ["feature 2"]
    assert reason in result.rejected[0].reason


def test_all_features_rejected_gives_empty_frame(make_feature, make_collection):
    doc = make_collection(make_feature(id="a", sources=[]), make_feature(id="b", geometry=BOWTIE))
    result = load_feature_collection(dumps(doc), "x")
    assert result.data.empty
    assert "id" in result.data.columns and result.data.crs.to_epsg() == 4326
    assert [r.item for r in result.rejected] == ["a", "b"]


# ---------------------------------------------------------------------------------------------
# load_layers


def write_layer(directory, name, doc) -> None:
    (directory / "layers").mkdir(parents=True, exist_ok=True)
    (directory / "layers" / name).write_text(json.dumps(doc), encoding="utf-8")


def test_load_layers_rejects_ids_duplicated_across_files(tmp_path, make_feature, make_collection):
    write_layer(tmp_path, "a.geojson", make_collection(make_feature(id="shared"),
                                                       make_feature(id="only_a")))
    write_layer(tmp_path, "b.geojson", make_collection(make_feature(id="shared", name="B copy"),
                                                       make_feature(id="only_b")))
    result = load_layers(tmp_path)
    assert sorted(result.data["id"]) == ["only_a", "only_b", "shared"]
    kept = result.data.set_index("id").loc["shared"]
    assert kept["dataset"] == "a.geojson" and kept["name"] == "Test position"
    assert len(result.rejected) == 1
    dup = result.rejected[0]
    assert (dup.dataset, dup.item) == ("b.geojson", "shared")
    assert "duplicate id 'shared' across files" in dup.reason


def test_load_layers_reports_unreadable_file_and_keeps_the_rest(tmp_path, make_feature,
                                                                make_collection):
    write_layer(tmp_path, "good.geojson", make_collection(make_feature(id="ok")))
    (tmp_path / "layers" / "broken.geojson").write_text("{oops", encoding="utf-8")
    result = load_layers(tmp_path)
    assert list(result.data["id"]) == ["ok"]
    assert [(r.dataset, r.item) for r in result.rejected] == [("broken.geojson", "(whole file)")]
    assert "not valid JSON" in result.rejected[0].reason


def test_load_layers_on_empty_dir_gives_empty_frame(tmp_path):
    result = load_layers(tmp_path)
    assert result.data.empty and result.ok
    assert {"id", "layer", "valid_from", "geometry"} <= set(result.data.columns)


# ---------------------------------------------------------------------------------------------
# load_incidents_csv


def incidents_text(rows, columns=None) -> str:
    columns = list(columns or [*INCIDENT_COLUMNS, *INCIDENT_EXTRA_COLUMNS])
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def test_bom_csv_file_loads(test_data_dir):
    result = load_incidents_csv(test_data_dir / "incidents_bom.csv", "incidents_bom.csv")
    assert result.ok, result.rejected
    assert list(result.data["event_id_cnty"]) == ["TST0001", "TST0002"]
    assert result.ignored_columns == []


@pytest.mark.parametrize("kind", ["bytes", "str"])
def test_bom_header_is_ok_for_bytes_and_text(test_data_dir, kind):
    raw = (test_data_dir / "incidents_bom.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    source = raw if kind == "bytes" else raw.decode("utf-8")  # text keeps the U+FEFF
    result = load_incidents_csv(source, "x.csv")
    assert result.ok and len(result.data) == 2
    assert "event_id_cnty" in result.data.columns


def test_incident_frame_types(test_data_dir):
    frame = load_incidents_csv(test_data_dir / "incidents_bom.csv", "x").data
    assert frame.crs.to_epsg() == 4326
    assert frame.geometry.iloc[1].x == pytest.approx(35.8853)
    assert frame.geometry.iloc[1].y == pytest.approx(33.1836)
    assert frame["latitude"].dtype == float
    assert list(frame["geo_precision"]) == [1, 2]
    assert list(frame["time_precision"]) == [1, 2]
    assert frame.loc[0, "notes"] == "Troops seen near the town, two vehicles."


def test_blank_fatalities_stay_na_not_zero(make_incident):
    rows = [
        make_incident(event_id_cnty="A", fatalities="2"),
        make_incident(event_id_cnty="B", fatalities=""),  # none reported
        make_incident(event_id_cnty="C", fatalities="0"),
        make_incident(event_id_cnty="D", fatalities=""),
    ]
    frame = load_incidents_csv(incidents_text(rows), "x").data
    fat = frame.set_index("event_id_cnty")["fatalities"]
    assert str(fat.dtype) == "Int64"
    assert fat["A"] == 2 and fat["C"] == 0
    assert pd.isna(fat["B"]) and pd.isna(fat["D"])
    assert fat.sum() == 2


def test_event_date_is_an_iso_string_column(make_incident):
    rows = [make_incident(event_id_cnty="A", event_date="2025-01-15"),
            make_incident(event_id_cnty="B", event_date=" 2024-12-08 ")]
    frame = load_incidents_csv(incidents_text(rows), "x").data
    assert list(frame["event_date"]) == ["2025-01-15", "2024-12-08"]
    assert all(isinstance(v, str) for v in frame["event_date"])
    assert not pd.api.types.is_datetime64_any_dtype(frame["event_date"])
    frame.to_json()  # dates must serialise (GeoDataFrame.to_json cannot take date objects)


@pytest.mark.parametrize("column", ["event_id_cnty", "event_date", "event_type", "latitude",
                                    "longitude"])
def test_missing_required_column_raises(make_incident, column):
    columns = [c for c in INCIDENT_COLUMNS if c != column]
    with pytest.raises(DatasetError) as info:
        load_incidents_csv(incidents_text([make_incident()], columns), "inc.csv")
    assert "missing required columns" in str(info.value)
    assert column in str(info.value)
    assert str(info.value).startswith("inc.csv:")


@pytest.mark.parametrize("text", ["", "\n\n"])
def test_empty_csv_raises(text):
    with pytest.raises(DatasetError, match="x.csv"):
        load_incidents_csv(text, "x.csv")


def test_bad_rows_rejected_with_reasons_good_rows_kept(make_incident):
    rows = [
        make_incident(event_id_cnty="OK1"),
        make_incident(event_id_cnty="SWAP", latitude="35.8244", longitude="33.1256"),
        make_incident(event_id_cnty="NEG", fatalities="-3"),
        make_incident(event_id_cnty="FRAC", fatalities="1.5"),
        make_incident(event_id_cnty="GEO4", geo_precision="4"),
        make_incident(event_id_cnty="FUT", event_date="2999-01-01"),
        make_incident(event_id_cnty="JS", url="javascript:alert(1)"),
        make_incident(event_id_cnty="OK1", notes="duplicate id"),
        make_incident(event_id_cnty="", notes="no id"),
        make_incident(event_id_cnty="OK2", fatalities=""),
    ]
    result = load_incidents_csv(incidents_text(rows), "inc.csv")
    assert list(result.data["event_id_cnty"]) == ["OK1", "OK2"]
    reasons = rejected_by_item(result)
    assert "swapped" in reasons["row 3 (SWAP)"]
    assert "fatalities is negative" in reasons["row 4 (NEG)"]
    assert "fatalities is not a whole number" in reasons["row 5 (FRAC)"]
    assert "geo_precision" in reasons["row 6 (GEO4)"]
    assert "in the future" in reasons["row 7 (FUT)"]
    assert "url is not an http(s) URL" in reasons["row 8 (JS)"]
    assert "duplicate event_id_cnty 'OK1'" in reasons["row 9 (OK1)"]
    assert "missing event_id_cnty" in reasons["row 10 (no id)"]
    assert len(result.rejected) == 8
    assert all(r.dataset == "inc.csv" for r in result.rejected)


def test_unknown_columns_are_reported_and_missing_optional_columns_filled(make_incident):
    columns = ["event_id_cnty", "event_date", "event_type", "latitude", "longitude", "source",
               "my_extra"]
    text = incidents_text([{**make_incident(), "my_extra": "x"}], columns)
    result = load_incidents_csv(text, "x")
    assert result.ok
    assert result.ignored_columns == ["my_extra"]
    assert "my_extra" not in result.data.columns
    assert set(INCIDENT_COLUMNS) <= set(result.data.columns)
    assert pd.isna(result.data.loc[0, "fatalities"])


# ---------------------------------------------------------------------------------------------
# load_timeline


def test_timeline_unknown_feature_id_is_rejected_and_entries_sorted(test_data_dir):
    result = load_timeline(test_data_dir / "timeline_small.json", "timeline_small.json",
                           feature_ids=["feat_a"])
    assert [e["date"] for e in result.data] == ["1974-05-31", "2025-09-16", "2026-01-05"]
    assert len(result.rejected) == 1
    bad = result.rejected[0]
    assert (bad.dataset, bad.item) == ("timeline_small.json", "tl-20241208-1")
    assert "unknown feature ids in changes: no_such_feature" in bad.reason
    assert "feat_a" not in bad.reason


def test_timeline_without_known_ids_rejects_every_linked_entry(test_data_dir):
    result = load_timeline(test_data_dir / "timeline_small.json", "t")
    assert {r.item for r in result.rejected} == {"tl-20250916-1", "tl-20241208-1"}


def test_timeline_same_day_sorted_by_id(make_timeline_entry):
    doc = [make_timeline_entry(id="tl-b", date="2025-01-05"),
           make_timeline_entry(id="tl-a", date="2025-01-05"),
           make_timeline_entry(id="tl-0", date="2024-12-31")]
    result = load_timeline(json.dumps(doc), "t")
    assert [e["id"] for e in result.data] == ["tl-0", "tl-a", "tl-b"]


def test_timeline_bad_entries_rejected_with_reason(make_timeline_entry):
    doc = [
        make_timeline_entry(id="ok"),
        make_timeline_entry(id="ok", title="duplicate"),
        make_timeline_entry(id="nosrc", sources=[]),
        make_timeline_entry(id="kind", kind="rumour"),
        "not an entry",
    ]
    result = load_timeline(json.dumps(doc), "t")
    assert [e["id"] for e in result.data] == ["ok"]
    reasons = rejected_by_item(result)
    assert "duplicate id 'ok'" in reasons["ok"]
    assert "no source" in reasons["nosrc"]
    assert "kind 'rumour'" in reasons["kind"]
    assert reasons["entry 5"] == "not an object"


@pytest.mark.parametrize(
    ("text", "message"),
    [("{oops", "not valid JSON"), ('{"entries": []}', "expected a JSON list")],
)
def test_unreadable_timeline_raises(text, message):
    with pytest.raises(DatasetError, match=message):
        load_timeline(text, "t.json")
