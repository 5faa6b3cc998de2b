"""The incident rules (geo.data.incidents.incident_reasons), applied column by column.

There is one set of rules: ``incident_reasons`` gives every row of a table its reasons.
The examples below break one field at a time; the property tests feed tricky values in every
checked column, as text (CSV) and as mixed Python objects (the importers), and hold the
vectorised rule to what must be true of it: a row's reasons do not depend on the rows around
it (except for duplicate ids), validation keeps exactly the rows without reasons, and what it
keeps is usable.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.core.model import (
    INCIDENT_COLUMNS,
    INCIDENT_EXTRA_COLUMNS,
    MAX_CELL_CHARS,
    MAX_FATALITIES,
    REGION_BOUNDS,
    is_http_url,
)
from geo.data.incidents import (
    event_ids,
    incident_frame,
    incident_reasons,
    incident_table,
    validate_incident_rows,
)
from tests.conftest import DROP

TODAY = dt.date(2026, 1, 20)


def reasons_text(reasons: list[str]) -> str:
    return " | ".join(reasons)


def reasons_of(row: dict[str, Any], today: dt.date | None = None) -> list[str]:
    """The reasons the rules give one row (a table of one row)."""
    table, _ = incident_table(pd.DataFrame([row], dtype=object))
    return list(incident_reasons(table, today).iat[0])


# ---------------------------------------------------------------------------------------------
# One row at a time



def test_valid_incident_passes(make_incident):
    assert reasons_of(make_incident(), today=TODAY) == []


@pytest.mark.parametrize(
    "overrides",
    [
        {"fatalities": ""},
        {"fatalities": "3"},
        {"fatalities": "3.0"},
        {"geo_precision": ""},
        {"geo_precision": "3"},
        {"url": ""},  # a source name alone is enough
        {"source": "", "url": "https://example.org/report"},
        {"event_date": TODAY.isoformat()},
        {"latitude": 33.1256, "longitude": 35.8244},  # numbers, not strings
    ],
)
def test_valid_incident_variants_pass(make_incident, overrides):
    assert reasons_of(make_incident(**overrides), today=TODAY) == []


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"event_id_cnty": ""}, "missing event_id_cnty"),
        ({"event_date": DROP}, "missing event_date"),
        ({"event_type": "  "}, "missing event_type"),
        ({"latitude": ""}, "missing latitude"),
        ({"event_date": "15/01/2025"}, "event_date is not a date"),
        ({"event_date": "2026-01-21"}, "event_date 2026-01-21 is in the future"),
        ({"latitude": "north"}, "latitude/longitude are not numbers"),
        ({"longitude": "nan"}, "latitude/longitude are not numbers"),
        ({"latitude": "35.8244", "longitude": "33.1256"}, "latitude and longitude look swapped"),
        ({"latitude": "95", "longitude": "35.8"}, "coordinates out of range"),
        ({"latitude": "33.1", "longitude": "-200"}, "coordinates out of range"),
        ({"latitude": "48.85", "longitude": "2.35"}, "coordinates fall outside the region"),
        ({"latitude": "0", "longitude": "0"}, "coordinates fall outside the region"),
        ({"fatalities": "-1"}, "fatalities is negative: -1"),
        ({"fatalities": "1.5"}, "fatalities is not a whole number"),
        ({"fatalities": "two"}, "fatalities is not a whole number"),
        ({"fatalities": "inf"}, "fatalities is not a whole number"),
        ({"geo_precision": "4"}, "geo_precision '4' is not 1, 2 or 3"),
        ({"geo_precision": "0"}, "geo_precision '0' is not 1, 2 or 3"),
        ({"url": "javascript:alert(1)"}, "url is not an http(s) URL"),
        ({"source": "", "url": ""}, "no source"),
    ],
)
def test_broken_incident_gives_reason(make_incident, overrides, reason):
    reasons = reasons_of(make_incident(**overrides), today=TODAY)
    assert reasons, f"{overrides} was accepted"
    assert reason in reasons_text(reasons)


def test_swapped_coordinates_are_not_reported_as_plain_out_of_region(make_incident):
    reasons = reasons_of(make_incident(latitude="35.8244", longitude="33.1256"), today=TODAY)
    assert len(reasons) == 1
    assert "swapped" in reasons[0]


def test_future_date_uses_today_by_default(make_incident):
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    reasons = reasons_of(make_incident(event_date=tomorrow.isoformat()))
    assert "in the future" in reasons_text(reasons)
    assert reasons_of(make_incident(event_date=dt.date.today().isoformat())) == []


def test_reasons_follow_the_rule_order(make_incident):
    row = make_incident(event_date="2099-01-01", latitude="0", fatalities="-1", geo_precision="9",
                        url="ftp://x", notes="n" * (MAX_CELL_CHARS + 1))
    assert reasons_of(row, today=TODAY) == [
        "event_date 2099-01-01 is in the future",
        "coordinates fall outside the region: lat 0.0, lon 35.8244",
        "fatalities is negative: -1",
        "geo_precision '9' is not 1, 2 or 3",
        f"notes is {MAX_CELL_CHARS + 1:,} characters long; the limit is {MAX_CELL_CHARS:,}",
        "url is not an http(s) URL: 'ftp://x'",
    ]


def test_a_row_missing_a_required_field_gets_only_the_missing_reasons(make_incident):
    row = make_incident(event_type="", latitude="", fatalities="x", url="ftp://x")
    assert reasons_of(row, today=TODAY) == ["missing event_type", "missing latitude"]


def test_later_rows_with_an_id_already_seen_are_duplicates(make_incident):
    rows = [make_incident(), make_incident(event_date="x"),
            make_incident(event_id_cnty=" SYR0001 ")]
    table, _ = incident_table(pd.DataFrame(rows))
    assert incident_reasons(table, TODAY).tolist() == [
        (),
        ("event_date is not a date: 'x'", "duplicate event_id_cnty 'SYR0001'"),
        ("duplicate event_id_cnty 'SYR0001'",),
    ]


def test_rejected_rows_carry_their_row_number(make_incident):
    rows = [make_incident(event_id_cnty=f"E{i}", latitude="x" if i % 2 else "33.1")
            for i in range(5)]
    result = validate_incident_rows(pd.DataFrame(rows), "i.csv")
    assert [(r.item, r.row) for r in result.rejected] == [("row 3 (E1)", 3), ("row 5 (E3)", 5)]
    assert list(result.data["event_id_cnty"]) == ["E0", "E2", "E4"]


# ---------------------------------------------------------------------------------------------
# Tricky values in every column

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
COLUMNS = [*INCIDENT_COLUMNS, *INCIDENT_EXTRA_COLUMNS]
NUMBERS = ["33.1", "35.8", " 33.1", "33.1 ", "٣٣.١", "1_0", "nan", "inf", "1e1", "", "x", "-33.1",
           "35", "33.10000000000000000001", "+35.80", "0033.1", ".5", "34.0", "38.5", "31", "35.0"]
POOLS: dict[str, list[Any]] = {
    "event_id_cnty": ["A", "A", " A", "B", "", " ", "C"],
    "event_date": ["2025-01-15", " 2025-01-15", "2025-02-30", "20250115", "2099-01-01", "",
                   "2025-1-5", "2024-12-08"],
    "event_type": ["Battles", "", " ", "Protests"],
    "latitude": NUMBERS,
    "longitude": NUMBERS,
    "fatalities": ["0", "3", "3.0", "-1", "1e5", "100001", "100000", "x", "", " ", "٣"],
    "geo_precision": ["1", "2", "3", "4", "1.0", "", "0", " 2"],
    "time_precision": ["1", "3", "", "9", "2.0"],
    "url": ["", "https://x.org/a?b=1#c", "http://x", "ftp://x", "https://", "javascript:alert(1)",
            "HTTP://X.ORG", "https://[::1", "https://exa mple.org", " https://x.org", "https://é.fr"],
    "source": ["", " ", "Reuters", "SOHR"],
    "notes": ["", "text", "{{ 7*7 }}", "x" * (MAX_CELL_CHARS + 1)],
}
OBJECTS = [None, 0, 1, 2.0, 33.1, 35.8, True, float("nan"), 100_001]
DUPLICATE = "duplicate event_id_cnty "


def _cell(column: str, objects: bool) -> st.SearchStrategy[Any]:
    pool = POOLS.get(column, ["", "x"])
    strategy = st.sampled_from(pool)
    return strategy | st.sampled_from(OBJECTS) if objects else strategy


def _rows(objects: bool) -> st.SearchStrategy[list[dict[str, Any]]]:
    row = st.fixed_dictionaries({c: _cell(c, objects) for c in COLUMNS})
    return st.lists(row, min_size=1, max_size=12)


def _table(rows: list[dict[str, Any]], objects: bool) -> pd.DataFrame:
    table, _ = incident_table(pd.DataFrame(rows, columns=COLUMNS, dtype=object if objects else str))
    return table


def _each_row_is_judged_on_its_own(rows: list[dict[str, Any]], objects: bool) -> None:
    table = _table(rows, objects)
    together = incident_reasons(table).tolist()
    ids = event_ids(table).tolist()
    for pos, row in enumerate(rows):
        alone = [r for r in together[pos] if not r.startswith(DUPLICATE)]
        assert alone == reasons_of(row), (pos, row)
        seen_before = ids[pos] != "" and ids[pos] in ids[:pos]
        duplicates = [r for r in together[pos] if r.startswith(DUPLICATE)]
        assert duplicates == ([f"{DUPLICATE}{ids[pos]!r}"] if seen_before else [])
        assert not duplicates or together[pos][-1] == duplicates[0]


@SETTINGS
@given(_rows(objects=False))
def test_text_rows_are_judged_on_their_own(rows) -> None:
    _each_row_is_judged_on_its_own(rows, objects=False)


@SETTINGS
@given(_rows(objects=True))
def test_mixed_object_rows_are_judged_on_their_own(rows) -> None:
    _each_row_is_judged_on_its_own(rows, objects=True)


def _kept_rows_are_usable_incidents(rows: list[dict[str, Any]], objects: bool) -> None:
    frame = pd.DataFrame(rows, columns=COLUMNS, dtype=object if objects else str)
    reasons = incident_reasons(_table(rows, objects)).tolist()
    result = validate_incident_rows(frame, "d.csv")
    refused = [pos for pos, found in enumerate(reasons) if found]
    assert [(r.row, r.reasons) for r in result.rejected] == [(p + 2, reasons[p]) for p in refused]
    assert all(r.item.startswith(f"row {r.row} (") for r in result.rejected)
    kept = result.data
    assert len(kept) == len(rows) - len(refused)
    assert kept["event_id_cnty"].map(lambda v: str(v).strip()).is_unique
    west, south, east, north = REGION_BOUNDS
    assert kept["latitude"].between(south, north).all()
    assert kept["longitude"].between(west, east).all()
    assert (kept["event_date"] <= dt.date.today().isoformat()).all()
    assert kept["fatalities"].dropna().between(0, MAX_FATALITIES).all()
    assert kept["geo_precision"].isin([1, 2, 3]).all()
    assert kept["time_precision"].isin([1, 2, 3]).all()
    for source, url in zip(kept["source"], kept["url"], strict=True):
        assert url == "" or is_http_url(url)
        assert str(source).strip() or url
    assert all(not isinstance(v, str) or len(v) <= MAX_CELL_CHARS for v in kept["notes"])


@SETTINGS
@given(_rows(objects=False))
def test_text_rows_kept_are_usable_incidents(rows) -> None:
    _kept_rows_are_usable_incidents(rows, objects=False)


@SETTINGS
@given(_rows(objects=True))
def test_mixed_object_rows_kept_are_usable_incidents(rows) -> None:
    _kept_rows_are_usable_incidents(rows, objects=True)


def test_plain_numbers_convert_like_float() -> None:
    values = ["33.123456789012345", "-0", "35", "0.1", "1.5"]
    frame = pd.DataFrame({c: ["1"] * len(values) for c in COLUMNS}).assign(
        event_date="2025-01-01", latitude=values, longitude=values
    )
    typed = incident_frame(frame)
    assert [math.copysign(1, v) for v in typed["latitude"]] == [math.copysign(1, float(v))
                                                                 for v in values]
    assert list(typed["latitude"]) == [float(v) for v in values]
