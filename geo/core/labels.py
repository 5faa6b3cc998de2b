"""Map labels, defined once for the live map and the static exports.

:func:`map_labels` turns the features of a date (rows of :func:`geo.core.timeline.state_at`)
into the labels of a view: text in the chosen language, position, priority, kind and the zoom
from which each is shown. :func:`declutter` is the collision rule that both the live map (its
script in :mod:`geo.render.labels` follows the same rule) and the exports apply: greedy by
priority, a label whose box overlaps one already shown is hidden.

Text comes from the data: a place's or country's name in the chosen language (``name_ar``,
``name_he``) where its source carries one, else its English name (``name_en``, else ``name``);
the summit's height is its ``elevation_m``. The 1974 terms ("Line A", the band distances) are
the agreement's own English terms and are shown as such in every language.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from shapely.geometry import LineString, box
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel, unary_union

from geo.core.model import is_blank
from geo.core.vocabulary import DEFAULT_LANG, GROUP_LABELS, LANGUAGES, RTL_LANGUAGES, group_of

#: (west, south, east, north) in degrees.
Bounds = tuple[float, float, float, float]
#: A label's box on screen or paper: (x0, y0, x1, y1).
Box = tuple[float, float, float, float]

#: The agreement's terms for its lines and zone (English in every language, except the zone,
#: whose OSM name is used where the chosen language has one).
TERMS: Final[dict[str, str]] = {
    "alpha_line": "Line A",
    "bravo_line": "Line B (inferred)",
    "area_of_separation": "Area of Separation (UNDOF)",
}
#: The symbol drawn at the summit's point.
SUMMIT_SYMBOL: Final[str] = "▲"
#: Layer kinds whose ``name_<lang>`` fields name the feature itself (Line A's OSM ways carry
#: the border's name, not the line's, so lines keep their term).
NAMED_KINDS: Final[frozenset[str]] = frozenset({"place", "country", "golan",
                                                "area_of_separation"})
#: kind -> (priority, min zoom) of the labels that are not places. Higher priority wins.
KIND_RANK: Final[dict[str, tuple[float, int]]] = {
    "summit": (1000.0, 8),
    "line": (950.0, 8),
    "zone": (940.0, 8),
    "country": (900.0, 6),
    "band": (600.0, 9),
}
#: Places by GeoNames population: (at least, min zoom); an administrative seat (GeoNames
#: feature code PPLA*, PPLC) shows from zoom 10 whatever its population.
PLACE_ZOOMS: Final[tuple[tuple[int, int], ...]] = (
    (500_000, 7), (30_000, 9), (10_000, 10), (2_000, 11), (0, 12),
)
SEAT_ZOOM: Final[int] = 10
#: Places shown from this zoom or lower (the cities: Damascus, Irbid) stay at the map's edge
#: with an arrow when they are out of view, so that the map always says where they lie.
EDGE_ZOOM: Final[int] = 7
#: Part of the view kept clear at each edge when a line or area label is placed.
EDGE: Final[float] = 0.12


@dataclass(frozen=True)
class MapLabel:
    """One label: ``text`` is in ``lang`` (the chosen language, or English where the data has
    no name in it); ``text_en`` is the English text. ``priority``: higher is placed first.
    ``kind``: place, country, line, zone, band or summit (drawn with ``symbol`` at the point)."""

    id: str
    group: str
    kind: str
    text: str
    text_en: str
    lang: str
    lon: float
    lat: float
    priority: float
    min_zoom: int
    symbol: str = ""
    #: Kept at the map's edge, with an arrow towards it, when its point is out of view.
    edge: bool = False

    @property
    def rtl(self) -> bool:
        return self.lang in RTL_LANGUAGES


def language(key: str | None) -> str:
    """A known language key, else the default (English)."""
    return key if key in LANGUAGES else DEFAULT_LANG


def english_name(row: Mapping[str, Any]) -> str:
    """The English name of a feature: ``name_en`` where its source has one, else ``name``."""
    return str(row["name"] if is_blank(row.get("name_en")) else row["name_en"])


def local_name(row: Mapping[str, Any], lang: str) -> tuple[str, str] | None:
    """(text, language) of a feature's name in ``lang`` when the data carries it."""
    if lang == DEFAULT_LANG:
        return None
    value = row.get(f"name_{lang}")
    return None if is_blank(value) else (str(value), lang)


