"""The terrain view in the URL: parse and serialise, keys of its own, bad values."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qsl, urlsplit

import pytest

from geo.core.terrain import (
    DEFAULT_RADIUS_KM,
    SUMMIT,
    TerrainView,
    parse_terrain,
    point_of,
    point_spec,
    serialise_terrain,
    terrain_keys,
    terrain_link,
)
from geo.core.view import field_names, parse_view, serialise_view


def test_a_full_view_goes_through_the_url_and_back() -> None:
    view = TerrainView(observer=point_spec(35.8, 33.2), observer_height_m=25.5,
                       target_height_m=0, radius_km=60, versus=SUMMIT,
                       profile=(SUMMIT, "place_gn_167444", "33.10000,35.90000"))
    params = serialise_terrain(view)
    assert params == {"observer": "33.20000,35.80000", "h_obs": "25.5", "h_tgt": "0",
                      "radius": "60", "versus": "summit",
                      "profile": "summit;place_gn_167444;33.10000,35.90000"}
    assert parse_terrain(params) == view


def test_defaults_stay_out_of_the_url() -> None:
    assert serialise_terrain(TerrainView()) == {}
    assert serialise_terrain(TerrainView(observer=SUMMIT)) == {"observer": "summit"}
    assert parse_terrain({}) == TerrainView()


def test_terrain_keys_do_not_clash_with_the_view_and_old_links_still_open() -> None:
    assert not terrain_keys() & set(field_names())
    params = {**serialise_view(parse_view({"date": "2025-06-01", "zoom": "12"})),
              "observer": "summit", "radius": "20"}
    assert parse_view(params) == parse_view({"date": "2025-06-01", "zoom": "12"})
    assert parse_terrain(params) == TerrainView(observer=SUMMIT, radius_km=20)


def test_numbers_the_analysis_refuses_are_kept_so_that_the_page_can_say_why() -> None:
    assert parse_terrain({"radius": "0"}).radius_km == 0
    assert parse_terrain({"radius": "150"}).radius_km == 150
    assert parse_terrain({"radius": "far"}).radius_km == DEFAULT_RADIUS_KM
    assert parse_terrain({"radius": "nan"}).radius_km == DEFAULT_RADIUS_KM


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"observer": "<script>"}, TerrainView()),
        ({"observer": "Pos X"}, TerrainView()),
        ({"observer": "33.2,35.8,1"}, TerrainView()),
        ({"observer": "pos_abdin_base"}, TerrainView(observer="pos_abdin_base")),
        ({"profile": "summit"}, TerrainView()),  # one point is no line
        ({"profile": "summit;;pos_x"}, TerrainView()),
        ({"profile": ";".join(["summit"] * 51)}, TerrainView()),
        ({"observer": ["summit", "pos_x"]}, TerrainView(observer="pos_x")),
    ],
)
def test_what_is_not_a_place_falls_back(params: dict, expected: TerrainView) -> None:
    assert parse_terrain(params) == expected


def test_point_specs() -> None:
    assert point_of(point_spec(35.856931, 33.413289)) == (35.85693, 33.41329)
    assert point_of("summit") is None
    assert point_of("95.0,35.0") is None


def test_the_link_of_a_result_is_short_and_reopens_it() -> None:
    view = TerrainView(observer=SUMMIT, radius_km=20, profile=("place_gn_167444", "33.1,35.9"))
    link = terrain_link(dt.date(2025, 9, 16), view, "http://host:8501/")
    assert link == ("http://host:8501/terrain?date=2025-09-16&observer=summit&radius=20"
                    "&profile=place_gn_167444;33.1,35.9")
    query = dict(parse_qsl(urlsplit(link).query))
    assert parse_terrain(query) == view and parse_view(query).date == dt.date(2025, 9, 16)
