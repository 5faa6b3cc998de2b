"""Counts per zone: incidents and fatalities in a window with the zones' areas, incidents per
zone, and two equal windows either side of a milestone (before/after).

Input is a frame classified by :func:`geo.analysis.zones.classify`; areas are measured in
UTM zone 36N (:data:`geo.core.crs.METRIC_CRS`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.analysis.zones import NEAR_POSITION_M, ZONES, Zone, to_metric, zone_mask


def _zone_geometry(zone: Zone, layers: gpd.GeoDataFrame, day: str) -> Any:
    if zone.key == "near_position":
        held = layers[layers["layer"] == "position"]
        held = held[(held["valid_from"].astype(str) <= day)
                    & (held["valid_to"].isna() | (held["valid_to"].astype(str) > day))]
        if held.empty:
            return None
        return shapely.union_all([to_metric(g).buffer(NEAR_POSITION_M) for g in held.geometry])
    match = layers[layers["id"] == zone.feature_id]
    return None if match.empty else to_metric(match.geometry.iloc[0])


def _in_window(classified: pd.DataFrame, start: dt.date, end: dt.date) -> np.ndarray:
    dates = classified["event_date"].astype(str)
    return ((dates >= start.isoformat()) & (dates <= end.isoformat())).to_numpy()


def _fatalities(classified: pd.DataFrame, mask: np.ndarray) -> int:
    if "fatalities" not in classified or not mask.any():
        return 0
    values = pd.to_numeric(classified["fatalities"][mask], errors="coerce")
    return int(values.sum(skipna=True))


def zone_summary(
    classified: pd.DataFrame, layers: gpd.GeoDataFrame, start: dt.date, end: dt.date
) -> pd.DataFrame:
    """Per zone, for incidents dated ``start``..``end`` (both included): area in km² (UTM 36N;
    the positions zone: 2 km around the positions holding on ``end``), incidents, fatalities
    (sum of reported figures; blanks count as none) and incidents per 30 days."""
    window = _in_window(classified, start, end)
    span = max((end - start).days + 1, 1)
    rows = []
    for zone in ZONES:
        geom = _zone_geometry(zone, layers, end.isoformat())
        mask = zone_mask(classified, zone.key) & window
        count = int(mask.sum())
        rows.append({
            "zone": zone.label,
            "key": zone.key,
            "area_km2": round(geom.area / 1e6, 1) if geom is not None else np.nan,
            "incidents": count,
            "fatalities": _fatalities(classified, mask),
            "per_30_days": round(count / span * 30, 2),
        })
    count = int(window.sum())
    rows.append({
        "zone": "All incidents", "key": "all", "area_km2": np.nan, "incidents": count,
        "fatalities": _fatalities(classified, window),
        "per_30_days": round(count / span * 30, 2),
    })
    return pd.DataFrame(rows)


def zone_counts(classified: pd.DataFrame) -> pd.DataFrame:
    """Incidents per zone (an incident may count in several zones): zone, key, incidents."""
    return pd.DataFrame([
        {"zone": z.label, "key": z.key, "incidents": int(zone_mask(classified, z.key).sum())}
        for z in ZONES
    ])


@dataclass(frozen=True)
class BeforeAfter:
    """Counts per zone in two equal windows either side of a milestone."""

    table: pd.DataFrame
    days: int
    before: tuple[dt.date, dt.date]
    after: tuple[dt.date, dt.date]
    truncated: bool


def before_after(
    classified: pd.DataFrame, milestone: dt.date, days: int, as_of: dt.date | None = None
) -> BeforeAfter:
    """Incidents per zone in the ``days`` before ``milestone`` and the ``days`` from it.

    The milestone day belongs to the "after" window. When the "after" window would run past
    ``as_of`` (default: today), both windows are shortened to the days available, so that they
    stay equal (``truncated`` is then True).
    """
    as_of = as_of or dt.date.today()
    available = (as_of - milestone).days + 1
    span = max(0, min(days, available))
    truncated = span < days
    before = (milestone - dt.timedelta(days=span), milestone - dt.timedelta(days=1))
    after = (milestone, milestone + dt.timedelta(days=span - 1))
    in_before = _in_window(classified, *before) if span else np.zeros(len(classified), bool)
    in_after = _in_window(classified, *after) if span else np.zeros(len(classified), bool)
    rows = []
    for zone in (*ZONES, None):
        mask = np.ones(len(classified), bool) if zone is None else zone_mask(classified, zone.key)
        b, a = int((mask & in_before).sum()), int((mask & in_after).sum())
        rows.append({
            "zone": "All incidents" if zone is None else zone.label,
            "key": "all" if zone is None else zone.key,
            "before": b,
            "after": a,
            "change": a - b,
            "change_pct": round((a - b) / b * 100, 1) if b else np.nan,
        })
    return BeforeAfter(pd.DataFrame(rows), span, before, after, truncated)
