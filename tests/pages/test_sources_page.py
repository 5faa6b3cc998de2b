"""AppTest of the sources page: how far the data reach, coverage by month as a chart of
readable height, the positions listed but not placed, and refused items (each section is a
keyed container; tests find them by key)."""

from __future__ import annotations

import json
import shutil

import pyarrow as pa
import pytest

from geo.data.loaders import DATA_DIR, load_all
from geo.render.coverage import CHART_HEIGHT
from tests.pages.apptest_helpers import run_app

PAGE = "pages/sources.py"
DATA_THROUGH = "Data through 28 Jun 2026 (searched to 29 Nov 2026)"


@pytest.fixture(scope="module")
def at():
    return run_app(page=PAGE)


def test_page_says_how_far_the_data_reach(at) -> None:
    assert at.title[0].value == "Sources and data quality"
    assert not at.error
    assert at.info[0].value == DATA_THROUGH


def test_coverage_chart_has_every_month_and_a_readable_height(at) -> None:
    charts = at.get_by_key("coverage").get("vega_lite_chart")
    assert len(charts) == 1
    spec = json.loads(charts[0].proto.spec)
    assert spec["height"] == CHART_HEIGHT >= 200
    months = load_all(DATA_DIR)["coverage"].data.months
    bars, ticks = spec["layer"]
    assert bars["mark"]["type"] == "bar" and ticks["mark"]["type"] == "tick"
    assert len(bars["encoding"]["x"]["sort"]) == len(months)  # every month has its place
    frames = {d.name: pa.ipc.open_stream(d.data.data).read_all().to_pandas()
              for d in charts[0].proto.datasets}
    empty = set(frames[ticks["data"]["name"]]["label"])
    assert {"Apr 2026", "Jul 2026", "Nov 2026"} <= empty  # nothing found: marked, not missing
    assert "Feb 2026" not in empty
    assert len(frames[bars["data"]["name"]]) == 3 * len(months)


def test_coverage_notes_are_listed(at) -> None:
    notes = at.get_by_key("coverage").dataframe[0].value
    assert (notes["note"] != "").all()
    assert "2026-04" in set(notes["month"])
    assert any("nothing found" in note for note in notes["note"])


def test_unlocated_positions_are_listed_with_their_area_and_sources(at) -> None:
    table = at.get_by_key("unlocated_positions").dataframe[0].value
    rows = load_all(DATA_DIR)["unlocated"].data
    assert len(table) == len(rows) >= 4
    assert set(table["position"]) == {row["name"] for row in rows}
    assert set(table["reported in"]) == {row["location_area"] for row in rows}
    assert table["sources"].str.contains("https://").all()


def test_refused_new_files_appear_with_the_other_rejected_items(tmp_path, monkeypatch) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("dem"))
    unlocated = json.loads((data / "positions_unlocated.geojson").read_text(encoding="utf-8"))
    unlocated["features"][0]["geometry"] = {"type": "Point", "coordinates": [36.1, 32.9]}
    (data / "positions_unlocated.geojson").write_text(json.dumps(unlocated), encoding="utf-8")
    coverage = json.loads((data / "coverage.json").read_text(encoding="utf-8"))
    coverage["months"][0]["incidents"] = -3
    (data / "coverage.json").write_text(json.dumps(coverage), encoding="utf-8")
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(data))
    at = run_app(page=PAGE)
    rejected = at.get_by_key("rejected_items").dataframe[0].value
    found = set(zip(rejected["dataset"], rejected["item"], strict=True))
    assert ("positions_unlocated.geojson", unlocated["features"][0]["properties"]["id"]) in found
    assert ("coverage.json", coverage["months"][0]["month"]) in found
    listed = at.get_by_key("unlocated_positions").dataframe[0].value
    assert len(listed) == len(unlocated["features"]) - 1


def test_missing_coverage_is_said_not_hidden(tmp_path, monkeypatch) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("dem"))
    (data / "coverage.json").unlink()
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(data))
    at = run_app(page=PAGE)
    assert at.info[0].value.startswith("Data through: unknown")
    assert "coverage.json did not load" in at.get_by_key("coverage").warning[0].value
    rejected = at.get_by_key("rejected_items").dataframe[0].value
    assert ("coverage.json", "(whole file)") in set(zip(rejected["dataset"], rejected["item"],
                                                        strict=True))
