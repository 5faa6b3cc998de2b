"""The standalone interactive HTML map of a view: the live map's build, every asset inlined,
with an info box (date, incident window, how far the data reach, data version, permalink)."""

from __future__ import annotations

import html
from typing import cast

import folium
from branca.element import Figure

from geo.core.model import safe_url
from geo.export.snapshot import Snapshot
from geo.render.assets import inline_assets
from geo.render.map import MapSpec, build_map


def render_html(snap: Snapshot, controls: bool = True) -> str:
    """A standalone HTML page of the live map for the view, with every asset inlined."""
    view = snap.view
    fmap = build_map(snap.features, snap.window_incidents,
                     MapSpec(view, (view.lat, view.lon, view.zoom), controls=controls))
    root = cast(Figure, fmap.get_root())  # a folium Map's root is always a Figure
    root.title = html.escape(f"The frontier as of {view.date.isoformat()}")
    info = (
        f"<b>The frontier as of {html.escape(f'{view.date:%d %B %Y}')}</b><br>"
        f"Incidents: {html.escape(snap.window_text())}<br>"
        f"{html.escape(snap.data_through)} · "
        f"data version {html.escape(snap.version or 'unknown')}"
        + (f" · <a href=\"{html.escape(safe_url(snap.permalink) or '')}\">permalink</a>"
           if safe_url(snap.permalink) else "")
    )
    root.html.add_child(folium.Element(
        "<div id='export-info' style='position:absolute;top:10px;left:60px;z-index:1000;"
        "background:rgba(255,255,255,.92);padding:6px 10px;font:13px/1.4 sans-serif;"
        f"border-radius:4px;box-shadow:0 0 4px rgba(0,0,0,.3)'>{info}</div>"
    ))
    return inline_assets(fmap)


def render_html_file(snap: Snapshot) -> bytes:
    """The standalone page as the bytes of its download (UTF-8)."""
    return render_html(snap).encode("utf-8")
