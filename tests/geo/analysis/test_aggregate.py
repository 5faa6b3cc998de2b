"""Aggregation of large incident sets into grid cells per zoom level."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geo.analysis.aggregate import (
    LEVELS,
    POINT_LIMIT,
    aggregate_payload,
    cell_index,
    grid_cells,
)
from geo.core.timeline import state_at
from geo.core.view import parse_view
from geo.data.loaders import load_layers
from geo.render.assets import walk
from geo.render.elements import GeoJsonLayer, ZoomLevelsLayer
from geo.render.map import MapSpec, build_map, cell_layer, incident_layer


def _synthetic(n: int, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "event_id_cnty": [f"S{i}" for i in range(n)],
        "event_date": "2025-01-01",
        "event_type": rng.choice(["Battles", "Protests"], n, p=[0.8, 0.2]),
        "latitude": 33.1 + rng.normal(0, 0.05, n),
        "longitude": 35.85 + rng.normal(0, 0.05, n),
        "fatalities": pd.array(rng.integers(0, 3, n), dtype="Int64"),
    })


def test_cells_conserve_counts_and_fatalities() -> None:
    frame = _synthetic(5000)
    frame.loc[0, "fatalities"] = pd.NA
    for cell, _, _ in LEVELS:
        cells = grid_cells(frame, cell)
        assert cells["count"].sum() == len(frame)
        assert cells["fatalities"].sum() == frame["fatalities"].sum()
    coarse, fine = grid_cells(frame, LEVELS[0][0]), grid_cells(frame, LEVELS[-1][0])
    assert len(coarse) < len(fine)


def test_cell_reports_most_frequent_type() -> None:
    frame = pd.DataFrame({"latitude": [33.01, 33.02, 33.03], "longitude": [35.01] * 3,
                          "event_type": ["Protests", "Battles", "Battles"],
                          "fatalities": [None, 1, 2]})
    cells = grid_cells(frame, 0.2)
    assert cells.iloc[0]["top_type"] == "Battles" and cells.iloc[0]["count"] == 3


@pytest.mark.parametrize("types", [["Riots", "Battles"], ["Battles", "Riots"]])
def test_a_tie_goes_to_the_first_type_in_alphabetical_order(types) -> None:
    frame = pd.DataFrame({"latitude": [33.01, 33.02], "longitude": [35.01] * 2,
                          "event_type": types, "fatalities": [0, 0]})
    assert grid_cells(frame, 0.2).iloc[0]["top_type"] == "Battles"


def test_payload_levels_cover_all_zooms_and_escape() -> None:
    frame = _synthetic(300).assign(event_type="<b>x</b>")
    levels = aggregate_payload(frame)
    zooms = sorted(z for level in levels for z in range(level["min_zoom"], level["max_zoom"] + 1))
    assert zooms == list(range(0, 19))
    assert all(level["types"] == ["&lt;b&gt;x&lt;/b&gt;"] for level in levels)
    for level in levels:  # one value per cell in every column
        assert {len(level[k]) for k in ("x", "y", "n", "f", "r", "t")} == {len(level["x"])}
        assert sum(level["n"]) == 300 and set(level["t"]) == {0}


def test_cell_centres_are_sent_to_five_decimals() -> None:
    levels = aggregate_payload(_synthetic(2000))
    for (cell, _, _), level in zip(LEVELS, levels, strict=True):
        centres = grid_cells(_synthetic(2000), cell)
        sent = sorted(zip(level["x"], level["y"], strict=True))
        assert sent == sorted((round(x, 5), round(y, 5)) for x, y in
                              zip(centres["lon"].tolist(), centres["lat"].tolist(), strict=True))
        assert all(len(repr(v).split(".")[-1]) <= 5 for xy in sent for v in xy)


def test_cells_of_a_window_from_the_index_match_cells_of_its_rows() -> None:
    frame = _synthetic(6000).assign(
        event_type=lambda f: np.where(np.arange(len(f)) % 7 == 0, "Riots", f["event_type"]))
    frame.loc[5, "fatalities"] = pd.NA
    keep = (np.arange(len(frame)) % 3 != 0) & (frame["longitude"].to_numpy() > 35.8)
    layer, direct = cell_layer(cell_index(frame), keep), incident_layer(frame[keep])
    assert layer.aggregated and direct.aggregated and layer.count == direct.count
    assert sorted(layer.event_types) == sorted(direct.event_types)

    def cells(levels: list[dict]) -> list[list[tuple]]:
        return [sorted(zip(level["x"], level["y"], level["n"], level["f"], level["r"],
                           [(level["types"][t], level["colors"][t]) for t in level["t"]],
                           strict=True)) for level in levels]

    assert cells(layer.data) == cells(direct.data)
    assert [len(level["x"]) for level in layer.data] == [
        len(grid_cells(frame[keep], size)) for size, _, _ in LEVELS]


@pytest.mark.parametrize(("n", "aggregated"), [(POINT_LIMIT, False), (POINT_LIMIT + 1, True)])
def test_map_switches_to_cells_above_limit(n, aggregated) -> None:
    view = parse_view({"date": "2025-01-01"})
    features = state_at(load_layers().data, "2025-01-01").iloc[0:0]
    fmap = build_map(features, _synthetic(n), MapSpec(view, (view.lat, view.lon, view.zoom)))
    elements = list(walk(fmap))
    assert any(isinstance(e, ZoomLevelsLayer) for e in elements) is aggregated
    point_layers = [e for e in elements if isinstance(e, GeoJsonLayer) and not e.circles
                    and e.data["features"] and str(e.data["features"][0]["id"]).startswith("S")]
    assert bool(point_layers) is not aggregated
