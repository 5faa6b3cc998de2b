"""The timeline chart: events by kind, incidents per week, the current date, the selection."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from geo.render.charts import SELECTION, picked_id, timeline_chart, weekly_chart


def test_chart_holds_events_in_range_and_marks_date(make_timeline_entry) -> None:
    entries = [make_timeline_entry(id="a", date="2025-01-05"),
               make_timeline_entry(id="b", date="2023-01-05")]
    incidents = pd.DataFrame({"event_date": ["2025-01-06", "2025-01-07"],
                              "event_type": ["Battles", "Protests"]})
    args = (dt.date(2025, 1, 10), dt.date(2024, 6, 1), dt.date(2025, 2, 1))
    rows = []
    for chart in (timeline_chart(entries, *args), weekly_chart(incidents, *args)):
        rows += [row for data in chart.to_dict()["datasets"].values() for row in data]
    assert {"id": "a"}.items() <= next(r for r in rows if r.get("id") == "a").items()
    assert not any(r.get("id") == "b" for r in rows)
    assert any(r.get("date") == "2025-01-10" for r in rows)
    assert any(r.get("count") == 1 and r.get("event_type") == "Battles" for r in rows)


def test_picked_id_reads_selection_state() -> None:
    assert picked_id({"selection": {SELECTION: [{"id": "tl-1"}]}}) == "tl-1"
    assert picked_id({"selection": {SELECTION: []}}) is None
    assert picked_id(None) is None
    assert picked_id({"selection": {}}) is None
