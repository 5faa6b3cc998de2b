"""Popups show the caveats where they matter: dates as precise as the source, republished
sources, how precisely a point is placed, an Arabic name with its source field, the rounded area
of a schematic polygon; every string escaped."""

from __future__ import annotations

import datetime as dt
import json
import re

import geopandas as gpd
import pandas as pd
import pytest

from geo.core.labels import MapLabel
from geo.core.timeline import state_at
from geo.data.incidents import incident_frame
from geo.data.loaders import DATA_DIR, load_all
from geo.render.labels import LabelLayer
from geo.render.payloads import (
    incident_payload,
    incident_style,
    json_text,
    rows_payload,
    shared_lines,
)
from geo.render.popups import (
    feature_popup,
    feature_tooltip,
    incident_popup,
    incident_tooltip,
    sources_html,
)
from tests.geo.render import popup_of, text_of

HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'><b>'


@pytest.fixture(scope="module")
def data() -> dict:
    return load_all(DATA_DIR)


@pytest.fixture(scope="module")
def features(data) -> gpd.GeoDataFrame:
    return state_at(data["layers"].data, dt.date(2026, 6, 28)).set_index("id", drop=False)


def row_of(features: gpd.GeoDataFrame, ident: str) -> dict:
    return features.loc[ident].to_dict()


def incident(data, ident: str) -> dict:
    frame = data["incidents"].data
    return frame[frame["event_id_cnty"] == ident].iloc[0].to_dict()


def test_month_only_date_reads_as_the_month(features) -> None:
    row = row_of(features, "pos_hermon_outpost_2400_m")
    assert row["date_precision"] == "month" and row["valid_from"] == "2024-12-22"
    popup = feature_popup(row)
    assert "Valid: Dec 2024 – open" in popup
    assert "2024-12-22" not in popup and "2024-12-01" not in popup


def test_incident_dates_follow_time_precision(data) -> None:
    frame = data["incidents"].data
    for code, pattern in ((1, r"<b>\d{1,2} [A-Z][a-z]{2} \d{4}</b>"),
                          (2, r"<b>about \d{1,2} [A-Z][a-z]{2} \d{4}</b>"),
                          (3, r"<b>[A-Z][a-z]{2} \d{4}</b>")):
        row = frame[frame["time_precision"] == code].iloc[0].to_dict()
        popup = incident_popup(row)
        assert re.search(pattern, popup), (code, popup[:120])
        assert row["event_date"] not in popup.split("Source:")[0]  # (a source's own date may)


def test_month_precision_incident_reads_may_2025(make_incident) -> None:
    row = incident_frame(pd.DataFrame([make_incident(event_date="2025-05-01",
                                                     time_precision="3")])).iloc[0].to_dict()
    assert "<b>May 2025</b>" in incident_popup(row) and "2025-05-01" not in incident_popup(row)


def test_republished_sources_are_marked(data, features) -> None:
    flagged = data["incidents"].data
    flagged = flagged[flagged["source_via_republisher"] == "true"]
    assert len(flagged) > 0
    assert "(via republisher)" in incident_popup(flagged.iloc[0].to_dict())
    plain = data["incidents"].data
    plain = plain[plain["source_via_republisher"] == "false"].iloc[0].to_dict()
    assert "via republisher" not in incident_popup(plain)
    html = sources_html([{"publisher": "MENAFN", "url": "https://menafn.com/x",
                          "via_republisher": True},
                         {"publisher": "Reuters", "url": "https://reuters.com/y",
                          "via_republisher": False}])
    assert html.count("(via republisher)") == 1
    assert re.search(r"MENAFN</a> <i>\(via republisher\)</i></li>", html)


def test_position_popup_states_its_location_precision(features) -> None:
    popup = feature_popup(row_of(features, "pos_al_adnaniyah_point_base"))
    assert ("Location: near the named place or part of an area (precision 2; circle 5 km)"
            in popup)
    assert "the source places it at" in popup


def test_arabic_name_shows_with_its_source_field(features, data) -> None:
    row = row_of(features, "place_gn_5174")
    popup = feature_popup(row)
    assert f"<span dir='auto' lang='ar'>{row['name_ar']}</span>" in popup
    assert f"(Arabic: {row['name_ar_source']})" in popup
    assert "<span dir='auto' lang='ar'>" in feature_tooltip(row)
    event = incident(data, "SIS20241209-01")
    assert f"<span dir='auto' lang='ar'>{event['place_ar']}</span>" in incident_popup(event)
    assert f"(the place's Arabic name: {event['place_ar_source']})" in incident_popup(event)
    position = row_of(features, "pos_al_adnaniyah_point_base")  # placed at Al Qahtaniyah
    assert (f"{position['name_ar']}</span> <small>(the place's Arabic name: "
            f"{position['name_ar_source']})") in feature_popup(position)


def test_schematic_polygon_shows_its_rounded_area(features) -> None:
    popup = feature_popup(row_of(features, "prop_sw_zones"))
    assert "Area: ≈ 6,300 km² (schematic); cut at 36.6° E" in popup
    assert "Area:" not in feature_popup(row_of(features, "aos_osm"))


