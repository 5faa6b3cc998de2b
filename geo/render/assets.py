"""Browser assets for folium maps, served locally instead of from CDNs.

``scripts/vendor_assets.py`` copies them from npm packages into ``static/vendor`` at setup;
Streamlit serves that folder at ``/app/static/vendor``. :func:`localise` rewrites every folium
element of a map to those local copies (and drops the CDN extras folium adds but we never use:
jQuery, Bootstrap, Font Awesome, awesome-markers). :func:`inline_assets` embeds the files in a
standalone HTML page instead, for offline exports.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Final, TypeVar

import branca.element
from folium.elements import JSCSSMixin

VENDOR_DIR: Final[Path] = Path(__file__).resolve().parents[2] / "static" / "vendor"
#: From inside the streamlit-folium component iframe (/component/<name>/index.html).
COMPONENT_BASE: Final[str] = "/app/static/vendor/"

#: folium element class name -> (js files, css files), relative to static/vendor.
LOCAL_ASSETS: Final[dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "Map": (("leaflet/leaflet.js",), ("leaflet/leaflet.css",)),
    "Fullscreen": (("fullscreen/Control.FullScreen.js",), ("fullscreen/Control.FullScreen.css",)),
    "MeasureControl": (("measure/leaflet-measure.js",), ("measure/leaflet-measure.css",)),
    "MiniMap": (("minimap/Control.MiniMap.min.js",), ("minimap/Control.MiniMap.min.css",)),
    "MousePosition": (
        ("mouseposition/L.Control.MousePosition.js",),
        ("mouseposition/L.Control.MousePosition.css",),
    ),
    "MarkerCluster": (
        ("markercluster/leaflet.markercluster.js",),
        ("markercluster/MarkerCluster.css", "markercluster/MarkerCluster.Default.css"),
    ),
    # folium.plugins.DualMap synchronises its two maps with Leaflet.Sync (npm leaflet.sync).
    "DualMap": (("sync/L.Map.Sync.js",), ()),
    # folium.plugins.Draw draws lines (the terrain profile) with npm leaflet-draw.
    "Draw": (("draw/leaflet.draw.js",), ("draw/leaflet.draw.css",)),
}
#: A map, or any element holding maps (the Figure of a DualMap).
MapElement = TypeVar("MapElement", bound=branca.element.Element)


def children(element: branca.element.Element) -> list[branca.element.Element]:
    """The element's direct children, in the order they were added."""
    return list(element._children.values())


def walk(element: branca.element.Element) -> Iterator[branca.element.Element]:
    """The element and every element below it, depth first."""
    yield element
    for child in children(element):
        yield from walk(child)


def figure_of(element: branca.element.Element) -> branca.element.Figure:
    """The page (branca Figure) an element belongs to; TypeError when it is in none."""
    root = element.get_root()
    if not isinstance(root, branca.element.Figure):
        raise TypeError(f"{type(element).__name__} is not in a branca Figure")
    return root


def localise(fmap: MapElement, base: str = COMPONENT_BASE) -> MapElement:
    """Point every asset of the map at local copies under ``base``. Unknown elements that need
    assets raise ValueError, so a new plugin cannot silently bring a CDN back."""
    for element in walk(fmap):
        name = type(element).__name__
        if not isinstance(element, JSCSSMixin) or not (element.default_js or element.default_css):
            continue
        if name not in LOCAL_ASSETS:
            raise ValueError(f"no local assets known for folium element {name}")
        js, css = LOCAL_ASSETS[name]
        element.default_js = [(Path(p).name, base + p) for p in js]
        element.default_css = [(Path(p).name, base + p) for p in css]
    return fmap


def _read_vendor(relative: str, vendor_dir: Path) -> str:
    path = vendor_dir / relative
    if not path.exists():
        raise FileNotFoundError(
            f"{path} is missing: run `make assets` (npm ci + scripts/vendor_assets.py)"
        )
    return path.read_text(encoding="utf-8")


def inline_assets(fmap: branca.element.Element, vendor_dir: Path = VENDOR_DIR) -> str:
    """A standalone HTML page of the map with every JS/CSS asset inlined (works offline).

    Images referenced from the CSS (layer-control icons) are not inlined; controls keep working
    without them.
    """
    marker = "__LOCAL_ASSET__/"
    localise(fmap, marker)
    html = fmap.get_root().render()

    def replace_script(match: re.Match[str]) -> str:
        code = _read_vendor(match.group(1), vendor_dir).replace("</script", "<\\/script")
        return f"<script>{code}</script>"

    def replace_css(match: re.Match[str]) -> str:
        return f"<style>{_read_vendor(match.group(1), vendor_dir)}</style>"

    html = re.sub(
        r'<script src="' + re.escape(marker) + r'([^"]+)"></script>', replace_script, html
    )
    html = re.sub(
        r'<link rel="stylesheet" href="' + re.escape(marker) + r'([^"]+)"/>', replace_css, html
    )
    return html
