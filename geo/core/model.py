"""Data model: the vocabularies, the schemas and the per-item validators.

Everything shown by the dashboard is one of three kinds of item:

* a **layer feature** (a geometry with what it is, when it held, how sure we are, where it comes
  from);
* an **incident** (ACLED-compatible columns, plus the report's URL);
* a **timeline entry** (a dated event of the negotiation track).

The validators here (features, timeline entries, sources) work on plain dicts and return a list
of human-readable reasons (empty when the item is valid). Loaders in :mod:`geo.data.loaders` call
them and keep every rejected item with its reasons, so that nothing is dropped silently.
Incidents come in tables of up to millions of rows: their rules, on the schema and constants
defined here, are applied column by column in :func:`geo.data.incidents.incident_reasons`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final
from urllib.parse import urlparse

LAYER_KINDS: Final[tuple[str, ...]] = (
    "area_of_separation",
    "alpha_line",
    "bravo_line",
    "ceasefire_line_ne",
    "undof_limit_ne",
    "area_of_limitation",
    "limitation_line",
    "golan",
    "country",
    "hermon",
    "position",
    "proposal_no_fly",
    "proposal_buffer_zone",
    "proposal_point",
    "demand_area",
    "demand_line",
    "admin",
    "place",
)
STATUSES: Final[tuple[str, ...]] = (
    "in_force",
    "collapsed",
    "reported",
    "proposed",
    "demanded",
    "reference",
)
BASES: Final[tuple[str, ...]] = ("mapped", "derived", "schematic", "reported")
CONFIDENCES: Final[tuple[str, ...]] = ("high", "medium", "low")
DATE_PRECISIONS: Final[tuple[str, ...]] = ("day", "month", "year")
TIMELINE_KINDS: Final[tuple[str, ...]] = (
    "round_of_talks",
    "statement",
    "proposal",
    "military_development",
    "agreement",
    "meeting",
)

#: Columns of the incident schema (ACLED-compatible, plus provenance columns of our own).
INCIDENT_COLUMNS: Final[tuple[str, ...]] = (
    "event_id_cnty",
    "event_date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
    "url",
)
#: Optional provenance columns that our own incident files carry.
INCIDENT_EXTRA_COLUMNS: Final[tuple[str, ...]] = (
    "source_title",
    "source_date",
    "basis",
    "confidence",
    "confidence_note",
    # admin2 is derived from the point; the compiler's value is kept apart
    "admin2_pcode",
    "admin2_reported",
    # the place's Arabic name and the source field it was taken from
    "place_ar",
    "place_ar_source",
    # "true" when the cited page is a republisher's copy (data/SOURCES.md)
    "source_via_republisher",
    # a reported Syrian-side event that its source places inside the Golan (geo.data.audit)
    "inside_golan_per_source",
    "inside_golan_note",
)
INCIDENT_REQUIRED: Final[tuple[str, ...]] = (
    "event_id_cnty",
    "event_date",
    "event_type",
    "latitude",
    "longitude",
)

#: Longest text a cell may hold (a longer one is almost always a broken file or a paste accident).
MAX_CELL_CHARS: Final[int] = 100_000
#: More reported fatalities than this in one event is a typo (and overflows the integer column).
MAX_FATALITIES: Final[int] = 100_000

#: Region the dashboard covers (lon/lat box of the staged geodata, with a margin).
REGION_BOUNDS: Final[tuple[float, float, float, float]] = (34.0, 31.0, 38.5, 35.0)

FEATURE_REQUIRED: Final[tuple[str, ...]] = (
    "id",
    "layer",
    "name",
    "status",
    "valid_from",
    "basis",
    "confidence",
    "sources",
    "attribution",
    "licence",
)


@dataclass(frozen=True)
class Rejected:
    """One item a loader refused, and why; ``row`` is its number in the file when it is a row
    or feature of one (the number ``item`` names)."""

    dataset: str
    item: str
    reasons: tuple[str, ...]
    row: int | None = None

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)

    def as_row(self) -> dict[str, str]:
        return {"dataset": self.dataset, "item": self.item, "reason": self.reason}


@dataclass
class LoadResult:
    """What a validating loader returns: the clean data plus every rejected item."""

    data: Any
    rejected: list[Rejected] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.rejected


class DatasetError(ValueError):
    """A whole file could not be read (not one bad item: those are rejected, not raised)."""


# ---------------------------------------------------------------------------------------------
# Scalar checks


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(value: Any) -> dt.date | None:
    """Parse an ISO date (YYYY-MM-DD). Returns None for anything else."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    # fromisoformat also reads "20241208" and "2024-W50-1"; dates are compared as ISO strings
    # elsewhere, so only the YYYY-MM-DD form is accepted.
    if not isinstance(value, str) or not _ISO_DAY.match(value.strip()):
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        return None


_PARTIAL_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2]))?$")


def is_partial_or_full_date(value: Any) -> bool:
    """True for YYYY, YYYY-MM or a valid YYYY-MM-DD (source dates are often month-level)."""
    return isinstance(value, str) and (
        bool(_PARTIAL_DATE.match(value.strip())) or parse_date(value) is not None
    )


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def is_http_url(value: Any) -> bool:
    """True for an absolute http(s) URL with a host. Anything else is refused as a link."""
    if not isinstance(value, str):
        return False
    try:
        parsed = urlparse(value.strip())
    except ValueError:
        return False
    return parsed.scheme in ("http", "https") and bool(parsed.netloc)


def safe_url(value: Any) -> str | None:
    """The URL if it may be used as a link (http or https), else None."""
    return value.strip() if is_http_url(value) else None


