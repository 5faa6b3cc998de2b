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

Each may come as the one data file of a ZIP archive (ACLED and UCDP bulk downloads), read
with limits on its uncompressed size and its compression ratio
(:mod:`geo.data.importers.archive`). CSV files are read in chunks, and ``progress`` is told how
far (:data:`Progress`).

A file that cannot be read as a whole (empty, binary, a refused archive, wrong delimiter or
encoding, too big, unknown columns) raises :class:`IncidentImportError` with a specific
message. No other exception escapes :func:`import_incidents`.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any, Final

from geo.data.importers.acled import ACLED_COLUMNS, FORMAT_ACLED, normalise_acled_dates
from geo.data.importers.archive import extract_single, is_zip
from geo.data.importers.csv_schema import FORMAT_CSV, import_csv
from geo.data.importers.geojson import FORMAT_GEOJSON, import_geojson
from geo.data.importers.gpkg import FORMAT_GPKG, import_gpkg
from geo.data.importers.result import ImportResult, IncidentImportError
from geo.data.importers.text import Progress, decode, refuse_binary
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
    "MAX_UPLOAD_MB",
    "IncidentImportError",
    "Progress",
    "display_name",
    "import_incidents",
    "normalise_acled_dates",
]

#: The largest upload, in MB (10^6 bytes): a full ACLED export for Syria (about 250k rows,
#: about 110 MB as CSV) fits as it is. The server's own limit (.streamlit/config.toml
#: maxUploadSize, in MiB) is set to this number; tests/test_config.py holds them together.
MAX_UPLOAD_MB: Final[int] = 250
#: The size limit of an upload, and of the data file inside a ZIP archive once uncompressed.
DEFAULT_MAX_BYTES: Final[int] = MAX_UPLOAD_MB * 1_000_000


def import_incidents(
    data: bytes, filename: str, max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Progress | None = None,
) -> ImportResult:
    """Recognise, map and validate an uploaded incident file (or the one data file of a ZIP
    archive); ``progress`` is told how far the reading of a CSV is.

    Raises :class:`IncidentImportError` (and nothing else) when the file cannot be used.
    """
    name = display_name(filename)
    try:
        return _import(data, name, max_bytes, progress)
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


def _import(data: Any, name: str, max_bytes: int, progress: Progress | None) -> ImportResult:
    if isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    if not isinstance(data, bytes):
        raise IncidentImportError(f"{name}: expected the bytes of a file.")
    if len(data) > max_bytes:
        size, limit = _size(len(data)), _size(max_bytes)
        if size == limit:  # "50 MB; the limit is 50 MB" would read as no excess
            size = f"{len(data):,} bytes"
        raise IncidentImportError(
            f"{name}: the file is {size}; the limit is {limit}. Split it or filter it to the "
            "region first."
        )
    if is_zip(data):
        member = extract_single(data, name, max_bytes)
        return _import_file(member.data, name, PurePath(member.name).suffix.lower(), progress,
                            member.note)
    return _import_file(data, name, PurePath(name).suffix.lower(), progress, "")


def _import_file(data: bytes, name: str, suffix: str, progress: Progress | None,
                 archive_note: str) -> ImportResult:
    """A data file by its content (and its suffix, when the content does not tell)."""
    if not data or data.isspace():  # (no stripped copy of a large file)
        raise IncidentImportError(f"{name}: the file is empty.")
    if data.startswith(b"SQLite format 3\x00"):
        return _noted(import_gpkg(data, name), archive_note)
    if suffix == ".gpkg":
        raise IncidentImportError(f"{name}: named .gpkg but is not a GeoPackage (SQLite) file.")
    refuse_binary(data, name)
    text, note = decode(data, name)
    note = " ".join(n for n in (archive_note, note) if n)
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        return import_geojson(text, name, note)
    if suffix in (".geojson", ".json"):
        raise IncidentImportError(f"{name}: not a GeoJSON file (it does not start with '{{').")
    return import_csv(text, name, note, progress)


def _noted(result: ImportResult, note: str) -> ImportResult:
    if note:
        result.notes.insert(0, note)
    return result


def _size(count: int) -> str:
    """A byte count for people: "50 MB", "1.2 MB", "900 KB", "120 bytes"."""
    if count >= 1_000_000:
        return f"{count / 1e6:.1f}".removesuffix(".0") + " MB"
    if count >= 1_000:
        return f"{count / 1e3:.0f} KB"
    return f"{count} bytes"
