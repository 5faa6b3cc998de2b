"""Briefing mode: the story steps of data/story.json, their validating loader, step links,
and the side-by-side comparison of Syria's demand and Israel's proposal."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import geopandas as gpd
import pytest

from geo.core.view import PRESETS, parse_view
from geo.core.vocabulary import LAYER_GROUPS
from geo.data.loaders import DatasetError, load_all
from geo.render import briefing
from tests.conftest import DATA_DIR

STORY = DATA_DIR / "story.json"


@pytest.fixture(scope="module")
def data() -> dict:
    return load_all(DATA_DIR)


@pytest.fixture(scope="module")
def entries(data: dict) -> list[dict[str, Any]]:
    return data["timeline"].data


@pytest.fixture(scope="module")
def story(entries: list[dict[str, Any]]) -> Any:
    return briefing.load_story(STORY, "story.json", entries)


@pytest.fixture
def raw() -> list[dict[str, Any]]:
    return json.loads(STORY.read_text(encoding="utf-8"))


def _load(doc: Any, entries: list[dict[str, Any]]) -> Any:
    return briefing.load_story(json.dumps(doc), "story.json", entries)


# ---------------------------------------------------------------------------------------------
# The story in data/


def test_story_loads_without_rejections(story: Any) -> None:
    assert story.rejected == []
    assert len(story.data) >= 8
    dates = [s.date for s in story.data]
    assert dates == sorted(dates)


def test_story_covers_the_required_moments(story: Any, entries: list[dict[str, Any]]) -> None:
    ids = {s.timeline_id for s in story.data}
    by_id = {e["id"]: e for e in entries}
    dates = {s.date.isoformat() for s in story.data}
    assert {"1974-05-31", "2024-12-08", "2025-09-16", "2026-01-05"} <= dates
    rounds = {e["id"] for e in entries if e["kind"] == "round_of_talks"}
    assert rounds <= ids
    assert "tl-20260105-2" in ids  # the Paris round of 5 Jan 2026
    assert "tl-20250916-1" in ids  # Israel's proposal
    demand = [e["id"] for e in entries if "demand_sy_restore_1974" in e.get("changes", [])]
    assert demand and set(demand) <= ids  # Syria's demand
    assert all(by_id[i]["date"] == s.date.isoformat()
               for s in story.data for i in [s.timeline_id])


def test_every_step_is_built_from_its_timeline_entry(story: Any,
                                                    entries: list[dict[str, Any]]) -> None:
    by_id = {e["id"]: e for e in entries}
    for step in story.data:
        entry = by_id[step.timeline_id]
        assert list(step.sources) == entry["sources"]
        assert step.caption and step.caption != entry["summary"]
        assert set(step.layers) <= set(LAYER_GROUPS)
        assert step.preset in PRESETS
        assert (step.lat, step.lon, step.zoom) == PRESETS[step.preset]


def test_story_file_is_listed_in_sources_md() -> None:
    assert "`story.json`" in (DATA_DIR / "SOURCES.md").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# The loader refuses what does not come from the timeline


@pytest.mark.parametrize(("change", "reason"), [
    ({"timeline_id": "tl-19000101-1"}, "is not in the timeline"),
    ({"date": "1974-06-01"}, "is not the date of"),
    ({"date": "31 May 1974"}, "date is not YYYY-MM-DD"),
    ({"sources": [{"title": "Invented", "url": "https://example.org/x"}]}, "sources are not"),
    ({"sources": []}, "no source"),
    ({"layers": ["lines_1974", "tanks"]}, "unknown layer groups: tanks"),
    ({"layers": []}, "layers is not"),
    ({"view": {"lat": 33.05, "lon": 35.85, "zoom": 99}}, "zoom"),
    ({"view": {"preset": "Quneitra", "lat": 33.05, "lon": 35.85, "zoom": 10}},
     "does not match preset"),
    ({"view": {"preset": "Nowhere", "lat": 33.05, "lon": 35.85, "zoom": 10}},
     "is not one of"),
    ({"view": "Area of Separation"}, "view is not an object"),
    ({"id": "Step One!"}, "id must be"),
    ({"caption": "x" * 500}, "caption is longer"),
    ({"caption": ""}, "missing caption"),
])
def test_loader_rejects_bad_steps(raw: list[dict[str, Any]], entries: list[dict[str, Any]],
                                  change: dict[str, Any], reason: str) -> None:
    step = {**copy.deepcopy(raw[0]), **change}
    result = _load([step, raw[1]], entries)
    assert [s.id for s in result.data] == [raw[1]["id"]]
    assert len(result.rejected) == 1
    assert reason in result.rejected[0].reason


def test_loader_rejects_duplicates_and_non_objects(raw: list[dict[str, Any]],
                                                   entries: list[dict[str, Any]]) -> None:
    result = _load([raw[0], raw[0], "step"], entries)
    assert len(result.data) == 1
    reasons = " | ".join(r.reason for r in result.rejected)
    assert "duplicate id" in reasons and "not an object" in reasons


def test_loader_rejects_missing_fields(raw: list[dict[str, Any]],
                                       entries: list[dict[str, Any]]) -> None:
    step = {k: v for k, v in raw[0].items() if k != "sources"}
    result = _load([step], entries)
    assert result.data == [] and "missing sources" in result.rejected[0].reason


@pytest.mark.parametrize("text", ["[", "{}", '"steps"'])
def test_loader_refuses_unreadable_files(text: str, entries: list[dict[str, Any]]) -> None:
    with pytest.raises(DatasetError):
        briefing.load_story(text, "story.json", entries)


def test_loader_reads_bytes_and_paths(tmp_path: Path, raw: list[dict[str, Any]],
                                      entries: list[dict[str, Any]]) -> None:
    path = tmp_path / "story.json"
    path.write_text(json.dumps(raw[:2]), encoding="utf-8")
    assert len(briefing.load_story(path, "story.json", entries).data) == 2
    blob = ("\ufeff" + json.dumps(raw[:1])).encode("utf-8")
    assert len(briefing.load_story(blob, "story.json", entries).data) == 1


# ---------------------------------------------------------------------------------------------
# Navigation and links


def test_step_index(story: Any) -> None:
    steps = story.data
    assert briefing.step_index(steps, steps[3].id) == 3
    assert briefing.step_index(steps, "nope") == 0
    assert briefing.step_index(steps, None, dt.date(2025, 8, 30)) == [
        s.id for s in steps].index("syria-demand")
    assert briefing.step_index(steps, None, dt.date(1970, 1, 1)) == 0


def test_step_permalink_reopens_the_step(story: Any) -> None:
    step = next(s for s in story.data if s.id == "israel-proposal")
    link = briefing.step_permalink(step, "http://example.org/app/", presenter=True)
    parts = urlsplit(link)
    assert parts.path == "/app/briefing"
    params = dict(parse_qsl(parts.query))
    assert params["step"] == "israel-proposal" and params["presenter"] == "1"
    view = parse_view(params, today=dt.date(2026, 11, 26))
    assert view == step.view()
    assert (view.lat, view.lon, view.zoom) == PRESETS["Damascus to the Golan"]
    assert "presenter" not in briefing.step_params(step)


# ---------------------------------------------------------------------------------------------
# Side by side


def test_comparison_day_is_when_both_positions_exist(data: dict) -> None:
    assert briefing.comparison_day(data["layers"].data) == dt.date(2025, 9, 16)


def test_comparison_table_measures_in_utm(data: dict) -> None:
    layers = data["layers"].data
    table = briefing.comparison_table(layers, dt.date(2025, 9, 16)).set_index("id")
    assert list(table["side"]) == ["Syria", "Israel", "Israel", "Israel", "Israel"]
    metric = layers.set_index("id").loc[["demand_sy_restore_1974", "prop_zone1_plus2km"]]
    areas = gpd.GeoSeries(metric.geometry, crs="EPSG:4326").to_crs("EPSG:32636").area / 1e6
    assert table.loc["demand_sy_restore_1974", "area_km2"] == round(areas.iloc[0], 1)
    assert table.loc["prop_zone1_plus2km", "area_km2"] == round(areas.iloc[1], 1)
    zone = table.loc["prop_zone1_plus2km"]
    assert zone["area_km2"] > table.loc["demand_sy_restore_1974", "area_km2"]
    assert zone["overlap_km2"] + zone["outside_km2"] == pytest.approx(zone["area_km2"], abs=0.11)
    hermon = table.loc["prop_hermon_outpost"]
    assert hermon["area_km2"] is None or hermon["area_km2"] != hermon["area_km2"]  # None/NaN
    assert hermon["inside_other"] in (True, False)


def test_comparison_table_before_the_proposal_has_only_syria(data: dict) -> None:
    table = briefing.comparison_table(data["layers"].data, dt.date(2025, 9, 1))
    assert set(table["side"]) == {"Syria"}


def test_comparison_changes_name_every_feature(data: dict) -> None:
    table = briefing.comparison_table(data["layers"].data, dt.date(2025, 9, 16))
    lines = briefing.comparison_changes(table)
    assert len(lines) == len(table)
    for name, line in zip(table["name"], lines, strict=True):
        assert line.startswith(name)
    assert any("km²" in line for line in lines)


def test_comparison_html_is_two_synchronised_local_maps(data: dict) -> None:
    day = dt.date(2025, 9, 16)
    lat, lon, zoom = PRESETS["Damascus to the Golan"]
    page = briefing.comparison_html(data["layers"].data, day,
                                    parse_view({}).replace(date=day, lat=lat, lon=lon, zoom=zoom))
    assert not re.findall(r'<script[^>]+src="', page)
    assert not re.findall(r'<link[^>]+href="https?:', page)
    assert "L.Map.include" in page  # Leaflet.Sync, inlined
    assert len(re.findall(r"\.sync\(map_", page)) == 2
    assert page.count('class="folium-map"') == 2
    assert "demand_sy_restore_1974" in page and "prop_zone1_plus2km" in page
    assert "demand_il_south_demilitarised" not in page  # Israel's own demand is not Syria's
    assert "Syria's demand · 16 Sep 2025" in page or "Syria\\u0027s demand" in page
