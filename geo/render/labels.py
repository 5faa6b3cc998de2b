"""Map labels on the live map: real text (Leaflet DivIcon markers, escaped HTML) from
:func:`geo.core.labels.map_labels`, and the collision rule run in the browser.

Each layer group gets a :class:`LabelLayer` holding its labels, so a label comes and goes with
its layer. One :class:`Declutter` script then shows, on every zoom and move, the labels whose
min zoom is reached, greedy by priority: a label whose box overlaps one already shown is hidden
(the rule of :func:`geo.core.labels.declutter`). Arabic and Hebrew text carries ``dir`` and
``lang``; the browser shapes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from jinja2 import Template

from geo.core import styles
from geo.core.labels import MapLabel
from geo.render.elements import DATA_EVENT, PENDING_JS, TEXT_JS, DataElement, ScriptElement
from geo.render.payloads import shared_lines
from geo.render.popups import esc

#: Pixels kept between two labels shown.
GAP_PX: Final[int] = 3


def label_html(label: MapLabel) -> str:
    """The label's escaped HTML: its text in its language and direction, with the summit
    symbol or a place's dot, and its priority and min zoom for the collision script."""
    direction = "rtl" if label.rtl else "ltr"
    mark = ""
    if label.symbol:
        mark = f"<b class='sym'>{esc(label.symbol)}</b>"
    elif label.kind == "place":
        mark = "<i class='dot'></i>" + ("<i class='arr'></i>" if label.edge else "")
    return (f"<span class='lbl lbl-{esc(label.kind)}' data-p='{label.priority:g}' "
            f"data-z='{label.min_zoom}' data-id='{esc(label.id)}'>{mark}"
            f"<span class='txt' dir='{direction}' lang='{esc(label.lang)}'>{esc(label.text)}"
            "</span></span>")


def _type_css(selector: str, face: tuple[int, int, bool]) -> str:
    size, weight, italic = face
    return (f"{selector}{{font-size:{size}px;font-weight:{weight};"
            f"font-style:{'italic' if italic else 'normal'}}}")


def label_css() -> str:
    """The labels' styles: a white halo, per kind the type of geo.core.styles.LABEL_TYPE and
    the layer's colour."""
    colors = styles.LABEL_COLORS
    halo = "text-shadow:0 0 2px #fff,0 0 3px #fff,0 0 4px #fff,0 0 5px #fff"
    major = ",".join(f".map-label .lbl-place[data-z='{z}']" for z in styles.MAJOR_PLACE_ZOOMS)
    faces = "".join(_type_css(f".map-label .lbl-{kind}", face)
                    for kind, face in styles.LABEL_TYPE.items())
    return (
        "<style>.map-label{width:0;height:0}.map-label.lbl-off{visibility:hidden}"
        ".map-label .lbl{position:absolute;left:0;top:0;white-space:nowrap;"
        f"font:12px/1.2 system-ui,'DejaVu Sans',sans-serif;color:{colors['place']};{halo};"
        "transform:translate(-50%,-50%)}"
        ".map-label .lbl-place{transform:translate(-4px,-50%)}"
        ".map-label .dot{display:inline-block;width:6px;height:6px;border-radius:50%;"
        "background:#fff;border:1.5px solid #333;margin-right:4px;vertical-align:middle}"
        f".map-label .lbl-summit{{transform:translate(-7px,-50%);color:{colors['summit']}}}"
        ".map-label .sym{font-size:15px;margin-right:3px}"
        ".map-label .out .dot{display:none}.map-label .arr{font-style:normal;margin-right:3px}"
        f".map-label .lbl-country{{letter-spacing:.12em;text-transform:uppercase;"
        f"color:{colors['country']}}}"
        f".map-label .lbl-line{{color:{colors['line']}}}"
        f".map-label .lbl-zone{{color:{colors['zone']}}}"
        f".map-label .lbl-band{{color:{colors['band']}}}"
        + faces + _type_css(major, styles.MAJOR_PLACE_TYPE)
        + "</style>"
    )


