"""Incidents and zones: pick or upload a dataset, filter it, and analyse it by zone."""

import streamlit as st

from geo.analysis.filters import filter_incidents
from ui import incident_analysis as analysis
from ui import incident_views as views
from ui import incidents as ui

st.title("Incidents and zones")
dataset = ui.choose_dataset()
if dataset is None:
    st.stop()

frame = ui.classified(dataset)
chosen = views.filter_controls(frame, dataset.key)
shown = filter_incidents(frame, chosen)

cols = st.columns(4)
cols[0].metric("Incidents in the dataset", f"{len(frame):,}")
cols[1].metric("Matching the filters", f"{len(shown):,}")
cols[2].metric("Reported fatalities", f"{int(shown['fatalities'].sum(skipna=True)):,}")
cols[3].metric("In the Area of Separation", f"{int(shown['in_aos'].sum()):,}")

# Only the open tab is computed (a switch of tab reruns): the downloads are made only when asked.
tabs = st.tabs(list(views.TABS), key=views.TAB_KEY, on_change="rerun")
if tabs[0].open:
    with tabs[0]:
        views.incident_table(shown)
if tabs[1].open:
    with tabs[1]:
        views.charts(shown)
if tabs[2].open:
    with tabs[2]:
        views.incident_map(shown, chosen.end)
if tabs[3].open:
    with tabs[3]:
        analysis.zone_panel(shown, chosen.start, chosen.end)
if tabs[4].open:
    with tabs[4]:
        analysis.before_after_panel(dataset, chosen)
if tabs[5].open:
    with tabs[5]:
        analysis.downloads(shown, dataset, chosen)
