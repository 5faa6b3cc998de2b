"""Map building: every layer as of a date, as a folium map with local assets.

Input is the output of :func:`geo.core.timeline.state_at` (features with ``status_on_date``) and the
incidents in the window. Every string that reaches a tooltip or popup is HTML-escaped here, and
source links are only emitted for http(s) URLs.
"""

from __future__ import annotations

import html
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Final

import folium
import geopandas as gpd
import pandas as pd
from branca.element import Element, MacroElement
from folium import plugins
from jinja2 import Template
from jinja2.utils import htmlsafe_json_dumps
from shapely.geometry import mapping

from geo.analysis.aggregate import POINT_LIMIT, aggregate_payload
from geo.core import styles
from geo.core.model import is_blank, safe_url
from geo.core.view import ViewState
from geo.core.vocabulary import (
    GROUP_LABELS,
    GROUP_ORDER,
    LABEL_MIN_ZOOM,
    MAX_ZOOM,
    MIN_ZOOM,
    OFFLINE,
    OFFLINE_LABEL,
    TILES,
    group_of,
)
from geo.render.assets import COMPONENT_BASE, localise, walk

SIMPLIFY: Final[dict[str, float]] = {
    "countries": 0.0003, "governorates": 0.0003, "districts": 0.0003, "golan": 0.0001,
    "proposals": 0.0003, "demands": 0.0003,
}


# ---------------------------------------------------------------------------------------------
# Escaped HTML for tooltips and popups

def esc(value: Any) -> str:
    return "" if is_blank(value) else html.escape(str(value), quote=True)


def sources_html(sources: Any) -> str:
    items = []
    for src in sources if isinstance(sources, list) else []:
        if not isinstance(src, Mapping):
            continue
        label = " — ".join(
            esc(src.get(k)) for k in ("publisher", "title", "date") if not is_blank(src.get(k))
        )
        url = safe_url(src.get("url"))
        if url:
            items.append(
                f'<li><a href="{esc(url)}" target="_blank" rel="noopener noreferrer">'
                f"{label or esc(url)}</a></li>"
            )
        else:
            doc = esc(src.get("document"))
            items.append(f"<li>{label}{' (' + doc + ')' if doc else ''}</li>")
    return f"<ul class='src'>{''.join(items)}</ul>" if items else "<i>no source</i>"


def feature_tooltip(row: Mapping[str, Any]) -> str:
    status = styles.STATUS_LABELS.get(row["status_on_date"], row["status_on_date"])
    disputed = " · disputed" if row.get("disputed_on_date") else ""
    arabic = f"<br><span dir='rtl'>{esc(row.get('name_ar'))}</span>" if row.get("name_ar") else ""
    return f"<b>{esc(row['name'])}</b>{arabic}<br>{esc(status)}{disputed}"


def feature_popup(row: Mapping[str, Any]) -> str:
    until = row.get("valid_to")
    dates = f"{esc(row['valid_from'])} – {esc(until) if not is_blank(until) else 'open'}"
    note = row.get("status_note") or ""
    parts = [
        f"<b>{esc(row['name'])}</b>",
        f"<span dir='rtl'>{esc(row.get('name_ar'))}</span>" if row.get("name_ar") else "",
        f"Status on this date: <b>{esc(styles.STATUS_LABELS.get(row['status_on_date']))}</b>"
        + (" · <b>disputed</b>" if row.get("disputed_on_date") else ""),
        f"Valid: {dates} ({esc(row.get('date_precision'))} precision)",
        f"Basis: {esc(row['basis'])} · confidence: {esc(row['confidence'])}",
        f"<i>{esc(note)}</i>" if note else "",
        esc(row.get("notes")),
        "Sources:" + sources_html(row.get("sources")),
        f"<small>{esc(row.get('attribution'))} · {esc(row.get('licence'))}</small>",
    ]
    return "<div class='pp'>" + "<br>".join(p for p in parts if p) + "</div>"


def incident_tooltip(row: Mapping[str, Any]) -> str:
    fat = row.get("fatalities")
    fat_text = "not reported" if is_blank(fat) or pd.isna(fat) else str(int(fat))
    precision = styles.PRECISION_LABELS.get(int(row.get("geo_precision") or 1), "")
    return (
        f"<b>{esc(row['event_date'])}</b> · {esc(row['event_type'])}<br>"
        f"{esc(row.get('location'))}<br>fatalities: {fat_text} · location: {esc(precision)}"
    )


