"""Streamlit glue of the incidents page: incidents per zone, before / after a milestone, and
the downloads of the filtered incidents."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import replace
from typing import Any

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo.analysis.filters import IncidentFilter, filter_incidents
from geo.analysis.summary import before_after, zone_summary
from geo.core.figures import round_sig
from geo.core.vocabulary import FALL_OF_ASSAD
from geo.export import incidents as incident_export
from ui import loaders, state
from ui.incidents import Dataset, classified


def zone_panel(frame: pd.DataFrame, start: dt.date, end: dt.date) -> None:
    table = zone_summary(frame, loaders.layers().data, start, end)
    table["area_km2"] = table["area_km2"].map(round_sig, na_action="ignore")  # as sources allow
    st.caption(
        f"{start:%d %b %Y} – {end:%d %b %Y}. Zones as of each incident's own date (a proposal "
        "zone counts only from the day it was reported). Areas in UTM 36N, to two significant "
        "figures (the zones are drawn no more precisely); fatalities sum the "
        "reported figures (blank = none reported). An incident can fall in several zones."
    )
    st.dataframe(
        table.drop(columns="key"), hide_index=True, width="stretch",
        column_config={
            "zone": "Zone", "area_km2": st.column_config.NumberColumn("Area (km²)", format="≈ %d"),
            "incidents": "Incidents", "fatalities": "Fatalities",
            "per_30_days": st.column_config.NumberColumn("Per 30 days", format="%.2f"),
        },
    )


def _default_milestone(entries: list[dict[str, Any]]) -> int:
    """The view's event if any, else the first proposal since 8 Dec 2024, else that day."""
    event = state.current().event
    since = [i for i, e in enumerate(entries) if str(e["date"]) >= FALL_OF_ASSAD.isoformat()]
    for index in since:
        if entries[index].get("id") == event:
            return index
    for index in since:
        if entries[index].get("kind") == "proposal":
            return index
    return since[0] if since else max(len(entries) - 1, 0)


def before_after_panel(dataset: Dataset, chosen: IncidentFilter) -> None:
    entries = list(loaders.timeline().data)
    if not entries:
        st.info("The negotiation timeline is not available.")
        return
    cols = st.columns([4, 2])
    index = cols[0].selectbox(
        "Milestone", range(len(entries)), index=_default_milestone(entries),
        format_func=lambda i: f"{entries[i]['date']} · {str(entries[i]['title'])[:100]}",
        key="before_after_milestone",
    )
    days = cols[1].select_slider("Days each side", [7, 14, 30, 60, 90, 180, 365], value=30,
                                 key="before_after_days")
    milestone = dt.date.fromisoformat(str(entries[index]["date"]))
    geographic = classified(dataset, respect_dates=False)
    subset = filter_incidents(geographic, replace(chosen, start=None, end=None))
    result = before_after(subset, milestone, days)
    if result.days == 0:
        st.info("This milestone is today or later: there is no 'after' window yet.")
        return
    note = " (shortened: the 'after' window reaches today)" if result.truncated else ""
    st.caption(
        f"Before: {result.before[0]} – {result.before[1]}; after: {result.after[0]} – "
        f"{result.after[1]}; {result.days} days each{note}. Other filters apply; zones at their "
        "full extent on both sides, so a proposal zone can be compared with the time before "
        "it was proposed."
    )
    st.dataframe(
        result.table.drop(columns="key"), hide_index=True, width="stretch",
        column_config={"change_pct": st.column_config.NumberColumn("Change (%)", format="%.0f")},
    )


def downloads(frame: pd.DataFrame, dataset: Dataset, chosen: IncidentFilter) -> None:
    if frame.empty:
        st.caption("Nothing to download: no incidents match the filters.")
        return
    name = functools.partial(incident_export.export_filename, dataset.slug, chosen.start,
                             chosen.end)
    plain = gpd.GeoDataFrame(frame)
    cols = st.columns(3)
    cols[0].download_button(
        "CSV", functools.partial(incident_export.to_csv_bytes, plain), file_name=name("csv"),
        mime="text/csv", on_click="ignore", icon=":material/download:", key="dl_csv")
    cols[1].download_button(
        "GeoJSON", functools.partial(incident_export.to_geojson_bytes, plain),
        file_name=name("geojson"), mime="application/geo+json", on_click="ignore",
        icon=":material/download:", key="dl_geojson")
    cols[2].download_button(
        "GeoPackage", functools.partial(incident_export.to_gpkg_bytes, plain),
        file_name=name("gpkg"), mime="application/geopackage+sqlite3", on_click="ignore",
        icon=":material/download:", key="dl_gpkg")
    st.caption(f"{len(frame):,} incidents with their zone columns. Sources as cited on each row.")
