"""geo.data.audit: the cross-dataset checks pass on the real data/ and fail on bad examples;
every Arabic name shown (as the loaders keep it) is the value of the source field it names in
the staged ../shared/geodata."""

from __future__ import annotations

import copy
import csv
import json
import os
import re
from pathlib import Path

import pytest

from geo.data.audit import (
    INSIDE_GOLAN_FLAG,
    INSIDE_GOLAN_NOTE,
    audit,
    check_positions_start,
    check_syrian_side,
)
from geo.data.loaders import load_all, load_unlocated_positions
from tests.conftest import DATA_DIR, ROOT

UNLOCATED = DATA_DIR / "positions_unlocated.geojson"
#: The staged material (CI lays a copy of shared/ beside the clone; SHARED_DIR overrides it).
SHARED_GEODATA = Path(os.environ.get("SHARED_DIR") or ROOT.parent / "shared") / "geodata"
#: A point inside the OSM Golan polygon: Majdal Shams (GeoNames), west of Line A.
MAJDAL_SHAMS = "place_gn_167444"


@pytest.fixture(scope="module")
def results():
    return load_all(DATA_DIR)


@pytest.fixture
def layers(results):
    return results["layers"].data.copy()


@pytest.fixture
def incidents(results):
    return results["incidents"].data.copy()


@pytest.fixture
def timeline(results):
    return copy.deepcopy(results["timeline"].data)


def golan_point(layers):
    return layers.loc[layers["id"] == MAJDAL_SHAMS].geometry.iloc[0]


def move_incident_into_golan(incidents, layers, ident):
    point = golan_point(layers)
    row = incidents.index[incidents["event_id_cnty"] == ident][0]
    incidents.loc[row, ["longitude", "latitude"]] = [point.x, point.y]
    return row


# ---------------------------------------------------------------------------------------------
# The real data pass


def test_real_data_pass_every_check(layers, incidents, timeline):
    assert audit(layers, incidents, timeline) == []


def test_real_unlocated_positions_pass(layers):
    result = load_unlocated_positions(UNLOCATED, UNLOCATED.name, layers["id"])
    assert result.rejected == []
    assert len(result.data) >= 1


def test_unlocated_positions_are_not_a_drawn_layer(layers):
    unlocated = {f["properties"]["id"]
                 for f in json.loads(UNLOCATED.read_text(encoding="utf-8"))["features"]}
    assert unlocated.isdisjoint(set(layers["id"]))


# ---------------------------------------------------------------------------------------------
# (i) Syrian-side items may not fall inside the Golan polygon


def test_position_moved_into_the_golan_is_rejected(layers, incidents):
    target = layers.index[layers["id"] == "pos_al_qahtaniyah_site"][0]
    layers.loc[target, "geometry"] = golan_point(layers)
    rejected = check_syrian_side(layers, incidents)
    assert [(r.dataset, r.item) for r in rejected] == [("positions.geojson",
                                                        "pos_al_qahtaniyah_site")]
    assert "inside the Golan polygon" in rejected[0].reason


def test_incident_moved_into_the_golan_is_rejected(layers, incidents):
    move_incident_into_golan(incidents, layers, "SIS20250108-01")
    rejected = check_syrian_side(layers, incidents)
    assert [(r.dataset, r.item) for r in rejected] == [("incidents.csv", "SIS20250108-01")]


def test_source_flag_with_its_words_lets_an_item_stand_inside(layers, incidents):
    row = move_incident_into_golan(incidents, layers, "SIS20250108-01")
    incidents[INSIDE_GOLAN_FLAG] = ""
    incidents[INSIDE_GOLAN_NOTE] = ""
    incidents.loc[row, INSIDE_GOLAN_FLAG] = "true"
    assert "without" in check_syrian_side(layers, incidents)[0].reason
    incidents.loc[row, INSIDE_GOLAN_NOTE] = "the report says: 'in Majdal Shams'"
    assert check_syrian_side(layers, incidents) == []


