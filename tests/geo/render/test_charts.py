"""The timeline chart: events by kind, incidents per week, the current date, the selection."""

from __future__ import annotations

import datetime as dt
import json

import altair as alt
import pandas as pd

from geo.render.chart_specs import SELECTION, at_date, picked_id
from geo.render.charts import timeline_chart, weekly_chart


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


def _layers(chart) -> list[dict]:
    return chart.to_dict()["layer"]


def test_track_names_years_kinds_and_titles(make_timeline_entry) -> None:
    entries = [make_timeline_entry(id="a", date="2025-01-05", title="Talks in Baku")]
    chart = timeline_chart(entries, dt.date(2025, 1, 10), dt.date(2024, 6, 1),
                           dt.date(2026, 2, 1))
    spec = chart.to_dict()
    dots = _layers(chart)[0]["encoding"]
    assert dots["x"]["axis"]["format"] == "%b %Y"  # the year on the time axis
    assert dots["color"]["legend"]["title"] == "Kind of event"  # kinds have a legend
    assert "agreement" in dots["color"]["scale"]["domain"]
    assert {"field": "title", "title": "Event", "type": "nominal"} in dots["tooltip"]
    assert spec["height"] >= 150 and spec["autosize"]["type"] == "fit-x"  # the plot's height


def test_weekly_chart_has_a_readable_height_and_axes() -> None:
    incidents = pd.DataFrame({"event_date": ["2025-01-06"], "event_type": ["Battles"]})
    chart = weekly_chart(incidents, dt.date(2025, 1, 10), dt.date(2024, 6, 1),
                         dt.date(2026, 2, 1))
    bars = _layers(chart)[0]["encoding"]
    assert chart.to_dict()["height"] >= 150 and chart.to_dict()["autosize"]["type"] == "fit-x"
    assert bars["x"]["axis"]["format"] == "%b %Y"
    assert bars["y"]["title"] == "Incidents per week"


def test_at_date_moves_only_the_rule(make_timeline_entry) -> None:
    entries = [make_timeline_entry(id="a", date="2025-01-05")]
    args = (dt.date(2024, 6, 1), dt.date(2026, 2, 1))
    for build in (lambda day: timeline_chart(entries, day, *args),
                  lambda day: weekly_chart(pd.DataFrame({"event_date": ["2025-01-06"],
                                                         "event_type": ["Battles"]}), day, *args)):
        spec = build(dt.date(2024, 6, 1)).to_dict()
        before = json.dumps(spec, sort_keys=True)
        moved = at_date(spec, dt.date(2025, 9, 16))
        assert json.dumps(spec, sort_keys=True) == before  # the cached spec is untouched
        assert moved["layer"][-1]["data"] == {"values": [{"date": "2025-09-16"}]}
        assert moved["layer"][-1]["mark"] == spec["layer"][-1]["mark"]
        assert moved["layer"][:-1] == spec["layer"][:-1]
        alt.LayerChart.from_dict(moved)  # still a valid Vega-Lite spec
