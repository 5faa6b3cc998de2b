"""Export the shared view: PNG snapshot, PDF brief, interactive HTML, browser PNG, data, GIF."""

import datetime as dt
from functools import partial

import streamlit as st

from geo.core.timeline import window_start
from geo.core.view import MIN_DATE
from geo.core.vocabulary import GROUP_LABELS
from geo.export import browser
from geo.export.gif import MAX_FRAMES, playback_dates
from geo.export.registry import FORMATS, of_group
from ui import annotations, exports, loaders, state

view = state.current()
key, base = exports.view_key(view), state.app_url()
shown, missing = annotations.shown(view)
ann = exports.annotation_key(shown)
offer = partial(exports.offer, view=view)
st.title(f"Export the view of {view.date:%d %B %Y}")
st.caption(f"Layers: {', '.join(GROUP_LABELS[g] for g in view.layers) or 'none'} · incidents "
           f"from {window_start(view.date, view.window_days):%d %b %Y} · "
           f"{loaders.data_through()} · data version {exports.version()}. Exports show only "
           "what data/ holds; basemap tiles are never fetched (maps use the offline outlines "
           "from data/). Change the view on the Map page.")
drawn = [a for a in shown if a.holds_on(view.date)]
if drawn:
    st.caption(f"{len(drawn)} user annotation(s) hold on this date: every export includes "
               "them, and its permalink names their versions.")
for message in missing:
    st.warning(message)

st.subheader("Snapshot (PNG)")
size = st.radio("Size", [f.key for f in of_group("snapshot")], horizontal=True,
                format_func=lambda k: FORMATS[k].label, key="png-size")
with st.spinner("Rendering the snapshot…"):
    png = exports.render(key, size, base, ann)
st.image(png, caption="Static render: legend, scale bar, north arrow, credits, sources, "
         "permalink and its QR code.")
offer(FORMATS[size], png)

st.subheader(FORMATS["pdf"].label)
if exports.requested("pdf", key, "Prepare the PDF brief"):
    with st.status("Rendering the PDF brief…") as status:
        pdf = exports.render(key, "pdf", base, ann)
        status.update(label="PDF brief ready: the map, the timeline around the date, zone "
                      "statistics, credits and sources", state="complete")
    offer(FORMATS["pdf"], pdf)

st.subheader(FORMATS["html"].label)
with st.spinner("Preparing the map and data files…"):  # cheap, cached per view and format
    files = {fmt: exports.render(key, fmt, base, ann)
             for fmt in ("html", *exports.DATA_FORMATS)}
offer(FORMATS["html"], files["html"])
st.caption("Opens offline: Leaflet, the layers, the hillshade and the contours are in the file.")

st.subheader("Browser-exact PNG")
if reason := browser.browser_available():
    st.warning(f"The browser-exact PNG is not available here: {reason}. Download the static "
               "PNG above instead.")
elif exports.requested("browser", key, "Take a screenshot in headless Chromium"):
    with st.status("Rendering the map in headless Chromium…") as status:
        shot = exports.browser_png(key, base, ann)
        status.update(label="Screenshot taken" if shot.png else "Screenshot failed",
                      state="complete" if shot.png else "error")
    if shot.png is None:
        st.warning(f"The browser-exact PNG is not available: {shot.reason}. Download the "
                   "static PNG above instead.")
    else:
        offer(FORMATS["png"], shot.png, what="browser", suffix="browser")

st.subheader("Data of the visible layers and incidents")
for col, fmt in zip(st.columns(len(exports.DATA_FORMATS)), exports.DATA_FORMATS, strict=True):
    offer(FORMATS[fmt], files[fmt], where=col)

st.subheader(FORMATS["gif"].label)
left, mid, right = st.columns(3)
start = left.date_input("From", max(MIN_DATE, view.date - dt.timedelta(days=91)), key="gif-from",
                        min_value=MIN_DATE, max_value=view.date, format="YYYY-MM-DD")
end = mid.date_input("To", view.date, min_value=MIN_DATE, max_value=view.date,
                     format="YYYY-MM-DD", key="gif-to")
mode = right.radio("One frame", ["weekly", "events"], horizontal=True, key="gif-mode",
                   format_func={"weekly": "per week", "events": "per negotiation event"}.get)
days = playback_dates(loaders.timeline().data, start, end, mode)
st.caption(f"{len(days)} frame(s) (at most {MAX_FRAMES}), 800 × 500 px, date stamped.")
if days and exports.requested("gif", f"{key}&{start}&{end}&{mode}", "Render the playback GIF"):
    bar = st.progress(0.0, text="Rendering frames…")
    gif = exports.gif(key, start.isoformat(), end.isoformat(), mode, ann,
                      _progress=lambda i, n: bar.progress(i / n, text=f"Frame {i} of {n}"))
    bar.progress(1.0, text=f"{len(days)} frames ready")
    offer(FORMATS["gif"], gif, suffix=f"playback-{mode}")