def test_missing_golan_polygon_is_reported(layers, incidents):
    rejected = check_syrian_side(layers[layers["id"] != "golan_osm"], incidents)
    assert [r.item for r in rejected] == ["golan_osm"]


# ---------------------------------------------------------------------------------------------
# (ii) No Israeli position starts before 8 Dec 2024


def test_position_starting_before_the_fall_of_assad_is_rejected(layers, timeline):
    target = layers.index[layers["id"] == "pos_hermon_outpost_2400_m"][0]
    layers.loc[target, "valid_from"] = "2024-12-01"
    rejected = check_positions_start(layers, timeline)
    assert [r.item for r in rejected] == ["pos_hermon_outpost_2400_m"]
    assert "2024-12-01 is before 2024-12-08" in rejected[0].reason


def test_older_features_are_not_positions(layers, timeline):
    assert (layers.loc[layers["layer"] != "position", "valid_from"] < "2024-12-08").any()
    assert check_positions_start(layers, timeline) == []


def test_timeline_entry_starting_a_position_early_is_rejected(layers, timeline):
    entry = next(e for e in timeline if e["date"] == "1974-05-31")
    entry["changes"] = [*entry["changes"], "pos_abdin_base"]
    rejected = check_positions_start(layers, timeline)
    assert [(r.dataset, r.item) for r in rejected] == [("timeline.json", entry["id"])]
    assert "pos_abdin_base" in rejected[0].reason


# ---------------------------------------------------------------------------------------------
# Unlocated positions


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda f: f.update(geometry={"type": "Point", "coordinates": [35.9, 33.0]}),
         "must be null"),
        (lambda f: f["properties"].update(located=True), "located must be false"),
        (lambda f: f["properties"].pop("location_area"), "missing location_area"),
        (lambda f: f["properties"].update(valid_from="2024-11-30"), "before 2024-12-08"),
        (lambda f: f["properties"].update(sources=[]), "no source"),
        (lambda f: f["properties"].update(location_area_id="gov_XX99"), "not a layer feature"),
        (lambda f: f["properties"].update(id="pos_abdin_base"), "also a drawn layer feature"),
        (lambda f: f["properties"].update(layer="place"), "layer must be 'position'"),
    ],
)
def test_bad_unlocated_position_is_rejected(layers, change, reason):
    doc = json.loads(UNLOCATED.read_text(encoding="utf-8"))
    change(doc["features"][0])
    result = load_unlocated_positions(json.dumps(doc), UNLOCATED.name, layers["id"])
    assert [r.item for r in result.rejected] == [doc["features"][0]["properties"]["id"]]
    assert reason in result.rejected[0].reason
    assert len(result.data) == len(doc["features"]) - 1  # the others are still listed


# ---------------------------------------------------------------------------------------------
# Arabic names: every one shown names its source field, never GeoNames


def shown_arabic_names():
    """(item, Arabic name, source field) of every Arabic name the app shows: the layer features,
    the positions listed but not placed and the incidents, as the loaders keep them."""
    data = load_all(DATA_DIR)
    out = [(row["id"], row["name_ar"], row["name_ar_source"])
           for row in data["layers"].data.to_dict("records") if row["name_ar"]]
    out += [(row["id"], row["name_ar"], row["name_ar_source"] or "")
            for row in data["unlocated"].data if row["name_ar"]]
    out += [(row["event_id_cnty"], row["place_ar"], row["place_ar_source"])
            for row in data["incidents"].data.to_dict("records") if row["place_ar"]]
    return out


