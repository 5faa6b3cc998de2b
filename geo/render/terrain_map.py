"""Terrain on the live map: hillshade, contours, the area without terrain, and the elevation
under the cursor, all drawn from the files built at setup (:mod:`geo.render.terrain_build`).

Nothing here puts terrain bytes into the map's HTML: the hillshade is a Leaflet ImageOverlay
of its static PNG's URL, the contours are fetched by URL when their layer is first shown, the
elevation grid on the first mouse move. Their names carry a content hash, so the scripts fetch
them with ``cache: "force-cache"`` and a map drawn again (a date change) receives no terrain
bytes. Panes keep the order: the offline basemap (250), the hillshade multiplied over it
(300), the hatch of the area without terrain (320), the contours (330), then every vector
layer in Leaflet's overlay pane (400).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import folium
from folium import plugins
from jinja2 import Template

from geo.core.model import REGION_BOUNDS
from geo.core.vocabulary import GROUP_LABELS
from geo.data.dem import DEM_BOUNDS, DEM_CREDIT
from geo.render.assets import figure_of
from geo.render.elements import LayerAttribution, ScriptElement
from geo.render.static_files import STATIC_URL, Manifest, terrain_manifest

#: Leaflet panes: name -> z-index (tiles are at 200, vector layers at 400).
BASEMAP_PANE: Final[str] = "basemap"
PANES: Final[dict[str, int]] = {BASEMAP_PANE: 250, "terrain": 300, "terrain-notes": 320,
                                "contours": 330}
HILLSHADE_OPACITY: Final[float] = 0.75
CONTOUR_COLOUR: Final[str] = "#8a5a2b"
NO_TERRAIN_LABEL: Final[str] = "No terrain data east of 36° E"
#: Text of the cursor readout where the DEM has no cell.
NO_TERRAIN_READOUT: Final[str] = "no terrain data"
TERRAIN_CSS: Final[str] = (
    "<style>.leaflet-pane.leaflet-terrain-pane{mix-blend-mode:multiply}"
    ".no-terrain{fill:url(#no-terrain-hatch)}"
    ".no-terrain-label,.contour-label{font:11px sans-serif;white-space:nowrap;"
    "text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 2px #fff}"
    ".no-terrain-label span{color:#333;font-style:italic;background:rgba(255,255,255,.85);"
    "padding:1px 4px;border-radius:2px}"
    f".contour-label{{color:{CONTOUR_COLOUR};font-weight:600}}</style>"
)


class TerrainPanes(ScriptElement):
    """The panes of the terrain and of the offline basemap, the hatch pattern of the area
    without terrain, and ``L.terrainFile(url, read)``, which fetches each terrain file once per
    page. Added to the map before any layer that uses them."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }}, panes = {{ this.panes|tojson }};
            Object.keys(panes).forEach(function(name) {
                var pane = map.getPane(name) || map.createPane(name);
                pane.style.zIndex = panes[name]; pane.style.pointerEvents = 'none';
            });
            // One fetch per file and page: a map drawn again (a date change) reuses what the
            // page already read; the HTTP cache may serve it anyway (names carry a hash).
            var files = window.terrainFiles = window.terrainFiles || {};
            L.terrainFile = function(url, read) {
                if (!files[url]) files[url] = fetch(url, {cache: 'force-cache'}).then(function(r) {
                    if (!r.ok) throw new Error(url + ': HTTP ' + r.status);
                    return read(r);
                }).catch(function(e) { delete files[url]; throw e; });
                return files[url];
            };
            if (!document.getElementById('no-terrain-hatch')) {
                var holder = document.createElement('div');
                holder.innerHTML = '<svg width="0" height="0" style="position:absolute" '
                    + 'aria-hidden="true"><defs><pattern id="no-terrain-hatch" '
                    + 'patternUnits="userSpaceOnUse" width="9" height="9" '
                    + 'patternTransform="rotate(45)"><rect width="9" height="9" '
                    + 'fill="#ffffff" fill-opacity="0.35"/><line x1="0" y1="0" x2="0" y2="9" '
                    + 'stroke="#8c8c8c" stroke-width="1.4"/></pattern></defs></svg>';
                document.body.appendChild(holder.firstChild);
            }
        })();
        {% endmacro %}
    """)

    def __init__(self) -> None:
        super().__init__()
        self._name = "TerrainPanes"
        self.panes = PANES


class HillshadeOverlay(ScriptElement):
    """The hillshade PNG as an ImageOverlay (by URL) in the terrain pane of its group."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        L.imageOverlay({{ this.url|tojson }}, {{ this.bounds|tojson }}, {
            pane: 'terrain', opacity: {{ this.opacity }}, interactive: false,
            className: 'terrain-hillshade', alt: 'Hillshade of the terrain'
        }).addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, url: str, bounds: Sequence[Sequence[float]]) -> None:
        super().__init__()
        self._name = "HillshadeOverlay"
        self.url, self.bounds, self.opacity = url, bounds, HILLSHADE_OPACITY


