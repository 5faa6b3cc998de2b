"""Smoke test of the benchmark (bench/run.py): at 1k incidents, one run of each measure, it
works end to end and writes every expected key. Timings are not checked here; the benchmark
itself is run with ``.venv/bin/python -m bench.run`` (see bench/README.md)."""

from __future__ import annotations

import json
import os

import pytest

from bench import browser
from bench.run import TARGETS, Config, run, table
from bench.synth import synthetic_incidents, to_acled
from geo.data.importers import import_incidents
from geo.data.loaders import validate_incident_rows


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict:
    with_browser = browser.chromium_available() or os.environ.get("REQUIRE_BROWSER") == "1"
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


def test_targets_and_table(results) -> None:
    assert [t["key"] for t in results["targets"]] == [key for key, *_ in TARGETS]
    assert all({"what", "target", "unit", "measured", "met"} <= set(t) for t in results["targets"])
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
