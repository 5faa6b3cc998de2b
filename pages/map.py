"""The map: every layer as of the chosen date, linked to the negotiation timeline."""

import datetime as dt

import streamlit as st
from streamlit_folium import st_folium

from geo.core import timeline
from geo.core.dates import date_text, entry_precision
from geo.core.view import PRESETS, serialise_view
from geo.core.vocabulary import BASEMAPS, GROUP_LABELS, LAYER_GROUPS, basemap_label
from geo.render import charts
from geo.render.map import MapSpec, build_map
from geo.render.popups import esc, sources_html
from ui import annotations, loaders, mapview, sidebar, state


def layers_or_basemap() -> None:
    """The user changed the layers or the basemap: the URL follows."""
    state.update(layers=tuple(st.session_state["map_layers"]),
                 basemap=st.session_state["map_basemap"])


view = state.current()
entries = loaders.timeline().data
st.title(f"The frontier as of {view.date:%d %B %Y}")

state.show("map_layers", list(view.layers))
state.show("map_basemap", view.basemap)
top = st.columns([3, 2, 2])
top[0].multiselect("Layers", list(LAYER_GROUPS), format_func=GROUP_LABELS.__getitem__,
                   key="map_layers", on_change=layers_or_basemap)
top[1].selectbox("Basemap", BASEMAPS, format_func=basemap_label, key="map_basemap",
                 on_change=layers_or_basemap)
preset = top[2].selectbox("Go to", ["—", *PRESETS], key="map_goto")
if preset != "—":
    lat, lon, zoom = PRESETS[preset]
    mapview.set_origin((lat, lon, zoom))
    view = state.update(lat=lat, lon=lon, zoom=zoom)

features = mapview.features_on(view.date.isoformat())
incidents = mapview.incident_layer_for(view.date.isoformat(), view.window_days)
shown, unreadable = annotations.shown(view)
for problem in unreadable:
    st.warning(problem)
spec = MapSpec(view, mapview.map_origin((view.lat, view.lon, view.zoom)),
               annotations=tuple(shown))
fmap = build_map(features, incidents, spec)
note = sidebar.no_data_note(view.date)
if note:
    st.info(note)
mapview.follow_window(fmap, offset_px=235)
out = st_folium(fmap, key="map", height=600, use_container_width=True,
                returned_objects=["center", "zoom"], center=[view.lat, view.lon], zoom=view.zoom)
st.caption(f"{loaders.data_through()} · {incidents.count} incident(s) in the window · "
           f"{len(features)} features hold on this date · hover for name and status, click for "
           "dates, basis, confidence and sources.")
if out and out.get("center") and out.get("zoom"):
    lat, lon, zoom = round(out["center"]["lat"], 4), round(out["center"]["lng"], 4), out["zoom"]
    if (lat, lon, zoom) != (round(view.lat, 4), round(view.lon, 4), view.zoom):
        view = state.update(lat=lat, lon=lon, zoom=int(zoom))

nav = st.columns([1, 1, 4])
for col, label, direction, key in ((nav[0], "◀ Previous event", -1, "map_previous_event"),
                                   (nav[1], "Next event ▶", 1, "map_next_event")):
    target = timeline.step(entries, view.date, direction)
    if col.button(label, disabled=target is None, width="stretch", key=key) and target:
        state.update(date=dt.date.fromisoformat(target["date"]), event=target["id"])
        st.rerun()

start = min(dt.date(2024, 6, 1), view.date - dt.timedelta(days=30))
end = max(dt.date.today(), view.date)
chart = charts.timeline_chart(entries, view.date, start, end, view.event)
picked = st.altair_chart(chart, on_select="rerun", key="timeline", width="stretch")
st.altair_chart(charts.weekly_chart(loaders.incidents().data, view.date, start, end),
                width="stretch")
picked_id = charts.picked_id(picked)
if picked_id and picked_id != view.event:
    entry = entries[timeline.entry_index(entries, picked_id)]
    state.update(date=dt.date.fromisoformat(entry["date"]), event=picked_id)
    st.rerun()

index = timeline.entry_index(entries, view.event)
if index is not None:
    entry = entries[index]
    with st.container(border=True):
        st.markdown(f"**{esc(date_text(entry['date'], entry_precision(entry)))} · "
                    f"{esc(entry['title'])}**")
        st.write(entry["summary"])
        st.html(f"<div>Sources: {sources_html(entry['sources'])}</div>")
        st.caption(f"Confidence: {entry.get('confidence')} · {entry.get('confidence_note', '')}")

st.markdown("**Link to this view**")
st.code(annotations.link(view, shown), language=None)
st.page_link("pages/export.py", label="Export this view: PNG, PDF brief, HTML, data, GIF",
             icon=":material/download:", query_params=serialise_view(view))