def check_sources(sources: Any) -> list[str]:
    """A source list needs at least one entry with a title and a URL or document reference."""
    if not isinstance(sources, list) or not sources:
        return ["no source: at least one source is required"]
    reasons: list[str] = []
    for i, src in enumerate(sources):
        if not isinstance(src, Mapping):
            reasons.append(f"source {i + 1} is not an object")
            continue
        if is_blank(src.get("title")) and is_blank(src.get("publisher")):
            reasons.append(f"source {i + 1} has no title or publisher")
        url, doc = src.get("url"), src.get("document")
        if is_blank(url) and is_blank(doc):
            reasons.append(f"source {i + 1} has neither a url nor a document reference")
        elif not is_blank(url) and not is_http_url(url):
            reasons.append(f"source {i + 1} url is not an http(s) URL: {str(url)[:80]!r}")
        if not is_blank(src.get("date")) and not is_partial_or_full_date(src.get("date")):
            reasons.append(f"source {i + 1} date is not YYYY[-MM[-DD]]: {src.get('date')!r}")
    return reasons


def _check_choice(props: Mapping[str, Any], key: str, allowed: Iterable[str]) -> list[str]:
    value = props.get(key)
    allowed = tuple(allowed)
    if value not in allowed:
        return [f"{key} {value!r} is not one of {', '.join(allowed)}"]
    return []


# ---------------------------------------------------------------------------------------------
# Items


def check_feature_properties(props: Mapping[str, Any]) -> list[str]:
    """Validate the properties of one layer feature (geometry is checked by the loader)."""
    reasons = [f"missing {key}" for key in FEATURE_REQUIRED if is_blank_or_absent(props, key)]
    if reasons:
        return reasons
    reasons += _check_choice(props, "layer", LAYER_KINDS)
    reasons += _check_choice(props, "status", STATUSES)
    reasons += _check_choice(props, "basis", BASES)
    reasons += _check_choice(props, "confidence", CONFIDENCES)
    if props.get("date_precision") not in (None, *DATE_PRECISIONS):
        reasons.append(f"date_precision {props.get('date_precision')!r} is not valid")
    start = parse_date(props.get("valid_from"))
    if start is None:
        reasons.append(f"valid_from is not YYYY-MM-DD: {props.get('valid_from')!r}")
    end_raw = props.get("valid_to")
    end = None
    if not is_blank(end_raw):
        end = parse_date(end_raw)
        if end is None:
            reasons.append(f"valid_to is not YYYY-MM-DD: {end_raw!r}")
        elif start is not None and end < start:
            reasons.append(f"valid_to {end} is before valid_from {start}")
    reasons += check_sources(props.get("sources"))
    reasons += _check_status_changes(props.get("status_changes"), start, end)
    return reasons


def is_blank_or_absent(props: Mapping[str, Any], key: str) -> bool:
    return key not in props or (key != "sources" and is_blank(props[key]))


def _check_status_changes(changes: Any, start: dt.date | None, end: dt.date | None) -> list[str]:
    if changes is None:
        return []
    if not isinstance(changes, list):
        return ["status_changes is not a list"]
    reasons: list[str] = []
    previous: dt.date | None = None
    for i, change in enumerate(changes):
        if not isinstance(change, Mapping):
            reasons.append(f"status change {i + 1} is not an object")
            continue
        when = parse_date(change.get("date"))
        if when is None:
            reasons.append(f"status change {i + 1} date is not YYYY-MM-DD")
            continue
        if change.get("status") not in STATUSES:
            reasons.append(f"status change {i + 1} status {change.get('status')!r} is not valid")
        if start is not None and when < start:
            reasons.append(f"status change {i + 1} ({when}) is before valid_from")
        if end is not None and when > end:
            reasons.append(f"status change {i + 1} ({when}) is after valid_to")
        if previous is not None and when < previous:
            reasons.append("status changes are not in date order")
        previous = when
    return reasons


def check_timeline_entry(entry: Mapping[str, Any]) -> list[str]:
    """Validate one timeline entry (references are resolved by the loader)."""
    reasons = [
        f"missing {key}"
        for key in ("id", "date", "date_precision", "kind", "title", "summary")
        if is_blank(entry.get(key))
    ]
    if reasons:
        return reasons
    if parse_date(entry.get("date")) is None:
        reasons.append(f"date is not YYYY-MM-DD: {entry.get('date')!r}")
    reasons += _check_choice(entry, "date_precision", DATE_PRECISIONS)
    reasons += _check_choice(entry, "kind", TIMELINE_KINDS)
    reasons += check_sources(entry.get("sources"))
    changes = entry.get("changes", [])
    if not isinstance(changes, list) or not all(isinstance(c, str) for c in changes):
        reasons.append("changes is not a list of feature ids")
    view = entry.get("view")
    if view is not None:
        try:
            lat, lon, zoom = float(view["lat"]), float(view["lon"]), int(view["zoom"])
        except (KeyError, TypeError, ValueError):
            reasons.append("view needs numeric lat, lon and zoom")
        else:
            if not (-90 <= lat <= 90 and -180 <= lon <= 180 and 0 <= zoom <= 19):
                reasons.append("view lat/lon/zoom out of range")
    return reasons


#: A number as text: sign, digits, point, exponent. Python's float() also reads "1_000",
#: "nan" and "infinity"; those are refused here. (\d also matches Arabic-Indic digits, which
#: float() reads.)
_NUMBER = re.compile(r"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$")


def as_number(value: Any) -> float | None:
    """A finite number from a cell (text or number), else None. Validation and the typed
    columns both use it, so a value that passes validation always converts."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str) and not _NUMBER.match(value):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return None if math.isnan(number) or math.isinf(number) else number