def incident_popup(row: Mapping[str, Any]) -> str:
    src = [{"publisher": row.get("source"), "title": row.get("source_title"),
            "date": row.get("source_date"), "url": row.get("url")}]
    parts = [
        incident_tooltip(row),
        f"{esc(row.get('sub_event_type'))}: {esc(row.get('actor1'))}"
        + (f" vs {esc(row.get('actor2'))}" if not is_blank(row.get("actor2")) else ""),
        esc(row.get("notes")),
        f"Basis: {esc(row.get('basis') or 'reported')} · confidence: "
        f"{esc(row.get('confidence') or 'unrated')}",
        f"<i>{esc(row.get('confidence_note'))}</i>" if row.get("confidence_note") else "",
        "Source:" + sources_html(src),
        f"<small>id {esc(row['event_id_cnty'])}</small>",
    ]
    return "<div class='pp'>" + "<br>".join(p for p in parts if p) + "</div>"


# ---------------------------------------------------------------------------------------------
# GeoJSON payloads

def _collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}


#: Simplified geometries as GeoJSON, per (feature id, tolerance): the geometry they were made
#: from and its mapping. A feature's geometry does not change with the date, only its status,
#: so a date change reuses them (checked: same object, or exactly equal coordinates).
_SIMPLIFIED: OrderedDict[tuple[str, float], tuple[Any, dict[str, Any]]] = OrderedDict()
_SIMPLIFIED_MAX: Final[int] = 4096
#: Guards the two memos of this module (Streamlit runs sessions in threads).
_MEMO_LOCK = threading.Lock()


def _same_geometries(cached: Sequence[Any], given: Sequence[Any]) -> bool:
    return len(cached) == len(given) and all(
        a is b or a.equals_exact(b, 0.0) for a, b in zip(cached, given, strict=True)
    )


def _geometry_json(feature_id: str, geom: Any, tolerance: float) -> dict[str, Any]:
    if not tolerance or geom.geom_type in ("Point", "MultiPoint"):
        return mapping(geom)
    key = (feature_id, tolerance)
    with _MEMO_LOCK:
        hit = _SIMPLIFIED.get(key)
        if hit is not None and _same_geometries([hit[0]], [geom]):
            _SIMPLIFIED.move_to_end(key)
            return hit[1]
    out = mapping(geom.simplify(tolerance, preserve_topology=True))
    with _MEMO_LOCK:
        _SIMPLIFIED[key] = (geom, out)
        if len(_SIMPLIFIED) > _SIMPLIFIED_MAX:
            _SIMPLIFIED.popitem(last=False)
    return out


#: Feature layers already built (payload and JSON text), per kind, tolerance and the content of
#: every row except the geometry (checked apart): a date change that leaves a group's
#: features and their status as they were reuses the layer instead of rebuilding it.
_LAYERS: OrderedDict[tuple[str, float, str], tuple[list[Any], dict[str, Any], str]] = (
    OrderedDict()
)
_LAYERS_MAX: Final[int] = 256
_ROW_FIELDS: Final[tuple[str, ...]] = (
    "id", "layer", "name", "name_ar", "status_on_date", "disputed_on_date", "status_note",
    "valid_from", "valid_to", "date_precision", "basis", "confidence", "notes", "sources",
    "attribution", "licence",
)


def _layer_payload(
    kind: str, rows: Sequence[Mapping[str, Any]], tolerance: float,
    build: Callable[[Sequence[Mapping[str, Any]]], dict[str, Any]],
) -> tuple[dict[str, Any], str]:
    """``build(rows)`` and its JSON text, reused while the rows are the same."""
    key = (kind, tolerance, repr([tuple(row.get(f) for f in _ROW_FIELDS) for row in rows]))
    geoms = [row["geometry"] for row in rows]
    with _MEMO_LOCK:
        hit = _LAYERS.get(key)
        if hit is not None and _same_geometries(hit[0], geoms):
            _LAYERS.move_to_end(key)
            return hit[1], hit[2]
    payload = build(rows)
    text = json_text(payload)
    with _MEMO_LOCK:
        _LAYERS[key] = (geoms, payload, text)
        if len(_LAYERS) > _LAYERS_MAX:
            _LAYERS.popitem(last=False)
    return payload, text


