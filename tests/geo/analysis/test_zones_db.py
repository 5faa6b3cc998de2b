"""Zone classification in PostGIS gives the same labels as the in-memory classification."""

from __future__ import annotations

import numpy as np
import pytest

from bench.synth import synthetic_incidents
from geo.analysis.zones import ZONE_BY_KEY, classify
from geo.analysis.zones_db import DB_ZONES, load_zones, zone_counts, zone_members
from geo.data.incidents import incident_frame
from geo.data.loaders import load_all
from geo.data.store.postgis import PostgisStore


@pytest.fixture(scope="module")
def layers():
    return load_all()["layers"].data


def test_database_zones_match_memory(postgis_url: str, layers) -> None:
    frame = incident_frame(synthetic_incidents(4_000, seed=7))
    frame.loc[frame.index[:5], "event_date"] = frame["event_date"].iloc[0]  # shared dates too
    target = PostgisStore(postgis_url)
    target.save_dataset("synthetic", frame, None)
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
    assert sum(counts.values()) > 100  # the synthetic incidents do fall in zones
