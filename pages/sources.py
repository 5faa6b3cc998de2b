"""Sources, licences, how far the record reaches, and every item the loaders rejected."""

import pandas as pd
import streamlit as st

from geo.data.dem import DEM_CREDIT
from geo.render.coverage import coverage_chart, unlocated_table
from ui import loaders
from ui.incidents import md

st.title("Sources and data quality")
st.info(loaders.data_through(), icon=":material/event_available:")

st.subheader("Coverage by month")
coverage = loaders.coverage()
with st.container(key="coverage"):
    if coverage.months:
        st.caption("Rows found per month in the public reporting searched. Incidents are a "
                   "sample, not a census: a thin month may be a month where little was found, "
                   "not one where little happened. A grey tick marks a month where nothing was "
                   "found.")
        st.altair_chart(coverage_chart(coverage), width="stretch")
        notes = coverage.month_frame()
        st.dataframe(notes[notes["note"] != ""], hide_index=True, width="stretch")
        st.caption(md(coverage.provenance))
    else:
        st.warning("data/coverage.json did not load: see the rejected items below.")

st.subheader("Reported positions not placed on the map")
unlocated = loaders.unlocated().data
with st.container(key="unlocated_positions"):
    st.caption(f"{len(unlocated)} position(s) are reported, but no source places them closely "
               "enough to draw: listed here with the area the reports put them in, never drawn.")
    st.dataframe(unlocated_table(unlocated), hide_index=True, width="stretch", column_config={
        "position": st.column_config.TextColumn(width="medium"),
        "reported in": st.column_config.TextColumn(width="medium"),
        "sources": st.column_config.TextColumn(width="large"),
        "why not placed": st.column_config.TextColumn(width="large")})

st.subheader("Layers and their sources")
layers = loaders.layers().data
summary = (
    layers.groupby(["layer", "basis", "confidence", "attribution"], dropna=False)
    .size()
    .reset_index(name="features")
)
st.dataframe(summary, hide_index=True, width="stretch")

st.subheader("Rejected items")
rejected = loaders.rejected_rows()
with st.container(key="rejected_items"):
    if rejected:
        st.warning(f"{len(rejected)} item(s) were refused by the validating loaders.")
        st.dataframe(pd.DataFrame(rejected), hide_index=True, width="stretch")
    else:
        st.success("Every item in data/ passed validation.")

st.subheader("Licences and attributions")
st.markdown(
    "- © OpenStreetMap contributors, ODbL 1.0\n"
    "- UN Cartographic Section and OCHA, via HDX, CC BY 3.0 IGO\n"
    "- GeoNames (geonames.org), CC BY 4.0\n"
    "- Natural Earth, public domain\n"
    "- Who's On First, CC0; OpenSyria Data Geography, CC BY 4.0\n"
    f"- Terrain (What Hermon sees): {DEM_CREDIT}; public domain\n"
    "- Incidents, positions and timeline: compiled from the public reports cited on each item. "
    "Sources marked \"via republisher\" are a republisher's copy of another outlet's report "
    "(data/SOURCES.md)."
)