def place_rank(row: Mapping[str, Any]) -> tuple[float, int]:
    """(priority, min zoom) of a place from its population and feature code."""
    population: Any = row.get("population")
    people = 0 if is_blank(population) else max(int(population), 0)
    zoom = next(z for least, z in PLACE_ZOOMS if people >= least)
    code = str(row.get("feature_code") or "")
    if code.startswith(("PPLA", "PPLC")):
        zoom = min(zoom, SEAT_ZOOM)
    return 100.0 + 100.0 * math.log10(people + 1) + (50.0 if zoom <= SEAT_ZOOM else 0.0), zoom


def _inner(bounds: Bounds) -> BaseGeometry:
    west, south, east, north = bounds
    dx, dy = (east - west) * EDGE, (north - south) * EDGE
    return box(west + dx, south + dy, east - dx, north - dy)


def _area_point(geom: BaseGeometry, bounds: Bounds) -> tuple[float, float]:
    """The point of an area furthest inside its part in view (the whole area if none)."""
    part = geom.intersection(_inner(bounds))
    area = part if not part.is_empty and part.area > 0 else geom
    if area.geom_type == "MultiPolygon":
        area = max(area.geoms, key=lambda g: g.area)
    if area.geom_type != "Polygon":
        point = area.representative_point()
        return point.x, point.y
    point = polylabel(area, tolerance=1e-4)
    return point.x, point.y


def _line_point(geom: BaseGeometry, bounds: Bounds, at: float) -> tuple[float, float]:
    """The point at fraction ``at`` from the north end along the part of a line in view (the
    whole line if none of it is)."""
    part = geom.intersection(_inner(bounds))
    line = part if not part.is_empty and part.length > 0 else geom
    if line.geom_type == "MultiLineString":
        line = max(line.geoms, key=lambda g: g.length)
    coords = list(line.coords)
    from_north = coords[0][1] >= coords[-1][1]
    point = line.interpolate(at if from_north else 1.0 - at, normalized=True)
    return point.x, point.y


def _across_point(geom: BaseGeometry, bounds: Bounds, at: float) -> tuple[float, float]:
    """The middle of the widest crossing of a long, narrow area at fraction ``at`` from the
    north of its part in view (away from the places in its widest part)."""
    part = geom.intersection(_inner(bounds))
    area = part if not part.is_empty and part.area > 0 else geom
    west, south, east, north = area.bounds
    lat = north - at * (north - south)
    cut = area.intersection(LineString([(west - 1, lat), (east + 1, lat)]))
    if cut.is_empty:
        return _area_point(geom, bounds)
    pieces = list(getattr(cut, "geoms", [cut]))
    middle = max(pieces, key=lambda g: g.length).interpolate(0.5, normalized=True)
    return middle.x, middle.y


#: Where across the Area of Separation (from the north of its part in view) its label goes.
ZONE_AT: Final[float] = 0.55
#: Where along its line (from the north end) each line kind is labelled: apart, so that the
#: labels of Line A and Line B, which run 2-10 km apart, do not collide.
LINE_AT: Final[dict[str, float]] = {"alpha_line": 0.25, "bravo_line": 0.75,
                                    "limitation_line": 0.5}


def _label(row: Mapping[str, Any], lang: str, bounds: Bounds,
           golan: BaseGeometry) -> MapLabel | None:
    kind, geom = str(row["layer"]), row["geometry"]
    group = group_of(kind, str(row["id"]))
    english = english_name(row)
    symbol = ""
    if kind == "place":
        (lon, lat), (priority, zoom) = (geom.x, geom.y), place_rank(row)
        role = "place"
    elif kind == "country" or (kind == "golan" and not is_blank(row.get("name_en"))):
        # The label of a country stays off the disputed Golan (placed in the rest of it).
        lon, lat = _area_point(geom.difference(golan) if kind == "country" else geom,
                               bounds)
        role = "country" if kind == "country" else "zone"
        priority, zoom = KIND_RANK[role]
        group = "places" if kind == "country" else group
    elif kind == "area_of_separation":
        english, role = TERMS[kind], "zone"
        (lon, lat), (priority, zoom) = _across_point(geom, bounds, ZONE_AT), KIND_RANK[role]
    elif kind in ("alpha_line", "bravo_line"):
        english, role = TERMS[kind], "line"
        lon, lat = _line_point(geom, bounds, LINE_AT[kind])
        priority, zoom = KIND_RANK[role]
        priority += 10.0 if kind == "alpha_line" else 0.0
    elif kind in ("area_of_limitation", "limitation_line") and not is_blank(row.get("limit_km")):
        english, role = f"{float(row['limit_km']):g} km", "band"
        lon, lat = (_line_point(geom, bounds, LINE_AT[kind]) if kind == "limitation_line"
                    else _area_point(geom, bounds))
        priority, zoom = KIND_RANK[role]
    elif kind == "hermon" and not is_blank(row.get("elevation_m")):
        english = f"{GROUP_LABELS['hermon']} {float(row['elevation_m']):,.0f} m"
        role, symbol = "summit", SUMMIT_SYMBOL
        (lon, lat), (priority, zoom) = (geom.x, geom.y), KIND_RANK["summit"]
    else:
        return None
    local = local_name(row, lang) if kind in NAMED_KINDS else None
    text, shown = local or (english, DEFAULT_LANG)
    return MapLabel(str(row["id"]), group, role, text, english, shown, round(lon, 5),
                    round(lat, 5), round(priority, 1), zoom, symbol,
                    edge=role == "place" and zoom <= EDGE_ZOOM)


