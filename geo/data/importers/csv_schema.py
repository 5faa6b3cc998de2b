"""CSV uploads: which schema a file follows (ACLED, UCDP GED or ours), and its rows."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Final

import pandas as pd

from geo.core.model import INCIDENT_REQUIRED, Rejected
from geo.data.importers.acled import ACLED_MARKERS, ACLED_REQUIRED, FORMAT_ACLED, map_acled
from geo.data.importers.result import ImportResult, IncidentImportError
from geo.data.importers.rows import OUR_COLUMNS, validate_rows
from geo.data.importers.text import check_delimiter, is_number, read_records
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


def _header_key(value: str) -> str:
    return value.replace("\ufeff", "").strip().strip('"').strip().lower()


def _missing(columns: Iterable[str], required: Iterable[str]) -> list[str]:
    have = set(columns)
    return [c for c in required if c not in have]


def import_csv(text: str, name: str, note: str) -> ImportResult:
    records = read_records(text, name)
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
            check_delimiter([hint.removeprefix("sep=")], name)
    check_delimiter(first, name)
    header = [_header_key(f) for f in first]
    columns = set(header)

    if looks_like_ged_row(first):
        return _finish_csv(FORMAT_UCDP_NO_HEADER, list(UCDP_GED_COLUMNS), records, name, note)
    if {"event_id_cnty", "event_date"} <= columns and len(columns & ACLED_MARKERS) >= 3:
        missing = _missing(columns, ACLED_REQUIRED)
        if missing:
            raise IncidentImportError(
                f"{name}: looks like an ACLED export but lacks the column(s) {', '.join(missing)}."
            )
        return _finish_csv(FORMAT_ACLED, header, records[1:], name, note)
    if len(columns & UCDP_MARKERS) >= 8:
        missing = _missing(columns, UCDP_REQUIRED)
        if missing:
            raise IncidentImportError(
                f"{name}: looks like UCDP GED but lacks the column(s) {', '.join(missing)}."
            )
        return _finish_csv(FORMAT_UCDP, header, records[1:], name, note)
    if set(INCIDENT_REQUIRED) <= columns:
        return _finish_csv(FORMAT_CSV, header, records[1:], name, note)

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
    numbers: list[int] = []
    misshapen: list[Rejected] = []
    for number, fields in records:
        if len(fields) > width and not any(f.strip() for f in fields[width:]):
            fields = fields[:width]
        if len(fields) != width:
            misshapen.append(Rejected(
                name, f"row {number}", (f"has {len(fields)} fields; expected {width}",), number
            ))
            continue
        rows.append(fields)
        numbers.append(number)
    raw = pd.DataFrame(rows, columns=header, dtype=object) if rows else pd.DataFrame(
        columns=header, dtype=object
    )
    if fmt == FORMAT_ACLED:
        frame, pre, ignored = map_acled(raw)
    elif fmt in (FORMAT_UCDP, FORMAT_UCDP_NO_HEADER):
        frame, pre, ignored = map_ucdp(raw)
    else:
        frame, pre, ignored = raw, None, [c for c in header if c not in OUR_COLUMNS]
    clean, rejected = validate_rows(frame, name, numbers, "row", pre)
    # The rows refused for their shape and those refused by validation, in file order.
    by_row = {r.row: r for r in [*misshapen, *rejected]}
    in_order = [by_row[number] for number, _ in records if number in by_row]
    return ImportResult(fmt, clean, in_order, ignored, len(records), [n for n in [note] if n])