class LabelLayer(DataElement):
    """The labels of one layer group, added to it as non-interactive DivIcon markers; a
    label with a popup (a place's) opens it on click."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function() {
            var group = {{ this._parent.get_name() }};
            {{ this.text_js }}
            {{ this.with_data_js }}
            withData({{ this.data_source }}, function(data) { data.labels.forEach(function(l) {
                var m = L.marker([l.lat, l.lon], {
                    interactive: !!l.pop, keyboard: false,
                    icon: L.divIcon({className: 'map-label', html: l.html, iconSize: null,
                                     iconAnchor: [0, 0]})
                });
                if (l.pop) m.bindPopup(text(l.pop, data.lines), {maxWidth: 380});
                if (l.edge) {
                    m._home = L.latLng(l.lat, l.lon);
                    (window.__edgeLabels = window.__edgeLabels || []).push(m);
                }
                group.addLayer(m);
            }); }, group);
        })();
        {% endmacro %}
    """)

    def __init__(self, labels: list[MapLabel], popups: Mapping[str, str] | None = None) -> None:
        popups = popups or {}
        #: A popup's lines that recur in others (a source, a status, a basis) are sent once.
        lines, pops = shared_lines([popups.get(lb.id, "") for lb in labels])
        super().__init__({"lines": lines, "labels": [
            {"lat": lb.lat, "lon": lb.lon, "html": label_html(lb),
             **({"pop": pop} if lb.id in popups else {}), **({"edge": True} if lb.edge else {})}
            for lb, pop in zip(labels, pops, strict=True)
        ]})
        self._name = "LabelLayer"
        self.text_js = TEXT_JS


class Declutter(ScriptElement):
    """Shows the labels of the map whose min zoom is reached, greedy by priority, hiding one
    whose box comes within GAP_PX of a label already shown; again on every zoom, move, resize
    and layer change. The result is on each marker (class ``lbl-off``) for tests to read."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }}, gap = {{ this.gap }}, queued = false;
            var arrows = ['→', '↘', '↓', '↙', '←', '↖', '↑', '↗'];
            function edges() {  // cities out of view: at the edge, with an arrow towards them
                var size = map.getSize();
                (window.__edgeLabels || []).forEach(function(mk) {
                    var el = mk.getElement();
                    if (mk._map !== map || !el) return;
                    var lbl = el.querySelector('.lbl'), p = map.latLngToContainerPoint(mk._home);
                    var x = Math.min(Math.max(p.x, 12), size.x - lbl.offsetWidth - 12);
                    var y = Math.min(Math.max(p.y, 14), size.y - 14);
                    var out = x !== p.x || y !== p.y;
                    var turn = Math.round(Math.atan2(p.y - y, p.x - x) / (Math.PI / 4));
                    lbl.querySelector('.arr').textContent = out ? arrows[(turn + 8) % 8] : '';
                    lbl.classList.toggle('out', out);
                    mk.setLatLng(out ? map.containerPointToLatLng([x, y]) : mk._home);
                });
            }
            function run() {
                queued = false;
                edges();
                var z = map.getZoom(), kept = [], items = [];
                map.getContainer().querySelectorAll('.map-label .lbl').forEach(function(n) {
                    items.push({n: n, p: +n.dataset.p, z: +n.dataset.z});
                });
                items.sort(function(a, b) { return b.p - a.p; });
                var rects = items.map(function(it) { return it.n.getBoundingClientRect(); });
                items.forEach(function(it, i) {
                    var r = rects[i], show = z >= it.z;
                    for (var k = 0; show && k < kept.length; k++) {
                        var o = kept[k];
                        show = !(r.left < o.right + gap && o.left < r.right + gap &&
                                 r.top < o.bottom + gap && o.top < r.bottom + gap);
                    }
                    if (show) kept.push(r);
                    it.n.parentNode.classList.toggle('lbl-off', !show);
                });
                // Ready once no layer data is still on its way (geo.render.elements).
                if (!{{ this.pending }}) map.getContainer().dataset.labelsReady = '1';
            }
            function later() {
                if (!queued) { queued = true; requestAnimationFrame(run); }
            }
            map.on('zoomend moveend resize overlayadd overlayremove layeradd', later);
            window.addEventListener({{ this.data_event|tojson }}, later);
            map.whenReady(later);
        })();
        {% endmacro %}
    """)

    def __init__(self) -> None:
        super().__init__()
        self._name = "Declutter"
        self.gap = GAP_PX
        self.pending, self.data_event = PENDING_JS, DATA_EVENT
