"""Custom map elements: our own small Leaflet scripts (no third-party code).

Layers drawn from GeoJSON payloads (:mod:`geo.render.payloads`), credits shown while a layer is
on the map, incident cells per zoom level and layers shown from a zoom level on.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from functools import cached_property
from typing import Any, Final

from branca.element import Element, MacroElement
from jinja2 import Template

from geo.render.assets import children, figure_of
from geo.render.payloads import json_text
from geo.render.popups import POPUP_BREAK, POPUP_CLOSE, POPUP_OPEN

#: JavaScript ``text(t, lines)``: escaped HTML given as itself or as its lines, some by index
#: in ``lines`` (:func:`geo.render.payloads.shared_lines`), joined as they were split.
TEXT_JS: Final[str] = (
    "function text(t, lines) { return typeof t === 'string' ? t : t.map(function(x) { "
    f"return typeof x === 'number' ? lines[x] : x; }}).join({json_text(POPUP_BREAK)}); }}"
)
#: The page-wide state of the layer-data scripts, named once for the scripts that read it
#: (geo.render.labels.Declutter, geo.render.live.Restore): the fetches under way, the event
#: each one fires when done, the page's layers in the order of its script.
PENDING_JS: Final[str] = "window.__layerDataPending"
DATA_EVENT: Final[str] = "layerdata"
ORDER_JS: Final[str] = "window.__layerOrder"
#: JavaScript ``withData(src, use, layer)``: ``use(src)`` at once when the layer's data came in
#: the script, or once fetched when ``src`` is the promise of :attr:`DataElement.data_source`
#: (counted in PENDING_JS while under way; DATA_EVENT fired on the window when done). A failed
#: fetch is reported on the console, and the layer stays empty. ``inOrder(layer)`` notes the
#: page's layers in the order of its script (ORDER_JS): a layer drawn late, its data fetched,
#: would be drawn over those that come after it (the incidents, annotations), so these are
#: brought back on top of it.
WITH_DATA_JS: Final[str] = (
    f"function inOrder(layer) {{ {ORDER_JS} = {ORDER_JS} || []; {ORDER_JS}.push(layer); "
    f"return {ORDER_JS}; }} "
    "function withData(src, use, layer) { var order = inOrder(layer); "
    "if (!src || typeof src.then !== 'function') { use(src); return; } "
    f"{PENDING_JS} = ({PENDING_JS} || 0) + 1; "
    "src.then(function(d) { use(d); order.slice(order.indexOf(layer) + 1).forEach("
    "function(l) { if (l.bringToFront) l.bringToFront(); }); })"
    ".catch(function(e) { console.error('layer data not drawn', e); })"
    f".then(function() {{ {PENDING_JS} -= 1; window.dispatchEvent(new Event('{DATA_EVENT}')); "
    "}); }"
)


class _Text(Element):
    """Text that goes into the page as it is."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text = text

    def render(self, **kwargs: Any) -> str:
        return self._text


class ScriptElement(MacroElement):
    """A MacroElement whose rendered script is added to the page as text.

    branca's MacroElement.render wraps the rendered script in a new Element, which compiles it
    as a Jinja template: seconds for megabytes of GeoJSON, and any ``{{`` in the data would be
    read as template code. Our elements only define a ``script`` macro.
    """

    # branca's MacroElement.render returns nothing, unlike Element.render (hence the ignore).
    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        macros = self._template.module.__dict__
        if "header" in macros or "html" in macros:
            return super().render(**kwargs)
        figure = figure_of(self)
        script = macros["script"]
        figure.script.add_child(_Text(script(self, kwargs)), name=self.get_name())
        for element in children(self):
            element.render(**kwargs)


