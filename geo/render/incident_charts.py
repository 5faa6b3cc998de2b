"""Altair charts of incidents: per week stacked by type, per zone, per admin area."""

from __future__ import annotations

from typing import Any, Final

import altair as alt
import pandas as pd

from geo.analysis.filters import top_values
from geo.analysis.summary import zone_counts
from geo.core import styles
from geo.core.timeline import weekly_counts

#: SVG keeps marks in the DOM (readable by assistive tech and tests); no export menu.
SVG: Final[dict[str, Any]] = {"embedOptions": {"renderer": "svg", "actions": False}}


def _colour_scale(types: list[str]) -> alt.Scale:
    return alt.Scale(domain=types, range=[styles.event_color(t) for t in types])


def weekly_chart(incidents: pd.DataFrame) -> alt.Chart:
    """Incidents per week (weeks start on Monday), stacked by event type."""
    frame = weekly_counts(incidents)
    types = sorted(frame["event_type"].astype(str).unique().tolist())
    return (
        alt.Chart(frame, title="Incidents per week, by event type")
        .mark_bar()
        .encode(
            x=alt.X("week:T", title="Week (starting Monday)"),
            y=alt.Y("sum(count):Q", title="Incidents", stack="zero"),
            color=alt.Color("event_type:N", title="Event type", scale=_colour_scale(types),
                            legend=alt.Legend(orient="bottom", columns=3)),
            tooltip=[alt.Tooltip("week:T", title="Week of"), alt.Tooltip("event_type:N"),
                     alt.Tooltip("count:Q", title="Incidents")],
        )
        .properties(height=260)
    )


def _bars(frame: pd.DataFrame, category: str, title: str, axis_title: str) -> alt.Chart:
    return (
        alt.Chart(frame, title=title)
        .mark_bar(color="#1f4e9c")
        .encode(
            y=alt.Y(f"{category}:N", sort="-x", title=axis_title),
            x=alt.X("incidents:Q", title="Incidents"),
            tooltip=[alt.Tooltip(f"{category}:N", title=axis_title),
                     alt.Tooltip("incidents:Q", title="Incidents")],
        )
        .properties(height=alt.Step(18))
    )


def zone_chart(classified: pd.DataFrame) -> alt.Chart:
    """Incidents per zone (an incident may count in several zones)."""
    return _bars(zone_counts(classified), "zone", "Incidents per zone", "Zone")


def admin_chart(incidents: pd.DataFrame, column: str = "admin2", limit: int = 20) -> alt.Chart:
    """The ``limit`` admin areas with most incidents."""
    frame = top_values(incidents[column] if column in incidents else [], limit)
    label = {"admin2": "Admin 2 (as reported)", "district": "District (from our layers)"}.get(
        column, column)
    return _bars(frame, "value", f"Incidents per {label}", label)