def test_loaders_keep_every_arabic_name_of_the_files():
    in_files = []
    for path in [*sorted((DATA_DIR / "layers").glob("*.geojson")), UNLOCATED]:
        for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
            props = feature["properties"]
            if props.get("name_ar"):
                in_files.append((props["id"], props["name_ar"], props.get("name_ar_source", "")))
    with (DATA_DIR / "incidents.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row.get("place_ar"):
                in_files.append((row["event_id_cnty"], row["place_ar"], row["place_ar_source"]))
    assert sorted(shown_arabic_names()) == sorted(in_files)


def test_every_arabic_name_is_arabic_script_with_a_named_non_geonames_source():
    names = shown_arabic_names()
    assert len(names) > 100
    assert sum(item.startswith("SIS") for item, _, _ in names) > 80
    arabic = re.compile(r"^[\u0621-\u064A\u064B-\u0652 \-]+$")  # no Persian/Kurdish letters
    bad = [(item, name, source) for item, name, source in names
           if not arabic.match(name) or not source or "geonames" in source.lower()]
    assert bad == []


def _staged_values(source: str, staged: dict) -> set[str]:
    """The Arabic values that the source field named by ``source`` holds in the staged files."""
    if m := re.match(r"WOF (\d+) name:ara_x_(preferred|variant)$", source):
        key = "name_ar" if m.group(2) == "preferred" else "name_ar_variant"
        return set((staged["wof"][m.group(1)].get(key) or "").split("|"))
    if m := re.match(r"OSM relation (\d+) name:ar$", source):
        return {staged["osm"][m.group(1)]}
    if source.startswith("OSM name:ar of the A-Line ways"):
        return set(staged["alpha"])
    if m := re.match(r"OCHA COD-AB ADM1_AR \((SY\d+)\)$", source):
        return {staged["adm1"][m.group(1)]}
    if m := re.match(r"OCHA COD-AB ADM2_AR \((SY\d+)\), via the OpenSyria", source):
        return set(staged["adm2"][m.group(1)])
    raise AssertionError(f"unknown Arabic-name source {source!r}")


@pytest.fixture(scope="module")
def staged() -> dict:
    """The Arabic-name fields of the staged ../shared/geodata, by source."""
    # Never skipped: CI has the staged ../shared beside the clone, and so does a working copy.
    assert SHARED_GEODATA.exists(), f"the staged geodata are needed here: {SHARED_GEODATA}"
    read = lambda name: json.loads((SHARED_GEODATA / name).read_text(encoding="utf-8"))  # noqa: E731
    props = lambda name: [f["properties"] for f in read(name)["features"]]  # noqa: E731
    found = {
        "wof": {str(p["wof_id"]): p for p in props("wof_localities_sy_il_clip.geojson")},
        "osm": {str(p["osm_id"]): p["name_ar"] for name in (
            "osm_golan_heights_disputed.geojson", "osm_undof_area_of_separation.geojson",
            "osm_admin0_countries_clip.geojson") for p in props(name)},
        "alpha": [p["name_ar"] for p in props("osm_undof_boundary_segments.geojson")
                  if p["segment_role"] == "alpha_line"],
        "adm1": {p["ADM1_PCODE"]: p["ADM1_AR"] for p in props("cod_ab_syr_adm1_clip.geojson")},
        "adm2": {},
    }
    for p in props("wof_syr_districts_clip.geojson"):
        found["adm2"].setdefault(p["ocha_adm2_pcode_xwalk"], []).append(
            p["ocha_adm2_name_ar_xwalk"])
    return found


def wrong_names(names, staged: dict) -> list[tuple[str, str, str]]:
    return [(item, name, source) for item, name, source in names
            if name not in _staged_values(source, staged)]


def test_every_arabic_name_is_the_value_of_its_source_field(staged):
    assert wrong_names(shown_arabic_names(), staged) == []


def test_a_name_not_in_its_source_field_is_caught(staged):
    names = shown_arabic_names()
    item, _, source = names[0]
    swapped = [(item, "السجن", source), *names[1:]]  # the GeoNames alternate of Al Mazra'ah
    assert wrong_names(swapped, staged) == [(item, "السجن", source)]
    with pytest.raises(AssertionError, match="unknown Arabic-name source"):
        wrong_names([(item, names[0][1], "GeoNames alternate names")], staged)
