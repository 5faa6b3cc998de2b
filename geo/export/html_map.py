"""The standalone interactive HTML map of a view: the live map's build (with the user
annotations that hold on the date, in their own layer), every asset inlined, with an info box
(date, incident window, how far the data reach, data version, permalink).

The live map reads its terrain from the app's static files (``/app/static/terrain/...``), which
a file opened offline cannot reach. Here the hillshade (≈ 1 MB PNG) and the contours (≈ 0.8 MB
GeoJSON) are inlined as ``data:`` URIs (≈ 2.4 MB as base64, the page ≈ 3.5 MB in all), so both
layers work offline; the elevation grid under the cursor (≈ 2.3 MB PNG, ≈ 3 MB as base64, which
would nearly double the file for a readout) is left out, and the info box says so."""

from __future__ import annotations

import base64
import html
from typing import Final, cast

import folium
from branca.element import Figure

from geo.core.model import safe_url
from geo.export.snapshot import Snapshot
from geo.render.assets import inline_assets, walk
from geo.render.map import MapSpec, build_map
from geo.render.static_files import STATIC_DIR, Manifest, terrain_manifest
from geo.render.terrain_map import ContourLayer, ElevationReadout, HillshadeOverlay

#: What the info box says of the terrain of the standalone file.
TERRAIN_NOTE: Final[str] = ("Terrain: hillshade and contours included; the elevation under the "
                            "cursor is shown only in the app.")
_MIME: Final[dict[str, str]] = {".png": "image/png", ".geojson": "application/geo+json"}


def data_uri(manifest: Manifest, key: str) -> str:
    """The built terrain file ``key`` as a base64 ``data:`` URI."""
    name = manifest.files[key]
    raw = (STATIC_DIR / manifest.bundle / name).read_bytes()
    mime = _MIME[name[name.rfind("."):]]
    return f"data:{mime};base64,{base64.b64encode(raw).decode('ascii')}"


def inline_terrain(fmap: folium.Map, manifest: Manifest) -> None:
    """Point the map's hillshade and contours at ``data:`` URIs of their files, and take the
    elevation readout (which fetches the elevation grid by URL) off the map."""
    for parent in list(walk(fmap)):
        for name, element in list(parent._children.items()):
            if isinstance(element, HillshadeOverlay):
                element.url = data_uri(manifest, "hillshade")
            elif isinstance(element, ContourLayer):
                element.url = data_uri(manifest, "contours")
            elif isinstance(element, ElevationReadout):
                del parent._children[name]


def render_html(snap: Snapshot, controls: bool = True) -> str:
    """A standalone HTML page of the live map for the view, with every asset inlined."""
    view = snap.view
    fmap = build_map(snap.features, snap.window_incidents,
                     MapSpec(view, (view.lat, view.lon, view.zoom), controls=controls,
                             annotations=snap.shown_annotations))
    inline_terrain(fmap, terrain_manifest())
    root = cast(Figure, fmap.get_root())  # a folium Map's root is always a Figure
    root.title = html.escape(f"The frontier as of {view.date.isoformat()}")
    info = (
        f"<b>The frontier as of {html.escape(f'{view.date:%d %B %Y}')}</b><br>"
        f"Incidents: {html.escape(snap.window_text())}<br>"
        f"{html.escape(snap.data_through)} · "
        f"data version {html.escape(snap.version or 'unknown')}"
        + (f" · <a href=\"{html.escape(safe_url(snap.permalink) or '')}\">permalink</a>"
           if safe_url(snap.permalink) else "")
        + f"<br><small>{html.escape(TERRAIN_NOTE)}</small>"
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
