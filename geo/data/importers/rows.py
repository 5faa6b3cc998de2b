"""Finishing imported rows: cells as text, feature problems, and validation with the row
numbers of the file."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.core.model import INCIDENT_COLUMNS, INCIDENT_EXTRA_COLUMNS, INCIDENT_REQUIRED, Rejected
from geo.data.importers.result import ImportResult, IncidentImportError
from geo.data.incidents import incident_reasons, incident_table, split_rows

OUR_COLUMNS: Final[frozenset[str]] = frozenset(INCIDENT_COLUMNS) | frozenset(
    INCIDENT_EXTRA_COLUMNS
)


def column_text(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series([""] * len(frame), index=frame.index, dtype=object)
    return frame[column].fillna("").astype(str).str.strip()


def cell(value: Any) -> str:
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
        return cell(value.item())
    if isinstance(value, pd.Timestamp):
        return "" if pd.isna(value) else value.strftime("%Y-%m-%d")
    if value is pd.NaT or value is pd.NA:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def point_reason(geom_type: str | None) -> str:
    return f"geometry is a {geom_type}, not a Point"


def z_note(count: int) -> str:
    if not count:
        return ""
    return (f"{count:,} point(s) have a third (height) coordinate; it was ignored and only "
            "longitude/latitude were kept.")


def finish_features(
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
    ignored = [str(c) for c in frame.columns if c not in OUR_COLUMNS]
    features = range(1, len(frame) + 1)
    clean, rejected = validate_rows(frame, name, features, "feature", pre)
    return ImportResult(fmt, clean, rejected, ignored, len(frame), notes)


_GEOMETRY_PROBLEMS: Final[tuple[str, ...]] = ("geometry is", "point coordinates", "no geometry")
_COORDINATES_MISSING: Final[frozenset[str]] = frozenset({"missing latitude", "missing longitude"})


def validate_rows(
    frame: pd.DataFrame,
    dataset: str,
    rows: Sequence[int],
    unit: str,
    pre_reasons: Sequence[Sequence[str]] | None = None,
) -> tuple[gpd.GeoDataFrame, list[Rejected]]:
    """Validate mapped rows by the incident rules (:func:`geo.data.incidents.incident_reasons`).

    ``rows`` are the rows' numbers in the file and ``unit`` what they count ("row", "feature");
    ``pre_reasons`` are problems found while mapping (e.g. an unknown UCDP code), which reject
    the row too. Returns the clean incidents and every rejected row, in file order.
    """
    frame = frame.reset_index(drop=True).astype(object)
    table, _ = incident_table(frame)
    reasons = incident_reasons(table)
    if pre_reasons is not None:
        blank = frame.fillna("").astype(str).apply(lambda col: col.str.strip() == "")
        empty = blank.all(axis=1).to_numpy(dtype=bool)
        combined = [
            _with_mapping_problems(tuple(problems), found, is_empty)
            for problems, found, is_empty in zip(pre_reasons, reasons, empty, strict=True)
        ]
        reasons = pd.Series(combined, index=reasons.index, dtype=object)
    return split_rows(table, reasons, dataset, rows, unit)


def _with_mapping_problems(
    problems: tuple[str, ...], found: tuple[str, ...], empty: bool
) -> tuple[str, ...]:
    """A row's mapping problems, then what the rules found (a row with nothing in it, e.g. not
    a Feature: its mapping problem says it all)."""
    if problems and empty:
        return problems
    if any(r.startswith(_GEOMETRY_PROBLEMS) for r in problems):
        found = tuple(r for r in found if r not in _COORDINATES_MISSING)
    return problems + found