class ContourLayer(ScriptElement):
    """The contour GeoJSON, fetched by URL the first time its group is shown: thin lines,
    heavier ones at the major levels, whose labels are text markers."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function() {
            var group = {{ this._parent.get_name() }}, started = false;
            function label(text) {
                var span = document.createElement('span'); span.textContent = text;
                return L.divIcon({className: 'contour-label', html: span, iconSize: null,
                                  iconAnchor: [14, 7]});
            }
            function draw(data) {
                L.geoJson(data, {
                    pane: 'contours', interactive: false,
                    filter: function(f) { return f.geometry.type !== 'Point'; },
                    style: function(f) { return f.properties.major ? {{ this.major|tojson }}
                                                                   : {{ this.minor|tojson }}; }
                }).addTo(group);
                data.features.forEach(function(f) {
                    if (!f.properties.label) return;
                    var c = f.geometry.coordinates;
                    L.marker([c[1], c[0]], {pane: 'contours', interactive: false,
                                            keyboard: false, icon: label(f.properties.label)})
                        .addTo(group);
                });
            }
            function load() {
                if (started) return;
                started = true;
                L.terrainFile({{ this.url|tojson }}, function(r) { return r.json(); })
                    .then(draw).catch(function(e) { started = false; console.error(e); });
            }
            group.on('add', load);
            if (group._map) load();
        })();
        {% endmacro %}
    """)

    def __init__(self, url: str) -> None:
        super().__init__()
        self._name = "ContourLayer"
        self.url = url
        self.major = {"color": CONTOUR_COLOUR, "weight": 1.6, "opacity": 0.9}
        self.minor = {"color": CONTOUR_COLOUR, "weight": 0.7, "opacity": 0.55}


class NoTerrainArea(ScriptElement):
    """The region outside the DEM, hatched, with a text label just east of 36° E in the
    view, shown while any of the terrain groups is on the map."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }};
            var groups = [{% for g in this.groups %}{{ g }}{{ "," if not loop.last }}{% endfor %}];
            var b = {{ this.region|tojson }}, d = {{ this.dem|tojson }};
            var area = L.polygon([[[b[1], b[0]], [b[1], b[2]], [b[3], b[2]], [b[3], b[0]]],
                                  [[d[1], d[0]], [d[1], d[2]], [d[3], d[2]], [d[3], d[0]]]], {
                pane: 'terrain-notes', interactive: false, className: 'no-terrain',
                color: '#8c8c8c', weight: 1, dashArray: '4 4', fillOpacity: 1
            });
            var span = document.createElement('span'); span.textContent = {{ this.label|tojson }};
            var label = L.marker([d[1], d[2]], {pane: 'terrain-notes', interactive: false,
                keyboard: false, icon: L.divIcon({className: 'no-terrain-label', html: span,
                                                  iconSize: null, iconAnchor: [-6, 8]})});
            var layer = L.layerGroup([area, label]);
            function place() {
                // Near the top of the view, clear of the labels about its middle.
                var v = map.getBounds(), lon = Math.max(d[2], v.getWest());
                var top = v.getNorth() - 0.12 * (v.getNorth() - v.getSouth());
                var lat = Math.min(Math.max(top, b[1]), b[3]);
                label.setLatLng([lat, lon]);
            }
            function sync() {
                var on = groups.some(function(g) { return map.hasLayer(g); });
                if (on && !map.hasLayer(layer)) { place(); layer.addTo(map); }
                else if (!on && map.hasLayer(layer)) { map.removeLayer(layer); }
            }
            groups.forEach(function(g) { g.on('add remove', sync); });
            map.on('moveend', place);
            sync();
        })();
        {% endmacro %}
    """)

    def __init__(self, groups: Sequence[folium.FeatureGroup]) -> None:
        super().__init__()
        self._name = "NoTerrainArea"
        self.groups = [g.get_name() for g in groups]
        self.region, self.dem = list(REGION_BOUNDS), list(DEM_BOUNDS)
        self.label = NO_TERRAIN_LABEL


