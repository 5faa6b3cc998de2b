"""Annotate: draw a point, line or polygon, and save it with its sources; every save a version."""

import shapely
import streamlit as st
from streamlit_folium import st_folium

from geo.render.annotations import ANNOTATIONS_LABEL, status_label
from ui import annotations, state

view = state.current()
st.title("Annotate the map")
st.caption(
    "Draw a point, a line or a polygon with the tools at the top left of the map, then give it "
    "a name, a status, its dates and at least one source, and save. Saving an annotation you "
    f"opened makes a new version; earlier versions stay readable. Annotations appear on the Map "
    f"page as “{ANNOTATIONS_LABEL}”, as of its date."
)
annotations.sync(view)
everything = annotations.store().annotations()
names = {a.id: f"{a.name} · {status_label(a.status)} · v{a.version}" for a in everything}
opened = annotations.opened()
if opened is not None and opened.id not in names:
    names[opened.id] = opened.name
st.selectbox("Annotation", ["", *names], key=annotations.PICK_KEY, on_change=annotations.picked,
             format_func=lambda i: names.get(i, "— a new annotation —"))

left, right = st.columns([3, 2])
current = annotations.geometry()
origin = (view.lat, view.lon, view.zoom)
if current is not None:  # the map opens on the geometry being edited
    origin = (round(current.centroid.y, 4), round(current.centroid.x, 4), view.zoom)
with left:
    out = st_folium(annotations.draw_map(view, everything, origin), key=annotations.MAP_KEY,
                    height=560, use_container_width=True,
                    returned_objects=["last_active_drawing"])
    if annotations.take_drawing(out):
        st.rerun()
    if current is None:
        st.info("Nothing drawn yet: draw a point, line or polygon on the map.")
    else:
        st.caption(f"Geometry to save: {current.geom_type}, "
                   f"{len(shapely.get_coordinates(current))} points (draw again to replace it).")
with right:
    annotations.form()

annotations.versions(view)
if opened is not None:
    st.markdown("**Link to this annotation**")
    st.code(annotations.link(view.replace(ann=(opened.id,)), [], page="annotate"),
            language=None)