def test_derived_district_and_the_reported_one(data) -> None:
    event = incident(data, "SIS20250501-01")
    assert event["admin2"] == "Fiq" and event["admin2_reported"] == "Quneitra"
    assert "District: Fiq (from the point) · the report says Quneitra" in incident_popup(event)


@pytest.mark.parametrize("field", ["name_ar", "name_ar_source", "area_label",
                                   "location_precision_reported"])
def test_new_feature_strings_are_escaped(features, field) -> None:
    row = {**row_of(features, "pos_al_adnaniyah_point_base"), "name_ar": "x", field: HOSTILE}
    popup = feature_popup(row)
    assert "<script" not in popup and "<img" not in popup
    assert "&lt;script&gt;" in popup


@pytest.mark.parametrize("field", ["place_ar", "place_ar_source", "admin2", "admin2_reported"])
def test_new_incident_strings_are_escaped(data, field) -> None:
    row = {**incident(data, "SIS20241209-01"), field: HOSTILE}
    popup = incident_popup(row)
    assert "<script" not in popup and "<img" not in popup


def test_positions_carry_an_uncertainty_radius(features, data) -> None:
    positions = features[features["layer"] == "position"]
    payload = rows_payload(positions.to_dict("records"))
    radii = {f["id"]: f["properties"]["r_m"] for f in payload["features"]}
    assert radii["pos_al_adnaniyah_point_base"] == 5000
    assert set(radii.values()) <= {1000, 5000, 20000} and len(radii) == len(positions)
    others = rows_payload(features[features["layer"] == "place"].head(3).to_dict("records"))
    assert all("r_m" not in f["properties"] for f in others["features"])
    events = incident_payload(data["incidents"].data.head(5))
    assert all(f["properties"]["r_m"] in (1000, 5000, 20000) for f in events["features"])


def test_unlocated_positions_are_never_drawn(features, data) -> None:
    unlocated = {row["id"] for row in data["unlocated"].data}
    assert unlocated and unlocated.isdisjoint(set(features["id"]))


def test_incident_payload_sends_tooltip_once_and_styles_as_a_table(data) -> None:
    frame = data["incidents"].data
    payload = incident_payload(frame)
    table = payload["styles"]
    # a handful of styles (event types by fatality buckets), each sent once
    assert len(table) < len(frame) and len({repr(s) for s in table}) == len(table)
    for feature, row in zip(payload["features"], frame.to_dict("records"), strict=True):
        props = feature["properties"]
        assert popup_of(payload, props) == incident_popup(row)
        assert text_of(payload, props["tip"]) == incident_tooltip(row)
        assert text_of(payload, props["tip"]) not in text_of(payload, props["more"])
        assert table[props["s"]] == incident_style(row["event_type"], row.get("fatalities"))
        assert set(props) == {"tip", "more", "s", "r_m"}
    # the lines that recur are sent once
    assert len(set(payload["lines"])) == len(payload["lines"]) > 0
    sent = [x for f in payload["features"] for key in ("tip", "more")
            for x in f["properties"][key]]
    assert not set(payload["lines"]) & {x for x in sent if isinstance(x, str)}
    assert sum(isinstance(x, int) for x in sent) > len(payload["lines"])


def test_shared_lines_join_back_exactly() -> None:
    texts = ["<b>a</b><br>same line<br>x", "same line<br><br>y<br>", "", "<br>"]
    table, parts = shared_lines(texts)
    assert table == ["same line"]
    assert [text_of({"lines": table}, p) for p in parts] == texts


def test_json_text_cannot_leave_its_script() -> None:
    data = {"t": HOSTILE + "</SCRIPT><!--<script>\u2028\u2029 دمشق · & \ud800", "n": [1.5, None]}
    text = json_text(data)
    assert "<" not in text and "\u2028" not in text and "\u2029" not in text
    assert "\ud800" not in text and text.encode("utf-8")
    assert json.loads(text) == data
    assert "دمشق ·" in text  # other text as it is (six bytes a character when escaped)


def test_place_label_popups_share_their_recurring_lines(features) -> None:
    places = features[features["layer"] == "place"].head(12).to_dict("records")
    labels = [MapLabel(row["id"], "places", "place", str(row["name"]), str(row["name"]), "en",
                       35.8, 33.0, 1.0, 8, edge=k == 0) for k, row in enumerate(places)]
    popups = {row["id"]: feature_popup(row) for row in places[1:]}  # the first has none
    data = LabelLayer(labels, popups).data
    assert "pop" not in data["labels"][0] and data["labels"][0]["edge"] is True
    assert all("edge" not in label for label in data["labels"][1:])
    joined = [text_of({"lines": data["lines"]}, label["pop"]) for label in data["labels"][1:]]
    assert joined == [popups[row["id"]] for row in places[1:]]
    assert data["lines"] and len(json_text(data)) < len(json_text(list(popups.values())))
