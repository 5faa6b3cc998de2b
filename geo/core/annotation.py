"""User annotations: a drawn point, line or polygon with the same provenance as built-in data.

An annotation has a name, a status (reported, proposed, demanded or the user's own reading),
the dates it holds, at least one source (a title with an http(s) URL or a document reference),
a basis (``reported``, or ``schematic`` for a drawn reading), a confidence, a note and a free-text
author. Every save is a new *version* (the store numbers them; 0 means never saved), and earlier
versions stay readable. :func:`annotation_reasons` says why an annotation may not be saved
(an empty list when it may); stores call it before they write anything.

Records (:func:`to_record` / :func:`from_record`) are the flat form both stores keep: plain
strings, ISO dates and the sources as a JSON array.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Final

import shapely
from shapely.geometry.base import BaseGeometry

from geo.core.model import CONFIDENCES, REGION_BOUNDS, is_blank, is_http_url

ANNOTATION_STATUSES: Final[tuple[str, ...]] = ("reported", "proposed", "demanded", "own_reading")
ANNOTATION_BASES: Final[tuple[str, ...]] = ("reported", "schematic")
ANNOTATION_GEOMETRIES: Final[tuple[str, ...]] = ("Point", "LineString", "Polygon")
#: Safe names for stored things (dataset names, annotation ids): lower-case slugs, 1-64 chars.
NAME_PATTERN: Final[re.Pattern[str]] = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
MAX_TEXT: Final[int] = 5_000
MAX_NAME: Final[int] = 200
#: The fields of a stored record, in order (the geometry is kept apart, in WGS84).
RECORD_FIELDS: Final[tuple[str, ...]] = (
    "id", "version", "name", "status", "valid_from", "valid_to", "sources", "basis",
    "confidence", "note", "author", "saved_at",
)


@dataclass(frozen=True)
class AnnotationSource:
    """Where an annotation comes from: a title and an http(s) URL or a document reference."""

    title: str
    url: str | None = None
    reference: str | None = None


@dataclass(frozen=True)
class Annotation:
    id: str
    name: str
    status: str
    valid_from: dt.date
    valid_to: dt.date | None
    sources: tuple[AnnotationSource, ...]
    basis: str
    confidence: str
    note: str
    geometry: BaseGeometry
    author: str
    version: int = 0
    saved_at: dt.datetime | None = None

    def holds_on(self, day: dt.date) -> bool:
        """True if the annotation holds on ``day``: the rule of the built-in data
        (:func:`geo.core.timeline.state_at`), from valid_from until (not on) valid_to."""
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)

    def saved(self, version: int, at: dt.datetime) -> Annotation:
        """This annotation as stored: with its new version number and time of saving."""
        return replace(self, version=version, saved_at=at)


def new_annotation_id(name: str) -> str:
    """A fresh, safe id for a new annotation: a slug of its name and 8 random hex digits."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40].strip("-")
    suffix = uuid.uuid4().hex[:8]
    return f"{slug}-{suffix}" if slug else f"annotation-{suffix}"


def check_id(value: Any) -> list[str]:
    if isinstance(value, str) and NAME_PATTERN.match(value):
        return []
    return [f"{repr(value)[:70]} is not a valid id: use 1-64 lower-case letters, digits, "
            "'-' or '_', starting with a letter or digit"]


def _geometry_reasons(geom: Any) -> list[str]:
    if not isinstance(geom, BaseGeometry):
        return ["no geometry: draw a point, line or polygon"]
    if geom.geom_type not in ANNOTATION_GEOMETRIES:
        return [f"geometry must be a point, line or polygon, not a {geom.geom_type}"]
    if geom.is_empty:
        return ["the geometry is empty: draw a point, line or polygon"]
    if not shapely.is_valid(geom):
        why = shapely.is_valid_reason(geom)
        return [f"the geometry is not valid ({why}); redraw it without crossing edges"]
    west, south, east, north = REGION_BOUNDS
    x0, y0, x1, y1 = geom.bounds
    if x0 < west or x1 > east or y0 < south or y1 > north:
        return [f"the geometry lies outside the region the dashboard covers "
                f"(longitude {west}–{east}, latitude {south}–{north})"]
    if geom.geom_type == "LineString" and geom.length == 0:
        return ["the line has no length"]
    if geom.geom_type == "Polygon" and geom.area == 0:
        return ["the polygon has no area"]
    return []