class ElevationReadout(ScriptElement):
    """Adds the elevation under the cursor to the MousePosition readout ("elev 2,803 m"):
    the Terrarium grid is fetched and decoded on the first mouse move; outside the grid the
    readout says there is no terrain data."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function() {
            var ctl = {{ this.control }}, g = {{ this.grid|tojson }}, o = ctl.options;
            var data = null, state = 'idle', last = null;
            function elevation(lat, lng) {
                var row = Math.floor((g.north - lat) / g.dy);
                var col = Math.floor((lng - g.west) / g.dx);
                if (row < 0 || col < 0 || row >= g.rows || col >= g.cols)
                    return {{ this.none|tojson }};
                if (!data) return state === 'failed' ? 'elevation unavailable' : 'elev …';
                var i = (row * g.cols + col) * 4, v = data[i] * 256 + data[i + 1] - g.offset;
                if (v <= -g.offset) return {{ this.none|tojson }};
                return 'elev ' + v.toLocaleString('en-US') + ' m';
            }
            function load() {
                state = 'loading';
                L.terrainFile({{ this.url|tojson }}, function(r) {
                    return r.blob().then(function(blob) {
                        return createImageBitmap(blob, {colorSpaceConversion: 'none',
                                                        premultiplyAlpha: 'none'});
                    }).then(function(bitmap) {
                        var canvas = document.createElement('canvas');
                        canvas.width = bitmap.width; canvas.height = bitmap.height;
                        var ctx = canvas.getContext('2d', {willReadFrequently: true});
                        ctx.drawImage(bitmap, 0, 0);
                        return ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
                    });
                }).then(function(pixels) { data = pixels; state = 'ready'; refresh(); })
                  .catch(function(e) { state = 'failed'; console.error(e); refresh(); });
            }
            function text(lng, lat) {
                last = [lng, lat];
                if (state === 'idle') load();
                return o.prefix + ' ' + L.Util.formatNum(lat, o.numDigits) + o.separator
                    + L.Util.formatNum(lng, o.numDigits) + o.separator + elevation(lat, lng);
            }
            function refresh() {
                if (last && ctl._container) ctl._container.textContent = text(last[0], last[1]);
            }
            o.formatter = text;
        })();
        {% endmacro %}
    """)

    def __init__(self, control: plugins.MousePosition, url: str, grid: dict[str, Any]) -> None:
        super().__init__()
        self._name = "ElevationReadout"
        self.control, self.url, self.grid = control.get_name(), url, grid
        self.none = NO_TERRAIN_READOUT


def add_terrain_layers(fmap: folium.Map, layers: Sequence[str], base: str = STATIC_URL,
                       manifest: Manifest | None = None) -> list[folium.FeatureGroup]:
    """Add the hillshade and contour groups (shown if in ``layers``), the hatch of the area
    without terrain and the terrain credit; the manifest is read from static/terrain unless
    given (StaticBuildMissing, saying to run make setup, when it was not built)."""
    built = terrain_manifest() if manifest is None else manifest
    figure_of(fmap).header.add_child(folium.Element(TERRAIN_CSS), name="terrain_css")
    shade = folium.FeatureGroup(name=GROUP_LABELS["hillshade"], show="hillshade" in layers)
    shade.add_child(HillshadeOverlay(built.url("hillshade", base),
                                     built.meta["hillshade_bounds"]))
    lines = folium.FeatureGroup(name=GROUP_LABELS["contours"], show="contours" in layers)
    lines.add_child(ContourLayer(built.url("contours", base)))
    groups = [shade, lines]
    for group in groups:
        group.add_child(LayerAttribution([DEM_CREDIT]))
        fmap.add_child(group)
    fmap.add_child(NoTerrainArea(groups))
    return groups


def add_elevation_readout(fmap: folium.Map, control: plugins.MousePosition,
                          base: str = STATIC_URL, manifest: Manifest | None = None) -> None:
    """Show the elevation under the cursor in ``control`` (added to ``fmap`` already)."""
    built = terrain_manifest() if manifest is None else manifest
    fmap.add_child(ElevationReadout(control, built.url("elevation", base), built.meta["grid"]))
