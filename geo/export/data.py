"""Data files of a view (GeoJSON, GeoPackage, KML): the visible layer features, incidents and
user annotations as one table, each row with its provenance."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any, Final, Literal

import geopandas as gpd
import pandas as pd
import pyogrio

from geo.core.annotation import Annotation
from geo.core.crs import WGS84
from geo.core.dates import date_text, entry_precision, incident_precision
from geo.core.model import is_blank
from geo.export.kml import kml_description
from geo.export.snapshot import INCIDENT_CREDITS, Snapshot
from geo.render.annotations import ANNOTATIONS_CREDIT

#: Licence of the incident layer (data/SOURCES.md).
INCIDENT_LICENCE: Final[str] = "compilation CC BY 4.0; coordinates GeoNames CC BY 4.0"
DataFormat = Literal["geojson", "gpkg", "kml"]
#: The GDAL driver of each data format; a format's key is also its file extension (labels and
#: MIME types: geo.export.registry).
DRIVERS: Final[dict[str, str]] = {"geojson": "GeoJSON", "gpkg": "GPKG", "kml": "KML"}

#: GDAL's RFC 7946 writer: WGS84 lon/lat, no ``crs`` member, exterior rings counter-clockwise and
#: holes clockwise, 7 decimals (about 1 cm; the sources are far coarser).
GEOJSON_RFC7946: Final[dict[str, str]] = {"RFC7946": "YES", "COORDINATE_PRECISION": "7"}

EXPORT_COLUMNS: Final[tuple[str, ...]] = (
    "item_id", "item", "layer", "group", "name", "status", "status_on_date", "disputed_on_date",
    "status_note", "valid_from", "valid_to", "date_precision", "basis", "confidence",
    "sources", "attribution", "licence", "notes", "as_of", "event_type", "sub_event_type",
    "actor1", "actor2", "fatalities", "geo_precision", "location",
    # as the popups show them: the date no more precise than its source, the Arabic name and
    # its source field, the source's own placement, a schematic area's label, the district
    "date_text", "name_ar", "name_ar_source", "location_precision_reported", "area_label",
    "admin2", "admin2_reported",
    # a user annotation's saved version: its number, who saved it and when (UTC, ISO 8601)
    "version", "author", "saved_at",
)


def _text(value: Any) -> str:
    return "" if is_blank(value) or (not isinstance(value, str) and pd.isna(value)) \
        else str(value)


def _code(value: Any) -> str:
    """A precision code (1-3) as text, whatever number type holds it; blank stays blank."""
    text = _text(value)
    return text and str(int(float(text)))


def annotation_row(a: Annotation, as_of: str) -> dict[str, Any]:
    """A user annotation as a row of the export table (item and layer "annotation"); its
    sources as the built-in data's (title, url, document)."""
    sources = [{k: v for k, v in (("title", s.title), ("url", s.url), ("document", s.reference))
                if v} for s in a.sources]
    return {
        "item_id": a.id, "item": "annotation", "layer": "annotation", "group": "annotations",
        "name": a.name, "status": a.status, "status_on_date": a.status,
        "disputed_on_date": "false", "valid_from": a.valid_from.isoformat(),
        "valid_to": a.valid_to.isoformat() if a.valid_to else "", "date_precision": "day",
        "basis": a.basis, "confidence": a.confidence,
        "sources": json.dumps(sources, ensure_ascii=False), "attribution": ANNOTATIONS_CREDIT,
        "notes": a.note, "as_of": as_of, "date_text": date_text(a.valid_from),
        "version": str(a.version), "author": a.author,
        "saved_at": a.saved_at.isoformat() if a.saved_at else "",
    }