class DataElement(ScriptElement):
    """A ScriptElement that draws ``data``: its JSON text is serialised once however often the
    map is rendered, or given already serialised (as a cached
    :class:`geo.render.map.IncidentLayer` keeps it).

    The live map may fetch the data by URL instead (:func:`geo.render.live.externalise` sets
    :attr:`data_url`, a content-named static file): the browser then caches it, and a date
    that leaves the layer as it was sends none of it again. ``by_url`` says whether the data
    may go that way: not the incidents, which change with every date and window."""

    #: Whether the data may be fetched by URL (the class's default).
    by_url: bool = True

    def __init__(self, data: Any, data_json: str | None = None) -> None:
        super().__init__()
        self.data = data
        if data_json is not None:
            self.__dict__["data_json"] = data_json
        self.data_url: str | None = None
        self.with_data_js = WITH_DATA_JS

    @cached_property
    def data_json(self) -> str:
        return json_text(self.data)

    @property
    def data_source(self) -> str:
        """JavaScript for the data: its JSON, or the data of :attr:`data_url` as the page
        already holds it (a map drawn again on a date change draws it at once, as data sent in
        the script), else the promise of it, fetched once per page (``force-cache``: the name
        changes with the content)."""
        if self.data_url is None:
            return self.data_json
        url = json_text(self.data_url)
        return (f"(function(held) {{ return held[{url}] || (held[{url}] = fetch({url}, "
                "{cache: 'force-cache'}).then(function(r) { if (!r.ok) throw new Error("
                f"{url} + ': HTTP ' + r.status); return r.json(); }}).then(function(d) {{ "
                f"held[{url}] = d; return d; }}, function(e) {{ delete held[{url}]; throw e; }}));"
                " })(window.__layerJson = window.__layerJson || {})")


