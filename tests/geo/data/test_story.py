"""Briefing mode's story: the steps of data/story.json, their validating loader and step
links."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from geo.core.view import PRESETS, parse_view
from geo.core.vocabulary import LAYER_GROUPS
from geo.data.loaders import DatasetError, load_all
from geo.data.story import load_story, step_index, step_params, step_permalink
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
    return load_story(STORY, "story.json", entries)


@pytest.fixture
def raw() -> list[dict[str, Any]]:
    return json.loads(STORY.read_text(encoding="utf-8"))


def _load(doc: Any, entries: list[dict[str, Any]]) -> Any:
    return load_story(json.dumps(doc), "story.json", entries)


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
        load_story(text, "story.json", entries)


def test_loader_reads_bytes_and_paths(tmp_path: Path, raw: list[dict[str, Any]],
                                      entries: list[dict[str, Any]]) -> None:
    path = tmp_path / "story.json"
    path.write_text(json.dumps(raw[:2]), encoding="utf-8")
    assert len(load_story(path, "story.json", entries).data) == 2
    blob = ("\ufeff" + json.dumps(raw[:1])).encode("utf-8")
    assert len(load_story(blob, "story.json", entries).data) == 1


# ---------------------------------------------------------------------------------------------
# Navigation and links


def test_step_index(story: Any) -> None:
    steps = story.data
    assert step_index(steps, steps[3].id) == 3
    assert step_index(steps, "nope") == 0
    assert step_index(steps, None, dt.date(2025, 8, 30)) == [
        s.id for s in steps].index("syria-demand")
    assert step_index(steps, None, dt.date(1970, 1, 1)) == 0


def test_step_permalink_reopens_the_step(story: Any) -> None:
    step = next(s for s in story.data if s.id == "israel-proposal")
    link = step_permalink(step, "http://example.org/app/", presenter=True)
    parts = urlsplit(link)
    assert parts.path == "/app/briefing"
    params = dict(parse_qsl(parts.query))
    assert params["step"] == "israel-proposal" and params["presenter"] == "1"
    view = parse_view(params, today=dt.date(2026, 11, 26))
    assert view == step.view()
    assert (view.lat, view.lon, view.zoom) == PRESETS["Damascus to the Golan"]
    assert "presenter" not in step_params(step)
