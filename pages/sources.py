"""Sources, licences, and every item the loaders rejected."""

import pandas as pd
import streamlit as st

from ui import loaders

st.title("Sources and data quality")
layers = loaders.layers().data
st.subheader("Layers and their sources")
summary = (
    layers.groupby(["layer", "basis", "confidence", "attribution"], dropna=False)
    .size()
    .reset_index(name="features")
)
st.dataframe(summary, hide_index=True, width="stretch")

st.subheader("Rejected items")
rejected = loaders.rejected_rows()
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
    "- Incidents, positions and timeline: compiled from the public reports cited on each item."
)
