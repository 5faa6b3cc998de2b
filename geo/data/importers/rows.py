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
from geo.data.incidents import validate_incident_rows

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
    labels = [f"feature {i + 1}" for i in range(len(frame))]
    clean, rejected = validate_rows(frame, name, labels, pre)
    return ImportResult(fmt, clean, rejected, ignored, len(frame), notes)


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
