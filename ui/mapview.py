"""Cached inputs of the map page: the layer state at a date and the incidents in a window.

Everything here is shared by all sessions (st.cache_resource: no copy per call) and keyed on
the data folder too; callers must not modify what they get.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

import folium
import geopandas as gpd
import streamlit as st
from streamlit_folium import st_folium

from geo.analysis.aggregate import POINT_LIMIT, CellIndex, cell_index
from geo.core.timeline import StateLookup, incidents_in_window, state_lookup, window_mask
from geo.render import chart_specs
from geo.render.assets import figure_of
from geo.render.live import externalise, split_live
from geo.render.map import IncidentLayer, cell_layer, incident_layer
from geo.render.static_files import publish_text
from ui import loaders

#: The map page's own date picker, beside the map (in the fragment that reruns on a date change).
DATE_KEY: Final[str] = "map_date"


@st.cache_resource(show_spinner=False, max_entries=4)
def _states(folder: str) -> StateLookup:
    return state_lookup(loaders.layers().data)


def features_on(day: str) -> gpd.GeoDataFrame:
    """Every layer feature that holds on ``day`` (ISO), with its status that day: a lookup in
    the states computed once per data folder."""
    return _states(loaders.data_dir()).at(day)


@st.cache_resource(show_spinner=False, max_entries=8)
def _incidents_for(folder: str, day: str, window_days: int | None) -> gpd.GeoDataFrame:
    return incidents_in_window(loaders.incidents().data, dt.date.fromisoformat(day), window_days)


def incidents_for(day: str, window_days: int | None) -> gpd.GeoDataFrame:
    """Built-in incidents in the window of ``window_days`` ending on ``day`` (None: since 8 Dec)."""
    return _incidents_for(loaders.data_dir(), day, window_days)


@st.cache_resource(show_spinner=False, max_entries=4)
def _cells(folder: str) -> CellIndex:
    return cell_index(loaders.incidents().data)


@st.cache_resource(show_spinner=False, max_entries=32)
def _layer_for(folder: str, day: str, window_days: int | None) -> IncidentLayer:
    data = loaders.incidents().data
    mask = window_mask(data, dt.date.fromisoformat(day), window_days).to_numpy()
    # Above the limit, grid cells: counted over the dataset's cell index (built once).
    layer = (cell_layer(_cells(folder), mask) if mask.sum() > POINT_LIMIT
             else incident_layer(data.loc[mask]))
    # Serialised once, here, rather than on every rerun; only the JSON text is kept.
    return layer.lean()


def incident_layer_for(day: str, window_days: int | None) -> IncidentLayer:
    """The incident layer of the map (markers or grid cells) for a date and window."""
    return _layer_for(loaders.data_dir(), day, window_days)


def chart_range(day: dt.date) -> tuple[dt.date, dt.date]:
    """The time axis of the charts under the map: June 2024 (or a month before ``day``) to
    today (or ``day``)."""
    return min(dt.date(2024, 6, 1), day - dt.timedelta(days=30)), max(dt.date.today(), day)


@st.cache_resource(show_spinner=False, max_entries=64)
def _track(folder: str, start: dt.date, end: dt.date, selected: str | None) -> dict[str, Any]:
    from geo.render import charts  # Altair: imported with the first chart (see MAP_DRAWN_KEY)

    return charts.timeline_chart(loaders.timeline().data, start, start, end, selected).to_dict()


@st.cache_resource(show_spinner=False, max_entries=16)
def _weekly(folder: str, start: dt.date, end: dt.date) -> dict[str, Any]:
    from geo.render import charts  # Altair: imported with the first chart (see MAP_DRAWN_KEY)

    return charts.weekly_chart(loaders.incidents().data, start, start, end).to_dict()


def track_spec(day: dt.date, selected: str | None) -> dict[str, Any]:
    """The negotiation track's Vega-Lite spec with ``day`` marked: built and validated once per
    axis and selection, only the date rule changes with the date."""
    return chart_specs.at_date(_track(loaders.data_dir(), *chart_range(day), selected), day)


def weekly_spec(day: dt.date) -> dict[str, Any]:
    """The incidents-per-week spec with ``day`` marked (built once per axis)."""
    return chart_specs.at_date(_weekly(loaders.data_dir(), *chart_range(day)), day)


#: Set on the session's first run of the Map page. What lies under the map (the charts, the
#: event, the link) waits for the next run, which the map's first report of its view starts
#: as soon as it is drawn: the browser then spends its first second on the map alone (the
#: Vega-Lite charts alone cost it about half a second of work before the map shows), and a
#: fresh server its first run without importing Altair.
MAP_DRAWN_KEY: Final[str] = "map_drawn"


def under_the_map_now() -> bool:
    """False on the session's first run of the Map page, True on every run after it."""
    ready = bool(st.session_state.get(MAP_DRAWN_KEY))
    st.session_state[MAP_DRAWN_KEY] = True
    return ready


def map_origin(default: tuple[float, float, int]) -> tuple[float, float, int]:
    """Where the map script starts. Fixed per session (changed by presets and events only),
    so that panning does not rebuild the map; st_folium's center/zoom follow the URL."""
    if "map_origin" not in st.session_state:
        st.session_state["map_origin"] = default
    return st.session_state["map_origin"]


def set_origin(origin: tuple[float, float, int]) -> None:
    st.session_state["map_origin"] = origin


#: Inside the map's frame: the map fills the frame, whatever height the page gives the frame.
_FILL_FRAME: Final[str] = ("<style>html,body{margin:0;overflow:hidden}"
                           "#map_div{height:100vh!important}</style>")
#: The map's frame on the page (streamlit-folium takes a fixed height in pixels).
_FRAME: Final[str] = 'iframe[title="streamlit_folium.st_folium"]'


#: The page's content starts just under Streamlit's header (its default top margin is 6rem).
_COMPACT_TOP: Final[str] = '[data-testid="stMainBlockContainer"]{padding-top:3.75rem}'


def follow_window(fmap: folium.Map, offset_px: int, min_px: int = 420,
                  compact_top: bool = True) -> None:
    """Make the map the page's hero: its frame is as high as the window less ``offset_px``
    (the page's header and controls), never under ``min_px``, and follows the window when it
    is resized (Leaflet redraws itself on its frame's resize). ``compact_top`` trims the empty
    band above the page's title."""
    figure_of(fmap).header.add_child(folium.Element(_FILL_FRAME), name="fill_frame")
    top = _COMPACT_TOP if compact_top else ""
    st.html(f"<style>{top}{_FRAME}{{height:max({min_px}px,calc(100vh - {offset_px}px))"
            "!important}</style>")


def show_live(fmap: folium.Map, center: list[float], zoom: int) -> Any:
    """Draw the page's live map: the date-dependent layers go to streamlit-folium on the side
    (geo.render.live), so a date change swaps them in the map already drawn instead of
    re-creating it, and the layers' data is fetched by URL (cached by the browser). Returns
    the map's centre and zoom as the user left them."""
    live = externalise(split_live(fmap), publish_text)
    return st_folium(live.base, key="map", height=600, use_container_width=True,
                     returned_objects=["center", "zoom"], center=center, zoom=zoom,
                     feature_group_to_add=live.groups, layer_control=live.control)