def feature_payload(frame: gpd.GeoDataFrame, tolerance: float = 0.0) -> dict[str, Any]:
    return rows_payload(frame.to_dict("records"), tolerance)


def rows_payload(rows: Iterable[Mapping[str, Any]], tolerance: float = 0.0) -> dict[str, Any]:
    """:func:`feature_payload` of rows already taken out of the frame (``to_dict("records")``)."""
    out = []
    for row in rows:
        out.append({
            "type": "Feature",
            "id": row["id"],
            "properties": {
                "id": row["id"],
                "tip": feature_tooltip(row),
                "pop": feature_popup(row),
                "label": esc(row["name"]),
                "style": {
                    **styles.feature_style(
                        row["layer"], row["status_on_date"], bool(row["disputed_on_date"])
                    ),
                    "className": f"lyr-{row['layer']} st-{row['status_on_date']}",
                },
            },
            "geometry": _geometry_json(str(row["id"]), row["geometry"], tolerance),
        })
    return _collection(out)


def incident_payload(incidents: gpd.GeoDataFrame) -> dict[str, Any]:
    out = []
    for row in incidents.to_dict("records"):
        out.append({
            "type": "Feature",
            "id": row["event_id_cnty"],
            "properties": {
                "id": row["event_id_cnty"],
                "tip": incident_tooltip(row),
                "pop": incident_popup(row),
                "style": {
                    "radius": styles.incident_radius(row.get("fatalities")),
                    "color": "#222222", "weight": 1,
                    "fillColor": styles.event_color(row["event_type"]), "fillOpacity": 0.85,
                    "className": "incident",
                },
                "r_m": styles.PRECISION_RADIUS_M.get(int(row.get("geo_precision") or 1), 1000),
            },
            "geometry": {"type": "Point",
                         "coordinates": [round(row["longitude"], 6), round(row["latitude"], 6)]},
        })
    return _collection(out)


# ---------------------------------------------------------------------------------------------
# Custom map elements (our own small scripts; no third-party code)

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

    def render(self, **kwargs: Any) -> None:
        macros = self._template.module.__dict__
        if "header" in macros or "html" in macros:
            return super().render(**kwargs)
        figure = self.get_root()
        script = macros["script"]
        figure.script.add_child(_Text(script(self, kwargs)), name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)


def json_text(data: Any) -> str:
    """Data as compact JSON that is safe inside a <script> (as Jinja's ``tojson`` filter)."""
    return str(htmlsafe_json_dumps(data, separators=(",", ":")))


