"""GeoJSON payloads of the map layers, and their JSON text.

Two process-wide memos (behind one lock: Streamlit runs sessions in threads) let a date change
reuse what it can: simplified geometries per feature, and whole feature layers whose rows did
not change.
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any, Final

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import mapping

from geo.core import styles
from geo.core.crs import METRIC_CRS, WGS84
from geo.core.model import is_blank
from geo.render.popups import (
    POPUP_BREAK,
    feature_popup,
    feature_tooltip,
    incident_details,
    incident_tooltip,
)

#: Lone surrogates: not text in UTF-8, so written as escapes in JSON text.
_SURROGATE: Final[re.Pattern[str]] = re.compile("[\ud800-\udfff]")


def json_text(data: Any) -> str:
    """Data as compact JSON that is safe inside a <script>: ``<`` written as ``\\u003c`` (no
    ``</script>``, ``<!--`` or ``<script`` can then appear, the only ways out of a script's
    text, whose ``&``, ``>`` and quotes are not markup), the line and paragraph separators
    (line ends to older JavaScript) and lone surrogates escaped too; other text in UTF-8 as it
    is (Jinja's ``tojson`` spends six bytes on every ``<>&'`` and non-ASCII character, a
    quarter of the incidents' escaped HTML)."""
    text = (json.dumps(data, separators=(",", ":"), ensure_ascii=False)
            .replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
    if _SURROGATE.search(text) is None:
        return text
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def feature_collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}


#: Simplified geometries as GeoJSON, per (feature id, tolerance): the geometry they were made
#: from and its mapping. A feature's geometry does not change with the date, only its status,
#: so a date change reuses them (checked: same object, or exactly equal coordinates).
_SIMPLIFIED: OrderedDict[tuple[str, float, tuple[str, ...]], tuple[Any, dict[str, Any]]] = (
    OrderedDict()
)
_SIMPLIFIED_MAX: Final[int] = 4096
#: Guards the two memos of this module (Streamlit runs sessions in threads).
_MEMO_LOCK = threading.Lock()
#: Polygons simplified together, as one coverage, so that neighbours keep one shared edge
#: (no gap, no overlap): features whose id starts with one of a family's prefixes.
COVERAGES: Final[tuple[tuple[str, ...], ...]] = (
    ("aos_", "aol_"), ("gov_",), ("district_",), ("country_",),
)
#: Decimal places of the coordinates sent: 1e-6 degree is about 0.1 m, a fifth of a pixel at
#: the highest zoom; shared vertices round alike, so shared edges stay shared.
DECIMALS: Final[int] = 6
#: Metres per screen pixel at zoom 0 at the latitude of the Golan (33° N).
_M_PER_PX_Z0: Final[float] = 156_543.03 * math.cos(math.radians(33.0))
_TO_METRIC = Transformer.from_crs(WGS84, METRIC_CRS, always_xy=True)
_TO_WGS84 = Transformer.from_crs(METRIC_CRS, WGS84, always_xy=True)


def tolerance_m(zoom: float, pixels: float) -> float:
    """Metres that ``pixels`` screen pixels cover at ``zoom``: the simplification a layer
    drawn from that zoom can take unseen."""
    return pixels * _M_PER_PX_Z0 / 2 ** zoom


def _projected(geoms: Sequence[Any], transformer: Transformer) -> np.ndarray:
    def move(xy: np.ndarray) -> np.ndarray:
        return np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))

    return np.asarray(shapely.transform(np.asarray(geoms, dtype=object), move))


def _same_geometries(cached: Sequence[Any], given: Sequence[Any]) -> bool:
    return len(cached) == len(given) and all(
        a is b or a.equals_exact(b, 0.0) for a, b in zip(cached, given, strict=True)
    )


def _family(feature_id: str) -> int | None:
    return next((k for k, prefixes in enumerate(COVERAGES)
                 if feature_id.startswith(prefixes)), None)


def simplified(features: Sequence[tuple[str, Any]], tolerance: float) -> list[Any]:
    """The geometries of ``(id, geometry)`` pairs simplified by ``tolerance`` metres in
    :data:`METRIC_CRS` (0: as they are), with coordinates rounded to :data:`DECIMALS`.
    Polygons of one of :data:`COVERAGES` are simplified together
    (``shapely.coverage_simplify``); other lines and polygons alone, keeping their topology."""
    geoms = [g for _, g in features]
    out = list(geoms)
    if tolerance > 0:
        polygonal = [g is not None and g.geom_type in ("Polygon", "MultiPolygon") for g in geoms]
        groups: dict[int | None, list[int]] = {}
        for index, (fid, geom) in enumerate(features):
            if geom is not None and geom.geom_type not in ("Point", "MultiPoint"):
                groups.setdefault(_family(fid) if polygonal[index] else None, []).append(index)
        for family, members in groups.items():
            metric = _projected([geoms[i] for i in members], _TO_METRIC)
            if family is None:
                done = shapely.simplify(metric, tolerance, preserve_topology=True)
            else:
                # Visvalingam-Whyatt: at twice the tolerance it keeps about as many vertices
                # as Douglas-Peucker at the tolerance.
                done = shapely.coverage_simplify(metric, 2 * tolerance)
            for i, geom in zip(members, _projected(list(done), _TO_WGS84), strict=True):
                out[i] = geom
    return [None if g is None else shapely.transform(g, lambda xy: np.round(xy, DECIMALS))
            for g in out]


