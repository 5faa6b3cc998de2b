"""The map: every layer as of the chosen date, linked to the negotiation timeline.

The page's body is one fragment: a date change made in it (a frame of the playback) reruns
only the fragment; the track and the weekly chart are built once and only their date rule moves.
On a session's first run what lies under the map comes a moment later, with the run that the
map's first report starts (ui.mapview.under_the_map_now): the browser draws the map first."""

import streamlit as st

from geo.core import timeline
from geo.core.annotation import Annotation
from geo.core.dates import date_text, entry_precision
from geo.core.view import PRESETS, ViewState, serialise_view
from geo.core.vocabulary import BASEMAPS, GROUP_LABELS, LAYER_GROUPS, basemap_label
from geo.render import chart_specs
from geo.render.map import MapSpec, build_map
from geo.render.popups import esc, sources_html
from ui import annotations, loaders, mapview, playback, sidebar, state


def layers_or_basemap() -> None:
    """The user changed the layers or the basemap: the URL follows."""
    state.update(layers=tuple(st.session_state["map_layers"]),
                 basemap=st.session_state["map_basemap"])


def go_to_preset() -> None:
    """A preset view chosen: the map starts there."""
    preset = st.session_state["map_goto"]
    if preset in PRESETS:
        lat, lon, zoom = PRESETS[preset]
        mapview.set_origin((lat, lon, zoom))
        state.update(lat=lat, lon=lon, zoom=zoom)


def event_picked() -> None:
    """An event clicked on the track: its date and id become the view's."""
    entries, picked = loaders.timeline().data, chart_specs.picked_id(st.session_state["timeline"])
    index = timeline.entry_index(entries, picked)
    if index is not None:
        playback.go_to(entries[index]["date"], picked)


def live_map() -> None:
    entries = loaders.timeline().data
    view = playback.frame()
    st.title(f"The frontier as of {view.date:%d %B %Y}")
    st.caption(loaders.data_through())  # just above the date picker
    top = st.columns([2, 1.3, 1.3, 1.3, 2, 3], vertical_alignment="bottom")
    with top[0]:
        sidebar.date_picker(mapview.DATE_KEY, view.date)
    for col, label, direction, key in ((top[1], "◀ Event", -1, "map_previous_event"),
                                       (top[2], "Event ▶", 1, "map_next_event")):
        target = timeline.step(entries, view.date, direction) or {"date": "", "id": None}
        col.button(label, disabled=not target["id"], width="stretch", key=key,
                   on_click=playback.go_to, args=(target["date"], target["id"]),
                   help=f"{'Next' if direction > 0 else 'Previous'} negotiation event")
    playback.controls(top[3], top[4])

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
    out = mapview.show_live(fmap, [view.lat, view.lon], view.zoom)
    st.caption(f"{loaders.data_through()} · {incidents.count} incident(s) in the window · "
               f"{len(features)} features hold on this date · hover for name and status, click "
               "for dates, basis, confidence and sources.")
    state.show("map_layers", list(view.layers))
    state.show("map_basemap", view.basemap)
    under = st.columns([3, 2, 2])  # also in the map's own layer control (top right)
    under[0].multiselect("Layers", list(LAYER_GROUPS), format_func=GROUP_LABELS.__getitem__,
                         key="map_layers", on_change=layers_or_basemap)
    under[1].selectbox("Basemap", BASEMAPS, format_func=basemap_label, key="map_basemap",
                       on_change=layers_or_basemap)
    under[2].selectbox("Go to", ["—", *PRESETS], key="map_goto", on_change=go_to_preset)
    if out and out.get("center") and out.get("zoom"):
        lat, lon = round(out["center"]["lat"], 4), round(out["center"]["lng"], 4)
        if (lat, lon, out["zoom"]) != (round(view.lat, 4), round(view.lon, 4), view.zoom):
            view = state.update(lat=lat, lon=lon, zoom=int(out["zoom"]))

    if mapview.under_the_map_now():
        under_the_map(view, shown)
    else:
        st.caption("Loading the negotiation track…")


def under_the_map(view: ViewState, shown: list[Annotation]) -> None:
    """The negotiation track and incidents per week, the event of the view, its link."""
    entries = loaders.timeline().data
    st.vega_lite_chart(mapview.track_spec(view.date, view.event), on_select=event_picked,
                       key="timeline", width="stretch")
    st.vega_lite_chart(mapview.weekly_spec(view.date), width="stretch")
    index = timeline.entry_index(entries, view.event)
    if index is not None:
        entry = entries[index]
        with st.container(border=True):
            st.markdown(f"**{esc(date_text(entry['date'], entry_precision(entry)))} · "
                        f"{esc(entry['title'])}**")
            st.write(entry["summary"])
            st.html(f"<div>Sources: {sources_html(entry['sources'])}</div>")
            st.caption(f"Confidence: {entry.get('confidence')} · "
                       f"{entry.get('confidence_note', '')}")
    st.markdown("**Link to this view**")
    st.code(annotations.link(view, shown), language=None)
    st.page_link("pages/export.py", label="Export this view: PNG, PDF brief, HTML, data, GIF",
                 icon=":material/download:", query_params=serialise_view(view))


playback.full_run()
st.fragment(live_map, run_every=playback.interval())()
