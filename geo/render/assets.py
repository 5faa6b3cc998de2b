"""Browser assets for folium maps, served locally instead of from CDNs.

``scripts/vendor_assets.py`` copies them from npm packages into ``static/vendor`` at setup;
Streamlit serves that folder at ``/app/static/vendor``. :func:`localise` rewrites every folium
element of a map to those local copies (and drops the CDN extras folium adds but we never use:
jQuery, Bootstrap, Font Awesome, awesome-markers). :func:`inline_assets` embeds the files in a
standalone HTML page instead, for offline exports.

streamlit-folium loads a map's scripts one after another (each waits for the previous one's
onload), so a live map with plugins would make the browser wait for one round trip per file
before it can draw. Setup therefore also writes one script per combination of Leaflet and
plugins that the live maps use (:data:`BUNDLED`, :func:`write_js_bundles`), content-hashed under
``static/vendor_js/`` (:mod:`geo.render.static_files`); :func:`localise` gives such a map that
one script. The stylesheets stay one file each (the component adds them all at once).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Final, TypeGuard, TypeVar

import branca.element
from folium.elements import JSCSSMixin

from geo.render.static_files import (
    STATIC_DIR,
    STATIC_URL,
    Manifest,
    StaticBuildMissing,
    read_manifest,
    write_bundle,
)

VENDOR_DIR: Final[Path] = STATIC_DIR / "vendor"
#: From inside the streamlit-folium component iframe (/component/<name>/index.html).
COMPONENT_BASE: Final[str] = f"{STATIC_URL}vendor/"

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
#: The combinations of elements with scripts on the live maps, each served as one script: a
#: map with its controls (build_map), with the minimap of an online basemap, with the Draw
#: control (terrain profile, annotations). Another map with more than one script gets the
#: smallest of these that holds all its elements (the others' scripts only define controls it
#: does not add); one that none holds raises ValueError: add its combination here.
_CONTROLS: Final[tuple[str, ...]] = ("Map", "Fullscreen", "MeasureControl", "MousePosition")
BUNDLED: Final[tuple[frozenset[str], ...]] = tuple(
    frozenset((*_CONTROLS, *extra)) for extra in ((), ("MiniMap",), ("Draw",), ("MiniMap", "Draw"))
)
#: The static bundle (static/vendor_js/) holding those scripts, and how to build it.
JS_BUNDLE: Final[str] = "vendor_js"
JS_BUNDLE_HINT: Final[str] = (
    "run `make setup` (scripts/vendor_assets.py writes the live maps' script bundles)")
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


def _needs_assets(element: branca.element.Element) -> TypeGuard[JSCSSMixin]:
    """Whether a folium element loads files (its class's, or its own after :func:`localise`
    emptied its scripts into a bundle)."""
    return isinstance(element, JSCSSMixin) and any(
        (element.default_js, element.default_css, type(element).default_js,
         type(element).default_css))


def localise(fmap: MapElement, base: str = COMPONENT_BASE,
             bundles: Path | None = STATIC_DIR) -> MapElement:
    """Point every asset of the map at local copies under ``base``. Unknown elements that need
    assets raise ValueError, so a new plugin cannot silently bring a CDN back.

    With ``bundles`` (the static folder, served at ``/app/static/``), a map with more than one
    script gets them as one file of the ``vendor_js`` bundle (:func:`bundle_scripts`); None keeps
    one file per asset (the offline export, which inlines them)."""
    for element in walk(fmap):
        name = type(element).__name__
        if not _needs_assets(element):
            continue
        if name not in LOCAL_ASSETS:
            raise ValueError(f"no local assets known for folium element {name}")
        js, css = LOCAL_ASSETS[name]
        element.default_js = [(Path(p).name, base + p) for p in js]
        element.default_css = [(Path(p).name, base + p) for p in css]
    if bundles is not None:
        bundle_scripts(fmap, bundles)
    return fmap


def _in_order(names: Iterable[str]) -> list[str]:
    """The element names in LOCAL_ASSETS order (Leaflet first)."""
    wanted = set(names)
    return [name for name in LOCAL_ASSETS if name in wanted]


def bundle_key(names: Iterable[str]) -> str:
    """The manifest key of a combination: ``map_fullscreen_measurecontrol_mouseposition``."""
    return "_".join(name.lower() for name in _in_order(names))


def bundle_source(names: Iterable[str], vendor_dir: Path = VENDOR_DIR) -> bytes:
    """The scripts of the elements ``names`` as one script: each file, in LOCAL_ASSETS order,
    after a comment naming it and followed by ``;`` on a line of its own."""
    parts = [f"/* {relative} */\n{_read_vendor(relative, vendor_dir)}\n;\n"
             for name in _in_order(names) for relative in LOCAL_ASSETS[name][0]]
    return "".join(parts).encode("utf-8")


def write_js_bundles(vendor_dir: Path = VENDOR_DIR, static_dir: Path = STATIC_DIR) -> Manifest:
    """Write one script per combination of :data:`BUNDLED` under ``static_dir/vendor_js``
    (content-hashed, with its manifest), from the vendored files. Run at setup."""
    files = {bundle_key(names): (f"{bundle_key(names)}.js", bundle_source(names, vendor_dir))
             for names in BUNDLED}
    return write_bundle(JS_BUNDLE, files, {}, static_dir)


def bundle_scripts(fmap: MapElement, static_dir: Path = STATIC_DIR) -> MapElement:
    """Give a localised map with more than one script those scripts as one file (the smallest
    combination of :data:`BUNDLED` that holds its elements; ValueError when none does): the
    first element with scripts (the map) gets the bundle's URL, the others none.
    StaticBuildMissing (saying to run make setup) when the bundle is not built."""
    elements = [e for e in walk(fmap) if isinstance(e, JSCSSMixin) and e.default_js]
    if len({src for e in elements for _, src in e.default_js}) <= 1:
        return fmap
    names = frozenset(type(e).__name__ for e in elements)
    holding = [combination for combination in BUNDLED if names <= combination]
    if not holding:
        raise ValueError(f"no script bundle holds {' + '.join(_in_order(names))}: add the "
                         "combination to BUNDLED in geo/render/assets.py")
    smallest: frozenset[str] = min(holding, key=len)
    key = bundle_key(smallest)
    manifest = read_manifest(JS_BUNDLE, JS_BUNDLE_HINT, static_dir)
    if key not in manifest.files:
        raise StaticBuildMissing(f"{static_dir / JS_BUNDLE}: no {key}: {JS_BUNDLE_HINT}")
    elements[0].default_js = [(key, manifest.url(key))]
    for element in elements[1:]:
        element.default_js = []
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
    localise(fmap, marker, bundles=None)
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
