"""The naive baseline as a Streamlit app, for the browser measures of ``bench.run``.

    BENCH_NAIVE_CSV=incidents.csv BENCH_DATE=2026-06-30 streamlit run naive_app.py

It loads the same synthetic incidents as the real app (window: everything since 8 Dec 2024)
and renders :func:`bench.naive.naive_map` with a default ``st_folium`` call. streamlit-folium
would load Leaflet from CDNs, which this machine cannot reach, so the map's assets are
pointed at the local copies with ``geo.render.assets.localise`` like the real app (``bench.run``
starts this script next to a link to ``static/``), and folium's popups get a stand-in for
the one jQuery call they make (see bench.naive). Not part of the dashboard.
"""

import datetime as dt
import os
from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

from bench.naive import naive_page
from geo.core.timeline import incidents_in_window
from geo.data.incidents import load_incidents_csv


@st.cache_resource
def _incidents(path: str):
    return load_incidents_csv(Path(path), Path(path).name).data


day = dt.date.fromisoformat(os.environ.get("BENCH_DATE", "2026-06-30"))
shown = incidents_in_window(_incidents(os.environ["BENCH_NAIVE_CSV"]), day, None)
st.caption(f"Naive baseline: {len(shown):,} incidents, one CircleMarker each")
st_folium(naive_page(shown), height=600, use_container_width=True)
