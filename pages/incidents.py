"""Incidents and zones: pick or upload a dataset, filter it, and analyse it by zone."""

import streamlit as st

from geo.analysis.filters import filter_incidents
from ui import incidents as ui

st.title("Incidents and zones")
dataset = ui.choose_dataset()
if dataset is None:
    st.stop()

frame = ui.classified(dataset)
chosen = ui.filter_controls(frame, dataset.key)
shown = filter_incidents(frame, chosen)

cols = st.columns(4)
cols[0].metric("Incidents in the dataset", f"{len(frame):,}")
cols[1].metric("Matching the filters", f"{len(shown):,}")
cols[2].metric("Reported fatalities", f"{int(shown['fatalities'].sum(skipna=True)):,}")
cols[3].metric("In the Area of Separation", f"{int(shown['in_aos'].sum()):,}")

tabs = st.tabs(["Table", "Charts", "Map", "Zones", "Before / after", "Download"])
with tabs[0]:
    ui.incident_table(shown)
with tabs[1]:
    ui.charts(shown)
with tabs[2]:
    ui.incident_map(shown, chosen.end)
with tabs[3]:
    ui.zone_panel(shown, chosen.start, chosen.end)
with tabs[4]:
    ui.before_after_panel(dataset, chosen)
with tabs[5]:
    ui.downloads(shown, dataset, chosen)
