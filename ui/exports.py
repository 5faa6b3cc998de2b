"""Cached exports of the shared view and their download buttons. The view is keyed by its query
string, and its user annotations by their ids and versions (``ann``: ``id@3,other@1``, see
:func:`annotation_key`), so that every cached render is tied to exactly what the URL and the
store describe (a new version of an annotation is a new key, never a stale file); the formats
and their renderers are registered in geo.export.registry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Final
from urllib.parse import parse_qsl, urlencode

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from geo.core.annotation import Annotation
from geo.core.view import ViewState, annotation_ref, parse_view, serialise_view
from geo.export import browser
from geo.export import snapshot as export
from geo.export.gif import PlaybackMode, playback_dates
from geo.export.registry import FORMATS, ExportFormat, of_group
from ui import loaders
from ui import store as ui_store

Progress = Callable[[int, int], None]
#: The data files of the view's layers and incidents (cheap: made with the page).
DATA_FORMATS: Final[tuple[str, ...]] = tuple(fmt.key for fmt in of_group("data"))


def view_key(view: ViewState) -> str:
    """The view as a hashable, canonical string (its query string)."""
    return urlencode(serialise_view(view))


def annotation_key(annotations: Sequence[Annotation]) -> str:
    """The annotations of a view as part of a cache key: ``id@version`` of each, in order."""
    return ",".join(f"{a.id}@{a.version}" for a in annotations)


@st.cache_data(show_spinner=False, max_entries=4)
def data_version(folder: str) -> str:
    return export.data_version(Path(folder))


def version() -> str:
    return data_version(loaders.data_dir())


def snapshot(key: str, base_url: str, ann: str = "") -> export.Snapshot:
    """What the view shows, from the cached datasets and the annotation versions ``ann`` names
    (cheap: the heavy work is cached below)."""
    view = parse_view(dict(parse_qsl(key)))
    data = loaders.load_data()
    annotations = [ui_store.current().annotation(*annotation_ref(ref))
                   for ref in ann.split(",") if ref]
    return export.make_snapshot(view, data["layers"].data, data["incidents"].data,
                                data["timeline"].data, base_url, version(),
                                data["coverage"].data, annotations)


@st.cache_data(show_spinner=False, max_entries=48)
def render(key: str, fmt: str, base_url: str, ann: str = "") -> bytes:
    """A registered export that needs nothing but the view (every format but the GIF)."""
    return FORMATS[fmt].render(snapshot(key, base_url, ann))


@st.cache_data(show_spinner=False, max_entries=16)
def browser_png(key: str, base_url: str, ann: str = "") -> browser.BrowserShot:
    return browser.browser_png(render(key, "html", base_url, ann).decode("utf-8"), "slide")


@st.cache_data(show_spinner=False, max_entries=8)
def gif(key: str, start: str, end: str, mode: PlaybackMode, ann: str = "",
        _progress: Progress | None = None) -> bytes:
    """The playback GIF (``_progress`` is left out of the cache key)."""
    snap = snapshot(key, "", ann)
    days = playback_dates(snap.entries, dt.date.fromisoformat(start),
                          dt.date.fromisoformat(end), mode)
    return FORMATS["gif"].render(snap, days, progress=_progress)


def _ask(flag: str) -> None:
    st.session_state[flag] = True


def requested(kind: str, key: str, label: str) -> bool:
    """A button (keyed ``request-<kind>``) that asks for an expensive export of this view
    (``key``); true once pressed, and the button then gives way to what it asked for."""
    flag = f"export-requested:{kind}:{key}"
    if not st.session_state.get(flag):  # the click's callback sets it before the run
        st.button(label, key=f"request-{kind}", on_click=_ask, args=(flag,))
    return bool(st.session_state.get(flag))


def offer(fmt: ExportFormat, data: bytes, view: ViewState, where: DeltaGenerator | None = None,
          what: str = "", suffix: str | None = None) -> None:
    """The download button of an export: "Download [<what>] <EXT>" (keyed
    ``download-[<what>-]<ext>``), with the format's file name and MIME type.

    The button carries its bytes, made before it is drawn (cached above per view and format),
    never a callable: Streamlit 1.67 stores the file a callable makes on click unreferenced by
    any session, and the cleanup that ends every script run of any session deletes it at its
    second pass, which under load came before the browser's GET (a second click was needed).
    Bytes given to the button stay referenced by this session's button until it is drawn no
    more; ``on_click="ignore"`` starts no rerun that could replace them."""
    name = f"{what} {fmt.ext.upper()}".strip()
    (where or st).download_button(
        f"Download {name}", data, fmt.filename(view, suffix), fmt.mime, help=fmt.label,
        key=f"download-{name.lower().replace(' ', '-')}", icon=":material/download:",
        on_click="ignore")
