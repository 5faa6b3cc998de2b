"""Checks of layer features beyond the core schema of :mod:`geo.core.model`: the optional
properties the map shows (an Arabic name's source field, a position's location precision,
a schematic area and its label, the source's own placement inside the Golan), drawn positions,
and positions that are reported but not placed (``data/positions_unlocated.geojson``).

Each check returns human-readable reasons, empty when the feature passes; the loaders in
:mod:`geo.data.loaders` keep every refused feature with them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from geo.core.model import as_number, check_feature_properties, is_blank, parse_date
from geo.core.vocabulary import FALL_OF_ASSAD

#: The layer kind of reported Israeli positions.
POSITION_LAYER: Final[str] = "position"
#: Codes of ``geo_precision`` (the same convention as incidents: geo.core.styles).
GEO_PRECISIONS: Final[tuple[int, ...]] = (1, 2, 3)


def _number(value: Any) -> float | None:
    """A JSON number (not text, not a boolean) as a float, else None."""
    return None if isinstance(value, (bool, str)) else as_number(value)


def check_feature_extras(props: Mapping[str, Any]) -> list[str]:
    """The optional properties of a layer feature that the map shows: an Arabic name names its
    source field, a position has a location precision (1-3) and is placed, a schematic area is
    a positive number with its label."""
    reasons: list[str] = []
    for lang in ("ar", "en", "he"):
        if not is_blank(props.get(f"name_{lang}")) and is_blank(props.get(f"name_{lang}_source")):
            reasons.append(f"name_{lang} without name_{lang}_source (the field it was taken from)")
    precision = props.get("geo_precision")
    if precision is not None and (isinstance(precision, bool)
                                  or precision not in GEO_PRECISIONS):
        reasons.append(f"geo_precision {precision!r} is not 1, 2 or 3")
    for key in ("located", "inside_golan_per_source"):
        if props.get(key) is not None and not isinstance(props.get(key), bool):
            reasons.append(f"{key} is not true or false: {props.get(key)!r}")
    area, label = props.get("area_km2"), props.get("area_label")
    if area is not None:
        number = _number(area)
        if number is None or number <= 0:
            reasons.append(f"area_km2 is not a positive number: {area!r}")
        if not isinstance(label, str) or is_blank(label):
            reasons.append("area_km2 without area_label (the figure as it may be printed)")
    cut = _number(props.get("cut_at_lon"))
    if props.get("cut_at_lon") is not None and (cut is None or not -180 <= cut <= 180):
        reasons.append(f"cut_at_lon is not a longitude: {props.get('cut_at_lon')!r}")
    return reasons


def position_reasons(props: Mapping[str, Any]) -> list[str]:
    """A drawn position is placed (``located`` not false) with a location precision."""
    if props.get("layer") != POSITION_LAYER:
        return []
    if props.get("located") is False:
        return ["an unlocated position (located false) belongs in positions_unlocated.geojson, "
                "not in a drawn layer"]
    if props.get("geo_precision") is None:
        return ["a position needs geo_precision (1, 2 or 3) for its uncertainty circle"]
    return []


def unlocated_reasons(feature: Mapping[str, Any], known: set[str]) -> list[str]:
    """Why a feature of positions_unlocated.geojson cannot be listed: it must be a valid
    position with a null geometry, ``located`` false, the area it is reported in (in words, and
    the id of a layer feature among ``known``), an id no drawn feature has, and a start on or
    after 8 Dec 2024."""
    props = feature["properties"]
    reasons = [*check_feature_properties(props), *check_feature_extras(props)]
    if feature.get("geometry") is not None:
        reasons.append("an unlocated position has a geometry; it must be null")
    if props.get("located") is not False:
        reasons.append("located must be false")
    if props.get("layer") != POSITION_LAYER:
        reasons.append(f"layer must be {POSITION_LAYER!r}")
    for key in ("location_area", "location_area_id"):
        if is_blank(props.get(key)) or not isinstance(props.get(key), str):
            reasons.append(f"missing {key}")
    area_id = props.get("location_area_id")
    if known and isinstance(area_id, str) and area_id and area_id not in known:
        reasons.append(f"location_area_id {area_id!r} is not a layer feature")
    if props.get("id") in known:
        reasons.append(f"id {props.get('id')!r} is also a drawn layer feature")
    start = parse_date(props.get("valid_from"))
    if start is not None and start < FALL_OF_ASSAD:
        reasons.append(f"valid_from {start} is before {FALL_OF_ASSAD}")
    return reasons
