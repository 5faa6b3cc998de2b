"""Smoke test of the benchmark (bench/run.py): at 1k incidents, one run of each measure, it
works end to end and writes every expected key. Timings are not checked here; the benchmark
itself is run with ``.venv/bin/python -m bench.run`` (see bench/README.md)."""

from __future__ import annotations

import json
import os

import pytest

from bench.check import problems
from bench.run import TARGETS, Config, run, table
from bench.synth import synthetic_incidents, to_acled
from geo.data.importers import import_incidents
from geo.data.incidents import validate_incident_rows
from tests.browser.sessions import ROWS_PER_FILE, acled_file, dates_for, marker_for
from tests.harness import chromium_missing


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict:
    with_browser = not chromium_missing() or os.environ.get("REQUIRE_BROWSER") == "1"
    out = tmp_path_factory.mktemp("bench") / "latest.json"
    run(Config(sizes=[1_000], repeats=1, quick=True, browser=with_browser, out=out))
    return json.loads(out.read_text(encoding="utf-8"))


def test_results_have_machine_config_and_no_failed_measure(results) -> None:
    assert {"machine", "config", "measures", "targets", "notes", "total_s"} <= set(results)
    assert {"cpu_count", "python", "streamlit", "folium", "shapely"} <= set(results["machine"])
    assert results["config"]["sizes"] == ["1k"] and results["config"]["naive_sizes"] == ["1k"]
    assert not [k for k in results["measures"] if k.endswith("_error")], results["measures"]


def test_python_measures_compare_with_the_naive_baseline(results) -> None:
    timing = results["measures"]["map_python"]["1k"]
    assert timing["ours_s"] > 0 and timing["naive_s"] > 0 and timing["ratio"] > 0
    payload = results["measures"]["payload"]["1k"]
    assert payload["ours_bytes"] > 0 and payload["naive_bytes"] > 0
    assert results["measures"]["classify"]["size"] == "1k"
    assert results["measures"]["rerun"]["size"] == "1k"
    assert results["measures"]["rerun"]["median_ms"] > 0
    png = results["measures"]["png_export"]
    assert "median_s" in png or "skipped" in png


def test_browser_measures(results) -> None:
    if not results["config"]["browser"]:
        pytest.skip("Chromium not available")
    visible = results["measures"]["browser_visible"]["1k"]
    assert visible["ours_s"] > 0 and visible["naive_s"] > 0 and visible["ratio"] > 0
    assert results["measures"]["cold_start"]["visible_s"] > 0
    assert results["measures"]["peak_memory"]["VmHWM"] > 0


def test_every_measure_ran_as_make_bench_quick_checks(results) -> None:
    assert problems(results) == []
    if results["config"]["browser"]:
        floor = results["measures"]["floor"]
        assert floor["floor_s"] > 0 and results["measures"]["browser_visible"]["1k"]["vs_floor"]
        phases = results["measures"]["first_map_breakdown"]["1k"]
        assert 0 < phases["shell_s"] <= phases["frame_s"] <= phases["leaflet_s"] <= \
            phases["visible_s"]
        assert results["measures"]["next_event"]["median_s"] > 0
    broken = {**results, "measures": {**results["measures"], "classify_error": "boom"}}
    assert problems(broken) == ["classify_error: boom"]


def test_targets_and_table(results) -> None:
    assert [t["key"] for t in results["targets"]] == [key for key, *_ in TARGETS]
    assert all({"what", "target", "unit", "measured", "met", "load_average"} <= set(t)
               for t in results["targets"])
    assert all(isinstance(t["met"], bool) for t in results["targets"])
    text = table(results)
    assert "1. python" in text and "target" in text


def test_synthetic_incidents_pass_validation_and_the_acled_importer() -> None:
    frame = synthetic_incidents(300, seed=1)
    result = validate_incident_rows(frame.copy(), "synthetic.csv")
    assert not result.rejected and len(result.data) == 300
    assert set(result.data["geo_precision"]) <= {1, 2, 3}
    assert (result.data["fatalities"].fillna(0) == 0).mean() > 0.5
    acled = to_acled(frame).to_csv(index=False).encode("utf-8")
    imported = import_incidents(acled, "synthetic_acled.csv")
    assert imported.format == "ACLED export" and imported.accepted == 300
    assert synthetic_incidents(50, seed=1).equals(synthetic_incidents(50, seed=1))


def test_concurrent_sessions_bring_data_of_their_own() -> None:
    """What bench/concurrency.py's sessions upload: markers that no other contains, dates of
    their own, and ACLED files the importer reads whole, marker in every row."""
    markers = [marker_for("ab12cd", i) for i in range(20)]
    assert not [(a, b) for a in markers for b in markers if a != b and a in b]
    assert len({dates_for(i) for i in range(20)}) == 20
    assert all(first < second and second.day <= 28 for first, second in map(dates_for, range(20)))
    imported = import_incidents(acled_file(markers[7], 7), f"{markers[7]}.csv")
    assert imported.format == "ACLED export" and imported.accepted == ROWS_PER_FILE
    assert all(markers[7] in note for note in imported.data["notes"])
