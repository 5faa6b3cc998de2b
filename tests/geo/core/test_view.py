"""geo.core.view: query parameters <-> ViewState; bad values fall back to defaults."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo.core.view import (
    DEFAULT_CENTER,
    MIN_DATE,
    ViewState,
    field_names,
    parse_view,
    permalink,
    serialise_view,
)
from geo.core.vocabulary import BASEMAPS, DEFAULT_LAYERS, DEFAULT_WINDOW, LAYER_GROUPS, WINDOWS

TODAY = dt.date(2026, 1, 20)


@pytest.fixture
def view() -> ViewState:
    return ViewState(date=dt.date(2025, 9, 16), window="90", layers=("lines_1974", "incidents"),
                     basemap="satellite", lat=33.1234, lon=35.8244, zoom=12,
                     event="tl-20250916-1")


def test_empty_params_give_defaults():
    got = parse_view({}, today=TODAY)
    assert got == ViewState(date=TODAY)
    assert (got.window, got.layers, got.basemap) == (DEFAULT_WINDOW, DEFAULT_LAYERS, "offline")
    assert (got.lat, got.lon, got.zoom) == DEFAULT_CENTER
    assert got.event is None


def test_round_trip(view):
    params = serialise_view(view)
    assert params == {
        "date": "2025-09-16", "window": "90", "layers": "lines_1974,incidents",
        "basemap": "satellite", "lat": "33.1234", "lon": "35.8244", "zoom": "12",
        "event": "tl-20250916-1",
    }
    assert parse_view(params, today=TODAY) == view


def test_round_trip_without_layers_or_event(view):
    bare = view.replace(layers=(), event=None)
    params = serialise_view(bare)
    assert "event" not in params
    assert parse_view(params, today=TODAY) == bare


def test_serialise_rounds_the_centre(view):
    params = serialise_view(view.replace(lat=33.123456789, lon=35.8))
    assert (params["lat"], params["lon"]) == ("33.1235", "35.8000")


views = st.builds(
    ViewState,
    date=st.dates(min_value=MIN_DATE, max_value=TODAY),
    window=st.sampled_from(list(WINDOWS)),
    layers=st.lists(st.sampled_from(sorted(LAYER_GROUPS)), unique=True).map(tuple),
    basemap=st.sampled_from(BASEMAPS),
    lat=st.floats(-90, 90).map(lambda x: round(x, 4)),
    lon=st.floats(-180, 180).map(lambda x: round(x, 4)),
    zoom=st.integers(1, 18),
    event=st.none() | st.text(min_size=1, max_size=80).filter(lambda s: "\x00" not in s),
)


@given(views)
def test_round_trip_property(view):
    assert parse_view(serialise_view(view), today=TODAY) == view


@given(views)
def test_round_trip_through_permalink_url(view):
    url = permalink(view, "https://example.org/app", "map")
    query = parse_qs(urlsplit(url).query, keep_blank_values=True)
    assert parse_view(query, today=TODAY) == view


@pytest.mark.parametrize(
    ("params", "field", "expected"),
    [
        ({"date": "2026-01-21"}, "date", TODAY),  # in the future
        ({"date": "2999-12-31"}, "date", TODAY),
        ({"date": "yesterday"}, "date", TODAY),
        ({"date": "2025-02-30"}, "date", TODAY),
        ({"date": "1967-06-10"}, "date", TODAY),  # before 31 May 1974
        ({"date": ""}, "date", TODAY),
        ({"date": "1974-05-31"}, "date", MIN_DATE),
        ({"date": "2026-01-20"}, "date", TODAY),
        ({"window": "14"}, "window", DEFAULT_WINDOW),
        ({"window": "since"}, "window", "since"),
        ({"layers": "lines_1974,bogus,places"}, "layers", ("lines_1974", "places")),
        ({"layers": "bogus"}, "layers", ()),
        ({"layers": "<script>alert(1)</script>"}, "layers", ()),
        ({"layers": ""}, "layers", ()),
        ({"basemap": "google"}, "basemap", "offline"),
        ({"basemap": "topo"}, "basemap", "topo"),
        ({"zoom": "25"}, "zoom", DEFAULT_CENTER[2]),
        ({"zoom": "0"}, "zoom", DEFAULT_CENTER[2]),
        ({"zoom": "-3"}, "zoom", DEFAULT_CENTER[2]),
        ({"zoom": "close"}, "zoom", DEFAULT_CENTER[2]),
        ({"zoom": "nan"}, "zoom", DEFAULT_CENTER[2]),
        ({"zoom": "12.7"}, "zoom", 12),
        ({"zoom": "18"}, "zoom", 18),
        ({"lat": "91"}, "lat", DEFAULT_CENTER[0]),
        ({"lat": "inf"}, "lat", DEFAULT_CENTER[0]),
        ({"lat": "x"}, "lat", DEFAULT_CENTER[0]),
        ({"lon": "-181"}, "lon", DEFAULT_CENTER[1]),
        ({"lon": "nan"}, "lon", DEFAULT_CENTER[1]),
        ({"lat": "33.5"}, "lat", 33.5),
        ({"event": ""}, "event", None),
        ({"event": "x" * 500}, "event", "x" * 80),
    ],
)
def test_bad_values_fall_back_to_defaults(params, field, expected):
    got = parse_view(params, today=TODAY)
    assert getattr(got, field) == expected
    # the other fields keep their defaults
    default = parse_view({}, today=TODAY)
    for other in field_names():
        if other != field:
            assert getattr(got, other) == getattr(default, other), other


def test_one_bad_value_does_not_spoil_the_others(view):
    params = serialise_view(view) | {"zoom": "99", "basemap": "evil"}
    got = parse_view(params, today=TODAY)
    assert got == view.replace(zoom=DEFAULT_CENTER[2], basemap="offline")


def test_list_values_use_the_last_item():
    got = parse_view({"date": ["2025-01-01", "2025-02-01"], "basemap": []}, today=TODAY)
    assert got.date == dt.date(2025, 2, 1)
    assert got.basemap == "offline"


def test_default_date_is_today_without_coverage():
    assert parse_view({}).date == dt.date.today()


def test_default_date_is_the_last_day_the_data_cover():
    latest, today = dt.date(2026, 6, 28), dt.date(2026, 12, 1)
    assert parse_view({}, today=today, latest=latest).date == latest
    assert parse_view({"date": "bad"}, today=today, latest=latest).date == latest
    # An explicit later date (up to today) is kept: the page says there is no data after it.
    later = parse_view({"date": "2026-10-01"}, today=today, latest=latest)
    assert later.date == dt.date(2026, 10, 1)
    # Coverage reaching past today (a clock set back) never opens a future view.
    assert parse_view({}, today=dt.date(2026, 1, 1), latest=latest).date == dt.date(2026, 1, 1)


@pytest.mark.parametrize(("window", "days"), [("7", 7), ("30", 30), ("365", 365), ("since", None)])
def test_window_days(window, days):
    assert ViewState(date=TODAY, window=window).window_days == days


def test_permalink_contains_the_params(view):
    url = permalink(view, "https://example.org/app/", "map")
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://example.org/app/map"
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert query == serialise_view(view)
    assert "date=2025-09-16" in url
    assert "layers=lines_1974%2Cincidents" in url
    assert "zoom=12" in url and "event=tl-20250916-1" in url


def test_permalink_without_base_is_a_relative_query(view):
    url = permalink(view)
    assert url.startswith("?date=2025-09-16&window=90&layers=")


def test_permalink_escapes_the_event(view):
    url = permalink(view.replace(event="a&b=c #x"), "https://e.org")
    query = parse_qs(urlsplit(url).query)
    assert query["event"] == ["a&b=c #x"]
    assert "b" not in query
