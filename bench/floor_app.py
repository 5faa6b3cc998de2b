"""The floor: a bare Streamlit page with one ``st_folium`` map holding one CircleMarker, its
assets local. What the time to a map cannot go under with Streamlit and streamlit-folium on
this machine; ``bench.run`` measures it in the same run as the app and states the first-map
targets as ratios to it.

    streamlit run floor_app.py      (bench.run starts it next to a link to static/)
"""

import folium
from streamlit_folium import st_folium

from geo.render.assets import localise

fmap = folium.Map(location=[33.05, 35.85], zoom_start=10, tiles=None)
folium.CircleMarker(location=[33.05, 35.85], radius=6, color="#222222", weight=1, fill=True,
                    fill_opacity=0.85, className="incident").add_to(fmap)
st_folium(localise(fmap), height=600, use_container_width=True)
