"""Leaflet styles converted for matplotlib."""

from __future__ import annotations

from geo.export.map_layers import dash_pattern


def test_dash_pattern_converts_leaflet_dash_arrays() -> None:
    assert dash_pattern("8 6") == (0, (8.0, 6.0))
    assert dash_pattern("12 4") == (0, (12.0, 4.0))
    assert dash_pattern(None) == "solid"
    assert dash_pattern("") == "solid"
