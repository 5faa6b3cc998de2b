"""Cached exports of the shared view. The view is keyed by its query string, so that every
cached render is tied to exactly what the URL describes; the renders themselves are in
geo.export."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import streamlit as st

from geo.core.view import ViewState, parse_view, serialise_view
from geo.export import browser
from geo.export import snapshot as export
from geo.export.data import DataFormat, export_data
from geo.export.gif import PlaybackMode, playback_dates, render_gif
from geo.export.html_map import render_html
from geo.export.pdf import render_pdf
from geo.export.png import render_png
from ui import loaders

Progress = Callable[[int, int], None]


def view_key(view: ViewState) -> str:
    """The view as a hashable, canonical string (its query string)."""
    return urlencode(serialise_view(view))


def app_url() -> str:
    """The app's root URL (where a permalink opens the map), from the browser's URL."""
    parts = urlsplit(str(getattr(st.context, "url", "") or ""))
    if not parts.netloc:
        return ""
    prefix = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return f"{parts.scheme}://{parts.netloc}/{prefix + '/' if prefix else ''}"


@st.cache_data(show_spinner=False, max_entries=4)
def data_version(folder: str) -> str:
    return export.data_version(Path(folder))


def version() -> str:
    return data_version(loaders.data_dir())


def snapshot(key: str, base_url: str) -> export.Snapshot:
    """What the view shows, from the cached datasets (cheap: the heavy work is cached below)."""
    view = parse_view(dict(parse_qsl(key)))
    data = loaders.load_data()
    return export.make_snapshot(view, data["layers"].data, data["incidents"].data,
                                data["timeline"].data, base_url, version())


@st.cache_data(show_spinner=False, max_entries=32)
def png(key: str, preset: str, base_url: str) -> bytes:
    return render_png(snapshot(key, base_url), preset)


@st.cache_data(show_spinner=False, max_entries=16)
def pdf(key: str, base_url: str) -> bytes:
    return render_pdf(snapshot(key, base_url))


@st.cache_data(show_spinner=False, max_entries=16)
def html(key: str, base_url: str) -> str:
    return render_html(snapshot(key, base_url))


@st.cache_data(show_spinner=False, max_entries=16)
def browser_png(key: str, base_url: str) -> browser.BrowserShot:
    return browser.browser_png(html(key, base_url), "slide")


@st.cache_data(show_spinner=False, max_entries=32)
def data(key: str, fmt: DataFormat) -> bytes:
    return export_data(snapshot(key, ""), fmt)


@st.cache_data(show_spinner=False, max_entries=8)
def gif(key: str, start: str, end: str, mode: PlaybackMode,
        _progress: Progress | None = None) -> bytes:
    """The playback GIF (``_progress`` is left out of the cache key)."""
    snap = snapshot(key, "")
    days = playback_dates(snap.entries, dt.date.fromisoformat(start),
                                 dt.date.fromisoformat(end), mode)
    return render_gif(snap, days, progress=_progress)


def requested(kind: str, key: str, label: str) -> bool:
    """A button that asks for an expensive export of this view; stays true once pressed."""
    flag = f"export-requested:{kind}:{key}"
    if st.button(label, key=f"request-{kind}"):
        st.session_state[flag] = True
    return bool(st.session_state.get(flag))
