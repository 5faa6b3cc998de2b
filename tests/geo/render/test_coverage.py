"""The sources page's coverage chart and table of positions not placed (geo.render.coverage)."""

from __future__ import annotations

import datetime as dt

import pytest

from geo.data.coverage import Coverage
from geo.data.loaders import DATA_DIR, load_all
from geo.render.coverage import CHART_HEIGHT, coverage_chart, coverage_frame, unlocated_table


@pytest.fixture(scope="module")
def data() -> dict:
    return load_all(DATA_DIR)


def test_coverage_frame_has_every_month_and_kind(data) -> None:
    coverage = data["coverage"].data
    frame = coverage_frame(coverage)
    assert len(frame) == 3 * len(coverage.months)
    april = frame[frame["month"] == "2026-04"]
    assert set(april["label"]) == {"Apr 2026"} and (april["total"] == 0).all()
    feb = frame[frame["month"] == "2026-02"]
    assert feb["rows"].sum() == feb["total"].iloc[0] > 0


def test_chart_is_tall_enough_and_marks_empty_months() -> None:
    months = ({"month": "2026-03", "incidents": 4, "timeline": 2, "positions": 0, "note": ""},
              {"month": "2026-04", "incidents": 0, "timeline": 0, "positions": 0,
               "note": "nothing found"})
    spec = coverage_chart(Coverage(dt.date(2026, 3, 13), None, "", months)).to_dict()
    assert spec["height"] == CHART_HEIGHT >= 200
    bars, ticks = spec["layer"]
    assert bars["encoding"]["x"]["sort"] == ["Mar 2026", "Apr 2026"]
    empty = spec["datasets"][ticks["data"]["name"]]
    assert [row["label"] for row in empty] == ["Apr 2026"]


def test_unlocated_table_lists_area_dates_and_marked_sources(data) -> None:
    rows = data["unlocated"].data
    table = unlocated_table(rows).set_index("position")
    assert len(table) == len(rows)
    month_only = next(r for r in rows if r["date_precision"] == "month")
    assert table.loc[month_only["name"], "since"] == dt.date.fromisoformat(
        month_only["valid_from"]).strftime("%b %Y")
    marked = unlocated_table([{**rows[0], "sources": [
        {"publisher": "MENAFN", "url": "https://menafn.com/x", "via_republisher": True}]}])
    assert marked.loc[0, "sources"] == "MENAFN (https://menafn.com/x) [via republisher]"
