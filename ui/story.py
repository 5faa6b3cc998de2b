"""Streamlit glue of the briefing page: the cached story, step navigation in the URL, the
presenter layout and the cached side-by-side comparison (logic in geo.data.story and
geo.render.comparison)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Final

import folium
import pandas as pd
import streamlit as st

from geo.core.model import LoadResult, Rejected
from geo.core.view import ViewState
from geo.data.loaders import DatasetError
from geo.data.story import StoryStep, load_story, step_params
from geo.render.comparison import comparison_changes, comparison_day, comparison_table
from geo.render.comparison import comparison_html as side_by_side_html
from geo.render.map import MapSpec, build_map
from ui import loaders, mapview

STORY_FILE: Final[str] = "story.json"
MODES: Final[dict[str, str]] = {"story": "Story, step by step",
                                "compare": "Positions side by side"}
#: The story's map beside its caption: the map takes most of the width.
COLUMNS: Final[list[int]] = [3, 1]


def map_offset(presenting: bool) -> int:
    """Pixels of the window above the story's map (header, toolbar, title) and under it: the
    map takes the rest of the window's height."""
    return 180 if presenting else 200


#: Presenter layout: no sidebar or header, large high-contrast type, big buttons.
PRESENTER_CSS: Final[str] = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"] {
  display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 1.2rem 2.5rem 1rem; max-width: 100%; }
[data-testid="stAppViewContainer"], [data-testid="stMain"] { background: #ffffff; color: #000; }
h1 { font-size: 3rem !important; line-height: 1.15 !important; color: #000 !important; }
[data-testid="stMarkdownContainer"] p { font-size: 1.65rem; line-height: 1.45; color: #000; }
.story-sources, .story-sources a { font-size: 1.15rem; color: #000; }
.stButton button { font-size: 1.9rem; font-weight: 700; min-height: 4.2rem; color: #000;
  background: #fff; border: 3px solid #000; }
.stButton button:hover, .stButton button:focus { background: #000; color: #fff; }
.stButton button:disabled { border-color: #999; color: #777; }
</style>"""


@st.cache_data(show_spinner=False)
def _load(folder: str) -> LoadResult:
    path = Path(folder) / STORY_FILE
    try:
        return load_story(path, STORY_FILE, loaders.timeline().data)
    except (DatasetError, OSError, UnicodeDecodeError) as exc:
        return LoadResult([], [Rejected(STORY_FILE, "(whole file)", (str(exc),))])


def story() -> LoadResult:
    """The validated story steps (``data``) and every refused step (``rejected``)."""
    return _load(loaders.data_dir())


def presenter() -> bool:
    return st.query_params.get("presenter") == "1"


def set_presenter(on: bool) -> None:
    if on:
        st.query_params["presenter"] = "1"
    elif "presenter" in st.query_params:
        del st.query_params["presenter"]


def mode() -> str:
    value = st.query_params.get("mode", "story")
    return value if value in MODES else "story"


def set_mode(value: str) -> None:
    st.query_params["mode"] = value


def show(step: StoryStep) -> bool:
    """Write the step's view and id to the URL (every step has the same parameters); True
    when the URL changed."""
    changed = False
    for key, value in step_params(step).items():
        if st.query_params.get(key) != value:
            st.query_params[key] = value
            changed = True
    return changed


def step_map(step: StoryStep) -> folium.Map:
    view = step.view()
    day = view.date.isoformat()
    return build_map(mapview.features_on(day), mapview.incidents_for(day, view.window_days),
                     MapSpec(view, (view.lat, view.lon, view.zoom), controls=False))


@st.cache_data(show_spinner="Measuring both positions…")
def comparison(folder: str) -> tuple[str, pd.DataFrame, list[str]]:
    """Day, table of areas (UTM 36N) and plain sentences on what changes between them."""
    layers = loaders.layers().data
    day = comparison_day(layers)
    table = comparison_table(layers, day)
    return day.isoformat(), table, comparison_changes(table)


@st.cache_data(show_spinner="Drawing both maps…")
def comparison_html(folder: str, day: str, lat: float, lon: float, zoom: int) -> str:
    when = dt.date.fromisoformat(day)
    view = ViewState(date=when, lat=lat, lon=lon, zoom=zoom)
    return side_by_side_html(loaders.layers().data, when, view)
