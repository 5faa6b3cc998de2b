"""Zone classification in PostGIS gives the same labels as the in-memory classification."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely
import sqlalchemy as sa

from bench.synth import synthetic_incidents
from geo.analysis.zones import ZONE_BY_KEY, classify
from geo.analysis.zones_db import CELL_DEG, DB_ZONES, load_zones, zone_counts, zone_members
from geo.data.incidents import incident_frame
from geo.data.loaders import load_all
from geo.data.store.postgis import PostgisStore


@pytest.fixture(scope="module")
def layers():
    return load_all()["layers"].data


def _same_as_memory(url: str, layers, frame: pd.DataFrame) -> dict[str, int]:
    """Save ``frame``, classify it in the database and in memory; the members of every zone
    must be the same rows. Returns the database's counts."""
    target = PostgisStore(url)
    target.save_dataset("synthetic", incident_frame(frame), None)
    stored, _ = target.load_dataset("synthetic")
    in_memory = classify(stored, layers)
    with target.engine.begin() as conn:
        assert load_zones(conn, layers) == len(DB_ZONES)
        members = zone_members(conn, "synthetic")
        counts = zone_counts(conn, "synthetic")
    for key in DB_ZONES:
        zone = ZONE_BY_KEY[key]
        expected = set(np.flatnonzero((in_memory[zone.column] == zone.value).to_numpy()))
        assert members[key] == expected, key
        assert counts[key] == len(expected), key
    return counts


def test_database_zones_match_memory(postgis_url: str, layers) -> None:
    frame = synthetic_incidents(4_000, seed=7)
    frame.loc[frame.index[:5], "event_date"] = frame["event_date"].iloc[0]  # shared dates too
    counts = _same_as_memory(postgis_url, layers, frame)
    assert sum(counts.values()) > 100  # the synthetic incidents do fall in zones


def test_points_on_outlines_and_cell_edges_match_memory(postgis_url: str, layers) -> None:
    """Points on the zones' own vertices (on the edge of a zone, and of two Area of Limitation
    bands, which go to the first band) and on the lines between grid cells (where rounding in
    the cell lookup could go either way) are classified as in memory."""
    by_id = {str(row["id"]): row.geometry for _, row in layers.iterrows()}
    vertices = np.vstack([shapely.get_coordinates(by_id[fid])[::3] for fid in DB_ZONES.values()])
    steps = np.arange(int(35.5 / CELL_DEG), int(36.7 / CELL_DEG), 10) * CELL_DEG
    lattice = np.array([(x, y) for x in steps[::4] for y in steps[::4] - 2.9])
    xy = np.vstack([vertices, lattice])
    frame = synthetic_incidents(len(xy), seed=11)
    frame["longitude"] = [repr(float(x)) for x in xy[:, 0]]  # every digit, so the same double
    frame["latitude"] = [repr(float(y)) for y in xy[:, 1]]
    frame.loc[frame.index[::2], "event_date"] = "2025-09-16"  # the day the proposals start
    counts = _same_as_memory(postgis_url, layers, frame)
    assert counts["aos"] > 0 and counts["prop_no_fly"] > 0


def test_zones_without_their_grid_are_refused(postgis_url: str, layers) -> None:
    """Zones loaded without the grid (e.g. by an older load_zones) would classify nothing: the
    classification refuses instead of answering zero."""
    target = PostgisStore(postgis_url)
    target.save_dataset("synthetic", incident_frame(synthetic_incidents(50, seed=3)), None)
    with target.engine.begin() as conn:
        load_zones(conn, layers)
        conn.execute(sa.text("DELETE FROM zone_grid"))
        with pytest.raises(RuntimeError, match="load_zones"):
            zone_counts(conn, "synthetic")
