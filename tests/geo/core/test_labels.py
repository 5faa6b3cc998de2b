"""The map's labels: text by language with English fallback, priority, zoom, placement and the
collision rule (geo.core.labels), and the label language in the view (geo.core.view)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from shapely.geometry import LineString, Point, box

from geo.core.labels import (
    MapLabel,
    declutter,
    map_labels,
    overlaps,
    place_rank,
    view_bounds,
    visible_at,
)
from geo.core.timeline import state_at
from geo.core.view import DEFAULT_CENTER, ViewState, parse_view, permalink, serialise_view
from geo.data.loaders import load_layers

TODAY = dt.date(2026, 1, 31)


@pytest.fixture(scope="module")
def rows() -> list[dict[str, Any]]:
    return state_at(load_layers().data, "2025-06-01").to_dict("records")


def default_labels(rows: list[dict[str, Any]], lang: str) -> list[MapLabel]:
    lat, lon, zoom = DEFAULT_CENTER
    return visible_at(map_labels(rows, lang, view_bounds(lat, lon, zoom)), zoom)


def by_id(labels: list[MapLabel]) -> dict[str, MapLabel]:
    return {label.id: label for label in labels}


def test_default_view_names_the_briefing_places_lines_and_zones(rows):
    texts = {label.text for label in default_labels(rows, "en")}
    for text in ("Quneitra", "Damascus", "Majdal Shams", "Khān Arnabah", "Line A",
                 "Line B (inferred)", "Area of Separation (UNDOF)", "Mount Hermon 2,814 m",
                 "Syria", "Israel", "Lebanon", "Jordan", "10 km", "20 km", "25 km"):
        assert text in texts, text


def test_summit_height_and_symbol_come_from_the_data(rows):
    changed = [{**r, "elevation_m": 1234} if r["id"] == "hermon_summit" else r for r in rows]
    summit = by_id(default_labels(changed, "en"))["hermon_summit"]
    assert summit.text == "Mount Hermon 1,234 m"
    assert summit.symbol == "▲" and summit.kind == "summit"
    # without a height in the data there is no summit label (never a typed-in value)
    bare = [{**r, "elevation_m": None} if r["id"] == "hermon_summit" else r for r in rows]
    assert "hermon_summit" not in by_id(default_labels(bare, "en"))


def test_arabic_and_hebrew_names_with_english_fallback(rows):
    arabic = by_id(default_labels(rows, "ar"))
    assert arabic["place_gn_173334"].text == "القنيطرة"
    assert arabic["place_gn_173334"].rtl and arabic["place_gn_173334"].lang == "ar"
    assert arabic["place_gn_173334"].text_en == "Quneitra"
    assert arabic["country_syria"].text == "سوريا"
    # the agreement's terms stay English, and say so by their language
    assert arabic["alpha_line_osm"].text == "Line A" and arabic["alpha_line_osm"].lang == "en"
    assert not arabic["alpha_line_osm"].rtl
    hebrew = by_id(default_labels(rows, "he"))
    assert hebrew["place_gn_173334"].text == "קוניטרה" and hebrew["place_gn_173334"].rtl
    # Khan Arnabah has no Hebrew name in its source: its English name is shown
    assert hebrew["place_gn_168355"].text == "Khān Arnabah"
    assert hebrew["place_gn_168355"].lang == "en"


def test_unknown_language_falls_back_to_english(rows):
    labels = by_id(default_labels(rows, "xx"))
    assert labels["place_gn_173334"].text == "Quneitra" and labels["place_gn_173334"].lang == "en"


def test_more_places_appear_as_you_zoom_in(rows):
    lat, lon, _ = DEFAULT_CENTER
    labels = map_labels(rows, "en", view_bounds(lat, lon, 10))
    counts = [len([lb for lb in visible_at(labels, z) if lb.kind == "place"])
              for z in (7, 9, 10, 12)]
    assert counts == sorted(counts) and counts[0] < counts[-1]
    assert {lb.text for lb in visible_at(labels, 7) if lb.kind == "place"} >= {"Damascus"}
    assert "Quneitra" in {lb.text for lb in visible_at(labels, 9)}


def test_place_rank_by_population_and_seat():
    assert place_rank({"population": 1_569_394})[1] == 7
    assert place_rank({"population": 36_143})[1] == 9
    assert place_rank({"population": 0})[1] == 12
    assert place_rank({"population": 0, "feature_code": "PPLA3"})[1] == 10
    assert place_rank({"population": 50_000})[0] > place_rank({"population": 5_000})[0]
    assert place_rank({"population": None})[1] == 12


def test_labels_are_sorted_by_priority_with_the_summit_and_lines_first(rows):
    labels = default_labels(rows, "en")
    assert [lb.priority for lb in labels] == sorted((lb.priority for lb in labels), reverse=True)
    assert labels[0].id == "hermon_summit"
    assert {labels[1].id, labels[2].id} == {"alpha_line_osm", "bravo_line_inferred"}


def test_line_and_area_labels_sit_on_their_geometry_in_view(rows):
    lat, lon, zoom = DEFAULT_CENTER
    bounds = view_bounds(lat, lon, zoom)
    geoms = {r["id"]: r["geometry"] for r in rows}
    view = box(*bounds)
    for label in default_labels(rows, "en"):
        if label.kind in ("line", "band", "zone"):
            point = Point(label.lon, label.lat)
            assert geoms[label.id].distance(point) < 1e-4, label.id
            assert view.contains(point), label.id
    # the country label stays off the Golan
    golan = geoms["golan_osm"]
    israel = by_id(default_labels(rows, "en"))["country_israel"]
    assert not golan.contains(Point(israel.lon, israel.lat))


def test_groups_filter_the_labels(rows):
    lat, lon, zoom = DEFAULT_CENTER
    labels = map_labels(rows, "en", view_bounds(lat, lon, zoom), groups={"lines_1974"})
    assert {lb.group for lb in labels} == {"lines_1974"}
    assert "country_syria" not in by_id(labels)


def test_declutter_keeps_the_higher_priority_of_two_overlapping_labels():
    def label(i: str, priority: float) -> MapLabel:
        return MapLabel(i, "places", "place", i, i, "en", 0.0, 0.0, priority, 6)

    boxes = {"a": (0, 0, 50, 10), "b": (40, 5, 90, 15), "c": (100, 0, 150, 10)}
    kept = declutter([label("b", 2), label("a", 1), label("c", 0)], lambda lb: boxes[lb.id])
    assert [lb.id for lb in kept] == ["b", "c"]
    assert overlaps((0, 0, 10, 10), (11, 0, 20, 10), gap=2)
    assert not overlaps((0, 0, 10, 10), (13, 0, 20, 10), gap=2)


def test_line_label_is_placed_from_the_north_end():
    north_first = LineString([(0.0, 1.0), (0.0, 0.0)])
    rows = [{"id": "a", "layer": "alpha_line", "name": "x", "geometry": north_first},
            {"id": "b", "layer": "bravo_line", "name": "y",
             "geometry": LineString([(0.1, 0.0), (0.1, 1.0)])}]
    labels = by_id(map_labels(rows, "en", (-1.0, -1.0, 1.0, 2.0)))
    assert labels["a"].lat > labels["b"].lat


def test_view_bounds_contain_the_centre_and_grow_as_you_zoom_out():
    lat, lon, zoom = DEFAULT_CENTER
    west, south, east, north = view_bounds(lat, lon, zoom)
    assert west < lon < east and south < lat < north
    wide = view_bounds(lat, lon, zoom - 1)
    assert wide[2] - wide[0] == pytest.approx(2 * (east - west))


def test_lang_is_kept_in_the_permalink_and_bad_values_fall_back():
    view = parse_view({"lang": "ar"}, today=TODAY)
    assert view.lang == "ar"
    assert serialise_view(view)["lang"] == "ar"
    assert "lang=he" in permalink(view.replace(lang="he"))
    assert parse_view({"lang": "fr"}, today=TODAY).lang == "en"
    assert parse_view({}, today=TODAY).lang == "en"
    assert "lang" not in serialise_view(ViewState(date=TODAY))
