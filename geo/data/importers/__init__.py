"""Import incident files uploaded by users: ACLED exports, UCDP GED and our own schema.

:func:`import_incidents` takes the raw bytes of an upload and its file name, recognises the
format, maps the columns to our incident schema (:data:`geo.core.model.INCIDENT_COLUMNS`) and
validates every row by the incident rules (:func:`geo.data.incidents.incident_reasons`). Rows
that fail are kept in ``rejected`` with their reasons and their row (or feature) number in the
file; nothing is dropped silently.

Recognised formats:

* ACLED export (CSV, 31 columns; ``event_date`` as ``2024-12-08`` or ``08 December 2024``);
* UCDP GED (CSV with a header, or an interim release without one: 49 columns by position);
* our incident schema as CSV, as a GeoJSON FeatureCollection of points, or as a GeoPackage.

A file that cannot be read as a whole (empty, binary, a ZIP, wrong delimiter or encoding, too
big, unknown columns) raises :class:`IncidentImportError` with a specific message. No other
exception escapes :func:`import_incidents`.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any, Final

from geo.data.importers.acled import ACLED_COLUMNS, FORMAT_ACLED, normalise_acled_dates
from geo.data.importers.csv_schema import FORMAT_CSV, import_csv
from geo.data.importers.geojson import FORMAT_GEOJSON, import_geojson
from geo.data.importers.gpkg import FORMAT_GPKG, import_gpkg
from geo.data.importers.result import ImportResult, IncidentImportError
from geo.data.importers.text import decode, refuse_binary
from geo.data.importers.ucdp import FORMAT_UCDP, FORMAT_UCDP_NO_HEADER, UCDP_GED_COLUMNS

__all__ = [
    "ACLED_COLUMNS",
    "DEFAULT_MAX_BYTES",
    "FORMAT_ACLED",
    "FORMAT_CSV",
    "FORMAT_GEOJSON",
    "FORMAT_GPKG",
    "FORMAT_UCDP",
    "FORMAT_UCDP_NO_HEADER",
    "UCDP_GED_COLUMNS",
    "ImportResult",
    "IncidentImportError",
    "display_name",
    "import_incidents",
    "normalise_acled_dates",
]

DEFAULT_MAX_BYTES: Final[int] = 50_000_000


def import_incidents(
    data: bytes, filename: str, max_bytes: int = DEFAULT_MAX_BYTES
) -> ImportResult:
    """Recognise, map and validate an uploaded incident file.

    Raises :class:`IncidentImportError` (and nothing else) when the file cannot be used.
    """
    name = display_name(filename)
    try:
        return _import(data, name, max_bytes)
    except IncidentImportError:
        raise
    except MemoryError:
        raise IncidentImportError(f"{name}: the file is too large to import here.") from None
    except Exception as exc:  # noqa: BLE001 - the contract: only IncidentImportError escapes
        detail = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
        raise IncidentImportError(
            f"{name}: could not be read ({type(exc).__name__}{': ' + detail if detail else ''})."
        ) from exc


def display_name(filename: Any) -> str:
    """The base name of an uploaded file, printable and short."""
    raw = PurePath(str(filename or "upload").replace("\\", "/")).name or "upload"
    clean = "".join(ch for ch in raw if ch.isprintable())
    return clean[:120] or "upload"


def _import(data: Any, name: str, max_bytes: int) -> ImportResult:
    if isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    if not isinstance(data, bytes):
        raise IncidentImportError(f"{name}: expected the bytes of a file.")
    if not data.strip():
        raise IncidentImportError(f"{name}: the file is empty.")
    if len(data) > max_bytes:
        size, limit = _size(len(data)), _size(max_bytes)
        if size == limit:  # "50 MB; the limit is 50 MB" would read as no excess
            size = f"{len(data):,} bytes"
        raise IncidentImportError(
            f"{name}: the file is {size}; the limit is {limit}. Split it or filter it to the "
            "region first."
        )
    suffix = PurePath(name).suffix.lower()
    if data.startswith(b"SQLite format 3\x00"):
        return import_gpkg(data, name)
    if suffix == ".gpkg":
        raise IncidentImportError(f"{name}: named .gpkg but is not a GeoPackage (SQLite) file.")
    refuse_binary(data, name)
    text, note = decode(data, name)
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        return import_geojson(text, name, note)
    if suffix in (".geojson", ".json"):
        raise IncidentImportError(f"{name}: not a GeoJSON file (it does not start with '{{').")
    return import_csv(text, name, note)


def _size(count: int) -> str:
    """A byte count for people: "50 MB", "1.2 MB", "900 KB", "120 bytes"."""
    if count >= 1_000_000:
        return f"{count / 1e6:.1f}".removesuffix(".0") + " MB"
    if count >= 1_000:
        return f"{count / 1e3:.0f} KB"
    return f"{count} bytes"
