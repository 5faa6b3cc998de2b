"""Streamlit glue of the incidents page: cached import, load and classification, and panels.

The logic lives in geo/ (importers, store, zones, summary, filters, incident_export,
incident_charts); this
module reads widgets, calls it and draws. User data is cached with ``st.cache_resource``, in
memory and keyed on a SHA-256 of the uploaded bytes: it is never pickled, in memory or on disk.
Cached frames are shared, so nothing here changes them in place.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from dataclasses import dataclass, replace
from typing import Any, Final

import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.analysis.filters import IncidentFilter, actor_names, filter_incidents
from geo.analysis.summary import before_after, zone_summary
from geo.analysis.zones import ZONE_BY_KEY, ZONES, classify
from geo.core.figures import round_sig
from geo.core.model import is_http_url
from geo.core.vocabulary import FALL_OF_ASSAD
from geo.data import store
from geo.data.importers import ImportResult, IncidentImportError, display_name, import_incidents
from geo.export import incidents as incident_export
from geo.render import incident_charts
from geo.render.map import MapSpec, build_map
from ui import loaders, mapview, state

MAX_UPLOAD_MB: Final[int] = 50
TABLE_LIMIT: Final[int] = 5_000
MAP_LIMIT: Final[int] = 2_000
SOURCE_KEY: Final[str] = "incidents_source"
_NEXT_SOURCE: Final[str] = "incidents_source_next"
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
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=])")


def md(text: Any) -> str:
    """Escape text for st.markdown-like elements (no links, images, emphasis or directives)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")


@dataclass(frozen=True)
class Dataset:
    """The incidents the page works on, with a cache key that identifies their content."""

    key: str
    label: str
    slug: str
    data: gpd.GeoDataFrame


# ---------------------------------------------------------------------------------------------
# Cached boundary


@st.cache_resource(show_spinner=False, max_entries=8, ttl=3600)
def _import_cached(digest: str, filename: str, _data: bytes) -> tuple[ImportResult | None, str]:
    try:
        return import_incidents(_data, filename, MAX_UPLOAD_MB * 1_000_000), ""
    except IncidentImportError as exc:
        return None, str(exc)


def import_upload(data: bytes, filename: str) -> tuple[ImportResult | None, str]:
    """Import uploaded bytes: (result, "") or (None, a clear error message). Never raises."""
    digest = hashlib.sha256(data).hexdigest() if isinstance(data, (bytes, bytearray)) else ""
    if not digest:
        return None, f"{display_name(filename)}: expected the bytes of a file."
    return _import_cached(digest, display_name(filename), bytes(data))


@st.cache_resource(show_spinner=False, max_entries=8, ttl=3600)
def _load_saved(name: str, stamp: float, folder: str) -> tuple[gpd.GeoDataFrame | None, str]:
    try:
        return store.load(name, folder), ""
    except store.StoreError as exc:
        return None, str(exc)


