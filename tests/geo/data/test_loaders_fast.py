"""The vectorised incident validation gives exactly what checking row by row gives.

geo.data.loaders.validate_incident_rows finds the plainly valid rows column by column
(``plainly_valid``) and checks only the others with geo.core.model.check_incident. These tests hold
the two to the same rules: on tricky values in every checked column, as text (CSV) and as
mixed Python objects (the importers), the rows kept, the rows refused and every reason equal
those of the reference: check_incident on every row, as the loader did before.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.core.model import INCIDENT_COLUMNS, INCIDENT_EXTRA_COLUMNS, MAX_CELL_CHARS, check_incident
from geo.data.incidents import incident_frame, plainly_valid, validate_incident_rows

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


def _cell(column: str, objects: bool) -> st.SearchStrategy[Any]:
    pool = POOLS.get(column, ["", "x"])
    strategy = st.sampled_from(pool)
    return strategy | st.sampled_from(OBJECTS) if objects else strategy


def _rows(objects: bool) -> st.SearchStrategy[list[dict[str, Any]]]:
    row = st.fixed_dictionaries({c: _cell(c, objects) for c in COLUMNS})
    return st.lists(row, min_size=1, max_size=12)


def reference(frame: pd.DataFrame, dataset: str) -> tuple[pd.DataFrame, list[tuple[str, ...]]]:
    """The row-by-row loader (geo.data.loaders before the vectorised pass)."""
    frame = frame[COLUMNS].fillna("")
    rejected, keep, seen = [], [], set()
    for pos, row in enumerate(frame.to_dict("records")):
        reasons = check_incident(row)
        ident = str(row.get("event_id_cnty") or "").strip()
        if ident and ident in seen:
            reasons.append(f"duplicate event_id_cnty {ident!r}")
        seen.add(ident)
        if reasons:
            rejected.append((dataset, f"row {pos + 2} ({ident or 'no id'})", tuple(reasons)))
        keep.append(not reasons)
    clean = frame.loc[pd.Series(keep, index=frame.index, dtype=bool)].copy()
    return incident_frame(clean), rejected


def _same(rows: list[dict[str, Any]], dtype: Any) -> None:
    frame = pd.DataFrame(rows, columns=COLUMNS, dtype=dtype)
    expected, expected_rejected = reference(frame.copy(), "d.csv")
    result = validate_incident_rows(frame.copy(), "d.csv")
    got = [(r.dataset, r.item, r.reasons) for r in result.rejected]
    assert got == expected_rejected
    pd.testing.assert_frame_equal(result.data.drop(columns="geometry"),
                                  expected.drop(columns="geometry"))
    assert list(result.data.geometry.to_wkb()) == list(expected.geometry.to_wkb())


@SETTINGS
@given(_rows(objects=False))
def test_text_rows_are_validated_as_row_by_row(rows) -> None:
    _same(rows, str)


@SETTINGS
@given(_rows(objects=True))
def test_mixed_object_rows_are_validated_as_row_by_row(rows) -> None:
    _same(rows, object)


@SETTINGS
@given(_rows(objects=True))
def test_plainly_valid_rows_pass_check_incident(rows) -> None:
    frame = pd.DataFrame(rows, columns=COLUMNS, dtype=object).fillna("")
    for ok, row in zip(plainly_valid(frame), frame.to_dict("records"), strict=True):
        if ok:
            assert check_incident(row) == []


def test_plain_numbers_convert_like_float() -> None:
    values = ["33.123456789012345", "-0", "35", "0.1", "1.5"]
    frame = pd.DataFrame({c: ["1"] * len(values) for c in COLUMNS}).assign(
        event_date="2025-01-01", latitude=values, longitude=values
    )
    typed = incident_frame(frame)
    assert [math.copysign(1, v) for v in typed["latitude"]] == [math.copysign(1, float(v))
                                                                 for v in values]
    assert list(typed["latitude"]) == [float(v) for v in values]
