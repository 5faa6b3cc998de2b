"""Export the shared view: PNG snapshot, PDF brief, interactive HTML, browser PNG, data, GIF."""

import datetime as dt
from functools import partial

import streamlit as st

from geo.core.timeline import window_start
from geo.core.view import MIN_DATE
from geo.core.vocabulary import GROUP_LABELS
from geo.export import browser
from geo.export.data import DATA_FORMATS
from geo.export.gif import MAX_FRAMES, playback_dates
from geo.export.snapshot import export_filename
from ui import exports, loaders, state

view = state.current()
key, base = exports.view_key(view), exports.app_url()
name = partial(export_filename, view)
download = partial(st.download_button, icon=":material/download:", on_click="ignore")
st.title(f"Export the view of {view.date:%d %B %Y}")
st.caption(f"Layers: {', '.join(GROUP_LABELS[g] for g in view.layers) or 'none'} · incidents "
           f"from {window_start(view.date, view.window_days):%d %b %Y} · data version "
           f"{exports.version()}. Exports show only what data/ holds; basemap tiles are never "
           "fetched (maps use the offline outlines from data/). Change the view on the Map page.")

st.subheader("Snapshot (PNG)")
preset = st.radio("Size", ["slide", "a4"], horizontal=True, format_func={
    "slide": "Slide, 1920 × 1080 px", "a4": "A4 landscape, 300 dpi (3508 × 2480 px)"}.get)
with st.spinner("Rendering the snapshot…"):
    png = exports.png(key, preset, base)
st.image(png, caption="Static render: legend, scale bar, north arrow, credits, sources, "
         "permalink and its QR code.")
download("Download PNG", png, name("" if preset == "slide" else preset, "png"), "image/png")

st.subheader("PDF brief")
if exports.requested("pdf", key, "Prepare the PDF brief"):
    with st.status("Rendering the PDF brief…") as status:
        pdf = exports.pdf(key, base)
        status.update(label="PDF brief ready: the map, the timeline around the date, zone "
                      "statistics (when available), credits and sources", state="complete")
    download("Download PDF", pdf, name("brief", "pdf"), "application/pdf")

st.subheader("Interactive map (HTML, opens offline)")
download("Download HTML", partial(exports.html, key, base), name("map", "html"), "text/html")

st.subheader("Browser-exact PNG")
if reason := browser.browser_available():
    st.warning(f"The browser-exact PNG is not available here: {reason}. Download the static "
               "PNG above instead.")
elif exports.requested("browser", key, "Take a screenshot in headless Chromium"):
    with st.status("Rendering the map in headless Chromium…") as status:
        shot = exports.browser_png(key, base)
        status.update(label="Screenshot taken" if shot.png else "Screenshot failed",
                      state="complete" if shot.png else "error")
    if shot.png is None:
        st.warning(f"The browser-exact PNG is not available: {shot.reason}. Download the "
                   "static PNG above instead.")
    else:
        download("Download browser PNG", shot.png, name("browser", "png"), "image/png")

st.subheader("Data of the visible layers and incidents")
for col, (fmt, (_, ext, mime)) in zip(st.columns(3), DATA_FORMATS.items(), strict=True):
    col.download_button(f"Download {ext.upper()}", exports.data(key, fmt), name("layers", ext),
                        mime, key=f"data-{fmt}", icon=":material/download:", on_click="ignore")

st.subheader("Playback (animated GIF)")
left, mid, right = st.columns(3)
start = left.date_input("From", max(MIN_DATE, view.date - dt.timedelta(days=91)),
                        min_value=MIN_DATE, max_value=view.date, format="YYYY-MM-DD")
end = mid.date_input("To", view.date, min_value=MIN_DATE, max_value=view.date,
                     format="YYYY-MM-DD")
mode = right.radio("One frame", ["weekly", "events"], horizontal=True,
                   format_func={"weekly": "per week", "events": "per negotiation event"}.get)
days = playback_dates(loaders.timeline().data, start, end, mode)
st.caption(f"{len(days)} frame(s) (at most {MAX_FRAMES}), 800 × 500 px, date stamped.")
if days and exports.requested("gif", f"{key}&{start}&{end}&{mode}", "Render the playback GIF"):
    bar = st.progress(0.0, text="Rendering frames…")
    gif = exports.gif(key, start.isoformat(), end.isoformat(), mode,
                      _progress=lambda i, n: bar.progress(i / n, text=f"Frame {i} of {n}"))
    bar.progress(1.0, text=f"{len(days)} frames ready")
    download("Download GIF", gif, name(f"playback-{mode}", "gif"), "image/gif")
