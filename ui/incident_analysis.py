"""Streamlit glue of the incidents page: incidents per zone, before / after a milestone, and
the downloads of the filtered incidents."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import Any, Final

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


#: The downloads of the filtered incidents: (label, format, MIME type, key).
_DOWNLOADS: Final[tuple[tuple[str, str, str, str], ...]] = (
    ("CSV", "csv", "text/csv", "dl_csv"),
    ("GeoJSON", "geojson", "application/geo+json", "dl_geojson"),
    ("GeoPackage", "gpkg", "application/geopackage+sqlite3", "dl_gpkg"),
)
_WRITERS: Final[dict[str, Callable[[gpd.GeoDataFrame], bytes]]] = {
    "csv": incident_export.to_csv_bytes,
    "geojson": incident_export.to_geojson_bytes,
    "gpkg": incident_export.to_gpkg_bytes,
}


@st.cache_resource(show_spinner=False, max_entries=12, ttl=3600)
def _export(dataset_key: str, chosen: str, fmt: str, _frame: gpd.GeoDataFrame) -> bytes:
    """The bytes of one download, keyed on the dataset and the filter (kept in memory only)."""
    return _WRITERS[fmt](_frame)


def downloads(frame: pd.DataFrame, dataset: Dataset, chosen: IncidentFilter) -> None:
    """The buttons carry their bytes, made before they are drawn (cached per dataset, filter and
    format). Streamlit 1.67 keeps the file of a deferred (callable) download unreferenced once
    generated and deletes it after any two script runs of any session, which under load could
    come before the browser fetched it; a file given as bytes stays referenced by this session's
    button (and keeps its id: the same bytes on the next run), and on_click="ignore" sends no
    rerun that could replace it."""
    if frame.empty:
        st.caption("Nothing to download: no incidents match the filters.")
        return
    plain = gpd.GeoDataFrame(frame)
    with st.spinner(f"Preparing the downloads of {len(frame):,} incidents…"):
        files = {fmt: _export(dataset.key, repr(chosen), fmt, plain) for fmt in _WRITERS}
    for col, (label, fmt, mime, key) in zip(st.columns(3), _DOWNLOADS, strict=True):
        col.download_button(
            label, files[fmt], mime=mime, on_click="ignore", icon=":material/download:", key=key,
            file_name=incident_export.export_filename(dataset.slug, chosen.start, chosen.end,
                                                      fmt))
    st.caption(f"{len(frame):,} incidents with their zone columns. Sources as cited on each row.")
