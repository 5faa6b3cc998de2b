"""What Hermon sees: viewsheds, two observers compared and elevation profiles on the terrain."""

import streamlit as st
from streamlit_folium import st_folium

from geo.analysis.sightlines import SUMMIT_NOTE
from geo.analysis.terrain import CORRECTION_NOTE
from geo.analysis.viewshed import RESOLUTION_NOTE
from geo.core.figures import approx
from geo.data.dem import TerrainInputError
from geo.export.terrain import profile_csv, viewshed_filename
from geo.render import terrain_charts as charts
from ui import state, terrain

view, tv = state.current(), terrain.current()
st.title("What Hermon sees")
st.caption("Pick an observer from the list or click the map. For an elevation profile, pick "
           f"two places or draw a line on the profile map (line tool, top left). {SUMMIT_NOTE}")
terrain.show(tv)
specs = terrain.observer_specs()
specs += [s for s in (tv.observer, tv.versus) if s and s not in specs]
row = st.columns([3, 3, 1, 1, 1])
for cell, key, name, nobody in ((row[0], terrain.OBSERVER_KEY, "Observer", "pick an observer"),
                                (row[1], terrain.VERSUS_KEY, "Compare with", "nobody")):
    cell.selectbox(name, ["", *specs], key=key, on_change=terrain.picked,
                   format_func=lambda s, n=nobody: terrain.label(s) if s else f"— {n} —")
for cell, key, name, step in ((row[2], terrain.H_OBS_KEY, "Observer height (m)", 1.0),
                              (row[3], terrain.H_TGT_KEY, "Target height (m)", 1.0),
                              (row[4], terrain.RADIUS_KEY, "Radius (km, 1–100)", 5.0)):
    cell.number_input(name, key=key, step=step, on_change=terrain.picked)
result = compared = None
try:
    result = terrain.report(tv.observer, tv) if tv.observer else None
    compared = terrain.comparison(tv)
except TerrainInputError as error:
    st.error(str(error))
left, right = st.columns([3, 2])
with left:
    out = st_folium(terrain.viewshed_map(view, result, compared), key="terrain_map",
                    height=560, use_container_width=True, returned_objects=["last_clicked"])
if terrain.clicked(out):
    st.rerun()
with right:
    if result is not None:
        st.markdown(charts.observer_text(result))
        cells = st.columns(2)
        for i, (name, area) in enumerate([("Visible in total", result.result.visible_km2),
                                           *((z, a.visible_km2) for z, a in result.zones.items())]):
            cells[i % 2].metric(f"{name}, km²", approx(area), border=True)
        st.markdown("**Visible km² with the eye 10 m lower · as chosen · 10 m higher**")
        for cell, (height, area) in zip(st.columns(3), result.sensitivity, strict=False):
            cell.metric(f"Eye {height:g} m up", approx(area))
        st.caption(f"{result.result.note} {RESOLUTION_NOTE} {CORRECTION_NOTE}")
    if compared is not None:
        st.html(charts.comparison_html(compared))
    if result is not None:
        for fmt, name in (("geojson", "GeoJSON"), ("gpkg", "GeoPackage")):
            st.download_button(f"Viewshed ({name})", terrain.viewshed_data(tv, fmt),
                               viewshed_filename(result, fmt, compared), key=f"terrain_{fmt}",
                               on_click="ignore", icon=":material/download:")
        for fmt, name in (("png", "slide, PNG"), ("pdf", "PDF brief")):  # made when asked
            if terrain.image_requested(view, tv, fmt, f"Prepare the map with the viewshed "
                                                      f"({name})"):
                with st.spinner(f"Drawing the map with the viewshed ({name})…"):
                    image = terrain.image_data(view, tv, fmt)
                st.download_button(f"Map with the viewshed ({name})", image,
                                   viewshed_filename(result, fmt, compared),
                                   key=f"terrain_{fmt}", on_click="ignore",
                                   icon=":material/download:")
st.subheader("Elevation profile")
for cell, key, name in zip(st.columns(2), terrain.END_KEYS, ("From", "To"), strict=True):
    cell.selectbox(name, list(terrain.places()), index=None, key=key, format_func=terrain.label,
                   on_change=terrain.picked_ends,
                   placeholder="Pick a place, or draw a line on the map below")
line, prof = [], None
try:
    line = terrain.profile_points(tv)
    prof = terrain.profile(tv) if tv.profile else None
except TerrainInputError as error:
    st.error(str(error))
left, right = st.columns(2)
with left:
    out = st_folium(terrain.profile_map(view, line), key="terrain_profile_map", height=420,
                    use_container_width=True, returned_objects=["last_active_drawing"])
if terrain.drawn(out):
    st.rerun()
if prof is not None:
    start, end = terrain.label(tv.profile[0]), terrain.label(tv.profile[-1])
    with right:
        st.altair_chart(charts.profile_chart(prof), width="stretch", key="terrain_profile_chart")
        st.markdown(f"{charts.sight_text(prof, start, end)}  \n{charts.crossings_text(prof)}")
        st.download_button("Profile (CSV)", profile_csv(prof, start, end), "profile.csv",
                           "text/csv", key="terrain_profile_csv", on_click="ignore",
                           icon=":material/download:")
st.markdown("**Link to this result**")
st.code(terrain.link(view, tv), language=None)