class GeoJsonLayer(ScriptElement):
    """A GeoJSON layer styled from each feature's ``style`` property, with escaped tooltip and
    popup HTML taken from ``tip``/``pop``. Points become circle markers (or metric circles)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJson({{ this.data_json }}, {
            {%- if this.circles %}
            pointToLayer: function(f, ll) {
                return L.circle(ll, Object.assign({radius: f.properties.r_m}, {{ this.circle_style|tojson }}));
            },
            {%- elif this.labels %}
            pointToLayer: function(f, ll) {
                return L.featureGroup([L.circleMarker(ll, f.properties.style), L.marker(ll, {
                    interactive: false, keyboard: false,
                    icon: L.divIcon({className: 'place-label', html: f.properties.label,
                                     iconSize: null, iconAnchor: [-5, 7]})
                })]);
            },
            style: function(f) { return f.properties.style; },
            {%- else %}
            pointToLayer: function(f, ll) { return L.circleMarker(ll, f.properties.style); },
            style: function(f) { return f.properties.style; },
            {%- endif %}
            onEachFeature: function(f, layer) {
                {%- if not this.circles %}
                layer.bindTooltip(f.properties.tip, {sticky: true});
                layer.bindPopup(f.properties.pop, {maxWidth: 380});
                {%- endif %}
            }
        }).addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, data: dict[str, Any], circles: bool = False, labels: bool = False,
                 data_json: str | None = None) -> None:
        super().__init__()
        self._name = "GeoJsonLayer"
        self.data = data
        self.circles = circles
        self.labels = labels
        self.circle_style = {"color": "#555", "weight": 1, "dashArray": "3 3",
                             "fillOpacity": 0.05, "interactive": False}
        if data_json is not None:  # already serialised (see IncidentLayer)
            self.__dict__["data_json"] = data_json

    @cached_property
    def data_json(self) -> str:
        """``data`` as JSON, serialised once however often the map is rendered."""
        return json_text(self.data)


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


#: Short credits shown on the map, keyed by a substring of a feature's attribution text.
CREDITS: Final[dict[str, str]] = {
    "OpenStreetMap": "© OpenStreetMap contributors (ODbL)",
    "OCHA": "UNCS/OCHA via HDX (CC BY 3.0 IGO)",
    "GeoNames": "GeoNames (CC BY 4.0)",
    "Natural Earth": "Natural Earth (public domain)",
    "Who's On First": "Who's On First (CC0)",
    "OpenSyria": "OpenSyria (CC BY 4.0)",
    "public report": "Reports: see each item's sources",
}


def credits_for(attributions: Iterable[Any]) -> list[str]:
    """The short credits a set of attribution texts calls for."""
    text = " ".join(str(a) for a in attributions if not is_blank(a))
    return [credit for key, credit in CREDITS.items() if key in text]


class ZoomLevelsLayer(ScriptElement):
    """Aggregated incident cells: one GeoJSON layer per grid level, each shown in its zoom
    range (see geo.analysis.aggregate). Tooltips carry escaped text."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function() {
            var parent = {{ this._parent.get_name() }}, map = {{ this.map_name }};
            var levels = {{ this.levels_json }}.map(function(level) {
                level.layer = L.geoJson(level.data, {
                    pointToLayer: function(f, ll) {
                        return L.circleMarker(ll, Object.assign(
                            {radius: f.properties.r, fillColor: f.properties.c}, level.style));
                    },
                    onEachFeature: function(f, layer) { layer.bindTooltip(f.properties.tip); }
                });
                return level;
            });
            function sync() {
                var z = map.getZoom();
                levels.forEach(function(level) {
                    var on = z >= level.min_zoom && z <= level.max_zoom;
                    if (on && !parent.hasLayer(level.layer)) parent.addLayer(level.layer);
                    if (!on && parent.hasLayer(level.layer)) parent.removeLayer(level.layer);
                });
            }
            map.on('zoomend', sync); map.whenReady(sync);
        })();
        {% endmacro %}
    """)

    def __init__(self, levels: list[dict[str, Any]], map_name: str,
                 levels_json: str | None = None) -> None:
        super().__init__()
        self._name = "ZoomLevelsLayer"
        self.levels = levels
        self.map_name = map_name
        if levels_json is not None:  # already serialised (see IncidentLayer)
            self.__dict__["levels_json"] = levels_json

    @cached_property
    def levels_json(self) -> str:
        return json_text(self.levels)


class ShowAtZoom(ScriptElement):
    """Add the parent layer only at or above a zoom level (uncertainty circles)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this.map_name }}, layer = {{ this._parent.get_name() }};
            function sync() {
                if (map.getZoom() >= {{ this.min_zoom }}) { if (!map.hasLayer(layer)) layer.addTo(map); }
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


class Legend(ScriptElement):
    """A legend control built from geo.core.styles (escaped HTML)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function() {
            var legend = L.control({position: 'bottomleft'});
            legend.onAdd = function() {
                var div = L.DomUtil.create('div', 'map-legend');
                div.innerHTML = {{ this.html|tojson }};
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            var map = {{ this._parent.get_name() }};
            legend.addTo(map);
            function labels() {
                map.getContainer().classList.toggle('hide-labels', map.getZoom() < {{ this.label_min_zoom }});
            }
            map.on('zoomend', labels); labels();
        })();
        {% endmacro %}
    """)

    def __init__(self, legend_html: str) -> None:
        super().__init__()
        self._name = "Legend"
        self.html = legend_html
        self.label_min_zoom = LABEL_MIN_ZOOM