@st.cache_resource(show_spinner=False, max_entries=16, ttl=3600)
def _classify_cached(key: str, respect_dates: bool, _frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return classify(_frame, loaders.layers().data, respect_dates)


def classified(dataset: Dataset, respect_dates: bool = True) -> gpd.GeoDataFrame:
    return _classify_cached(dataset.key, respect_dates, dataset.data)


# ---------------------------------------------------------------------------------------------
# Choosing the dataset


def choose_dataset() -> Dataset | None:
    """The source selector (sample, saved datasets, upload); returns the chosen incidents."""
    listing = store.list_datasets()
    for problem in listing.problems:
        st.warning(md(problem), icon=":material/report:")
    if listing.set_aside:
        shown = ", ".join(listing.set_aside[:5]) + (" …" if len(listing.set_aside) > 5 else "")
        st.caption(
            f":material/report: {len(listing.set_aside)} unreadable saved file(s) were set "
            f"aside in the user data folder and are not listed: {md(shown)}. Remove them once "
            "checked."
        )
    sample = loaders.incidents()
    options = ["sample", *(f"saved:{d.name}" for d in listing.datasets), "upload"]
    rows = {f"saved:{d.name}": d.rows for d in listing.datasets}
    if _NEXT_SOURCE in st.session_state:
        st.session_state[SOURCE_KEY] = st.session_state.pop(_NEXT_SOURCE)
    if st.session_state.get(SOURCE_KEY) not in options:
        st.session_state[SOURCE_KEY] = "sample"

    def label(option: str) -> str:
        if option == "sample":
            return f"Built-in sample ({len(sample.data):,})"
        if option == "upload":
            return "Upload a file"
        return f"Saved: {option.removeprefix('saved:')} ({rows[option]:,})"

    choice = st.radio("Dataset", options, format_func=label, horizontal=True, key=SOURCE_KEY)
    if choice == "sample":
        st.caption(
            f"Built-in sample: {len(sample.data):,} incidents compiled from cited public "
            f"reports (data/incidents.csv); {len(sample.rejected)} row(s) refused by validation. "
            f"{loaders.data_through()}."
        )
        return Dataset("sample", "built-in sample", "sample", sample.data)
    if choice == "upload":
        return upload_panel(listing.names)
    return saved_panel(choice.removeprefix("saved:"), listing)


def saved_panel(name: str, listing: store.Listing) -> Dataset | None:
    info = next(d for d in listing.datasets if d.name == name)
    frame, error = _load_saved(name, info.modified.timestamp(), str(info.path.parent))
    if frame is None:
        st.error(md(error), icon=":material/error:")
        return None
    cols = st.columns([4, 1])
    cols[0].caption(f"Saved dataset {md(name)}: {len(frame):,} incidents, saved "
                    f"{info.modified:%Y-%m-%d %H:%M} UTC.")
    with cols[1].popover("Delete…"):
        if st.button("Delete this saved dataset", key=f"delete_{name}", type="primary"):
            store.delete(name)
            st.session_state[_NEXT_SOURCE] = "sample"
            st.rerun()
    return Dataset(f"saved:{name}:{info.modified.timestamp()}", f"saved dataset {name}", name,
                   frame)


def upload_panel(saved_names: list[str]) -> Dataset | None:
    st.markdown(
        "Upload an **ACLED export**, a **UCDP GED** CSV (with or without its header row), or "
        "incidents in this dashboard's schema as **CSV**, **GeoJSON** or **GeoPackage** "
        f"(up to {MAX_UPLOAD_MB} MB)."
    )
    upload = st.file_uploader("Incident file", type=["csv", "geojson", "json", "gpkg"],
                              max_upload_size=MAX_UPLOAD_MB, key="incidents_upload")
    if upload is None:
        return None
    data = upload.getvalue()
    name = display_name(upload.name)
    with st.status(f"Importing {md(name)} ({len(data) / 1e6:.1f} MB)…", expanded=False) as box:
        result, error = import_upload(data, name)
        if result is None:
            box.update(label=f"Import failed: {md(name)}", state="error")
        else:
            box.update(label=f"Imported {md(name)}: {result.accepted:,} incidents",
                       state="complete")
    if result is None:
        st.error(md(error), icon=":material/error:")
        return None
    report(result)
    if result.accepted:
        save_controls(result, name, saved_names)
    digest = hashlib.sha256(data).hexdigest()
    return Dataset(f"upload:{digest}", f"upload {name}", store.slugify(name, "upload"),
                   result.data)


def report(result: ImportResult) -> None:
    """The validation report: accepted, rejected with reasons, columns ignored, notes."""
    show = st.success if not result.rejected else st.warning
    if not result.accepted:
        show = st.error
    show(md(result.summary))
    cols = st.columns(3)
    cols[0].metric("Rows accepted", f"{result.accepted:,}")
    cols[1].metric("Rows rejected", f"{len(result.rejected):,}")
    cols[2].metric("Columns ignored", f"{len(result.ignored_columns):,}")
    if result.rejected:
        with st.expander(f"Rejected rows and reasons ({len(result.rejected):,})"):
            st.dataframe(pd.DataFrame(result.rejected_rows()), hide_index=True, width="stretch")
    if result.ignored_columns:
        with st.expander("Columns ignored"):
            st.dataframe(pd.DataFrame({"column": result.ignored_columns}), hide_index=True)


def save_controls(result: ImportResult, filename: str, saved_names: list[str]) -> None:
    with st.form("save_upload"):
        cols = st.columns([3, 2, 2])
        name = cols[0].text_input("Dataset name", value=store.slugify(filename, "upload"),
                                  help="Lower-case letters, digits, '-' and '_'.")
        overwrite = cols[1].checkbox("Replace if it exists", key="save_replace")
        saved = cols[2].form_submit_button("Save as named dataset", key="save_submit")
    if not saved:
        return
    name = name.strip()
    if name in saved_names and not overwrite:
        st.error(f"A dataset named {md(name)} exists: tick 'Replace if it exists' to replace it.")
        return
    try:
        store.save(name, result.data)
    except store.StoreError as exc:
        st.error(md(exc))
        return
    st.session_state[_NEXT_SOURCE] = f"saved:{name}"
    st.rerun()


# ---------------------------------------------------------------------------------------------
# Filters, table, charts, map


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


# ---------------------------------------------------------------------------------------------
# Zones, before/after, downloads


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
