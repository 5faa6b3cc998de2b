"""GeoJSON uploads: a FeatureCollection of points with the incident properties."""

from __future__ import annotations

from typing import Final

import pandas as pd

from geo.core.model import DatasetError
from geo.data.importers.result import ImportResult, IncidentImportError
from geo.data.importers.rows import cell, finish_features, point_reason, z_note
from geo.data.importers.text import is_number
from geo.data.loaders import parse_feature_collection

FORMAT_GEOJSON: Final[str] = "incident GeoJSON (dashboard schema)"


def import_geojson(text: str, name: str, note: str) -> ImportResult:
    try:
        features = parse_feature_collection(text, name)
    except DatasetError as exc:
        raise IncidentImportError(str(exc)) from None
    if not features:
        raise IncidentImportError(f"{name}: the FeatureCollection has no features.")
    rows: list[dict[str, str]] = []
    pre: list[list[str]] = []
    with_z = 0
    for feature in features:
        reasons: list[str] = []
        row: dict[str, str] = {}
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            rows.append(row)
            pre.append(["not a GeoJSON Feature"])
            continue
        props = feature.get("properties")
        if props is None:
            props = {}
        if not isinstance(props, dict):
            reasons.append("properties is not an object")
            props = {}
        row = {str(k): cell(v) for k, v in props.items()}
        geom = feature.get("geometry")
        if geom is None:
            if not (row.get("latitude") and row.get("longitude")):
                reasons.append("no geometry and no latitude/longitude")
        elif not isinstance(geom, dict) or geom.get("type") != "Point":
            kind = geom.get("type") if isinstance(geom, dict) else type(geom).__name__
            reasons.append(point_reason(str(kind)))
        else:
            coords = geom.get("coordinates")
            if (
                isinstance(coords, list) and len(coords) >= 2
                and all(is_number(c) and not isinstance(c, bool) for c in coords[:2])
            ):
                row["longitude"], row["latitude"] = cell(float(coords[0])), cell(float(coords[1]))
                with_z += len(coords) > 2
            else:
                reasons.append("point coordinates are not [longitude, latitude] numbers")
        rows.append(row)
        pre.append(reasons)
    frame = pd.DataFrame(rows, dtype=object).fillna("")
    notes = [n for n in [note, z_note(with_z)] if n]
    return finish_features(FORMAT_GEOJSON, frame, pre, name, notes)
