"""Briefing mode's side-by-side comparison of Syria's demand and Israel's proposal."""

from __future__ import annotations

import datetime as dt
import re

import geopandas as gpd
import pandas as pd
import pytest

from geo.core.figures import round_sig
from geo.core.view import PRESETS, parse_view
from geo.data.loaders import load_all
from geo.render.comparison import (
    comparison_changes,
    comparison_day,
    comparison_html,
    comparison_table,
)
from tests.conftest import DATA_DIR


@pytest.fixture(scope="module")
def data() -> dict:
    return load_all(DATA_DIR)


def test_comparison_day_is_when_both_positions_exist(data: dict) -> None:
    assert comparison_day(data["layers"].data) == dt.date(2025, 9, 16)


def test_comparison_table_measures_in_utm_to_two_significant_figures(data: dict) -> None:
    layers = data["layers"].data
    table = comparison_table(layers, dt.date(2025, 9, 16)).set_index("id")
    assert list(table["side"]) == ["Syria", "Israel", "Israel", "Israel", "Israel"]
    metric = layers.set_index("id").loc[["demand_sy_restore_1974", "prop_zone1_plus2km"]]
    areas = gpd.GeoSeries(metric.geometry, crs="EPSG:4326").to_crs("EPSG:32636").area / 1e6
    assert table.loc["demand_sy_restore_1974", "area_km2"] == round_sig(areas.iloc[0]) == 230
    assert table.loc["prop_zone1_plus2km", "area_km2"] == round_sig(areas.iloc[1]) == 420
    zone = table.loc["prop_zone1_plus2km"]
    assert zone["area_km2"] > table.loc["demand_sy_restore_1974", "area_km2"]
    # each figure is rounded on its own, so the parts add up to the whole only roughly
    assert zone["overlap_km2"] + zone["outside_km2"] == pytest.approx(zone["area_km2"], rel=0.1)
    for column in ("area_km2", "overlap_km2", "outside_km2"):
        figures = table[column].dropna()
        assert all(int(v) == round_sig(int(v)) for v in figures), (column, list(figures))
    hermon = table.loc["prop_hermon_outpost"]
    assert pd.isna(hermon["area_km2"])
    assert hermon["inside_other"] in (True, False)


def test_comparison_marks_the_areas_the_data_cut(data: dict) -> None:
    table = comparison_table(data["layers"].data, dt.date(2025, 9, 16)).set_index("id")
    assert table.loc["prop_sw_zones", "caveat"] == "schematic; cut at 36.6° E"
    assert table.loc["prop_sw_zones", "area_km2"] == 6300  # the data's figure, not 6,289.3
    assert table.loc["prop_zone1_plus2km", "caveat"] == "schematic"
    lines = dict(zip(table.index, comparison_changes(table.reset_index()), strict=True))
    assert "≈ 6,300 km² (schematic; cut at 36.6° E)" in lines["prop_sw_zones"]
    assert not re.search(r"\d\.\d+ km²", " ".join(lines.values()))  # no decimal area


def test_comparison_table_before_the_proposal_has_only_syria(data: dict) -> None:
    table = comparison_table(data["layers"].data, dt.date(2025, 9, 1))
    assert set(table["side"]) == {"Syria"}


def test_comparison_changes_name_every_feature(data: dict) -> None:
    table = comparison_table(data["layers"].data, dt.date(2025, 9, 16))
    lines = comparison_changes(table)
    assert len(lines) == len(table)
    for name, line in zip(table["name"], lines, strict=True):
        assert line.startswith(name)
    assert any("km²" in line for line in lines)


def test_comparison_html_is_two_synchronised_local_maps(data: dict) -> None:
    day = dt.date(2025, 9, 16)
    lat, lon, zoom = PRESETS["Damascus to the Golan"]
    page = comparison_html(data["layers"].data, day,
                           parse_view({}).replace(date=day, lat=lat, lon=lon, zoom=zoom))
    assert not re.findall(r'<script[^>]+src="', page)
    assert not re.findall(r'<link[^>]+href="https?:', page)
    assert "L.Map.include" in page  # Leaflet.Sync, inlined
    assert len(re.findall(r"\.sync\(map_", page)) == 2
    assert page.count('class="folium-map"') == 2
    assert "demand_sy_restore_1974" in page and "prop_zone1_plus2km" in page
    assert "demand_il_south_demilitarised" not in page  # Israel's own demand is not Syria's
    assert "Syria's demand · 16 Sep 2025" in page or "Syria\\u0027s demand" in page
