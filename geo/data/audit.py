"""Checks across the loaded datasets that no single item can make on its own.

Pure functions over what :func:`geo.data.loaders.load_all` returns (the layers GeoDataFrame,
the incidents frame, the timeline list); each returns :class:`geo.core.model.Rejected` items,
empty when the data pass:

* :func:`check_syrian_side` — a reported event or Israeli position on the Syrian side may not
  fall inside the Golan polygon (``golan_osm``, the Israeli-held side of Line A) unless its
  source says it happened there: the item then carries ``inside_golan_per_source`` (true) and
  ``inside_golan_note`` (the source's words).
* :func:`check_positions_start` — no Israeli position starts before 8 Dec 2024, and no timeline
  entry dated earlier starts one.

Positions listed but not placed (``data/positions_unlocated.geojson``) are checked item by item
by their loader, :func:`geo.data.loaders.load_unlocated_positions`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

import numpy as np
import pandas as pd
import shapely

from geo.core.model import Rejected, is_blank, parse_date
from geo.core.vocabulary import FALL_OF_ASSAD
from geo.data.feature_checks import POSITION_LAYER

GOLAN_ID: Final[str] = "golan_osm"
INSIDE_GOLAN_FLAG: Final[str] = "inside_golan_per_source"
INSIDE_GOLAN_NOTE: Final[str] = "inside_golan_note"
INCIDENTS_DATASET: Final[str] = "incidents.csv"


def _flag_reasons(row: Mapping[str, Any], what: str) -> list[str]:
    """Why an item inside the Golan polygon is refused (empty if its source places it there)."""
    flag = row.get(INSIDE_GOLAN_FLAG)
    flagged = flag is True or (isinstance(flag, str) and flag.strip().lower() == "true")
    if not flagged:
        return [f"{what} lies inside the Golan polygon ({GOLAN_ID}), on the Israeli-held side "
                f"of Line A; set {INSIDE_GOLAN_FLAG} with {INSIDE_GOLAN_NOTE} only if its "
                "source says it happened there"]
    if is_blank(row.get(INSIDE_GOLAN_NOTE)):
        return [f"{INSIDE_GOLAN_FLAG} is set without {INSIDE_GOLAN_NOTE} (the source's words)"]
    return []


def check_syrian_side(layers: pd.DataFrame, incidents: pd.DataFrame) -> list[Rejected]:
    """Reported positions and incidents inside the Golan polygon, unless flagged by source."""
    golan_rows = layers[layers["id"] == GOLAN_ID]
    if golan_rows.empty:
        return [Rejected("layers", GOLAN_ID, ("the Golan polygon is missing: the side of Line A "
                                              "of reported items cannot be checked",))]
    golan = golan_rows.geometry.iloc[0]
    shapely.prepare(golan)
    rejected: list[Rejected] = []
    positions = layers[layers["layer"] == POSITION_LAYER]
    inside = shapely.contains(golan, np.asarray(positions.geometry, dtype=object))
    for row in positions[inside].to_dict("records"):
        reasons = _flag_reasons(row, "the reported position")
        if reasons:
            rejected.append(Rejected(str(row.get("dataset") or "layers"), str(row["id"]),
                                     tuple(reasons)))
    if incidents.empty:
        return rejected
    lon = pd.to_numeric(incidents["longitude"], errors="coerce").to_numpy(dtype=float)
    lat = pd.to_numeric(incidents["latitude"], errors="coerce").to_numpy(dtype=float)
    inside = shapely.contains_xy(golan, lon, lat)
    for row in incidents[inside].to_dict("records"):
        reasons = _flag_reasons(row, "the reported event")
        if reasons:
            rejected.append(Rejected(INCIDENTS_DATASET, str(row.get("event_id_cnty")),
                                     tuple(reasons)))
    return rejected


def check_positions_start(layers: pd.DataFrame,
                          timeline: Sequence[Mapping[str, Any]]) -> list[Rejected]:
    """Israeli positions (and the timeline entries that start them) before 8 Dec 2024."""
    first = FALL_OF_ASSAD.isoformat()
    positions = layers[layers["layer"] == POSITION_LAYER]
    rejected = [
        Rejected(str(row.get("dataset") or "layers"), str(row["id"]),
                 (f"valid_from {row['valid_from']} is before {first}: no Israeli position "
                  "reported since the fall of Assad starts before it",))
        for row in positions.to_dict("records")
        if not is_blank(row.get("valid_from")) and str(row["valid_from"]) < first
    ]
    ids = set(positions["id"])
    for entry in timeline:
        day = parse_date(entry.get("date"))
        started = sorted(ids.intersection(entry.get("changes") or []))
        if day is not None and day < FALL_OF_ASSAD and started:
            rejected.append(Rejected("timeline.json", str(entry.get("id")), (
                f"dated {day}, before {first}, but starts the Israeli position(s) "
                f"{', '.join(started)}",)))
    return rejected


def audit(layers: pd.DataFrame, incidents: pd.DataFrame,
          timeline: Sequence[Mapping[str, Any]]) -> list[Rejected]:
    """Every cross-dataset check over the loaded data."""
    return [*check_syrian_side(layers, incidents), *check_positions_start(layers, timeline)]
