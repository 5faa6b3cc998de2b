"""The live map split for a date change: what changes with the date is sent apart from the map.

streamlit-folium re-creates its map whenever the map's script changes, and takes layers that
change (``feature_group_to_add``) and the layer control (``layer_control``) on the side, swapping
them in place. :func:`split_live` takes the date-dependent overlays (every feature group but the
terrain) and the layer control out of a map from :func:`geo.render.map.build_map`: the map that
is left is the same on every date (the basemaps, terrain, controls), so a date change
re-sends only the layers and their legend, and the map is not rebuilt.

streamlit-folium adds every such layer to the map; the last group, :class:`Restore`, hides those
that were built hidden and lets the zoom-dependent ones (location uncertainty) apply their zoom.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

import folium
from branca.element import Element
from jinja2 import Template

from geo.core.vocabulary import GROUP_LABELS, TERRAIN_GROUPS
from geo.render.elements import ORDER_JS, DataElement
from geo.render.legend import Legend

#: Overlays that stay on the map whatever the date.
_STATIC: Final[frozenset[str]] = frozenset(GROUP_LABELS[group] for group in TERRAIN_GROUPS)
#: The variable streamlit-folium gives the n-th added group, and the map's.
_VARIABLE: Final[str] = "feature_group_feature_group_{}"
LIVE_MAP: Final[str] = "map_div"
#: Layer data of at least this many characters of JSON is fetched by URL (:func:`externalise`).
BY_URL_MIN_CHARS: Final[int] = 4096


def descendants(element: Element) -> list[Element]:
    children = list(element._children.values())
    return [*children, *(d for child in children for d in descendants(child))]


class Restore(folium.MacroElement):
    """Hides the groups built hidden once streamlit-folium has added them all, fires the map's
    zoomend so that groups shown from a zoom on (uncertainty circles) apply it, and puts the
    legend of these layers in place of the previous one."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent._parent.get_name() }};
            [{{ this.hidden|join(', ') }}].forEach(function(g) { map.removeLayer(g); });
            map.fire('zoomend');
            {{ this.order }} = [];  // the next date's layers are noted afresh
            {% if this.legend %}
            if (window.liveLegend) { map.removeControl(window.liveLegend); }
            var box = L.control({position: {{ this.legend.position|tojson }}});
            box.onAdd = function() {
                var div = L.DomUtil.create('div', {{ this.legend.css_class|tojson }});
                div.innerHTML = {{ this.legend.html|tojson }};
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            box.addTo(map);
            window.liveLegend = box;
            {% endif %}
        })();
        {% endmacro %}
    """)

    def __init__(self, hidden: list[str], legend: Legend | None) -> None:
        super().__init__()
        self._name = "Restore"
        self.order = ORDER_JS
        self.hidden = hidden
        self.legend = legend


@dataclass(frozen=True)
class LiveMap:
    """The map without its date-dependent overlays, those overlays, and a layer control."""

    base: folium.Map
    groups: list[folium.FeatureGroup]
    control: folium.LayerControl


def split_live(fmap: folium.Map) -> LiveMap:
    """Move the date-dependent overlays and the layer control out of ``fmap`` (modified)."""
    groups: list[folium.FeatureGroup] = []
    legend = None
    for name, child in list(fmap._children.items()):
        if isinstance(child, Legend):  # it names the incidents' event types: it changes too
            legend = child
            del fmap._children[name]
        elif isinstance(child, folium.LayerControl):
            del fmap._children[name]
        elif (isinstance(child, folium.FeatureGroup) and child.overlay
              and child.layer_name not in _STATIC):
            groups.append(child)
            del fmap._children[name]
    # Scripts that name the map by its variable (zoom-dependent layers) get streamlit-folium's
    # name for it: it renames the map in its own script only.
    for element in (d for group in groups for d in descendants(group)):
        if getattr(element, "map_name", None) == fmap.get_name():
            element.map_name = LIVE_MAP  # type: ignore[attr-defined]
    hidden = [_VARIABLE.format(i) for i, group in enumerate(groups) if not group.show]
    last = folium.FeatureGroup(name="restore", control=False)
    last.add_child(Restore(hidden, legend))
    return LiveMap(fmap, [*groups, last], folium.LayerControl(collapsed=True))


def externalise(live: LiveMap, publish: Callable[[str], str]) -> LiveMap:
    """Let the browser fetch the data of the map's layers by URL (``publish`` stores a JSON
    text and returns its URL, named by its content: geo.render.static_files.publish_text)
    instead of receiving it in the map's script: the browser caches each file, so a date
    change or another visit sends a layer's data again only when it changed. Only data that
    may go that way (``by_url``: not the incidents) and of at least BY_URL_MIN_CHARS."""
    for element in [*descendants(live.base), *(d for g in live.groups for d in descendants(g))]:
        if (isinstance(element, DataElement) and element.by_url
                and len(element.data_json) >= BY_URL_MIN_CHARS):
            element.data_url = publish(element.data_json)
    return live
