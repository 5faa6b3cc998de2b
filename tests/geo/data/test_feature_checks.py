"""The properties the map shows beyond the core schema: loaded and kept, checked, and refused
with a reason when wrong (geo.data.feature_checks through the loaders)."""

from __future__ import annotations

import json

import pytest

from geo.data.loaders import DATA_DIR, load_feature_collection, load_layers
from tests.conftest import DROP


def collection(*features) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


@pytest.fixture(scope="module")
def layers():
    return load_layers(DATA_DIR).data.set_index("id", drop=False)


def test_real_layers_keep_the_new_properties(layers) -> None:
    moved = layers.loc["pos_al_adnaniyah_point_base"]
    assert moved["geo_precision"] == 2 and moved["located"] is True
    assert moved["location_precision_reported"]
    sw = layers.loc["prop_sw_zones"]
    assert sw["area_km2"] == 6300 and sw["cut_at_lon"] == 36.6
    assert sw["area_label"].startswith("≈ 6,300 km² (schematic); cut at 36.6° E")
    assert layers.loc["place_gn_5174", "name_ar_source"].startswith("WOF ")
    positions = layers[layers["layer"] == "position"]
    assert positions["geo_precision"].isin([1, 2, 3]).all()
    assert (positions["located"] == True).all()  # noqa: E712 (an object column)
    named = layers[layers["name_ar"] != ""]
    assert len(named) > 50 and (named["name_ar_source"] != "").all()


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"geo_precision": DROP}, "a position needs geo_precision"),
        ({"geo_precision": 4}, "geo_precision 4 is not 1, 2 or 3"),
        ({"geo_precision": True}, "geo_precision True is not 1, 2 or 3"),
        ({"geo_precision": "2"}, "geo_precision '2' is not 1, 2 or 3"),
        ({"located": False}, "belongs in positions_unlocated.geojson"),
        ({"located": "yes"}, "located is not true or false"),
        ({"name_ar": "القنيطرة"}, "name_ar without name_ar_source"),
        ({"layer": "proposal_buffer_zone", "area_km2": 420}, "area_km2 without area_label"),
        ({"layer": "proposal_buffer_zone", "area_km2": "420", "area_label": "≈ 420 km²"},
         "area_km2 is not a positive number"),
        ({"layer": "proposal_buffer_zone", "area_km2": 0, "area_label": "≈ 0 km²"},
         "area_km2 is not a positive number"),
        ({"cut_at_lon": "36.6° E"}, "cut_at_lon is not a longitude"),
        ({"inside_golan_per_source": "true"}, "inside_golan_per_source is not true or false"),
    ],
)
def test_bad_new_property_is_rejected_and_good_feature_kept(make_feature, overrides,
                                                            reason: str) -> None:
    bad = make_feature(id="bad", **overrides)
    result = load_feature_collection(collection(make_feature(id="good"), bad), "t.geojson")
    assert list(result.data["id"]) == ["good"]
    assert [r.item for r in result.rejected] == ["bad"]
    assert reason in result.rejected[0].reason, result.rejected[0].reason


def test_features_other_than_positions_need_no_precision(make_feature) -> None:
    place = make_feature(layer="place", status="reference", geo_precision=DROP, located=DROP,
                         name_ar="القنيطرة", name_ar_source="WOF 1 name:ara_x_preferred")
    result = load_feature_collection(collection(place), "t.geojson")
    assert result.ok
    row = result.data.iloc[0]
    assert row["name_ar_source"] == "WOF 1 name:ara_x_preferred"
    assert row["geo_precision"] is None and row["area_label"] == ""
