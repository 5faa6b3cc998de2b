"""Shared fixtures: factories for valid items (a layer feature, an incident row, a timeline
entry) and the repository paths. Factories return fresh dicts; tests break one field at a time.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.postgis import postgis, postgis_url  # noqa: F401 - shared fixtures

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
TEST_DATA_DIR = Path(__file__).resolve().parent / "data"

#: Removes a key when passed as an override value: ``make_feature(sources=DROP)``.
DROP = object()

_SOURCE = {
    "title": "OpenStreetMap relation 184888 (UNDOF), version 37",
    "publisher": "OpenStreetMap",
    "date": "2025-09-19",
    "url": "https://www.openstreetmap.org/relation/184888",
}


def _apply(base: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    for key, value in overrides.items():
        if value is DROP:
            base.pop(key, None)
        else:
            base[key] = value
    return base


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture
def data_dir() -> Path:
    return DATA_DIR


@pytest.fixture
def test_data_dir() -> Path:
    return TEST_DATA_DIR


@pytest.fixture
def source() -> dict[str, Any]:
    """One valid source entry."""
    return copy.deepcopy(_SOURCE)


@pytest.fixture
def make_feature() -> Callable[..., dict[str, Any]]:
    """Factory for a valid GeoJSON Feature with our properties (a point near Quneitra).

    ``make_feature(id="x", geometry={...}, status="collapsed", sources=DROP)``: keyword
    arguments override (or, with ``DROP``, remove) properties; ``geometry`` replaces the
    geometry (``None`` for a null geometry).
    """

    def factory(geometry: Any = DROP, **overrides: Any) -> dict[str, Any]:
        props: dict[str, Any] = {
            "id": "feat_1",
            "layer": "position",
            "name": "Test position",
            "name_ar": "",
            "status": "reported",
            "disputed": False,
            "valid_from": "2024-12-08",
            "valid_to": None,
            "date_precision": "day",
            "basis": "reported",
            "confidence": "medium",
            "sources": [copy.deepcopy(_SOURCE)],
            "notes": "",
            "attribution": "© OpenStreetMap contributors (ODbL 1.0)",
            "licence": "ODbL 1.0",
            "located": True,
            "geo_precision": 1,  # a position's uncertainty circle (geo.data.feature_checks)
        }
        geom = {"type": "Point", "coordinates": [35.824, 33.125]} if geometry is DROP else geometry
        return {"type": "Feature", "properties": _apply(props, overrides), "geometry": geom}

    return factory


@pytest.fixture
def make_collection() -> Callable[..., dict[str, Any]]:
    """Wrap features in a FeatureCollection dict (extra top-level members as keywords)."""

    def factory(*features: dict[str, Any], **members: Any) -> dict[str, Any]:
        return {"type": "FeatureCollection", "features": list(features), **members}

    return factory


@pytest.fixture
def make_incident() -> Callable[..., dict[str, Any]]:
    """Factory for a valid incident row as read from CSV (every value a string)."""

    def factory(**overrides: Any) -> dict[str, Any]:
        row: dict[str, Any] = {
            "event_id_cnty": "SYR0001",
            "event_date": "2025-01-15",
            "time_precision": "1",
            "event_type": "Strategic developments",
            "sub_event_type": "Change to group/activity",
            "actor1": "Military Forces of Israel (2022-)",
            "actor2": "",
            "admin1": "Quneitra",
            "admin2": "Quneitra",
            "admin3": "",
            "location": "Quneitra",
            "latitude": "33.1256",
            "longitude": "35.8244",
            "geo_precision": "1",
            "source": "Reuters",
            "notes": "Test incident.",
            "fatalities": "0",
            "url": "https://www.reuters.com/world/middle-east/example",
            "source_title": "Example report",
            "source_date": "2025-01-15",
            "basis": "reported",
            "confidence": "medium",
            "confidence_note": "",
        }
        return _apply(row, overrides)

    return factory


@pytest.fixture
def make_timeline_entry() -> Callable[..., dict[str, Any]]:
    """Factory for a valid timeline entry."""

    def factory(**overrides: Any) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "id": "tl-20250916-1",
            "date": "2025-09-16",
            "date_precision": "day",
            "kind": "proposal",
            "title": "Israel proposes a new security arrangement",
            "place": "",
            "participants": [],
            "summary": "Reported proposal of demilitarised zones.",
            "sources": [copy.deepcopy(_SOURCE)],
            "basis": "reported",
            "confidence": "medium",
            "disputed": False,
            "changes": [],
        }
        return _apply(entry, overrides)

    return factory