def legend_html(event_types: Iterable[str]) -> str:
    rows = []
    for label, style in styles.legend_entries():
        dash = style.get("dashArray") or ""
        rows.append(
            f"<div><svg width='28' height='10'><line x1='0' y1='5' x2='28' y2='5' "
            f"stroke='{esc(style['color'])}' stroke-width='3' stroke-dasharray='{esc(dash)}'/>"
            f"</svg> {esc(label)}</div>"
        )
    for event_type in sorted(set(event_types)):
        rows.append(
            f"<div><span class='dot' style='background:{esc(styles.event_color(event_type))}'>"
            f"</span> {esc(event_type)}</div>"
        )
    return (
        "<style>.map-legend{background:rgba(255,255,255,.92);padding:6px 8px;font:12px/1.35 "
        "sans-serif;border-radius:4px;box-shadow:0 0 4px rgba(0,0,0,.3);max-width:230px}"
        ".map-legend .dot{display:inline-block;width:10px;height:10px;border-radius:50%;"
        "border:1px solid #222}.pp{font:12px/1.4 sans-serif}.pp ul.src{margin:2px 0 0 16px;"
        "padding:0}.leaflet-popup-content{max-height:300px;overflow-y:auto}</style>"
        "<b>Status on the chosen date</b>" + "".join(rows)
        + "<div style='margin-top:4px;color:#555'>Marker size: fatalities</div>"
    )


# ---------------------------------------------------------------------------------------------
# The incident layer

@dataclass(frozen=True)
class IncidentLayer:
    """The incidents of a window, ready to draw: one marker per event up to
    :data:`geo.analysis.aggregate.POINT_LIMIT`, grid cells per zoom level above it. The JSON is
    serialised once, so that a cached layer costs nothing to draw again."""

    count: int
    event_types: tuple[str, ...]
    aggregated: bool
    #: A FeatureCollection (points) or a list of levels (cells); None in a lean layer.
    data: Any = field(repr=False)

    @cached_property
    def json(self) -> str:
        return json_text(self.data)

    def lean(self) -> IncidentLayer:
        """The same layer holding only its JSON text: one string instead of tens of thousands
        of small objects (which the garbage collector would scan again and again) for caches."""
        out = IncidentLayer(self.count, self.event_types, self.aggregated, None)
        out.__dict__["json"] = self.json
        return out


def incident_layer(incidents: gpd.GeoDataFrame) -> IncidentLayer:
    """The layer that :func:`build_map` draws for ``incidents``."""
    types = tuple(str(t) for t in incidents["event_type"].unique()) if len(incidents) else ()
    if len(incidents) > POINT_LIMIT:
        return IncidentLayer(len(incidents), types, True, aggregate_payload(incidents))
    return IncidentLayer(len(incidents), types, False, incident_payload(incidents))


# ---------------------------------------------------------------------------------------------
# The map

@dataclass(frozen=True)
class MapSpec:
    """What to draw: the chosen view plus the map's initial position."""

    view: ViewState
    origin: tuple[float, float, int]
    controls: bool = True
    asset_base: str = COMPONENT_BASE
    incident_credits: tuple[str, ...] = (
        "Reports: see each item's sources", "GeoNames (CC BY 4.0)",
    )


