"""CSV uploads: which schema a file follows (ACLED, UCDP GED or ours), and its rows."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Final

import pandas as pd

from geo.core.model import INCIDENT_REQUIRED, Rejected
from geo.data.importers.acled import ACLED_MARKERS, ACLED_REQUIRED, FORMAT_ACLED, map_acled
from geo.data.importers.result import ImportResult, IncidentImportError
from geo.data.importers.rows import OUR_COLUMNS, validate_rows
from geo.data.importers.text import Progress, check_delimiter, is_number, iter_records
from geo.data.importers.ucdp import (
    FORMAT_UCDP,
    FORMAT_UCDP_NO_HEADER,
    UCDP_GED_COLUMNS,
    UCDP_MARKERS,
    UCDP_REQUIRED,
    looks_like_ged_row,
    map_ucdp,
)

FORMAT_CSV: Final[str] = "incident CSV (dashboard schema)"
#: Records read, mapped and kept (in the incident columns only) at a time.
CHUNK_ROWS: Final[int] = 25_000


def _header_key(value: str) -> str:
    return value.replace("\ufeff", "").strip().strip('"').strip().lower()


def _missing(columns: Iterable[str], required: Iterable[str]) -> list[str]:
    have = set(columns)
    return [c for c in required if c not in have]


def _first_record(
    records: Iterator[tuple[int, list[str]]], name: str
) -> tuple[int, list[str]]:
    first = next(records, None)
    if first is None:
        raise IncidentImportError(f"{name}: the file is empty.")
    return first


def import_csv(text: str, name: str, note: str, progress: Progress | None = None) -> ImportResult:
    """Recognise the schema from the header (or the first row), then read the records lazily,
    in chunks of :data:`CHUNK_ROWS` (``progress`` is told how far the reading is)."""
    records = iter_records(text, name, progress)
    head = _first_record(records, name)
    first = head[1]
    hint = first[0].replace("\ufeff", "").strip().lower() if len(first) <= 2 else ""
    if hint.startswith("sep="):  # Excel's separator line: "sep=,"
        following = next(records, None)
        if following is not None:
            if hint == "sep=" and len(first) == 2 and not first[1].strip():
                note = " ".join(n for n in (note, "Skipped Excel's 'sep=,' first line.") if n)
                head = following
                first = head[1]
            else:
                check_delimiter([hint.removeprefix("sep=")], name)
                records = itertools.chain([following], records)
    check_delimiter(first, name)
    header = [_header_key(f) for f in first]
    columns = set(header)

    if looks_like_ged_row(first):
        return _finish_csv(FORMAT_UCDP_NO_HEADER, list(UCDP_GED_COLUMNS),
                           itertools.chain([head], records), name, note)
    if {"event_id_cnty", "event_date"} <= columns and len(columns & ACLED_MARKERS) >= 3:
        missing = _missing(columns, ACLED_REQUIRED)
        if missing:
            raise IncidentImportError(
                f"{name}: looks like an ACLED export but lacks the column(s) {', '.join(missing)}."
            )
        return _finish_csv(FORMAT_ACLED, header, records, name, note)
    if len(columns & UCDP_MARKERS) >= 8:
        missing = _missing(columns, UCDP_REQUIRED)
        if missing:
            raise IncidentImportError(
                f"{name}: looks like UCDP GED but lacks the column(s) {', '.join(missing)}."
            )
        return _finish_csv(FORMAT_UCDP, header, records, name, note)
    if set(INCIDENT_REQUIRED) <= columns:
        return _finish_csv(FORMAT_CSV, header, records, name, note)

    known = columns & (OUR_COLUMNS | ACLED_MARKERS)
    if len(known) >= 3:
        missing = _missing(columns, INCIDENT_REQUIRED)
        raise IncidentImportError(
            f"{name}: the file lacks the required column(s) {', '.join(missing)}."
        )
    numeric_first = sum(is_number(f) for f in first) >= 3
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


def _map(fmt: str, raw: pd.DataFrame) -> tuple[pd.DataFrame, list[list[str]] | None,
                                               list[str]]:
    """Rows of the file's columns in the incident schema, with the mapping problems of each row
    (None when the format has none) and the file's columns that are ignored."""
    if fmt == FORMAT_ACLED:
        return map_acled(raw)
    if fmt in (FORMAT_UCDP, FORMAT_UCDP_NO_HEADER):
        return map_ucdp(raw)
    kept = [c for c in raw.columns if c in OUR_COLUMNS]
    return raw[kept], None, [c for c in raw.columns if c not in OUR_COLUMNS]


def _finish_csv(
    fmt: str,
    header: list[str],
    records: Iterator[tuple[int, list[str]]],
    name: str,
    note: str,
) -> ImportResult:
    """Read the records in chunks: each chunk is mapped to the incident columns (so only those
    are kept), then all the rows are validated at once (duplicates are found across chunks)."""
    duplicates = sorted(c for c, n in Counter(header).items() if n > 1 and c)
    if duplicates:
        raise IncidentImportError(f"{name}: duplicate column name(s): {', '.join(duplicates)}.")
    width = len(header)
    mapped: list[pd.DataFrame] = []
    pre: list[list[str]] = []
    numbers: list[int] = []
    misshapen: list[Rejected] = []
    ignored: list[str] = []
    seen = 0
    while chunk := list(itertools.islice(records, CHUNK_ROWS)):
        rows: list[list[str]] = []
        for number, fields in chunk:
            if len(fields) > width and not any(f.strip() for f in fields[width:]):
                fields = fields[:width]
            if len(fields) != width:
                misshapen.append(Rejected(
                    name, f"row {number}", (f"has {len(fields)} fields; expected {width}",),
                    number
                ))
                continue
            rows.append(fields)
            numbers.append(number)
        seen += len(chunk)
        if rows:
            frame, problems, ignored = _map(fmt, pd.DataFrame(rows, columns=header, dtype=object))
            mapped.append(frame)
            pre.extend(problems or [])
    if not seen:
        raise IncidentImportError(f"{name}: the file has a header but no data rows.")
    if not mapped:
        frame, _, ignored = _map(fmt, pd.DataFrame(columns=header, dtype=object))
        mapped.append(frame)
    whole = pd.concat(mapped, ignore_index=True) if len(mapped) > 1 else mapped[0]
    del mapped
    has_pre = fmt in (FORMAT_UCDP, FORMAT_UCDP_NO_HEADER)
    clean, rejected = validate_rows(whole, name, numbers, "row", pre if has_pre else None)
    # The rows refused for their shape and those refused by validation, in file order.
    in_order = sorted([*misshapen, *rejected], key=lambda r: r.row or 0)
    return ImportResult(fmt, clean, in_order, ignored, seen, [n for n in [note] if n])
