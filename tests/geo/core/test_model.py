"""Per-item validators in geo.core.model: valid items pass, each broken item names its reason."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo.core.model import (
    BASES,
    CONFIDENCES,
    STATUSES,
    check_feature_properties,
    check_sources,
    check_timeline_entry,
    is_http_url,
    parse_date,
    safe_url,
)
from tests.conftest import DROP

TODAY = dt.date(2026, 1, 20)


def reasons_text(reasons: list[str]) -> str:
    return " | ".join(reasons)


# ---------------------------------------------------------------------------------------------
# parse_date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-12-08", dt.date(2024, 12, 8)),
        (" 2024-12-08 ", dt.date(2024, 12, 8)),
        ("1974-05-31", dt.date(1974, 5, 31)),
        (dt.date(2025, 1, 5), dt.date(2025, 1, 5)),
        (dt.datetime(2025, 1, 5, 13, 30), dt.date(2025, 1, 5)),
    ],
)
def test_parse_date_accepts_iso_dates(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "not a date",
        "2024-13-01",
        "2024-02-30",
        "2024-12-8",
        "08/12/2024",
        "2024-12",
        "2024",
        # Python 3.11's fromisoformat also reads these; they are not YYYY-MM-DD and would
        # break the ISO string comparisons used by geo.core.timeline.
        "20241208",
        "2024-W50-1",
        20241208,
        1733616000.0,
    ],
)
def test_parse_date_refuses_anything_but_yyyy_mm_dd(value):
    assert parse_date(value) is None


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_parse_date_round_trips_isoformat(day):
    assert parse_date(day.isoformat()) == day


# ---------------------------------------------------------------------------------------------
# URLs


@pytest.mark.parametrize(
    "url",
    [
        "https://www.openstreetmap.org/relation/184888",
        "http://example.org",
        "  https://example.org/a?b=c  ",
        "HTTPS://EXAMPLE.ORG/x",
    ],
)
def test_http_urls_are_links(url):
    assert is_http_url(url)
    assert safe_url(url) == url.strip()


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        " javascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "ftp://example.org/file",
        "//example.org/no-scheme",
        "https://",
        "http:///path-only",
        "www.example.org",
        "",
        None,
        42,
        ["https://example.org"],
    ],
)
def test_non_http_urls_are_refused(url):
    assert not is_http_url(url)
    assert safe_url(url) is None


@given(st.text(max_size=60))
def test_safe_url_only_ever_returns_http_links(text):
    result = safe_url(text)
    assert result is None or result.lower().startswith(("http://", "https://"))


# ---------------------------------------------------------------------------------------------
# Sources


def test_check_sources_accepts_url_or_document(source):
    doc_only = {"title": "Protocol", "document": "UN doc S/11302/Add.1"}
    publisher_only = {"publisher": "Reuters", "url": "https://www.reuters.com/x", "date": "2025-09"}
    assert check_sources([source]) == []
    assert check_sources([doc_only]) == []
    assert check_sources([publisher_only]) == []
    assert check_sources([{**source, "date": "2025"}]) == []
    assert check_sources([{**source, "date": None}]) == []


@pytest.mark.parametrize(
    ("sources", "reason"),
    [
        (None, "no source"),
        ([], "no source"),
        ("https://example.org", "no source"),
        (["https://example.org"], "source 1 is not an object"),
        ([{"url": "https://example.org"}], "source 1 has no title or publisher"),
        ([{"title": "Report"}], "source 1 has neither a url nor a document reference"),
        ([{"title": "Report", "url": "javascript:alert(1)"}], "source 1 url is not an http(s) URL"),
        ([{"title": "Report", "url": "https://x.org", "date": "16 Sep 2025"}], "source 1 date"),
        ([{"title": "Report", "url": "https://x.org", "date": "2025-13"}], "source 1 date"),
        (
            [{"title": "A", "url": "https://a.org"}, {"title": "B", "url": "data:,x"}],
            "source 2 url is not an http(s) URL",
        ),
    ],
)
def test_check_sources_reasons(sources, reason):
    assert reason in reasons_text(check_sources(sources))


# ---------------------------------------------------------------------------------------------
# Layer feature properties


def test_valid_feature_properties_pass(make_feature):
    assert check_feature_properties(make_feature()["properties"]) == []


@pytest.mark.parametrize(
    "overrides",
    [
        {"valid_to": "2025-01-01"},
        {"valid_to": "2024-12-08"},  # same day as valid_from
        {"valid_to": ""},
        {"date_precision": "month"},
        {"date_precision": DROP},
        {"status_changes": [{"date": "2025-01-01", "status": "collapsed", "disputed": True}]},
        {"status_changes": []},
        {"sources": [{"title": "Protocol", "document": "UN doc S/11302/Add.1"}]},
    ],
)
def test_valid_feature_variants_pass(make_feature, overrides):
    assert check_feature_properties(make_feature(**overrides)["properties"]) == []


@pytest.mark.parametrize("key", ["id", "layer", "name", "status", "valid_from", "basis",
                                 "confidence", "sources", "attribution", "licence"])
def test_feature_missing_required_property(make_feature, key):
    reasons = check_feature_properties(make_feature(**{key: DROP})["properties"])
    assert f"missing {key}" in reasons


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"sources": []}, "no source"),
        ({"sources": None}, "no source"),
        ({"sources": [{"title": "T", "url": "javascript:alert(1)"}]}, "not an http(s) URL"),
        ({"name": "   "}, "missing name"),
        ({"layer": "trenches"}, "layer 'trenches' is not one of"),
        ({"status": "active"}, "status 'active' is not one of"),
        ({"basis": "guessed"}, "basis 'guessed' is not one of"),
        ({"confidence": "certain"}, "confidence 'certain' is not one of"),
        ({"confidence": "HIGH"}, "confidence 'HIGH' is not one of"),
        ({"date_precision": "week"}, "date_precision 'week' is not valid"),
        ({"valid_from": "31 May 1974"}, "valid_from is not YYYY-MM-DD"),
        ({"valid_from": "19740531"}, "valid_from is not YYYY-MM-DD"),
        ({"valid_to": "soon"}, "valid_to is not YYYY-MM-DD"),
        ({"valid_to": "2024-12-07"}, "valid_to 2024-12-07 is before valid_from 2024-12-08"),
        ({"status_changes": "collapsed"}, "status_changes is not a list"),
        ({"status_changes": ["collapsed"]}, "status change 1 is not an object"),
        ({"status_changes": [{"date": "Dec 2024", "status": "collapsed"}]},
         "status change 1 date is not YYYY-MM-DD"),
        ({"status_changes": [{"date": "2025-01-01", "status": "gone"}]},
         "status change 1 status 'gone' is not valid"),
        ({"status_changes": [{"date": "2024-01-01", "status": "collapsed"}]},
         "status change 1 (2024-01-01) is before valid_from"),
        (
            {"valid_to": "2025-06-01",
             "status_changes": [{"date": "2025-07-01", "status": "collapsed"}]},
            "status change 1 (2025-07-01) is after valid_to",
        ),
        (
            {"status_changes": [{"date": "2025-06-01", "status": "collapsed"},
                                {"date": "2025-01-01", "status": "in_force"}]},
            "status changes are not in date order",
        ),
    ],
)
def test_broken_feature_gives_reason(make_feature, overrides, reason):
    reasons = check_feature_properties(make_feature(**overrides)["properties"])
    assert reasons, f"{overrides} was accepted"
    assert reason in reasons_text(reasons)


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("basis", BASES)
@pytest.mark.parametrize("confidence", CONFIDENCES)
def test_every_vocabulary_value_is_accepted(make_feature, status, basis, confidence):
    props = make_feature(status=status, basis=basis, confidence=confidence)["properties"]
    assert check_feature_properties(props) == []


# ---------------------------------------------------------------------------------------------
# Timeline entries


def test_valid_timeline_entry_passes(make_timeline_entry):
    assert check_timeline_entry(make_timeline_entry()) == []


@pytest.mark.parametrize(
    "overrides",
    [
        {"changes": DROP},
        {"changes": ["aos_osm", "alpha_line_osm"]},
        {"view": {"lat": 33.1, "lon": 35.8, "zoom": 11}},
        {"view": {"lat": "33.1", "lon": "35.8", "zoom": "11"}},
        {"date_precision": "month"},
        {"kind": "round_of_talks"},
    ],
)
def test_valid_timeline_variants_pass(make_timeline_entry, overrides):
    assert check_timeline_entry(make_timeline_entry(**overrides)) == []


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"id": ""}, "missing id"),
        ({"summary": DROP}, "missing summary"),
        ({"title": " "}, "missing title"),
        ({"date": "16 Sep 2025"}, "date is not YYYY-MM-DD"),
        ({"date_precision": "week"}, "date_precision 'week' is not one of"),
        ({"kind": "rumour"}, "kind 'rumour' is not one of"),
        ({"sources": []}, "no source"),
        ({"sources": [{"title": "T", "url": "javascript:alert(1)"}]}, "not an http(s) URL"),
        ({"changes": "aos_osm"}, "changes is not a list of feature ids"),
        ({"changes": [1, 2]}, "changes is not a list of feature ids"),
        ({"changes": None}, "changes is not a list of feature ids"),
        ({"view": {"lat": 33.1, "lon": 35.8}}, "view needs numeric lat, lon and zoom"),
        ({"view": {"lat": "north", "lon": 35.8, "zoom": 10}}, "view needs numeric"),
        ({"view": "33.1,35.8,10"}, "view needs numeric lat, lon and zoom"),
        ({"view": [33.1, 35.8, 10]}, "view needs numeric lat, lon and zoom"),
        ({"view": {"lat": 133.1, "lon": 35.8, "zoom": 10}}, "view lat/lon/zoom out of range"),
        ({"view": {"lat": 33.1, "lon": 35.8, "zoom": 25}}, "view lat/lon/zoom out of range"),
        ({"view": {"lat": 33.1, "lon": 35.8, "zoom": -1}}, "view lat/lon/zoom out of range"),
        ({"view": {"lat": float("nan"), "lon": 35.8, "zoom": 10}}, "view lat/lon/zoom out of"),
    ],
)
def test_broken_timeline_entry_gives_reason(make_timeline_entry, overrides, reason):
    reasons = check_timeline_entry(make_timeline_entry(**overrides))
    assert reasons, f"{overrides} was accepted"
    assert reason in reasons_text(reasons)
