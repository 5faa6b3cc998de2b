"""User annotations on the map: their own layer, styled by status like the built-in data, with
escaped popups (sources, basis, confidence, author, version), and the Draw control they are
drawn with.

The layer follows the as-of date: it shows the annotations that hold on it
(:meth:`geo.core.annotation.Annotation.holds_on`). Free text a user typed
(name, note, author, source titles) may be Arabic: it is escaped and set in ``dir="auto"``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

import folium
from folium import plugins
from jinja2 import Template
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from geo.core import styles
from geo.core.annotation import Annotation, AnnotationSource
from geo.core.model import safe_url
from geo.render.elements import GeoJsonLayer, LayerAttribution, ScriptElement
from geo.render.legend import Legend
from geo.render.payloads import feature_collection
from geo.render.popups import esc

#: The layer's name in the layer control.
ANNOTATIONS_LABEL: Final[str] = "Annotations (user)"
#: The layer's credit in the attribution control (each popup names the sources).
ANNOTATIONS_CREDIT: Final[str] = "User annotations: see each one's sources"
#: Marker radius (pixels) of an annotated point.
POINT_RADIUS: Final[int] = 7
#: The geometry being saved, drawn over the annotations.
DRAWING_STYLE: Final[dict[str, Any]] = {"color": "#000000", "weight": 3, "dashArray": "4 4",
                                        "fillOpacity": 0.05, "className": "annotation-drawing"}
#: The geometries a drawing may become, by GeoJSON type.
DRAWN_TYPES: Final[tuple[str, ...]] = ("Point", "LineString", "Polygon")
#: Leaflet.draw (served locally): a point, a line or a polygon (or rectangle); no circles, whose
#: GeoJSON would be a bare centre. Points are circle markers (no marker images needed).
DRAW_OPTIONS: Final[dict[str, Any]] = {
    "polyline": {"shapeOptions": {"color": "#000000", "weight": 3}},
    "polygon": {"allowIntersection": False, "showArea": False,
                "shapeOptions": {"color": "#000000", "weight": 2}},
    "rectangle": {"showArea": False, "shapeOptions": {"color": "#000000", "weight": 2}},
    "circlemarker": {"color": "#000000"},
    "circle": False, "marker": False,
}


def annotations_on(annotations: Iterable[Annotation], day: dt.date) -> list[Annotation]:
    """The annotations valid on ``day`` (:meth:`Annotation.holds_on`), in the order given."""
    return [a for a in annotations if a.holds_on(day)]


def status_label(status: str) -> str:
    return styles.STATUS_LABELS.get(status, status)


def _text(value: Any) -> str:
    """Typed text, escaped, in its own direction (Arabic or not)."""
    return f"<span dir='auto'>{esc(value)}</span>"


def sources_html(sources: Sequence[AnnotationSource]) -> str:
    """The sources as a list: the title linked when the URL is http(s), the document reference
    in brackets."""
    items = []
    for src in sources:
        url, ref = safe_url(src.url), esc(src.reference)
        title = _text(src.title)
        if url:
            title = (f'<a href="{esc(url)}" target="_blank" rel="noopener noreferrer">{title}'
                     "</a>")
        items.append(f"<li dir='auto'>{title}{f' ({ref})' if ref else ''}</li>")
    return f"<ul class='src'>{''.join(items)}</ul>" if items else "<i>no source</i>"


def dates_text(annotation: Annotation) -> str:
    end = "open" if annotation.valid_to is None else annotation.valid_to.isoformat()
    return f"{annotation.valid_from.isoformat()} – {end}"


def saved_text(annotation: Annotation) -> str:
    """Version, author and time of saving, as a line of text (not HTML)."""
    when = f" at {annotation.saved_at:%Y-%m-%d %H:%M} UTC" if annotation.saved_at else ""
    return f"version {annotation.version}, saved by {annotation.author}{when}"


def annotation_tooltip(annotation: Annotation) -> str:
    return (f"<b>{_text(annotation.name)}</b><br>{esc(status_label(annotation.status))}"
            " · user annotation")


def annotation_popup(annotation: Annotation) -> str:
    parts = [
        f"<b>{_text(annotation.name)}</b>",
        f"User annotation · status: <b>{esc(status_label(annotation.status))}</b>",
        f"Valid: {esc(dates_text(annotation))}",
        f"Basis: {esc(annotation.basis)} · confidence: {esc(annotation.confidence)}",
        f"<i>{_text(annotation.note)}</i>" if annotation.note else "",
        "Sources:" + sources_html(annotation.sources),
        f"<small>Version {esc(annotation.version)} · by {_text(annotation.author)}"
        + (f" · saved {esc(f'{annotation.saved_at:%Y-%m-%d %H:%M}')} UTC"
           if annotation.saved_at else "") + "</small>",
    ]
    return "<div class='pp'>" + "<br>".join(p for p in parts if p) + "</div>"


def annotation_style(annotation: Annotation) -> dict[str, Any]:
    """The status style of the built-in data (:func:`geo.core.styles.feature_style`)."""
    style = styles.feature_style("annotation", annotation.status)
    if annotation.geometry.geom_type == "Point":
        style["radius"] = POINT_RADIUS
    return {**style, "className": f"lyr-annotation st-{annotation.status}"}


def annotation_feature(annotation: Annotation) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": annotation.id,
        "properties": {"id": annotation.id, "version": annotation.version,
                       "tip": annotation_tooltip(annotation),
                       "pop": annotation_popup(annotation), "label": esc(annotation.name),
                       "style": annotation_style(annotation)},
        "geometry": mapping(annotation.geometry),
    }


def annotation_layer(annotations: Iterable[Annotation], day: dt.date,
                     show: bool = True) -> folium.FeatureGroup:
    """The layer of the annotations valid on ``day``."""
    group = folium.FeatureGroup(name=ANNOTATIONS_LABEL, show=show)
    features = [annotation_feature(a) for a in annotations_on(annotations, day)]
    # Users' own content, changed by every edit: sent in the map's script, never written to
    # the static folder every visitor can read (geo.render.live.externalise).
    group.add_child(GeoJsonLayer(feature_collection(features), by_url=False))
    group.add_child(LayerAttribution([ANNOTATIONS_CREDIT]))
    return group


def drawing_layer(geometry: BaseGeometry) -> folium.FeatureGroup:
    """The geometry the form will save (a new drawing or the opened annotation's), outlined in
    black; not in the layer control."""
    style = {**DRAWING_STYLE, "radius": POINT_RADIUS} if geometry.geom_type == "Point" else (
        DRAWING_STYLE)
    tip = "The geometry to save"
    feature = {"type": "Feature", "geometry": mapping(geometry),
               "properties": {"style": style, "tip": tip, "pop": tip}}
    group = folium.FeatureGroup(name=tip, show=True, control=False)
    group.add_child(GeoJsonLayer(feature_collection([feature])))
    return group


class DrawingMode(ScriptElement):
    """While a shape is being drawn, the features under it take no clicks (a click on one would
    open its popup instead of placing a point)."""

    _template = Template("""
        {% macro header(this, kwargs) %}
        <style>.drawing .leaflet-overlay-pane .leaflet-interactive{pointer-events:none
        !important}</style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }}, box = map.getContainer();
            map.on('draw:drawstart', function() {
                map.closePopup(); L.DomUtil.addClass(box, 'drawing'); });
            map.on('draw:drawstop', function() { L.DomUtil.removeClass(box, 'drawing'); });
        })();
        {% endmacro %}
    """)

    def __init__(self) -> None:
        super().__init__()
        self._name = "DrawingMode"


def add_draw(fmap: folium.Map) -> folium.Map:
    """The Draw control (a point, a line or a polygon), top left, where the status legend of
    the main map would cover its tools (the legend goes; the form names the statuses). Call
    before :func:`geo.render.assets.localise`, which points its assets at the local copies."""
    for name, child in list(fmap._children.items()):
        if isinstance(child, Legend):
            del fmap._children[name]
    plugins.Draw(position="topleft", draw_options=DRAW_OPTIONS,
                 edit_options={"edit": False, "remove": False},
                 show_geometry_on_click=False).add_to(fmap)
    fmap.add_child(DrawingMode())
    return fmap


def drawn_geometry(drawing: Mapping[str, Any] | None) -> BaseGeometry | None:
    """The geometry of a drawing as st_folium reports it (a GeoJSON feature), or None when
    there is none or it is not a point, line or polygon."""
    geometry = (drawing or {}).get("geometry") or {}
    if geometry.get("type") not in DRAWN_TYPES:
        return None
    return shape(geometry)
