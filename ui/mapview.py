"""Cached inputs of the map page: the layer state at a date and the incidents in a window."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import streamlit as st

from geo.timeline import incidents_in_window, state_at
from ui import loaders


@st.cache_data(show_spinner=False, max_entries=64)
def features_on(day: str) -> gpd.GeoDataFrame:
    """Every layer feature that holds on ``day`` (ISO), with its status that day."""
    return state_at(loaders.layers().data, day)


@st.cache_data(show_spinner=False, max_entries=64)
def incidents_for(day: str, window_days: int | None) -> gpd.GeoDataFrame:
    """Built-in incidents in the window of ``window_days`` ending on ``day`` (None: since 8 Dec)."""
    return incidents_in_window(loaders.incidents().data, dt.date.fromisoformat(day), window_days)


def map_origin(default: tuple[float, float, int]) -> tuple[float, float, int]:
    """Where the map script starts. Fixed per session (changed by presets and events only),
    so that panning does not rebuild the map; st_folium's center/zoom follow the URL."""
    if "map_origin" not in st.session_state:
        st.session_state["map_origin"] = default
    return st.session_state["map_origin"]


def set_origin(origin: tuple[float, float, int]) -> None:
    st.session_state["map_origin"] = origin
