"""Filtering classified incidents by what the user chose, and the most frequent values (actors,
places) to choose from."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from geo.analysis.zones import zone_mask


@dataclass(frozen=True)
class IncidentFilter:
    """What the user chose; empty values mean "no restriction"."""

    start: dt.date | None = None
    end: dt.date | None = None
    event_types: tuple[str, ...] = ()
    sub_event_types: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    place: str = ""
    zones: tuple[str, ...] = ()
    text: str = ""


def _contains(series: pd.Series, needle: str) -> np.ndarray:
    return series.fillna("").astype(str).str.contains(needle, case=False, regex=False).to_numpy()


def filter_incidents(classified: pd.DataFrame, chosen: IncidentFilter) -> pd.DataFrame:
    """The incidents matching every criterion (zones: any of the chosen zones)."""
    mask = np.ones(len(classified), dtype=bool)
    dates = classified["event_date"].astype(str)
    if chosen.start is not None:
        mask &= (dates >= chosen.start.isoformat()).to_numpy()
    if chosen.end is not None:
        mask &= (dates <= chosen.end.isoformat()).to_numpy()
    if chosen.event_types:
        mask &= classified["event_type"].isin(chosen.event_types).to_numpy()
    if chosen.sub_event_types:
        mask &= classified["sub_event_type"].isin(chosen.sub_event_types).to_numpy()
    if chosen.actors:
        mask &= (classified["actor1"].isin(chosen.actors)
                 | classified["actor2"].isin(chosen.actors)).to_numpy()
    if chosen.place.strip():
        needle = chosen.place.strip()
        hit = np.zeros(len(classified), dtype=bool)
        for col in ("admin1", "admin2", "admin3", "location", "governorate", "district"):
            if col in classified:
                hit |= _contains(classified[col], needle)
        mask &= hit
    if chosen.zones:
        mask &= np.logical_or.reduce([zone_mask(classified, k) for k in chosen.zones])
    if chosen.text.strip():
        mask &= _contains(classified["notes"], chosen.text.strip())
    return classified[mask]


def actor_names(incidents: pd.DataFrame) -> list[str]:
    """Every actor named in actor1 or actor2, most frequent first."""
    if incidents.empty:
        return []
    both = pd.concat([incidents["actor1"], incidents["actor2"]]).fillna("").astype(str)
    counts = both[both.str.strip() != ""].value_counts()
    return [str(a) for a in counts.index]


def top_values(values: Sequence[Any] | pd.Series, limit: int = 20) -> pd.DataFrame:
    """The most frequent non-blank values: value, incidents."""
    series = pd.Series(values).fillna("").astype(str).str.strip()
    counts = series[series != ""].value_counts().head(limit)
    return pd.DataFrame({"value": counts.index.astype(str), "incidents": counts.to_numpy()})
