"""GeoJSON payloads of the map layers, and their JSON text.

Two process-wide memos (behind one lock: Streamlit runs sessions in threads) let a date change
reuse what it can: simplified geometries per feature, and whole feature layers whose rows did
not change.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Final

import geopandas as gpd
from jinja2.utils import htmlsafe_json_dumps
from shapely.geometry import mapping

from geo.core import styles
from geo.core.model import is_blank
from geo.render.popups import feature_popup, feature_tooltip, incident_popup, incident_tooltip


def json_text(data: Any) -> str:
    """Data as compact JSON that is safe inside a <script> (as Jinja's ``tojson`` filter)."""
    return str(htmlsafe_json_dumps(data, separators=(",", ":")))


def feature_collection(features: list[dict[str, Any]]) -> dict[str, Any]:
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
    "attribution", "licence", "name_ar_source", "geo_precision", "location_precision_reported",
    "area_label", "name_en", "name_he", "name_he_source", "limit_km",
)


def layer_payload(
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


def uncertainty_radius_m(geo_precision: Any) -> int:
    """Radius of the location-uncertainty circle of a point (metres) from its geo_precision,
    for incidents and positions alike (blank: the named place)."""
    return styles.PRECISION_RADIUS_M[1 if is_blank(geo_precision) else int(geo_precision)]


def rows_payload(rows: Iterable[Mapping[str, Any]], tolerance: float = 0.0) -> dict[str, Any]:
    """A FeatureCollection of layer features given as rows (``to_dict("records")`` of a frame
    from :func:`geo.core.timeline.state_at`), with tooltip, popup, label and style; features
    with a ``geo_precision`` (positions) also carry the radius of their uncertainty circle."""
    out = []
    for row in rows:
        extra = ({} if is_blank(row.get("geo_precision"))
                 else {"r_m": uncertainty_radius_m(row["geo_precision"])})
        out.append({
            "type": "Feature",
            "id": row["id"],
            "properties": {
                "id": row["id"],
                "tip": feature_tooltip(row),
                "pop": feature_popup(row),
                "style": {
                    **styles.feature_style(
                        row["layer"], row["status_on_date"], bool(row["disputed_on_date"]),
                        band_km=None if is_blank(row.get("limit_km")) else row["limit_km"],
                    ),
                    "className": f"lyr-{row['layer']} st-{row['status_on_date']}",
                },
                **extra,
            },
            "geometry": _geometry_json(str(row["id"]), row["geometry"], tolerance),
        })
    return feature_collection(out)


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
                "r_m": uncertainty_radius_m(row.get("geo_precision")),
            },
            "geometry": {"type": "Point",
                         "coordinates": [round(row["longitude"], 6), round(row["latitude"], 6)]},
        })
    return feature_collection(out)
