"""geo.core.timeline: the state of the layers at a date, incident windows, stepping the track."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from geo.core.timeline import (
    entries_near,
    entry_index,
    incidents_in_window,
    next_frame,
    state_at,
    state_lookup,
    status_on,
    step,
    weekly_counts,
    window_start,
)
from geo.core.vocabulary import FALL_OF_ASSAD
from geo.data.loaders import DATA_DIR, load_all, load_feature_collection, load_timeline

COLLAPSE = {"date": "2024-12-08", "status": "collapsed", "disputed": True,
            "note": "Israel declared the agreement collapsed."}


@pytest.fixture
def features(make_feature, make_collection):
    doc = make_collection(
        make_feature(id="aos", layer="area_of_separation", status="in_force",
                     valid_from="1974-05-31", status_changes=[COLLAPSE]),
        make_feature(id="post", layer="position", status="reported",
                     valid_from="2024-12-10", valid_to="2025-03-01"),
        make_feature(id="proposal", layer="proposal_point", status="proposed",
                     valid_from="2025-09-16", valid_to=""),
    )
    result = load_feature_collection(json.dumps(doc), "t.geojson")
    assert result.ok, result.rejected
    return result.data


def ids(frame) -> list[str]:
    return sorted(frame["id"])


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("1974-05-30", []),
        ("1974-05-31", ["aos"]),  # valid_from is inclusive
        ("2024-12-09", ["aos"]),
        ("2024-12-10", ["aos", "post"]),
        ("2025-02-28", ["aos", "post"]),
        ("2025-03-01", ["aos"]),  # valid_to is exclusive
        ("2025-09-15", ["aos"]),
        ("2025-09-16", ["aos", "proposal"]),  # blank valid_to = open-ended
        (dt.date(2026, 1, 5), ["aos", "proposal"]),
    ],
)
def test_state_at_holds_between_valid_from_and_valid_to(features, day, expected):
    assert ids(state_at(features, day)) == expected


@pytest.mark.parametrize(
    ("day", "status", "disputed", "note"),
    [
        ("1974-05-31", "in_force", False, ""),
        ("2024-12-07", "in_force", False, ""),
        ("2024-12-08", "collapsed", True, "collapsed"),
        (dt.date(2025, 6, 1), "collapsed", True, "collapsed"),
    ],
)
def test_state_at_applies_status_changes(features, day, status, disputed, note):
    row = state_at(features, day).set_index("id").loc["aos"]
    assert row["status_on_date"] == status
    assert bool(row["disputed_on_date"]) is disputed
    assert note in row["status_note"]
    assert row["status"] == "in_force"  # the base status is left alone


def test_state_at_keeps_base_status_without_changes(features):
    row = state_at(features, "2025-01-01").set_index("id").loc["post"]
    assert (row["status_on_date"], bool(row["disputed_on_date"]), row["status_note"]) == (
        "reported", False, "")


def test_state_at_does_not_modify_input(features):
    before = features.copy()
    state_at(features, "2025-01-01")
    assert "status_on_date" not in features.columns
    assert len(features) == len(before)


def test_status_on_applies_changes_in_order():
    changes = [{"date": "2024-12-08", "status": "collapsed", "disputed": True, "note": "a"},
               {"date": "2025-06-01", "status": "in_force", "disputed": False, "note": "b"}]
    assert status_on("in_force", changes, False, "2024-12-07") == ("in_force", False, "")
    assert status_on("in_force", changes, False, "2025-05-31") == ("collapsed", True, "a")
    assert status_on("in_force", changes, False, "2025-06-01") == ("in_force", False, "b")


# ---------------------------------------------------------------------------------------------
# Incident windows


@pytest.fixture
def incidents():
    dates = ["2024-12-07", "2024-12-08", "2025-01-01", "2025-01-02", "2025-01-30",
             "2025-01-31", "2025-02-01"]
    return pd.DataFrame({
        "event_id_cnty": [f"E{i}" for i in range(len(dates))],
        "event_date": dates,
        "event_type": ["Battles", "Battles", "Explosions/Remote violence", "Battles",
                       "Battles", "Strategic developments", "Battles"],
    })


def test_thirty_day_window_is_inclusive_at_both_ends(incidents):
    end = dt.date(2025, 1, 31)
    assert window_start(end, 30) == dt.date(2025, 1, 2)
    got = incidents_in_window(incidents, end, 30)
    assert list(got["event_date"]) == ["2025-01-02", "2025-01-30", "2025-01-31"]


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (1, ["2025-01-31"]),
        (0, ["2025-01-31"]),  # at least the day itself
        (7, ["2025-01-30", "2025-01-31"]),
        (31, ["2025-01-01", "2025-01-02", "2025-01-30", "2025-01-31"]),
    ],
)
def test_window_lengths(incidents, days, expected):
    got = incidents_in_window(incidents, dt.date(2025, 1, 31), days)
    assert list(got["event_date"]) == expected


def test_window_none_means_since_fall_of_assad(incidents):
    assert FALL_OF_ASSAD == dt.date(2024, 12, 8)
    got = incidents_in_window(incidents, dt.date(2025, 1, 31), None)
    assert list(got["event_date"]) == ["2024-12-08", "2025-01-01", "2025-01-02", "2025-01-30",
                                       "2025-01-31"]


def test_window_none_before_fall_of_assad_is_the_day_itself(incidents):
    assert window_start(dt.date(2024, 12, 7), None) == dt.date(2024, 12, 7)
    got = incidents_in_window(incidents, dt.date(2024, 12, 7), None)
    assert list(got["event_date"]) == ["2024-12-07"]


def test_window_never_includes_later_incidents(incidents):
    got = incidents_in_window(incidents, dt.date(2025, 1, 1), 365)
    assert got["event_date"].max() == "2025-01-01"


# ---------------------------------------------------------------------------------------------
# Weekly counts


def test_weekly_counts_group_by_monday_and_type(incidents):
    counts = weekly_counts(incidents)
    assert list(counts.columns) == ["week", "event_type", "count"]
    table = {(r.week, r.event_type): r.count for r in counts.itertuples()}
    assert table == {
        ("2024-12-02", "Battles"): 2,  # Sat 7 and Sun 8 Dec 2024 share the week of Mon 2 Dec
        ("2024-12-30", "Explosions/Remote violence"): 1,  # Wed 1 Jan 2025
        ("2024-12-30", "Battles"): 1,  # Thu 2 Jan 2025
        ("2025-01-27", "Battles"): 2,  # Thu 30 Jan and Sat 1 Feb
        ("2025-01-27", "Strategic developments"): 1,  # Fri 31 Jan
    }
    assert counts["count"].sum() == len(incidents)
    assert all(dt.date.fromisoformat(w).weekday() == 0 for w in counts["week"])


def test_weekly_counts_monday_starts_a_new_week():
    frame = pd.DataFrame({"event_date": ["2025-01-05", "2025-01-06"],
                          "event_type": ["Battles", "Battles"]})
    counts = weekly_counts(frame)
    assert list(counts["week"]) == ["2024-12-30", "2025-01-06"]
    assert list(counts["count"]) == [1, 1]


def test_weekly_counts_of_nothing_is_empty(incidents):
    counts = weekly_counts(incidents.iloc[0:0])
    assert counts.empty
    assert list(counts.columns) == ["week", "event_type", "count"]


# ---------------------------------------------------------------------------------------------
# Timeline stepping


@pytest.fixture
def entries(make_timeline_entry):
    doc = [make_timeline_entry(id=f"tl-{d}", date=d)
           for d in ("2025-09-16", "1974-05-31", "2024-12-08", "2026-01-05", "2025-08-24")]
    result = load_timeline(json.dumps(doc), "t")
    assert result.ok
    return result.data


@pytest.mark.parametrize(
    ("day", "direction", "expected"),
    [
        ("2024-12-08", +1, "2025-08-24"),  # strictly after
        ("2024-12-08", -1, "1974-05-31"),  # strictly before
        ("2024-12-07", +1, "2024-12-08"),
        ("2024-12-09", -1, "2024-12-08"),
        (dt.date(2025, 9, 1), +1, "2025-09-16"),
        ("1900-01-01", +1, "1974-05-31"),
        ("2030-01-01", -1, "2026-01-05"),
        ("2026-01-05", +1, None),
        ("1974-05-31", -1, None),
    ],
)
def test_step(entries, day, direction, expected):
    got = step(entries, day, direction)
    assert (got["date"] if got else None) == expected


def test_step_walks_the_whole_track_forward_and_back(entries):
    day, seen = "1900-01-01", []
    while (entry := step(entries, day, +1)) is not None:
        seen.append(entry["date"])
        day = entry["date"]
    assert seen == sorted(e["date"] for e in entries)
    back = []
    while (entry := step(entries, day, -1)) is not None:
        back.append(entry["date"])
        day = entry["date"]
    assert back == seen[-2::-1]


def test_entry_index(entries):
    assert entry_index(entries, "tl-2024-12-08") == 1
    assert entry_index(entries, "missing") is None
    assert entry_index(entries, None) is None


@pytest.mark.parametrize(
    ("day", "days", "expected"),
    [
        (dt.date(2025, 9, 1), 30, ["2025-08-24", "2025-09-16"]),
        (dt.date(2025, 9, 1), 8, ["2025-08-24"]),  # 24 Aug is exactly 8 days before: included
        (dt.date(2025, 9, 1), 7, []),
        (dt.date(2024, 12, 8), 0, ["2024-12-08"]),
        (dt.date(2000, 1, 1), 30, []),
    ],
)
def test_entries_near(entries, day, days, expected):
    assert [e["date"] for e in entries_near(entries, day, days)] == expected


def test_weekly_counts_uses_no_deprecated_pandas_api(incidents):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert weekly_counts(incidents)["count"].sum() == len(incidents)


def _around(days) -> list[str]:
    """Every change day, the days either side, and far before and after."""
    out = {"1900-01-01", "2099-12-31"}
    for day in days:
        when = dt.date.fromisoformat(day[:10]) if len(day) >= 10 else None
        out.add(day)
        if when:
            out |= {(when + dt.timedelta(days=d)).isoformat() for d in (-1, 1)}
    return sorted(out)


@pytest.mark.parametrize("source", ["fixture", "data"])
def test_state_lookup_gives_what_state_at_gives(features, source) -> None:
    layers = features if source == "fixture" else load_all(DATA_DIR)["layers"].data
    lookup = state_lookup(layers)
    assert len(lookup.days) >= (3 if source == "fixture" else 10)
    for day in [*_around(lookup.days), dt.date(2025, 9, 16)]:
        pd.testing.assert_frame_equal(lookup.at(day), state_at(layers, day))


def test_next_frame_by_event_and_by_week(entries) -> None:
    last = dt.date(2025, 12, 31)
    assert next_frame(entries, dt.date(2024, 12, 8), "event", last) == (
        dt.date(2025, 8, 24), "tl-2025-08-24")
    assert next_frame(entries, dt.date(2025, 9, 16), "event", last) is None  # 5 Jan 2026 > last
    assert next_frame(entries, dt.date(2025, 9, 16), "week", last) == (dt.date(2025, 9, 23), None)
    assert next_frame(entries, dt.date(2025, 12, 25), "week", last) is None
    frames, day = [], dt.date(2024, 12, 1)
    while (frame := next_frame(entries, day, "event", dt.date(2026, 6, 28))) is not None:
        day = frame[0]
        frames.append(frame[1])
    assert frames == ["tl-2024-12-08", "tl-2025-08-24", "tl-2025-09-16", "tl-2026-01-05"]
