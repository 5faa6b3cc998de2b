"""Streamlit glue of the incidents page: the filter widgets, the table, the charts and the map.

Frames come from ui.incidents (cached and shared): nothing here changes them in place.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Final

import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.analysis.filters import IncidentFilter, actor_names
from geo.analysis.zones import ZONE_BY_KEY, ZONES
from geo.core.model import is_http_url
from geo.render import incident_charts
from geo.render.map import MapSpec, build_map
from ui import mapview, state

#: The tabs of the incidents page, and the key of their state (the open tab).
TABS: Final[tuple[str, ...]] = ("Table", "Charts", "Map", "Zones", "Before / after", "Download")
TAB_KEY: Final[str] = "incidents_tab"
TABLE_LIMIT: Final[int] = 5_000
MAP_LIMIT: Final[int] = 2_000
TABLE_COLUMNS: Final[tuple[str, ...]] = (
    "event_date", "event_type", "sub_event_type", "actor1", "actor2", "location", "admin1",
    "admin2", "governorate", "district", "fatalities", "alpha_km", "source", "url", "notes",
    "event_id_cnty",
)
TABLE_LABELS: Final[dict[str, str]] = {
    "event_type": "Event type", "sub_event_type": "Sub-event type", "actor1": "Actor 1",
    "actor2": "Actor 2", "location": "Location", "admin1": "Admin 1", "admin2": "Admin 2",
    "governorate": "Governorate (layers)", "district": "District (layers)",
    "source": "Source", "notes": "Notes", "event_id_cnty": "Event id",
}


def _span(frame: pd.DataFrame) -> tuple[dt.date, dt.date]:
    if frame.empty:
        today = dt.date.today()
        return today, today
    dates = frame["event_date"].astype(str)
    return dt.date.fromisoformat(dates.min()), dt.date.fromisoformat(dates.max())


def _options(series: pd.Series) -> list[str]:
    values = series.fillna("").astype(str).str.strip()
    return sorted(v for v in values.unique().tolist() if v)


def filter_controls(frame: pd.DataFrame, dataset_key: str) -> IncidentFilter:
    """The filter widgets (keys per dataset, so that a new dataset starts unfiltered)."""
    prefix = "f_" + hashlib.sha1(dataset_key.encode()).hexdigest()[:8] + "_"
    low, high = _span(frame)
    with st.expander("Filters", expanded=True):
        top = st.columns([2, 2, 2])
        chosen = top[0].date_input("Dates", value=(low, high), min_value=low, max_value=high,
                                   format="YYYY-MM-DD", key=prefix + "dates")
        picked = tuple(chosen) if isinstance(chosen, (tuple, list)) else (chosen,)
        start = picked[0] if picked else low
        end = picked[1] if len(picked) > 1 else high
        types = top[1].multiselect("Event type", _options(frame["event_type"]),
                                   key=prefix + "types")
        pool = frame[frame["event_type"].isin(types)] if types else frame
        subs = top[2].multiselect("Sub-event type", _options(pool["sub_event_type"]),
                                  key=prefix + "subs")
        row = st.columns([2, 2, 2])
        actors = row[0].multiselect("Actor (actor 1 or 2)", actor_names(frame)[:500],
                                    key=prefix + "actors")
        place = row[1].text_input("Admin area or location contains", key=prefix + "place")
        zones = row[2].multiselect(
            "In zone (any of)", [z.key for z in ZONES],
            format_func=lambda k: ZONE_BY_KEY[k].label, key=prefix + "zones",
        )
        text = st.text_input("Text in notes", key=prefix + "text")
    return IncidentFilter(start, end, tuple(types), tuple(subs), tuple(actors), place,
                          tuple(zones), text)


def incident_table(frame: pd.DataFrame) -> None:
    view = frame.sort_values("event_date", ascending=False, kind="stable").head(TABLE_LIMIT)
    view = pd.DataFrame(view[[c for c in TABLE_COLUMNS if c in view]]).copy()
    view["url"] = [str(u).strip() if is_http_url(u) else None for u in view["url"]]
    if len(frame) > TABLE_LIMIT:
        st.caption(f"Showing the latest {TABLE_LIMIT:,} of {len(frame):,} incidents; the "
                   "downloads hold them all.")
    st.dataframe(
        view, hide_index=True, width="stretch", height=420,
        column_config={
            **TABLE_LABELS,
            "event_date": st.column_config.TextColumn("Date"),
            "url": st.column_config.LinkColumn("Source link",
                                               display_text=r"https?://(?:www\.)?([^/]+)"),
            "alpha_km": st.column_config.NumberColumn(
                "Line A (km)", format="%.1f",
                help="Distance to Line A; negative on the Israeli-held side."),
            "fatalities": st.column_config.NumberColumn("Fatalities", format="%d"),
        },
    )


def charts(frame: pd.DataFrame) -> None:
    if frame.empty:
        st.info("No incidents match the filters.")
        return
    st.altair_chart(incident_charts.weekly_chart(frame), width="stretch")
    cols = st.columns(2)
    cols[0].altair_chart(incident_charts.zone_chart(frame), width="stretch")
    column = "admin2" if frame["admin2"].fillna("").astype(str).str.strip().any() else "district"
    cols[1].altair_chart(incident_charts.admin_chart(frame, column), width="stretch")


def incident_map(frame: pd.DataFrame, day: dt.date) -> None:
    """The filtered incidents on the map, over the layers as they stood on ``day``."""
    view = state.current()
    layers = tuple(dict.fromkeys((*view.layers, "incidents")))
    shown = frame.sort_values("event_date", ascending=False, kind="stable").head(MAP_LIMIT)
    if len(frame) > MAP_LIMIT:
        st.caption(f"The map shows the latest {MAP_LIMIT:,} of {len(frame):,} incidents.")
    st.caption(f"Layers as they stood on {day:%d %B %Y} (the end of the date filter).")
    spec = MapSpec(view.replace(layers=layers, date=day), (view.lat, view.lon, view.zoom))
    fmap = build_map(mapview.features_on(day.isoformat()), gpd.GeoDataFrame(shown), spec)
    st_folium(fmap, key="incidents_map", height=520, use_container_width=True,
              returned_objects=[])