class GeoJsonLayer(DataElement):
    """A GeoJSON layer styled from each feature's ``style`` property (or the collection's
    ``styles`` table at index ``s``), with escaped tooltip and popup HTML taken from
    ``tip``/``pop`` (or the popup joined from ``tip`` and ``more`` as
    :func:`geo.render.popups.popup_html` does; either may be given as its lines, see
    :func:`geo.render.payloads.shared_lines`). Points become circle markers (or metric
    circles)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        {%- if this.source is none %}
        var {{ this.get_name() }}_data = {{ this.data_source }};
        {%- endif %}
        var {{ this.get_name() }} = (function(src) {
        var data = {};
        function style(f) { return f.properties.s === undefined ? f.properties.style
                                                                : data.styles[f.properties.s]; }
        {{ this.text_js }}
        {{ this.with_data_js }}
        var layer = L.geoJson(null, {
            {%- if this.only is not none %}
            filter: function(f) { return {{ this.only|tojson }}.indexOf(f.id) >= 0; },
            {%- endif %}
            {%- if this.pane %}
            pane: {{ this.pane|tojson }},
            {%- endif %}
            {%- if this.circles %}
            pointToLayer: function(f, ll) {
                return L.circle(ll, Object.assign({radius: f.properties.r_m},
                                                  {{ this.circle_style|tojson }}));
            },
            {%- else %}
            pointToLayer: function(f, ll) { return L.circleMarker(ll, style(f)); },
            style: style,
            {%- endif %}
            onEachFeature: function(f, layer) {
                {%- if not this.circles %}
                var p = f.properties, tip = text(p.tip, data.lines);
                layer.bindTooltip(tip, {sticky: true});
                layer.bindPopup(p.more === undefined ? p.pop
                                : {{ this.popup[0]|tojson }} + tip + {{ this.popup[1]|tojson }}
                                  + text(p.more, data.lines) + {{ this.popup[2]|tojson }},
                                {maxWidth: 380});
                {%- endif %}
            }
        });
        withData(src, function(d) { data = d; layer.addData(d); }, layer);
        return layer;
        })({{ (this.source or this).get_name() }}_data).addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, data: dict[str, Any], circles: bool = False,
                 data_json: str | None = None, pane: str | None = None,
                 source: GeoJsonLayer | None = None, only: list[str] | None = None,
                 by_url: bool = True) -> None:
        super().__init__(data, "" if source is not None else data_json)
        self._name = "GeoJsonLayer"
        self.by_url = by_url and source is None
        self.circles = circles
        #: Draw the data of a layer earlier on the page (not sent again); ``only``: draw only
        #: the features with these ids (``data`` holds them, the page's data may hold more).
        self.source = source
        self.only = only
        #: A Leaflet pane to draw in (the offline basemap's, under the terrain), or the default.
        self.pane = pane
        self.circle_style = {"color": "#555", "weight": 1, "dashArray": "3 3",
                             "fillOpacity": 0.05, "interactive": False}
        self.popup = (POPUP_OPEN, POPUP_BREAK, POPUP_CLOSE)
        self.text_js = TEXT_JS


class LayerAttribution(ScriptElement):
    """Show a data layer's credits in the attribution control while the layer is on the map.

    Each credit is added separately, so Leaflet's reference counting shows it once however many
    layers share it.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function() {
            var layer = {{ this._parent.get_name() }}, credits = {{ this.credits|tojson }};
            function add(e) { var c = e.target._map.attributionControl;
                if (c) credits.forEach(function(t) { c.addAttribution(t); }); }
            function remove(e) { var c = e.target._map && e.target._map.attributionControl;
                if (c) credits.forEach(function(t) { c.removeAttribution(t); }); }
            layer.on('add', add); layer.on('remove', remove);
        })();
        {% endmacro %}
    """)

    def __init__(self, credits: Iterable[str]) -> None:
        super().__init__()
        self._name = "LayerAttribution"
        self.credits = [html.escape(c, quote=False) for c in credits]


class ZoomLevelsLayer(DataElement):
    """Aggregated incident cells (geo.analysis.aggregate.aggregate_payload): one layer of
    circle markers per grid level, each shown in its zoom range. A cell's tooltip is built
    here from its numbers and its type's name, escaped on the server."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function() {
            var parent = {{ this._parent.get_name() }}, map = {{ this.map_name }};
            {{ this.with_data_js }}
            inOrder(parent);
            var levels = {{ this.data_json }};
            function markers(level) {  // a level's markers, made when it is first shown
                return level.layer || (level.layer = L.featureGroup(level.x.map(function(x, i) {
                    var t = level.t[i];
                    return L.circleMarker([level.y[i], x], Object.assign(
                        {radius: level.r[i], fillColor: level.colors[t]}, level.style)
                    ).bindTooltip(level.n[i] + ' incidents · ' + level.f[i]
                                  + ' reported fatalities · mostly ' + level.types[t]);
                })));
            }
            function sync() {
                var z = map.getZoom();
                levels.forEach(function(level) {
                    var on = z >= level.min_zoom && z <= level.max_zoom;
                    if (on && !parent.hasLayer(markers(level))) parent.addLayer(level.layer);
                    if (!on && level.layer && parent.hasLayer(level.layer)) {
                        parent.removeLayer(level.layer);
                    }
                });
            }
            map.on('zoomend', sync); map.whenReady(sync);
        })();
        {% endmacro %}
    """)

    by_url = False  # the incidents of one date and window

    def __init__(self, levels: list[dict[str, Any]], map_name: str,
                 data_json: str | None = None) -> None:
        super().__init__(levels, data_json)
        self._name = "ZoomLevelsLayer"
        self.map_name = map_name


class ShowAtZoom(ScriptElement):
    """Add the parent layer only at or above a zoom level (uncertainty circles)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this.map_name }}, layer = {{ this._parent.get_name() }};
            function sync() {
                if (map.getZoom() >= {{ this.min_zoom }}) {
                    if (!map.hasLayer(layer)) layer.addTo(map);
                }
                else if (map.hasLayer(layer)) { map.removeLayer(layer); }
            }
            map.on('zoomend', sync); map.whenReady(sync);
        })();
        {% endmacro %}
    """)

    def __init__(self, map_name: str, min_zoom: int) -> None:
        super().__init__()
        self._name = "ShowAtZoom"
        self.map_name = map_name
        self.min_zoom = min_zoom


class BoxControl(ScriptElement):
    """A box in a corner of the map (a Leaflet control) holding ``html``, which the caller has
    escaped; clicks and scrolls on it do not reach the map. Used for the legend and map titles.
    A ``<details data-fold-below="H">`` in ``html`` starts folded on maps lower than H px."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function() {
            var box = L.control({position: {{ this.position|tojson }}});
            box.onAdd = function(map) {
                var div = L.DomUtil.create('div', {{ this.css_class|tojson }});
                div.innerHTML = {{ this.html|tojson }};
                // A foldable box (<details data-fold-below=H>) starts folded on a map lower
                // than H px, where it would cover the middle of the map.
                var fold = div.querySelector('details[data-fold-below]');
                if (fold && map.getSize().y < +fold.dataset.foldBelow) fold.open = false;
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            box.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
    """)

    def __init__(self, html: str, position: str, css_class: str) -> None:
        super().__init__()
        self._name = "BoxControl"
        self.html = html
        self.position = position
        self.css_class = css_class