def map_labels(rows: Iterable[Mapping[str, Any]], lang: str, bounds: Bounds,
               groups: Collection[str] | None = None) -> list[MapLabel]:
    """The labels of a view, highest priority first.

    ``rows``: layer features (``state_at(...).to_dict("records")`` or any mappings with
    ``id``, ``layer``, ``name``, ``geometry`` and the optional ``name_en``, ``name_ar``,
    ``name_he``, ``population``, ``feature_code``, ``limit_km``, ``elevation_m``).
    ``lang``: "en", "ar" or "he" (others fall back to English). ``bounds``: the view
    (west, south, east, north), where line and area labels are placed (on the line, inside
    the area, in the part in view). ``groups``: the layer groups shown (None: all); country
    labels go with the "places" group. Every label is returned with its ``min_zoom``: use
    :func:`visible_at` for a zoom and :func:`declutter` for the collision rule."""
    lang = language(lang)
    rows = list(rows)
    golan = unary_union([r["geometry"] for r in rows if r["layer"] == "golan"])
    out = []
    for row in rows:
        label = _label(row, lang, bounds, golan)
        if label is not None and (groups is None or label.group in groups):
            out.append(label)
    return sorted(out, key=lambda lb: (-lb.priority, lb.id))


def visible_at(labels: Iterable[MapLabel], zoom: float) -> list[MapLabel]:
    """The labels shown from ``zoom`` on (priority order kept)."""
    return [lb for lb in labels if zoom >= lb.min_zoom]


def overlaps(a: Box, b: Box, gap: float = 0.0) -> bool:
    return a[0] < b[2] + gap and b[0] < a[2] + gap and a[1] < b[3] + gap and b[1] < a[3] + gap


def declutter(labels: Sequence[MapLabel], box_of: Callable[[MapLabel], Box],
              gap: float = 2.0) -> list[MapLabel]:
    """The labels kept by the collision rule: in priority order, each label whose box (from
    ``box_of``, in screen or paper units) comes within ``gap`` of a kept one is dropped."""
    kept: list[tuple[MapLabel, Box]] = []
    for label in sorted(labels, key=lambda lb: -lb.priority):
        rect = box_of(label)
        if not any(overlaps(rect, other, gap) for _, other in kept):
            kept.append((label, rect))
    return [label for label, _ in kept]


def view_bounds(lat: float, lon: float, zoom: float, width_px: int = 1200,
                height_px: int = 800) -> Bounds:
    """The bounds of a web-mercator view of ``width_px`` × ``height_px`` centred on
    (lat, lon) at ``zoom`` (256 px tiles)."""
    scale = 256 * 2**zoom

    def to_px(la: float, lo: float) -> tuple[float, float]:
        s = math.sin(math.radians(la))
        return (lo + 180) / 360 * scale, (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * scale

    def to_deg(x: float, y: float) -> tuple[float, float]:
        n = math.pi - 2 * math.pi * y / scale
        return math.degrees(math.atan(math.sinh(n))), x / scale * 360 - 180

    x, y = to_px(lat, lon)
    north, west = to_deg(x - width_px / 2, y - height_px / 2)
    south, east = to_deg(x + width_px / 2, y + height_px / 2)
    return west, south, east, north
