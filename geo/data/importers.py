"""Import incident files uploaded by users: ACLED exports, UCDP GED and our own schema.

:func:`import_incidents` takes the raw bytes of an upload and its file name, recognises the
format, maps the columns to our incident schema (:data:`geo.core.model.INCIDENT_COLUMNS`) and
validates every row with :func:`geo.data.loaders.validate_incident_rows`. Rows that fail are kept in
``rejected`` with their reasons (and their row number in the file); nothing is dropped silently.

Recognised formats:

* ACLED export (CSV, 31 columns; ``event_date`` as ``2024-12-08`` or ``08 December 2024``);
* UCDP GED (CSV with a header, or an interim release without one: 49 columns by position);
* our incident schema as CSV, as a GeoJSON FeatureCollection of points, or as a GeoPackage.

A file that cannot be read as a whole (empty, binary, a ZIP, wrong delimiter or encoding, too
big, unknown columns) raises :class:`IncidentImportError` with a specific message. No other
exception escapes :func:`import_incidents`.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import math
import re
import tempfile
import warnings
import zipfile
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.core.model import (
    INCIDENT_COLUMNS,
    INCIDENT_EXTRA_COLUMNS,
    INCIDENT_REQUIRED,
    Rejected,
    is_http_url,
)
from geo.data.loaders import DatasetError, parse_feature_collection, validate_incident_rows

DEFAULT_MAX_BYTES: Final[int] = 50_000_000

FORMAT_ACLED: Final[str] = "ACLED export"
FORMAT_UCDP: Final[str] = "UCDP GED"
FORMAT_UCDP_NO_HEADER: Final[str] = "UCDP GED (no header row)"
FORMAT_CSV: Final[str] = "incident CSV (dashboard schema)"
FORMAT_GEOJSON: Final[str] = "incident GeoJSON (dashboard schema)"
FORMAT_GPKG: Final[str] = "incident GeoPackage (dashboard schema)"

#: The columns of an ACLED export (2023- "new" format), in order.
ACLED_COLUMNS: Final[tuple[str, ...]] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
)
#: Columns only ACLED has (used to tell an ACLED export from a file in our schema).
ACLED_MARKERS: Final[frozenset[str]] = frozenset(ACLED_COLUMNS) - frozenset(INCIDENT_COLUMNS)
ACLED_REQUIRED: Final[tuple[str, ...]] = (
    "event_id_cnty", "event_date", "event_type", "latitude", "longitude",
)

#: The columns of UCDP GED (global releases and candidate/interim releases), in file order.
#: Interim releases are sometimes published without a header row; they are read by position.
#: (Published GED headers put ``high`` before ``low``; only ``best`` is used here.)
UCDP_GED_COLUMNS: Final[tuple[str, ...]] = (
    "id", "relid", "year", "active_year", "code_status", "type_of_violence",
    "conflict_dset_id", "conflict_new_id", "conflict_name", "dyad_dset_id", "dyad_new_id",
    "dyad_name", "side_a_dset_id", "side_a_new_id", "side_a", "side_b_dset_id",
    "side_b_new_id", "side_b", "number_of_sources", "source_article", "source_office",
    "source_date", "source_headline", "source_original", "where_prec", "where_coordinates",
    "where_description", "adm_1", "adm_2", "latitude", "longitude", "geom_wkt",
    "priogrid_gid", "country", "country_id", "region", "event_clarity", "date_prec",
    "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown",
    "best", "high", "low", "gwnoa", "gwnob",
)
assert len(UCDP_GED_COLUMNS) == 49 and len(set(UCDP_GED_COLUMNS)) == 49
UCDP_REQUIRED: Final[tuple[str, ...]] = (
    "id", "date_start", "type_of_violence", "latitude", "longitude",
)
#: UCDP columns this importer reads; every other column is reported as ignored.
UCDP_USED: Final[tuple[str, ...]] = (
    "id", "type_of_violence", "side_a", "side_b", "source_article", "source_office",
    "source_headline", "where_prec", "where_coordinates", "adm_1", "adm_2", "latitude",
    "longitude", "date_prec", "date_start", "best",
)
UCDP_VIOLENCE: Final[dict[int, str]] = {
    1: "UCDP: state-based",
    2: "UCDP: non-state",
    3: "UCDP: one-sided",
}
#: UCDP date_prec (1 exact day … 5 year) to ACLED time_precision (1 day, 2 week, 3 month).
UCDP_DATE_PREC: Final[dict[int, str]] = {1: "1", 2: "2", 3: "2", 4: "3", 5: "3"}
#: UCDP where_prec (1 exact place … 7 country) to ACLED geo_precision (1 town, 2 near, 3 region).
UCDP_WHERE_PREC: Final[dict[int, str]] = {1: "1", 2: "2", 3: "2", 4: "3", 5: "3", 6: "3", 7: "3"}

#: Columns only UCDP GED has (used to recognise a GED file even when columns are missing).
_UCDP_MARKERS: Final[frozenset[str]] = frozenset(UCDP_GED_COLUMNS) - frozenset(
    {"id", "year", "latitude", "longitude", "country", "region"}
)
_OUR_COLUMNS: Final[frozenset[str]] = frozenset(INCIDENT_COLUMNS) | frozenset(
    INCIDENT_EXTRA_COLUMNS
)
_ISO_PREFIX = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})(?:[ T][0-9:.]*)?\s*$")
_ACLED_DATE_FORMATS: Final[tuple[str, ...]] = ("%d %B %Y", "%d %b %Y", "%d-%B-%Y", "%d-%b-%Y")
_DELIMITERS: Final[dict[str, str]] = {";": "semicolons", "\t": "tabs", "|": "pipes (|)"}


class IncidentImportError(ImportError, ValueError):
    """A whole upload could not be imported. The message says why, for the user."""


@dataclass
class ImportResult:
    """What an import gives: the clean incidents, every rejected row, and what was ignored."""

    format: str
    data: gpd.GeoDataFrame
    rejected: list[Rejected] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    rows_read: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def accepted(self) -> int:
        return len(self.data)

    @property
    def summary(self) -> str:
        """One paragraph for the user: format, rows accepted and rejected, columns ignored."""
        parts = [
            f"Read as {self.format}: {self.accepted:,} of {self.rows_read:,} row(s) accepted, "
            f"{len(self.rejected):,} rejected."
        ]
        if self.ignored_columns:
            shown = ", ".join(self.ignored_columns[:12])
            more = len(self.ignored_columns) - 12
            parts.append(
                f"{len(self.ignored_columns)} column(s) ignored: {shown}"
                + (f" and {more} more." if more > 0 else ".")
            )
        parts += self.notes
        return " ".join(parts)

    def rejected_rows(self) -> list[dict[str, str]]:
        return [r.as_row() for r in self.rejected]


# ---------------------------------------------------------------------------------------------
# Entry point


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
        return _import_gpkg(data, name)
    if suffix == ".gpkg":
        raise IncidentImportError(f"{name}: named .gpkg but is not a GeoPackage (SQLite) file.")
    _refuse_binary(data, name)
    text, note = _decode(data, name)
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        return _import_geojson(text, name, note)
    if suffix in (".geojson", ".json"):
        raise IncidentImportError(f"{name}: not a GeoJSON file (it does not start with '{{').")
    return _import_csv(text, name, note)


def _size(count: int) -> str:
    """A byte count for people: "50 MB", "1.2 MB", "900 KB", "120 bytes"."""
    if count >= 1_000_000:
        return f"{count / 1e6:.1f}".removesuffix(".0") + " MB"
    if count >= 1_000:
        return f"{count / 1e3:.0f} KB"
    return f"{count} bytes"


# ---------------------------------------------------------------------------------------------
# Bytes to text


def _refuse_binary(data: bytes, name: str) -> None:
    """Raise a specific error for archives, office files, PDFs and other binary content."""
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except (zipfile.BadZipFile, ValueError, OSError):
            names = []
        if any(n.startswith("xl/") for n in names):
            raise IncidentImportError(
                f"{name}: this is an Excel workbook (.xlsx). Save the sheet as "
                "'CSV UTF-8 (comma delimited)' and upload the CSV."
            )
        raise IncidentImportError(
            f"{name}: this is a ZIP archive. Unzip it and upload the CSV, GeoJSON or "
            "GeoPackage inside."
        )
    if data.startswith(b"\x1f\x8b"):
        raise IncidentImportError(f"{name}: this is gzip-compressed. Decompress it first.")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise IncidentImportError(
            f"{name}: this is an old Excel/Office file (.xls). Save it as CSV (UTF-8) first."
        )
    if data.startswith(b"%PDF"):
        raise IncidentImportError(f"{name}: this is a PDF, not a data file.")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return
    head = data[:65536]
    zeros = head.count(b"\x00")
    if zeros:
        if zeros >= len(head) // 3:
            raise IncidentImportError(
                f"{name}: looks like UTF-16 text without a byte-order mark. Save it as "
                "UTF-8 CSV (or UTF-16 with a BOM) and upload it again."
            )
        raise IncidentImportError(
            f"{name}: this is a binary file, not CSV, GeoJSON or GeoPackage."
        )


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _decode(data: bytes, name: str) -> tuple[str, str]:
    """Decode as UTF-8 (BOM or not), then UTF-16 (with a BOM), then Latin-1.

    Returns the text and a note for the user when the encoding was not UTF-8.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "Decoded as UTF-16."
        except UnicodeDecodeError:
            raise IncidentImportError(
                f"{name}: starts with a UTF-16 byte-order mark but is not valid UTF-16."
            ) from None
    try:
        return data.decode("utf-8-sig"), ""
    except UnicodeDecodeError:
        pass
    text = data.decode("latin-1")
    if len(_CONTROL.findall(text[:200_000])) > max(5, len(text[:200_000]) // 100):
        raise IncidentImportError(
            f"{name}: the text is not UTF-8, UTF-16 or Latin-1 (it may be binary or in another "
            "encoding). Save it as UTF-8 CSV."
        )
    return text, (
        "The file is not valid UTF-8 and was decoded as Latin-1: check accented and Arabic "
        "names, and save as UTF-8 next time."
    )


# ---------------------------------------------------------------------------------------------
# CSV


def _read_records(text: str, name: str) -> list[tuple[int, list[str]]]:
    """Every non-blank CSV record with its record number (the header is record 1)."""
    records: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    number = 0
    try:
        for fields in reader:
            number += 1
            if not fields or not any(f.strip() for f in fields):
                continue
            records.append((number, fields))
    except csv.Error as exc:
        if "field limit" in str(exc):
            raise IncidentImportError(
                f"{name}: record {number + 1} has a cell longer than "
                f"{csv.field_size_limit():,} characters; the file is probably not a CSV "
                "(or a quote is not closed)."
            ) from None
        raise IncidentImportError(
            f"{name}: not a readable CSV (record {number + 1}: {exc})."
        ) from None
    return records


def _check_delimiter(first: Sequence[str], name: str) -> None:
    if len(first) != 1:
        return
    counts = Counter({d: first[0].count(d) for d in _DELIMITERS})
    delimiter, count = counts.most_common(1)[0]
    if count:
        raise IncidentImportError(
            f"{name}: the columns are separated by {_DELIMITERS[delimiter]}, not commas. Save it "
            "as comma-separated CSV (UTF-8) and upload it again."
        )


def _looks_like_ged_row(fields: Sequence[str]) -> bool:
    """A data row of UCDP GED: numeric id and year, numeric latitude/longitude, a start date."""
    if len(fields) != len(UCDP_GED_COLUMNS):
        return False
    get = dict(zip(UCDP_GED_COLUMNS, fields, strict=True)).get
    return (
        _is_number(get("id"))
        and bool(re.fullmatch(r"\s*\d{4}\s*", get("year") or ""))
        and _is_number(get("latitude"))
        and _is_number(get("longitude"))
        and bool(_ISO_PREFIX.match(get("date_start") or ""))
    )


def _is_number(value: Any) -> bool:
    try:
        number = float(str(value))
    except (TypeError, ValueError):
        return False
    return not (math.isnan(number) or math.isinf(number))


def _header_key(value: str) -> str:
    return value.replace("\ufeff", "").strip().strip('"').strip().lower()


def _missing(columns: Iterable[str], required: Iterable[str]) -> list[str]:
    have = set(columns)
    return [c for c in required if c not in have]


def _import_csv(text: str, name: str, note: str) -> ImportResult:
    records = _read_records(text, name)
    if not records:
        raise IncidentImportError(f"{name}: the file is empty.")
    _, first = records[0]
    hint = first[0].replace("\ufeff", "").strip().lower() if len(first) <= 2 else ""
    if hint.startswith("sep=") and len(records) > 1:  # Excel's separator line: "sep=,"
        if hint == "sep=" and len(first) == 2 and not first[1].strip():
            records = records[1:]
            note = " ".join(n for n in (note, "Skipped Excel's 'sep=,' first line.") if n)
            _, first = records[0]
        else:
            _check_delimiter([hint.removeprefix("sep=")], name)
    _check_delimiter(first, name)
    header = [_header_key(f) for f in first]
    columns = set(header)

    if _looks_like_ged_row(first):
        return _finish_csv(FORMAT_UCDP_NO_HEADER, list(UCDP_GED_COLUMNS), records, name, note)
    if {"event_id_cnty", "event_date"} <= columns and len(columns & ACLED_MARKERS) >= 3:
        missing = _missing(columns, ACLED_REQUIRED)
        if missing:
            raise IncidentImportError(
                f"{name}: looks like an ACLED export but lacks the column(s) {', '.join(missing)}."
            )
        return _finish_csv(FORMAT_ACLED, header, records[1:], name, note)
    if len(columns & _UCDP_MARKERS) >= 8:
        missing = _missing(columns, UCDP_REQUIRED)
        if missing:
            raise IncidentImportError(
                f"{name}: looks like UCDP GED but lacks the column(s) {', '.join(missing)}."
            )
        return _finish_csv(FORMAT_UCDP, header, records[1:], name, note)
    if set(INCIDENT_REQUIRED) <= columns:
        return _finish_csv(FORMAT_CSV, header, records[1:], name, note)

    known = columns & (_OUR_COLUMNS | ACLED_MARKERS)
    if len(known) >= 3:
        missing = _missing(columns, INCIDENT_REQUIRED)
        raise IncidentImportError(
            f"{name}: the file lacks the required column(s) {', '.join(missing)}."
        )
    numeric_first = sum(_is_number(f) for f in first) >= 3
    if numeric_first and len(first) != len(UCDP_GED_COLUMNS):
        raise IncidentImportError(
            f"{name}: the first row is data, not a header, and has {len(first)} columns; a UCDP "
            f"GED file without a header must have {len(UCDP_GED_COLUMNS)}."
        )
    found = ", ".join(repr(c[:40]) for c in header[:8]) + (" …" if len(header) > 8 else "")
    raise IncidentImportError(
        f"{name}: unrecognised columns ({found}). Expected an ACLED export, a UCDP GED CSV (with "
        "or without its header) or the dashboard's incident schema (event_id_cnty, event_date, "
        "event_type, latitude, longitude, source or url, …)."
    )


def _finish_csv(
    fmt: str,
    header: list[str],
    records: list[tuple[int, list[str]]],
    name: str,
    note: str,
) -> ImportResult:
    duplicates = sorted(c for c, n in Counter(header).items() if n > 1 and c)
    if duplicates:
        raise IncidentImportError(f"{name}: duplicate column name(s): {', '.join(duplicates)}.")
    if not records:
        raise IncidentImportError(f"{name}: the file has a header but no data rows.")
    width = len(header)
    rows: list[list[str]] = []
    labels: list[str] = []
    rejected_early: list[tuple[int, Rejected]] = []
    for number, fields in records:
        if len(fields) > width and not any(f.strip() for f in fields[width:]):
            fields = fields[:width]
        if len(fields) != width:
            rejected_early.append((number, Rejected(
                name, f"row {number}", (f"has {len(fields)} fields; expected {width}",)
            )))
            continue
        rows.append(fields)
        labels.append(f"row {number}")
    raw = pd.DataFrame(rows, columns=header, dtype=object) if rows else pd.DataFrame(
        columns=header, dtype=object
    )
    if fmt == FORMAT_ACLED:
        frame, pre, ignored = _map_acled(raw)
    elif fmt in (FORMAT_UCDP, FORMAT_UCDP_NO_HEADER):
        frame, pre, ignored = _map_ucdp(raw)
    else:
        frame, pre, ignored = raw, None, [c for c in header if c not in _OUR_COLUMNS]
    clean, rejected = validate_rows(frame, name, labels, pre)
    # Put the rows refused for their shape back in file order.
    if rejected_early:
        numbers = [_label_number(r.item) for r in rejected]
        merged = [(n, r) for n, r in zip(numbers, rejected, strict=True)] + rejected_early
        rejected = [r for _, r in sorted(merged, key=lambda pair: pair[0])]
    return ImportResult(fmt, clean, rejected, ignored, len(records), [n for n in [note] if n])


def _label_number(label: str) -> int:
    match = re.match(r"^\w+ (\d+)", label)
    return int(match.group(1)) if match else 0


# ---------------------------------------------------------------------------------------------
# Column mapping (vectorised)


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series([""] * len(frame), index=frame.index, dtype=object)
    return frame[column].fillna("").astype(str).str.strip()


def _map_acled(raw: pd.DataFrame) -> tuple[pd.DataFrame, None, list[str]]:
    out = pd.DataFrame(index=raw.index)
    for col in INCIDENT_COLUMNS:
        out[col] = _text(raw, col)
    out["event_date"] = normalise_acled_dates(out["event_date"])
    out["url"] = ""
    ignored = [c for c in raw.columns if c not in INCIDENT_COLUMNS]
    return out, None, ignored


def normalise_acled_dates(values: pd.Series) -> pd.Series:
    """ACLED dates to ISO: ``2024-12-08`` stays, ``08 December 2024`` becomes ``2024-12-08``.

    Values that match no format are kept as they are, so that validation names them.
    """
    text = values.fillna("").astype(str).str.strip()
    iso = text.str.extract(_ISO_PREFIX, expand=False)
    out = iso.where(iso.notna(), text)
    todo = iso.isna() & (text != "")
    for fmt in _ACLED_DATE_FORMATS:
        if not todo.any():
            break
        parsed = pd.to_datetime(text[todo], format=fmt, errors="coerce")
        ok = parsed.notna()
        if ok.any():
            out.loc[ok[ok].index] = parsed[ok].dt.strftime("%Y-%m-%d")
            todo.loc[ok[ok].index] = False
    return out.astype(object)


def _code_map(
    values: pd.Series, mapping: Mapping[int, str], column: str, allowed: str
) -> tuple[pd.Series, list[str | None]]:
    """Map integer codes; returns the mapped values and a reason (or None) per row."""
    numbers = pd.to_numeric(values, errors="coerce")
    whole = numbers.where(numbers.notna() & (numbers == numbers.round()))
    mapped = whole.map({float(code): label for code, label in mapping.items()})
    def reason(ok: bool, value: Any) -> str | None:
        if ok:
            return None
        text = str(value).strip()
        return f"missing {column}" if not text else f"{column} {text[:20]!r} is not {allowed}"

    reasons = [
        reason(ok, v) for ok, v in zip(mapped.notna().tolist(), values.tolist(), strict=True)
    ]
    return mapped.fillna("").astype(object), reasons


def _map_ucdp(raw: pd.DataFrame) -> tuple[pd.DataFrame, list[list[str]], list[str]]:
    text = {col: _text(raw, col) for col in UCDP_USED}
    out = pd.DataFrame(index=raw.index)
    ident = text["id"].str.replace(r"\.0+$", "", regex=True)
    out["event_id_cnty"] = ("UCDP-" + ident).where(ident != "", "")
    start = text["date_start"].str.extract(_ISO_PREFIX, expand=False)
    out["event_date"] = start.where(start.notna(), text["date_start"]).astype(object)
    time_precision, date_reasons = _code_map(text["date_prec"], UCDP_DATE_PREC, "date_prec", "1-5")
    out["time_precision"] = time_precision
    violence, violence_reasons = _code_map(
        text["type_of_violence"], UCDP_VIOLENCE, "type_of_violence", "1, 2 or 3"
    )
    out["event_type"] = violence.where(
        violence != "", "UCDP: type_of_violence " + text["type_of_violence"]
    )
    out["sub_event_type"] = ""
    out["actor1"] = text["side_a"]
    out["actor2"] = text["side_b"]
    out["admin1"] = text["adm_1"]
    out["admin2"] = text["adm_2"]
    out["admin3"] = ""
    out["location"] = text["where_coordinates"]
    out["latitude"] = text["latitude"]
    out["longitude"] = text["longitude"]
    geo_precision, where_reasons = _code_map(
        text["where_prec"], UCDP_WHERE_PREC, "where_prec", "1-7"
    )
    out["geo_precision"] = geo_precision
    out["source"] = text["source_office"].where(text["source_office"] != "", "UCDP GED")
    out["notes"] = text["source_headline"]
    out["fatalities"] = text["best"].str.replace(r"\.0+$", "", regex=True)
    article = text["source_article"]
    looks_like_url = article.str.match(r"^https?://\S+$")
    out["url"] = article.where(looks_like_url, "").map(lambda u: u if is_http_url(u) else "")
    pre = [
        [r for r in reasons if r]
        for reasons in zip(date_reasons, violence_reasons, where_reasons, strict=True)
    ]
    ignored = [c for c in raw.columns if c not in UCDP_USED]
    return out.astype(object), pre, ignored


# ---------------------------------------------------------------------------------------------
# GeoJSON and GeoPackage


def _cell(value: Any) -> str:
    """A property value as the text a CSV cell would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, (int, str)):
        return str(value)
    if isinstance(value, (np.integer, np.floating)):
        return _cell(value.item())
    if isinstance(value, pd.Timestamp):
        return "" if pd.isna(value) else value.strftime("%Y-%m-%d")
    if value is pd.NaT or value is pd.NA:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _point_reason(geom_type: str | None) -> str:
    return f"geometry is a {geom_type}, not a Point"


def _import_geojson(text: str, name: str, note: str) -> ImportResult:
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
        row = {str(k): _cell(v) for k, v in props.items()}
        geom = feature.get("geometry")
        if geom is None:
            if not (row.get("latitude") and row.get("longitude")):
                reasons.append("no geometry and no latitude/longitude")
        elif not isinstance(geom, dict) or geom.get("type") != "Point":
            kind = geom.get("type") if isinstance(geom, dict) else type(geom).__name__
            reasons.append(_point_reason(str(kind)))
        else:
            coords = geom.get("coordinates")
            if (
                isinstance(coords, list) and len(coords) >= 2
                and all(_is_number(c) and not isinstance(c, bool) for c in coords[:2])
            ):
                row["longitude"], row["latitude"] = _cell(float(coords[0])), _cell(float(coords[1]))
                with_z += len(coords) > 2
            else:
                reasons.append("point coordinates are not [longitude, latitude] numbers")
        rows.append(row)
        pre.append(reasons)
    frame = pd.DataFrame(rows, dtype=object).fillna("")
    notes = [n for n in [note, _z_note(with_z)] if n]
    return _finish_features(FORMAT_GEOJSON, frame, pre, name, notes)


def _z_note(count: int) -> str:
    if not count:
        return ""
    return (f"{count:,} point(s) have a third (height) coordinate; it was ignored and only "
            "longitude/latitude were kept.")


def _import_gpkg(data: bytes, name: str) -> ImportResult:
    import pyogrio  # local: only needed for this format

    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="incident-import-") as folder, \
            warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # GDAL notes on odd files; errors raise
        path = Path(folder) / "upload.gpkg"
        path.write_bytes(data)
        try:
            layers = pyogrio.list_layers(path)
        except Exception as exc:  # noqa: BLE001 - GDAL raises several kinds
            raise IncidentImportError(
                f"{name}: not a readable GeoPackage ({_gdal_reason(exc, path, name)})."
            ) from None
        if len(layers) == 0:
            raise IncidentImportError(f"{name}: the GeoPackage has no layers.")
        point_layers = [str(n) for n, g in layers if g and "point" in str(g).lower()]
        chosen = point_layers[0] if point_layers else str(layers[0][0])
        if len(layers) > 1:
            others = [str(n) for n, _ in layers if str(n) != chosen]
            notes.append(f"Read layer {chosen!r}; other layers ignored: {', '.join(others)}.")
        try:
            gdf = pyogrio.read_dataframe(path, layer=chosen)
        except Exception as exc:  # noqa: BLE001
            raise IncidentImportError(
                f"{name}: layer {chosen!r} could not be read ({_gdal_reason(exc, path, name)})."
            ) from None
    if len(gdf) == 0:
        raise IncidentImportError(f"{name}: layer {chosen!r} has no features.")
    pre: list[list[str]] = [[] for _ in range(len(gdf))]
    lon: list[str] = [""] * len(gdf)
    lat: list[str] = [""] * len(gdf)
    if isinstance(gdf, gpd.GeoDataFrame) and gdf.geometry.name in gdf:
        if gdf.crs is None:
            notes.append("The layer declares no CRS; coordinates were read as WGS84 lon/lat.")
        elif not gdf.crs.equals("EPSG:4326"):
            notes.append(f"Reprojected from {gdf.crs.to_string()} to WGS84 lon/lat.")
            gdf = gdf.to_crs("EPSG:4326")
        with_z = 0
        for i, geom in enumerate(gdf.geometry.to_numpy()):
            if geom is None or geom.is_empty:
                continue
            if geom.geom_type == "Point":
                lon[i], lat[i] = _cell(float(geom.x)), _cell(float(geom.y))
                with_z += bool(geom.has_z)
            else:
                pre[i].append(_point_reason(geom.geom_type))
        notes += [n for n in [_z_note(with_z)] if n]
        props = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    else:
        props = pd.DataFrame(gdf)
    frame = pd.DataFrame(index=props.index)
    for col in props.columns:
        series = props[col]
        if pd.api.types.is_datetime64_any_dtype(series):
            frame[str(col)] = series.dt.strftime("%Y-%m-%d").fillna("").astype(object)
        else:
            frame[str(col)] = series.astype(object).map(_cell)
    has_point = [bool(x) for x in lon]
    if "longitude" in frame:
        frame["longitude"] = [x or str(o) for x, o in zip(lon, frame["longitude"], strict=True)]
        frame["latitude"] = [y or str(o) for y, o in zip(lat, frame["latitude"], strict=True)]
    else:
        frame["longitude"], frame["latitude"] = lon, lat
    for i, ok in enumerate(has_point):
        if not ok and not pre[i] and not (frame.at[frame.index[i], "latitude"]):
            pre[i].append("no geometry and no latitude/longitude")
    return _finish_features(FORMAT_GPKG, frame.reset_index(drop=True), pre, name, notes)


def _gdal_reason(exc: Exception, path: Path, name: str) -> str:
    """GDAL's message without its SQL, the temporary path or repetitions, for the user."""
    text = str(exc).replace(str(path), name).strip()
    if "failed: " in text:  # "sqlite3_prepare_v2(SELECT …) failed: file is not a database; …"
        text = text.rsplit("failed: ", 1)[1]
    parts = list(dict.fromkeys(p.strip() for p in text.split(";") if p.strip()))
    reason = "; ".join(parts)[:160] or type(exc).__name__
    if any(k in reason for k in ("not a database", "malformed", "disk image")):
        reason += ": the file is damaged or incomplete"
    return reason


def _finish_features(
    fmt: str, frame: pd.DataFrame, pre: list[list[str]], name: str, notes: list[str]
) -> ImportResult:
    # latitude/longitude may come from the geometry: the properties must name the incident.
    if not set(frame.columns) & (set(INCIDENT_REQUIRED) - {"latitude", "longitude"}):
        shown = [c for c in frame.columns if c not in ("latitude", "longitude")]
        found = ", ".join(repr(str(c)[:40]) for c in shown[:8])
        raise IncidentImportError(
            f"{name}: the features have none of the incident properties (event_id_cnty, "
            f"event_date, event_type, …); found {found or 'no properties'}."
        )
    ignored = [str(c) for c in frame.columns if c not in _OUR_COLUMNS]
    labels = [f"feature {i + 1}" for i in range(len(frame))]
    clean, rejected = validate_rows(frame, name, labels, pre)
    return ImportResult(fmt, clean, rejected, ignored, len(frame), notes)


# ---------------------------------------------------------------------------------------------
# Validation with file row numbers and mapping problems


_GEOMETRY_PROBLEMS: Final[tuple[str, ...]] = ("geometry is", "point coordinates", "no geometry")
_COORDINATES_MISSING: Final[frozenset[str]] = frozenset({"missing latitude", "missing longitude"})


def validate_rows(
    frame: pd.DataFrame,
    dataset: str,
    labels: Sequence[str],
    pre_reasons: Sequence[Sequence[str]] | None = None,
) -> tuple[gpd.GeoDataFrame, list[Rejected]]:
    """Validate mapped rows with :func:`geo.data.loaders.validate_incident_rows`.

    ``labels`` name each row as the user knows it ("row 12", "feature 3"); ``pre_reasons``
    are problems found while mapping (e.g. an unknown UCDP code), which reject the row too.
    Returns the clean incidents and every rejected row, in file order.
    """
    frame = frame.reset_index(drop=True).copy()
    for col in frame.columns:
        frame[col] = frame[col].astype(object)
    idents = [
        str(v or "").strip() if not (isinstance(v, float) and math.isnan(v)) else ""
        for v in (frame["event_id_cnty"] if "event_id_cnty" in frame else [""] * len(frame))
    ]
    empty_rows = (
        frame.fillna("").astype(str).apply(lambda col: col.str.strip() == "").all(axis=1).tolist()
        if len(frame.columns) else [True] * len(frame)
    )
    result = validate_incident_rows(frame, dataset)
    clean: gpd.GeoDataFrame = result.data
    clean_ids = {str(v).strip() for v in clean["event_id_cnty"]}
    seen: set[str] = set()
    kept: list[bool] = []
    for ident in idents:
        kept.append(bool(ident) and ident not in seen and ident in clean_ids)
        seen.add(ident)
    if kept.count(False) != len(result.rejected):  # cannot happen; keep the loader's labels
        return clean, list(result.rejected)
    pre = pre_reasons or [()] * len(idents)
    loader_rejected = iter(result.rejected)
    rejected: list[Rejected] = []
    keep_clean: list[bool] = []
    for pos, is_kept in enumerate(kept):
        label = f"{labels[pos]} ({idents[pos][:60] or 'no id'})"
        extra = tuple(pre[pos])
        if is_kept:
            keep_clean.append(not extra)
            if extra:
                rejected.append(Rejected(dataset, label, extra))
        else:
            reasons = next(loader_rejected).reasons
            # A row with nothing in it (e.g. not a Feature): its mapping problem says it all.
            if any(r.startswith(_GEOMETRY_PROBLEMS) for r in extra):
                reasons = tuple(r for r in reasons if r not in _COORDINATES_MISSING)
            combined = extra if extra and empty_rows[pos] else extra + tuple(reasons)
            rejected.append(Rejected(dataset, label, combined))
    if not all(keep_clean):
        clean = clean[np.asarray(keep_clean, dtype=bool)].reset_index(drop=True)
    return clean, rejected
