"""geo.core.dates: a date reads no more precisely than its source knows it."""

from __future__ import annotations

import datetime as dt

import pytest

from geo.core.dates import date_text, day_text, entry_precision, incident_precision


@pytest.mark.parametrize(
    ("value", "precision", "expected"),
    [("2025-05-01", "month", "May 2025"), ("2026-02-03", "approx", "about 3 Feb 2026"),
     ("2026-02-03", "day", "3 Feb 2026"), ("2000-01-01", "year", "2000"),
     (dt.date(2024, 12, 22), "month", "Dec 2024")],
)
def test_date_text_follows_the_precision(value, precision: str, expected: str) -> None:
    assert date_text(value, precision) == expected


def test_date_text_refuses_what_it_cannot_read() -> None:
    with pytest.raises(ValueError, match="not a YYYY-MM-DD"):
        date_text("May 2025", "month")
    with pytest.raises(ValueError, match="unknown date precision"):
        date_text("2025-05-01", "week")


def test_day_text_has_no_leading_zero() -> None:
    assert day_text(dt.date(2026, 6, 8)) == "8 Jun 2026"


@pytest.mark.parametrize(("code", "expected"),
                         [(1, "day"), ("2", "approx"), (3.0, "month"), ("", "day"), (None, "day")])
def test_incident_precision_from_acled_codes(code, expected: str) -> None:
    assert incident_precision(code) == expected


def test_entry_precision_of_features_and_timeline_entries() -> None:
    assert entry_precision({"date_precision": "month"}) == "month"
    assert entry_precision({"date_precision": "day", "date_approx": True}) == "approx"
    assert entry_precision({"date_precision": None}) == "day"
    assert entry_precision({}) == "day"
