"""Streamlit glue of the incidents page: the dataset it works on (the built-in sample, a saved
dataset or an upload), the cached import, load and classification, and the import report.

Every call to the dataset store (geo.data.store) of the incidents page is in this module. The
logic lives in geo/ (importers, store, zones); this module reads widgets, calls it and draws.
User data is cached with ``st.cache_resource``, in memory and keyed on a SHA-256 of the uploaded
bytes: it is never pickled, in memory or on disk. Cached frames are shared, so nothing here
changes them in place. The other panels are in ui.incident_views and ui.incident_analysis.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Final

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo.analysis.zones import classify
from geo.data import store
from geo.data.importers import (
    MAX_UPLOAD_MB,
    ImportResult,
    IncidentImportError,
    Progress,
    display_name,
    import_incidents,
)
from ui import loaders
from ui import store as app_store

SOURCE_KEY: Final[str] = "incidents_source"
_NEXT_SOURCE: Final[str] = "incidents_source_next"
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


#: What an import gives the page: the result, or None and a clear error message.
ImportOutcome = tuple[ImportResult | None, str]


class _Imports:
    """Imports of this process by (SHA-256 of the bytes, file name): the last eight, for an
    hour. A plain store, not a cached function, so that the import can draw its progress bar
    (elements drawn inside a cached function would be replayed on every cache hit)."""

    def __init__(self, entries: int = 8, seconds: float = 3600.0) -> None:
        self._entries, self._seconds = entries, seconds
        self._done: OrderedDict[tuple[str, str], tuple[float, ImportOutcome]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str]) -> ImportOutcome | None:
        with self._lock:
            hit = self._done.get(key)
            if hit is None or time.monotonic() - hit[0] > self._seconds:
                self._done.pop(key, None)
                return None
            self._done.move_to_end(key)
            return hit[1]

    def put(self, key: tuple[str, str], outcome: ImportOutcome) -> None:
        with self._lock:
            self._done[key] = (time.monotonic(), outcome)
            while len(self._done) > self._entries:
                self._done.popitem(last=False)


@st.cache_resource(show_spinner=False)
def _imports() -> _Imports:
    return _Imports()


def import_upload(data: bytes, filename: str, progress: Progress | None = None) -> ImportOutcome:
    """Import uploaded bytes: (result, "") or (None, a clear error message). Never raises.
    ``progress`` is told the records read (when the file is not imported already)."""
    digest = hashlib.sha256(data).hexdigest() if isinstance(data, (bytes, bytearray)) else ""
    name = display_name(filename)
    if not digest:
        return None, f"{name}: expected the bytes of a file."
    done = _imports().get((digest, name))
    if done is not None:
        return done
    try:
        outcome: ImportOutcome = (
            import_incidents(bytes(data), name, int(MAX_UPLOAD_MB * 1_000_000), progress), "")
    except IncidentImportError as exc:
        outcome = (None, str(exc))
    _imports().put((digest, name), outcome)
    return outcome


@st.cache_resource(show_spinner=False, max_entries=8, ttl=3600)
def _load_saved(
    where: tuple[str, str], name: str, version: int, stamp: float
) -> tuple[gpd.GeoDataFrame | None, str]:
    try:
        return app_store.current().load_dataset(name)[0], ""
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
    listing = app_store.current().list_datasets()
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
        return upload_panel(listing)
    return saved_panel(choice.removeprefix("saved:"), listing)


def saved_panel(name: str, listing: store.Listing) -> Dataset | None:
    info = next(d for d in listing.datasets if d.name == name)
    frame, error = _load_saved(app_store.location(), name, info.version,
                               info.modified.timestamp())
    if frame is None:
        st.error(md(error), icon=":material/error:")
        return None
    cols = st.columns([4, 1])
    cols[0].caption(f"Saved dataset {md(name)}: {len(frame):,} incidents, saved "
                    f"{info.modified:%Y-%m-%d %H:%M} UTC.")
    with cols[1].popover("Delete…"):
        if st.button("Delete this saved dataset", key=f"delete_{name}", type="primary"):
            try:
                app_store.current().delete_dataset(name, info.version)
            except store.StoreError as exc:
                st.error(md(exc))
                return None
            st.session_state[_NEXT_SOURCE] = "sample"
            st.rerun()
    return Dataset(f"saved:{name}:{info.version}:{info.modified.timestamp()}",
                   f"saved dataset {name}", name, frame)


def upload_panel(listing: store.Listing) -> Dataset | None:
    st.markdown(
        "Upload an **ACLED export**, a **UCDP GED** CSV (with or without its header row), or "
        "incidents in this dashboard's schema as **CSV**, **GeoJSON** or **GeoPackage** "
        f"(up to {MAX_UPLOAD_MB} MB), or a **ZIP** archive holding one of them (as ACLED and "
        "UCDP bulk downloads come)."
    )
    upload = st.file_uploader("Incident file", type=["csv", "geojson", "json", "gpkg", "zip"],
                              max_upload_size=MAX_UPLOAD_MB, key="incidents_upload")
    if upload is None:
        return None
    data = upload.getvalue()
    name = display_name(upload.name)
    bar = st.progress(0.0, text=f"Reading {md(name)}…")

    def progress(records: int, share: float) -> None:
        then = "; checking every row…" if share >= 1 else "…"
        bar.progress(min(share, 1.0), text=f"{md(name)}: {records:,} rows read{then}")

    with st.status(f"Importing {md(name)} ({len(data) / 1e6:.1f} MB)…", expanded=False) as box:
        result, error = import_upload(data, name, progress)
        bar.empty()
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
        save_controls(result, name, listing)
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


def save_controls(result: ImportResult, filename: str, listing: store.Listing) -> None:
    with st.form("save_upload"):
        cols = st.columns([3, 2, 2])
        name = cols[0].text_input("Dataset name", value=store.slugify(filename, "upload"),
                                  help="Lower-case letters, digits, '-' and '_'.")
        overwrite = cols[1].checkbox("Replace if it exists", key="save_replace")
        saved = cols[2].form_submit_button("Save as named dataset", key="save_submit")
    if not saved:
        return
    name = name.strip()
    versions = {d.name: d.version for d in listing}
    if name in versions and not overwrite:
        st.error(f"A dataset named {md(name)} exists: tick 'Replace if it exists' to replace it.")
        return
    try:  # replacing: based on the version listed; someone else's save since then is refused
        app_store.current().save_dataset(name, result.data, versions.get(name))
    except store.StoreError as exc:
        st.error(md(exc))
        return
    st.session_state[_NEXT_SOURCE] = f"saved:{name}"
    st.rerun()
