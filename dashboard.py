"""Entry point: page config, the shared sidebar and the router over pages/."""

from pathlib import Path

import streamlit as st

from ui import sidebar

# A local file: a ":material/…:" page icon makes every page load fetch it from fonts.gstatic.com.
ICON = Path(__file__).resolve().parent / "assets" / "favicon.svg"

st.set_page_config(
    page_title="Syria–Israel security track: frontier map",
    page_icon=str(ICON),
    layout="wide",
)

PAGES = [
    st.Page("pages/map.py", title="Map", icon=":material/map:", default=True),
    st.Page("pages/incidents.py", title="Incidents and zones", icon=":material/query_stats:"),
    st.Page("pages/terrain.py", title="What Hermon sees"),
    st.Page("pages/annotate.py", title="Annotate", icon=":material/edit_location_alt:"),
    st.Page("pages/export.py", title="Export", icon=":material/download:"),
    st.Page("pages/briefing.py", title="Briefing", icon=":material/slideshow:"),
    st.Page("pages/sources.py", title="Sources and data quality", icon=":material/fact_check:"),
]

navigation = st.navigation(PAGES)
sidebar.render(with_date=navigation is not PAGES[0])  # the map page has its own, by the map
navigation.run()