def _offline_base(rows: Sequence[Mapping[str, Any]], show: bool) -> folium.FeatureGroup:
    base = folium.FeatureGroup(name=OFFLINE_LABEL, overlay=False, control=True, show=show)
    ref = [{**row, "status_on_date": "reference", "disputed_on_date": False} for row in rows
           if row["layer"] == "country" or str(row["id"]).startswith("gov_")]

    def build(ref: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
        payload = rows_payload(ref, tolerance=0.0003)
        for feat in payload["features"]:
            is_country = feat["id"].startswith("country_")
            feat["properties"]["style"] = {**styles.offline_base_style(is_country),
                                           "interactive": False}
        return payload

    payload, text = _layer_payload("offline", ref, 0.0003, build)
    base.add_child(GeoJsonLayer(payload, data_json=text))
    base.add_child(LayerAttribution(credits_for(row["attribution"] for row in ref)))
    return base


def build_map(
    features: gpd.GeoDataFrame, incidents: gpd.GeoDataFrame | IncidentLayer, spec: MapSpec
) -> folium.Map:
    """Build the folium map for a view. ``features`` come from :func:`geo.core.timeline.state_at`;
    ``incidents`` are those of the window, or their :func:`incident_layer` (which the app
    caches per date and window)."""
    view = spec.view
    layer = incidents if isinstance(incidents, IncidentLayer) else incident_layer(incidents)
    fmap = folium.Map(
        location=list(spec.origin[:2]), zoom_start=spec.origin[2], tiles=None,
        max_zoom=MAX_ZOOM, min_zoom=MIN_ZOOM, control_scale=True, prefer_canvas=False,
    )
    rows = features.to_dict("records")  # once: per-group frames cost more than the rows
    fmap.add_child(_offline_base(rows, view.basemap == OFFLINE))
    fmap.get_root().header.add_child(folium.Element(
        f"<style>.leaflet-container{{background:{styles.MAP_BACKGROUND}}}"
        ".leaflet-control-attribution{font-size:11px;line-height:1.3}"
        ".place-label{font:11px sans-serif;color:#222;white-space:nowrap;"
        "text-shadow:0 0 3px #fff,0 0 3px #fff}.hide-labels .place-label{display:none}</style>"
    ))
    for key, (name, url, attr) in TILES.items():
        folium.TileLayer(
            tiles=url, attr=attr, name=name, max_zoom=MAX_ZOOM,
            show=view.basemap == key, overlay=False, control=True,
        ).add_to(fmap)

    by_group: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_group.setdefault(group_of(row["layer"], row["id"]), []).append(row)
    for group in GROUP_ORDER:
        group_rows = by_group.get(group)
        if not group_rows:
            continue
        fg = folium.FeatureGroup(name=GROUP_LABELS[group], show=group in view.layers)
        tolerance = SIMPLIFY.get(group, 0.0)
        payload, text = _layer_payload(
            "group", group_rows, tolerance, lambda rows, t=tolerance: rows_payload(rows, t)
        )
        fg.add_child(GeoJsonLayer(payload, labels=group == "places", data_json=text))
        fg.add_child(LayerAttribution(credits_for(row["attribution"] for row in group_rows)))
        fmap.add_child(fg)

    event_types: Sequence[str] = []
    if layer.count:
        event_types = list(layer.event_types)
        fg = folium.FeatureGroup(name=GROUP_LABELS["incidents"], show="incidents" in view.layers)
        fg.add_child(LayerAttribution(spec.incident_credits))
        fmap.add_child(fg)
        if layer.aggregated:
            fg.add_child(ZoomLevelsLayer(layer.data or [], fmap.get_name(), layer.json))
        else:
            data = layer.data or _collection([])
            fg.add_child(GeoJsonLayer(data, data_json=layer.json))
            circles = folium.FeatureGroup(name="Incident location uncertainty", show=False)
            circles.add_child(GeoJsonLayer(data, circles=True, data_json=layer.json))
            circles.add_child(ShowAtZoom(fmap.get_name(), 11))
            fmap.add_child(circles)

    fmap.add_child(Legend(legend_html(event_types)))
    if spec.controls:
        folium.LayerControl(collapsed=True).add_to(fmap)
        plugins.Fullscreen(position="topleft").add_to(fmap)
        plugins.MeasureControl(
            position="topleft", primary_length_unit="kilometers", primary_area_unit="hectares"
        ).add_to(fmap)
        plugins.MousePosition(position="bottomright", separator=" | ", num_digits=5,
                              prefix="lat | lon:").add_to(fmap)
        if view.basemap != OFFLINE:
            _, url, attr = TILES[view.basemap]
            plugins.MiniMap(
                tile_layer=folium.TileLayer(tiles=url, attr=attr),
                position="bottomright", toggle_display=True,
            ).add_to(fmap)
    return localise(fmap, spec.asset_base)


def payload_size(fmap: folium.Map) -> int:
    """Bytes of the rendered map page (a proxy for what reaches the browser)."""
    return len(fmap.get_root().render().encode("utf-8"))


def feature_ids_in(fmap: folium.Map) -> list[str]:
    """Ids of every feature drawn on the map (for tests and checks)."""
    ids: list[str] = []
    for element in walk(fmap):
        if isinstance(element, GeoJsonLayer) and not element.circles:
            ids += [f["id"] for f in element.data["features"]]
    return ids


def to_json_text(payload: Mapping[str, Any]) -> str:
    return json.dumps(payload, ensure_ascii=False)
