"""Time: the state of every layer at a date, incident windows, and the negotiation track."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.core.vocabulary import FALL_OF_ASSAD


def _iso(day: dt.date | str) -> str:
    return day if isinstance(day, str) else day.isoformat()


def status_on(
    base_status: str, changes: Sequence[Mapping[str, Any]], base_disputed: bool, day: str
) -> tuple[str, bool, str]:
    """Status, disputed flag and the note in force on ``day`` (ISO) after status changes."""
    status, disputed, note = base_status, base_disputed, ""
    for change in changes:
        if str(change.get("date", "")) <= day:
            status = str(change.get("status", status))
            disputed = bool(change.get("disputed", disputed))
            note = str(change.get("note", ""))
    return status, disputed, note


def state_at(features: gpd.GeoDataFrame, day: dt.date | str) -> gpd.GeoDataFrame:
    """The features that hold on ``day``, each with its status on that day.

    A feature holds when ``valid_from <= day`` and (``valid_to`` is open or ``day < valid_to``).
    Columns ``status_on_date``, ``disputed_on_date`` and ``status_note`` are added.
    """
    iso = _iso(day)
    starts = features["valid_from"].astype(str)
    ends = features["valid_to"]
    holds = (starts <= iso) & (ends.isna() | (ends.astype(str) > iso))
    out = features[holds].copy()
    states = [
        status_on(row.status, row.status_changes, bool(row.disputed), iso)
        for row in out.itertuples()
    ]
    out["status_on_date"] = [s[0] for s in states]
    out["disputed_on_date"] = [s[1] for s in states]
    out["status_note"] = [s[2] for s in states]
    return out


def change_days(features: gpd.GeoDataFrame) -> tuple[str, ...]:
    """Every day (as compared by :func:`state_at`) on which a feature starts, ends or changes
    status, in order. Between two of them every feature's state stays the same."""
    days = set(features["valid_from"].astype(str))
    days |= set(features["valid_to"].dropna().astype(str))
    for changes in features["status_changes"]:
        days |= {str(change.get("date", "")) for change in changes}
    return tuple(sorted(days))


def state_day(days: Sequence[str], day: dt.date | str) -> str:
    """The last of ``days`` on or before ``day`` ("" before the first): :func:`state_at` gives
    the same frame on both."""
    index = bisect_right(days, _iso(day))
    return days[index - 1] if index else ""


@dataclass(frozen=True)
class StateLookup:
    """:func:`state_at` computed once per interval between change days: the state at a date
    is a lookup. Callers must not modify the frames."""

    days: tuple[str, ...]
    states: Mapping[str, gpd.GeoDataFrame]

    def at(self, day: dt.date | str) -> gpd.GeoDataFrame:
        return self.states[state_day(self.days, day)]


def state_lookup(features: gpd.GeoDataFrame) -> StateLookup:
    """Every state the features pass through, keyed by the day it starts."""
    days = change_days(features)
    return StateLookup(days, {day: state_at(features, day) for day in ("", *days)})


def window_start(end: dt.date, days: int | None) -> dt.date:
    """First day of an incident window of ``days`` ending on ``end`` (None: since 8 Dec 2024)."""
    if days is None:
        return min(FALL_OF_ASSAD, end)
    return end - dt.timedelta(days=max(days, 1) - 1)


def window_mask(
    incidents: pd.DataFrame, end: dt.date, days: int | None
) -> pd.Series:
    """Which incidents are dated within the window that ends on ``end`` (both ends included)."""
    start = _iso(window_start(end, days))
    dates = incidents["event_date"].astype(str)
    return (dates >= start) & (dates <= _iso(end))


def incidents_in_window(
    incidents: gpd.GeoDataFrame, end: dt.date, days: int | None
) -> gpd.GeoDataFrame:
    """Incidents dated within the window that ends on ``end`` (both ends included)."""
    return incidents[window_mask(incidents, end, days)]


def weekly_counts(incidents: pd.DataFrame) -> pd.DataFrame:
    """Incidents per week (weeks start on Monday) and event type: week, event_type, count."""
    if incidents.empty:
        return pd.DataFrame({"week": [], "event_type": [], "count": []})
    # Dates repeat: parse each distinct one once, group on dates, format only the weeks.
    codes, days = pd.factorize(incidents["event_date"])
    parsed = pd.to_datetime(pd.Series(days), format="ISO8601")
    monday = (parsed - pd.to_timedelta(parsed.dt.day_of_week, unit="D")).to_numpy()
    week = np.where(codes >= 0, monday[np.maximum(codes, 0)], np.datetime64("NaT"))
    frame = pd.DataFrame({"week": week, "event_type": incidents["event_type"].to_numpy()})
    out = frame.groupby(["week", "event_type"]).size().reset_index(name="count")
    out["week"] = out["week"].dt.strftime("%Y-%m-%d")
    return out


def entry_index(entries: Sequence[Mapping[str, Any]], entry_id: str | None) -> int | None:
    for index, entry in enumerate(entries):
        if entry.get("id") == entry_id:
            return index
    return None


def step(entries: Sequence[Mapping[str, Any]], day: dt.date | str, direction: int) -> Any:
    """The next (direction=+1) or previous (-1) timeline entry strictly after/before ``day``."""
    iso = _iso(day)
    if direction > 0:
        later = [e for e in entries if str(e["date"]) > iso]
        return later[0] if later else None
    earlier = [e for e in entries if str(e["date"]) < iso]
    return earlier[-1] if earlier else None


#: What a playback steps through: negotiation events, or weeks.
PLAY_STEPS: Final[dict[str, str]] = {"event": "Negotiation events", "week": "Weeks"}


def next_frame(
    entries: Sequence[Mapping[str, Any]], day: dt.date, by: str, last: dt.date
) -> tuple[dt.date, str | None] | None:
    """The frame after ``day`` of a playback by ``by`` (a key of :data:`PLAY_STEPS`): the next
    negotiation event's date and id, or the day a week on (no event). None past ``last``."""
    if by == "week":
        later = day + dt.timedelta(days=7)
        return (later, None) if later <= last else None
    entry = step(entries, day, 1)
    if entry is None or str(entry["date"]) > last.isoformat():
        return None
    return dt.date.fromisoformat(str(entry["date"])[:10]), str(entry["id"])


def entries_near(
    entries: Sequence[Mapping[str, Any]], day: dt.date, days: int = 30
) -> list[Mapping[str, Any]]:
    """Timeline entries within ``days`` of ``day`` (either side)."""
    low, high = _iso(day - dt.timedelta(days=days)), _iso(day + dt.timedelta(days=days))
    return [e for e in entries if low <= str(e["date"]) <= high]