def _geometry_json(key: tuple[str, float, tuple[str, ...]], geom: Any,
                   made: Callable[[], Any]) -> dict[str, Any]:
    """The GeoJSON of ``made()`` (``geom`` simplified), memoised per id, tolerance and the
    coverage it was simplified with."""
    with _MEMO_LOCK:
        hit = _SIMPLIFIED.get(key)
        if hit is not None and _same_geometries([hit[0]], [geom]):
            _SIMPLIFIED.move_to_end(key)
            return hit[1]
    out = mapping(made())
    with _MEMO_LOCK:
        _SIMPLIFIED[key] = (geom, out)
        if len(_SIMPLIFIED) > _SIMPLIFIED_MAX:
            _SIMPLIFIED.popitem(last=False)
    return out


def geometries_json(rows: Sequence[Mapping[str, Any]], tolerance: float) -> list[dict[str, Any]]:
    """The GeoJSON geometries of rows simplified as :func:`simplified` does (memoised: a date
    change reuses them)."""
    pairs = [(str(row["id"]), row["geometry"]) for row in rows]
    made: list[Any] = []

    def nth(index: int) -> Any:
        if not made:
            made.extend(simplified(pairs, tolerance))
        return made[index]

    families: dict[int | None, tuple[str, ...]] = {}
    for fid, _ in pairs:
        families[_family(fid)] = (*families.get(_family(fid), ()), fid)
    return [_geometry_json((fid, tolerance, families[family] if family is not None else ()),
                           geom, partial(nth, i))
            for i, (fid, geom) in enumerate(pairs) for family in [_family(fid)]]


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


def rows_payload(rows: Sequence[Mapping[str, Any]], tolerance: float = 0.0) -> dict[str, Any]:
    """A FeatureCollection of layer features given as rows (``to_dict("records")`` of a frame
    from :func:`geo.core.timeline.state_at`), with tooltip, popup, label and style; features
    with a ``geo_precision`` (positions) also carry the radius of their uncertainty circle.
    Geometries are simplified by ``tolerance`` metres (:func:`simplified`)."""
    out = []
    for row, geometry in zip(rows, geometries_json(rows, tolerance), strict=True):
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
            "geometry": geometry,
        })
    return feature_collection(out)


#: What every incident marker's style shares; the fill colour (per event type) and the radius
#: (per fatality bucket) come from :mod:`geo.core.styles`.
INCIDENT_MARKER: Final[dict[str, Any]] = {
    "color": "#222222", "weight": 1, "fillOpacity": 0.85, "className": "incident",
}


def incident_style(event_type: str, fatalities: Any) -> dict[str, Any]:
    """The style of an incident's marker."""
    return {"radius": styles.incident_radius(fatalities),
            "fillColor": styles.event_color(event_type), **INCIDENT_MARKER}


def shared_lines(texts: Sequence[str]) -> tuple[list[str], list[list[int | str]]]:
    """Escaped HTML texts as lists of their lines (split at ``<br>``, which joins them again
    exactly), a line that recurs in them given as its index in a table of such lines, sent
    once: an incident's district, basis, actors, place or fatalities recur from one to the
    next. Returns the table and the lists."""
    split = [text.split(POPUP_BREAK) for text in texts]
    counts = Counter(line for lines in split for line in lines)
    index: dict[str, int] = {}
    for lines in split:
        for line in lines:
            if counts[line] > 1 and len(line) > 3 and line not in index:
                index[line] = len(index)
    return list(index), [[index.get(line, line) for line in lines] for lines in split]


def incident_payload(incidents: gpd.GeoDataFrame) -> dict[str, Any]:
    """A FeatureCollection of incident points. Their styles are sent once, in the collection's
    ``styles`` table (a handful: event types by fatality buckets), each feature naming its own
    by index (``s``). The tooltip (``tip``) and the popup's details below it (``more``) are
    lists of lines, some given by index in the collection's ``lines``
    (:func:`shared_lines`); the browser joins them, and the popup, as
    :func:`geo.render.popups.popup_html` does."""
    table: list[dict[str, Any]] = []
    known: dict[tuple[str, float], int] = {}
    out = []
    rows = incidents.to_dict("records")
    texts = [(incident_tooltip(row), incident_details(row)) for row in rows]
    lines, parts = shared_lines([text for pair in texts for text in pair])
    for number, row in enumerate(rows):
        style = incident_style(row["event_type"], row.get("fatalities"))
        key = (style["fillColor"], style["radius"])
        if key not in known:
            known[key] = len(table)
            table.append(style)
        out.append({
            "type": "Feature",
            "id": row["event_id_cnty"],
            "properties": {
                "tip": parts[2 * number],
                "more": parts[2 * number + 1],
                "s": known[key],
                "r_m": uncertainty_radius_m(row.get("geo_precision")),
            },
            "geometry": {"type": "Point",
                         "coordinates": [round(row["longitude"], 6), round(row["latitude"], 6)]},
        })
    return {**feature_collection(out), "styles": table, "lines": lines}