def export_frame(snap: Snapshot) -> gpd.GeoDataFrame:
    """Visible layer features, incidents and the user annotations that hold on the date as one
    table, each row with its provenance:
    sources (JSON text), basis, confidence, attribution, licence, valid_from/to and status on
    the date. Dates are ISO strings. The key is ``item_id`` (KML reserves ``id``)."""
    as_of = snap.view.date.isoformat()
    rows: list[dict[str, Any]] = []
    geoms: list[Any] = []
    for row in snap.shown_features.to_dict("records"):
        rows.append({
            "item_id": row["id"], "item": "feature", "layer": row["layer"], "group": row["group"],
            "name": _text(row["name"]), "status": row["status"],
            "status_on_date": row["status_on_date"],
            "disputed_on_date": "true" if row["disputed_on_date"] else "false",
            "status_note": _text(row.get("status_note")),
            "valid_from": _text(row["valid_from"]), "valid_to": _text(row.get("valid_to")),
            "date_precision": _text(row.get("date_precision")), "basis": row["basis"],
            "confidence": row["confidence"],
            "sources": json.dumps(row["sources"], ensure_ascii=False),
            "attribution": _text(row["attribution"]), "licence": _text(row["licence"]),
            "notes": _text(row.get("notes")), "as_of": as_of,
            "geo_precision": _code(row.get("geo_precision")),
            "date_text": date_text(row["valid_from"], entry_precision(row)),
            "name_ar": _text(row.get("name_ar")),
            "name_ar_source": _text(row.get("name_ar_source")),
            "location_precision_reported": _text(row.get("location_precision_reported")),
            "area_label": _text(row.get("area_label")),
        })
        geoms.append(row["geometry"])
    for row in snap.shown_incidents.to_dict("records"):
        source: dict[str, Any] = {
            k: _text(row.get(c)) for k, c in (("publisher", "source"), ("title", "source_title"),
                                              ("date", "source_date"), ("url", "url"))}
        if _text(row.get("source_via_republisher")).lower() == "true":
            source["via_republisher"] = True
        rows.append({
            "item_id": row["event_id_cnty"], "item": "incident", "layer": "incident",
            "group": "incidents", "name": f"{row['event_type']}: {_text(row.get('location'))}",
            "status": "reported", "status_on_date": "reported", "disputed_on_date": "false",
            "valid_from": row["event_date"], "valid_to": row["event_date"],
            "date_precision": {1: "day", 2: "day", 3: "month"}.get(
                int(row.get("time_precision") or 1), "day"),
            "basis": _text(row.get("basis")) or "reported",
            "confidence": _text(row.get("confidence")),
            "sources": json.dumps([{k: v for k, v in source.items() if v}], ensure_ascii=False),
            "attribution": "; ".join(INCIDENT_CREDITS), "licence": INCIDENT_LICENCE,
            "notes": _text(row.get("notes")), "as_of": as_of,
            "event_type": _text(row.get("event_type")),
            "sub_event_type": _text(row.get("sub_event_type")),
            "actor1": _text(row.get("actor1")), "actor2": _text(row.get("actor2")),
            "fatalities": _text(row.get("fatalities")),
            "geo_precision": _code(row.get("geo_precision")),
            "location": _text(row.get("location")),
            "date_text": date_text(row["event_date"],
                                   incident_precision(row.get("time_precision"))),
            "name_ar": _text(row.get("place_ar")),
            "name_ar_source": _text(row.get("place_ar_source")),
            "admin2": _text(row.get("admin2")),
            "admin2_reported": _text(row.get("admin2_reported")),
        })
        geoms.append(row["geometry"])
    for annotation in snap.shown_annotations:
        rows.append(annotation_row(annotation, as_of))
        geoms.append(annotation.geometry)
    blank = dict.fromkeys(EXPORT_COLUMNS, "")
    frame = pd.DataFrame([{**blank, **row} for row in rows], columns=list(EXPORT_COLUMNS),
                         dtype=str)
    return gpd.GeoDataFrame(frame, geometry=geoms, crs=WGS84)


def write_table(frame: gpd.GeoDataFrame, fmt: DataFormat) -> bytes:
    """A WGS84 table written as GeoJSON (RFC 7946), GeoPackage or KML (via pyogrio); the KML's
    placemarks get the description of :func:`geo.export.kml.kml_description`."""
    if fmt not in DRIVERS:
        raise ValueError(f"unknown data format {fmt!r}")
    options: dict[str, Any] = {}
    if fmt == "kml":
        frame = frame.assign(description=[kml_description(row)
                                          for row in frame.to_dict("records")])
        options = {"dataset_options": {"NameField": "name", "DescriptionField": "description"}}
    elif fmt == "geojson":  # RFC 7946; ``sources`` stays JSON text, as in the other formats
        options = {"layer_options": {**GEOJSON_RFC7946, "AUTODETECT_JSON_STRINGS": "NO"}}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"frontier.{fmt}"
        pyogrio.write_dataframe(frame, path, driver=DRIVERS[fmt], layer="frontier",
                                geometry_type="Unknown", **options)
        return path.read_bytes()


def export_data(snap: Snapshot, fmt: DataFormat) -> bytes:
    """The export table of the view written as GeoJSON, GeoPackage or KML."""
    return write_table(export_frame(snap), fmt)
