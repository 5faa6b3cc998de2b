"""What the sources page shows about the record itself: coverage by month (an Altair chart in
which thin months look thin and empty months show as empty, with their notes) and the positions
that are reported but not placed (a table: area, dates, sources)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, Final

import altair as alt
import pandas as pd

from geo.core.dates import date_text, entry_precision
from geo.core.model import is_blank
from geo.data.coverage import COUNTS, Coverage

#: Height of the coverage chart (pixels): readable, and never collapsed by the page layout.
CHART_HEIGHT: Final[int] = 220
COUNT_LABELS: Final[dict[str, str]] = {
    "incidents": "incidents", "timeline": "timeline entries", "positions": "positions (first "
    "reported)",
}
COUNT_COLORS: Final[list[str]] = ["#c0392b", "#1f4e9c", "#7b241c"]
#: Marks a month in which nothing at all was found (so that it reads as empty, not missing).
EMPTY_COLOR: Final[str] = "#9a9a9a"


def coverage_frame(coverage: Coverage) -> pd.DataFrame:
    """Long form of the monthly counts: month (first day), label ("Apr 2026"), what, rows,
    note, and ``total`` (all rows found that month)."""
    months = coverage.month_frame()
    long = months.melt(id_vars=["month", "note"], value_vars=list(COUNTS), var_name="what",
                       value_name="rows")
    long["total"] = long["month"].map(months.set_index("month")[list(COUNTS)].sum(axis=1))
    long["label"] = [dt.date.fromisoformat(f"{m}-01").strftime("%b %Y") for m in long["month"]]
    long["what"] = long["what"].map(COUNT_LABELS)
    long["note"] = long["note"].fillna("")
    return long[["month", "label", "what", "rows", "total", "note"]]


def coverage_chart(coverage: Coverage) -> alt.LayerChart:
    """Rows found per month, stacked by kind; a grey tick at zero marks a month where nothing
    was found. Every month of the record has its place on the axis; the tooltip gives the
    month's note."""
    frame = coverage_frame(coverage)
    order = list(dict.fromkeys(frame["label"]))
    x = alt.X("label:N", sort=order, title=None,
              axis=alt.Axis(labelAngle=-45, labelOverlap=False))  # every month named
    tooltip = [alt.Tooltip("label:N", title="month"), alt.Tooltip("what:N", title="kind"),
               alt.Tooltip("rows:Q", title="rows found"), alt.Tooltip("note:N", title="note")]
    bars = alt.Chart(frame).mark_bar().encode(
        x=x,
        y=alt.Y("rows:Q", stack="zero", title="rows found"),
        color=alt.Color("what:N", title=None, sort=list(COUNT_LABELS.values()),
                        scale=alt.Scale(domain=list(COUNT_LABELS.values()),
                                        range=COUNT_COLORS),
                        legend=alt.Legend(orient="top")),
        tooltip=tooltip,
    )
    empty = frame[frame["total"] == 0].drop_duplicates("month")
    nothing = alt.Chart(empty).mark_tick(color=EMPTY_COLOR, thickness=3, size=14).encode(
        x=x, y=alt.Y("rows:Q"), tooltip=[alt.Tooltip("label:N", title="month"),
                                         alt.Tooltip("note:N", title="nothing found")],
    )
    return (bars + nothing).properties(height=CHART_HEIGHT)


def _sources_text(sources: Any) -> str:
    parts = []
    for src in sources if isinstance(sources, list) else []:
        if not isinstance(src, Mapping):
            continue
        label = " — ".join(str(src[k]) for k in ("publisher", "title") if not is_blank(src.get(k)))
        url = "" if is_blank(src.get("url")) else f" ({src['url']})"
        via = " [via republisher]" if src.get("via_republisher") is True else ""
        parts.append(f"{label}{url}{via}")
    return "; ".join(parts)


UNLOCATED_TABLE_COLUMNS: Final[tuple[str, ...]] = (
    "position", "reported in", "since", "confidence", "sources", "why not placed",
)


def unlocated_table(rows: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """Positions reported but not placed, as plain text (st.dataframe shows it unrendered):
    the name, the area the reports place it in, since when (as precise as the source), the
    confidence, the sources (republished copies marked) and the notes."""
    return pd.DataFrame([
        {
            "position": row["name"],
            "reported in": row["location_area"],
            "since": date_text(row["valid_from"], entry_precision(row)),
            "confidence": row["confidence"],
            "sources": _sources_text(row.get("sources")),
            "why not placed": row.get("notes") or "",
        }
        for row in rows
    ], columns=list(UNLOCATED_TABLE_COLUMNS))