def _source_reasons(sources: Any) -> list[str]:
    if not isinstance(sources, tuple) or not sources:
        return ["no source: at least one source (a title and a URL or document reference) "
                "is required"]
    reasons: list[str] = []
    for i, src in enumerate(sources, start=1):
        if not isinstance(src, AnnotationSource):
            reasons.append(f"source {i} is not a source")
            continue
        if is_blank(src.title):
            reasons.append(f"source {i} has no title")
        if is_blank(src.url) and is_blank(src.reference):
            reasons.append(f"source {i} has neither a URL nor a document reference")
        elif not is_blank(src.url) and not is_http_url(src.url):
            reasons.append(f"source {i} URL is not an http(s) URL: {str(src.url)[:80]!r}")
        if len(src.title or "") + len(src.url or "") + len(src.reference or "") > MAX_TEXT:
            reasons.append(f"source {i} is longer than {MAX_TEXT} characters")
    return reasons


def _choice(value: Any, allowed: tuple[str, ...], what: str) -> list[str]:
    if value in allowed:
        return []
    return [f"{what} must be one of {', '.join(allowed)}, not {str(value)[:40]!r}"]


def annotation_reasons(a: Annotation) -> list[str]:
    """Why ``a`` may not be saved; an empty list when it may."""
    reasons = check_id(a.id)
    if is_blank(a.name):
        reasons.append("the name is empty")
    elif len(a.name) > MAX_NAME:
        reasons.append(f"the name is longer than {MAX_NAME} characters")
    if is_blank(a.author):
        reasons.append("the author is empty: say who saves it (free text)")
    elif len(a.author) > MAX_NAME:
        reasons.append(f"the author is longer than {MAX_NAME} characters")
    reasons += _choice(a.status, ANNOTATION_STATUSES, "status")
    reasons += _choice(a.basis, ANNOTATION_BASES, "basis")
    reasons += _choice(a.confidence, CONFIDENCES, "confidence")
    if not isinstance(a.valid_from, dt.date) or isinstance(a.valid_from, dt.datetime):
        reasons.append("valid_from must be a date")
    elif a.valid_to is not None:
        if not isinstance(a.valid_to, dt.date) or isinstance(a.valid_to, dt.datetime):
            reasons.append("valid_to must be a date or empty")
        elif a.valid_to <= a.valid_from:
            reasons.append(f"dates in the wrong order: valid_to {a.valid_to} must be after "
                           f"valid_from {a.valid_from} (valid_to is the first day it no "
                           "longer holds)")
    if not isinstance(a.note, str) or len(a.note) > MAX_TEXT:
        reasons.append(f"the note must be text of at most {MAX_TEXT} characters")
    reasons += _source_reasons(a.sources)
    reasons += _geometry_reasons(a.geometry)
    return reasons


def sources_json(sources: tuple[AnnotationSource, ...]) -> str:
    return json.dumps(
        [{"title": s.title, "url": s.url, "reference": s.reference} for s in sources],
        ensure_ascii=False,
    )


def sources_from_json(text: str) -> tuple[AnnotationSource, ...]:
    return tuple(
        AnnotationSource(str(s["title"]), s.get("url"), s.get("reference"))
        for s in json.loads(text)
    )


def to_record(a: Annotation) -> dict[str, Any]:
    """The flat record a store keeps (without the geometry)."""
    return {
        "id": a.id, "version": a.version, "name": a.name, "status": a.status,
        "valid_from": a.valid_from.isoformat(),
        "valid_to": a.valid_to.isoformat() if a.valid_to else None,
        "sources": sources_json(a.sources), "basis": a.basis, "confidence": a.confidence,
        "note": a.note, "author": a.author,
        "saved_at": a.saved_at.isoformat() if a.saved_at else None,
    }


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _moment(value: Any) -> dt.datetime | None:
    if value is None or is_blank(value):
        return None
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def from_record(record: Mapping[str, Any], geometry: BaseGeometry) -> Annotation:
    """An annotation from a stored record (dates may be ISO strings or date objects)."""
    valid_to = record.get("valid_to")
    return Annotation(
        id=str(record["id"]), name=str(record["name"]), status=str(record["status"]),
        valid_from=_date(record["valid_from"]),
        valid_to=None if valid_to is None or is_blank(valid_to) else _date(valid_to),
        sources=sources_from_json(str(record["sources"])), basis=str(record["basis"]),
        confidence=str(record["confidence"]), note=str(record.get("note") or ""),
        geometry=geometry, author=str(record["author"]), version=int(record["version"]),
        saved_at=_moment(record.get("saved_at")),
    )
