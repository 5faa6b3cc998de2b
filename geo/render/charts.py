"""Altair charts: the negotiation track with incidents per week, and the current date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, Final

import altair as alt
import pandas as pd

from geo.core import styles
from geo.core.timeline import weekly_counts
from geo.render.chart_specs import SELECTION

KIND_ORDER: Final[list[str]] = [
    "agreement", "round_of_talks", "meeting", "proposal", "statement", "military_development",
]


def timeline_frame(entries: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    rows = [
        {
            "id": e["id"], "date": e["date"], "kind": e["kind"].replace("_", " "),
            "title": e["title"], "confidence": e.get("confidence", ""),
        }
        for e in entries
    ]
    return pd.DataFrame(rows, columns=["id", "date", "kind", "title", "confidence"])


#: A time axis that names the year: "Jan 2025" (a span of up to a few years fits).
TIME_AXIS: Final[dict[str, Any]] = {"format": "%b %Y", "labelOverlap": "greedy",
                                    "labelFontSize": 12, "labelAngle": 0, "grid": True}


def _x(field: str, start: dt.date, end: dt.date) -> alt.X:
    return alt.X(field, title=None, axis=alt.Axis(**TIME_AXIS),
                 scale=alt.Scale(domain=[start.isoformat(), end.isoformat()]))


def _rule(current: dt.date, x: alt.X) -> alt.Chart:
    frame = pd.DataFrame({"date": [current.isoformat()]})
    return alt.Chart(frame).mark_rule(color="#c0392b", strokeWidth=2).encode(x=x)


#: SVG keeps every event a DOM element (clickable, readable by assistive tech and tests).
SVG: Final[dict[str, Any]] = {"embedOptions": {"renderer": "svg", "actions": False}}
#: The chart fills the width; its height is the plot's, with the axes and legend added
#: (Streamlit's default, "fit", squeezes the plot to make room for them).
FIT_WIDTH: Final[alt.AutoSizeParams] = alt.AutoSizeParams(type="fit-x", contains="padding")


def timeline_chart(
    entries: Sequence[Mapping[str, Any]],
    current: dt.date,
    start: dt.date,
    end: dt.date,
    selected: str | None = None,
) -> alt.LayerChart:
    """Negotiation events by kind (clickable); a rule marks ``current``."""
    events = timeline_frame(entries)
    events = events[(events["date"] >= start.isoformat()) & (events["date"] <= end.isoformat())]
    pick = alt.selection_point(
        name=SELECTION, fields=["id"], on="click", clear=False,
        value=[{"id": selected}] if selected else None,
    )
    x = _x("date:T", start, end)
    kinds = [k.replace("_", " ") for k in KIND_ORDER]
    dots = (
        alt.Chart(events)
        .mark_point(filled=True, size=140, cursor="pointer")
        .encode(
            x=x,
            y=alt.Y("kind:N", title=None, sort=kinds,
                    axis=alt.Axis(labelFontSize=12, labelLimit=200)),
            color=alt.Color("kind:N", scale=alt.Scale(domain=kinds),
                            legend=alt.Legend(orient="bottom", title="Kind of event",
                                              labelFontSize=12, columns=6)),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.55)),
            tooltip=[alt.Tooltip("title:N", title="Event"),
                     alt.Tooltip("date:T", title="Date", format="%d %b %Y"),
                     alt.Tooltip("kind:N", title="Kind"),
                     alt.Tooltip("confidence:N", title="Confidence")],
        )
        .add_params(pick)
    )
    return (dots + _rule(current, x)).properties(
        height=180, title="Negotiation track (click an event to set the date)", usermeta=SVG,
        autosize=FIT_WIDTH,
    )


def weekly_chart(
    incidents: pd.DataFrame, current: dt.date, start: dt.date, end: dt.date
) -> alt.LayerChart:
    """Incidents per week stacked by event type, on the same time axis as the track."""
    weekly = weekly_counts(incidents)
    domain = sorted(set(weekly["event_type"])) if not weekly.empty else []
    x = _x("week:T", start, end)
    bars = (
        alt.Chart(weekly)
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y("count:Q", title="Incidents per week",
                    axis=alt.Axis(labelFontSize=12, tickMinStep=1, format="d")),
            color=alt.Color(
                "event_type:N",
                scale=alt.Scale(domain=domain, range=[styles.event_color(t) for t in domain]),
                legend=alt.Legend(orient="bottom", title="Event type", labelFontSize=12),
            ),
            tooltip=[alt.Tooltip("week:T", title="Week of", format="%d %b %Y"),
                     alt.Tooltip("event_type:N", title="Event type"),
                     alt.Tooltip("count:Q", title="Incidents")],
        )
    )
    rule = _rule(current, _x("date:T", start, end))
    return (bars + rule).properties(height=160, title="Incidents per week", usermeta=SVG,
                                    autosize=FIT_WIDTH)
