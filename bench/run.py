"""The performance benchmark at ACLED scale: our map against a naive baseline, in one command.

    .venv/bin/python -m bench.run [--sizes 1k,10k,100k,1M] [--repeats 5] [--quick]
                                  [--no-browser] [--naive-max 10k] [--out FILE]

Writes ``bench/results/latest.json`` (git-ignored) and prints a table; ``bench/README.md``
says how to read them. Not part of ``make test`` (``tests/bench`` runs a 1k smoke version).

Every measure is the median of ``--repeats`` runs (``--quick``: one run, one size unless
given). Synthetic incidents come from :mod:`bench.synth` (fixed seed). The view is the date
:data:`DAY` with the window "everything since 8 Dec 2024" (about 87 % of the incidents).
The 40 km viewshed is timed by :mod:`bench.viewshed` (cold in fresh processes, then warm).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import folium
import pandas as pd
import shapely
import streamlit

from bench import browser as br
from bench import import_bench
from bench import viewshed as viewshed_bench
from bench.naive import naive_page
from bench.synth import SEED, parse_size, size_label, synthetic_incidents, write_csv
from geo.analysis.zones import classify
from geo.core.timeline import incidents_in_window, state_at
from geo.core.view import ViewState, parse_view
from geo.data.incidents import load_incidents_csv
from geo.data.loaders import load_all
from geo.render.map import MapSpec, build_map
from tests import harness
from ui.mapview import MAP_DRAWN_KEY

ROOT: Final[Path] = Path(__file__).resolve().parent.parent
RESULTS: Final[Path] = ROOT / "bench" / "results" / "latest.json"
DAY: Final[dt.date] = dt.date(2026, 6, 30)
WINDOW: Final[str] = "since"
#: The app URL of the measured view.
QUERY: Final[str] = f"?date={DAY.isoformat()}&window={WINDOW}"
#: Where the next-event click starts: a date with later negotiation events.
EVENT_QUERY: Final[str] = f"?date=2025-06-01&window={WINDOW}"


def warm_timeout(rows: int) -> float:
    """Bound on the first load: at 1M the server reads 400 MB of CSV first."""
    return 90 + 330 * rows / 1e6


def visible_timeout(rows: int) -> float:
    return 60 + 120 * rows / 1e6

#: Date-change reruns are measured at this size (or the largest smaller one asked for).
RERUN_SIZE: Final[int] = 100_000

#: (key, description, target, unit, how to read the measured figure from the results)
TARGETS: Final[tuple[tuple[str, str, float, str], ...]] = (
    ("visible_1k_vs_floor", "navigation -> incidents visible at 1k / the floor", 1.5,
     "x (at most)"),
    ("visible_100k_vs_floor", "navigation -> incidents visible at 100k / the floor", 1.5,
     "x (at most)"),
    ("cold_start_s", "cold start -> Area of Separation drawn", 4.0, "s (at most)"),
    ("next_event_100k_s", "click 'Next event' -> the map shows the new state, 100k", 1.0,
     "s (at most)"),
    ("payload_1k_mb", "payload of the default view at 1k", 1.5, "MB (at most)"),
    ("visible_100k_vs_1k", "incident layer visible at 100k / at 1k", 1.5, "x (at most)"),
    ("visible_speedup_10k", "naive / ours, incident layer visible at 10k", 5.0, "x (at least)"),
    ("payload_100k_mb", "payload at 100k", 3.0, "MB (at most)"),
    ("rerun_100k_ms", "date-change rerun with 100k, server script time", 150.0, "ms (at most)"),
    ("classify_1m_s", "zone classification of 1M incidents", 1.0, "s (at most)"),
    ("png_s", "static PNG export, default view", 3.0, "s (at most)"),
    ("peak_memory_1m_mb", "server peak memory with 1M loaded (VmHWM)", 2048.0, "MB (at most)"),
    ("viewshed_cold_s", "40 km viewshed, first in a fresh process",
     viewshed_bench.TARGETS_S["cold"], "s (at most)"),
    ("viewshed_warm_s", "40 km viewshed, new observer in a warm process",
     viewshed_bench.TARGETS_S["warm"], "s (at most)"),
    ("import_250k_s", "import of a 250k-row ACLED export (CSV)",
     import_bench.TARGETS["seconds"], "s (at most)"),
    ("import_250k_peak_mb", "peak memory of that import (VmHWM)",
     import_bench.TARGETS["peak_mb"], "MB (at most)"),
)


@dataclass
class Config:
    sizes: list[int] = field(default_factory=lambda: [1_000, 10_000, 100_000, 1_000_000])
    repeats: int = 5
    quick: bool = False
    browser: bool = True
    naive_max: int = 10_000
    out: Path = RESULTS
    seed: int = SEED


def median_time(fn: Callable[[], Any], repeats: int) -> tuple[float, list[float], Any]:
    """Median seconds of ``repeats`` calls, every run, and the last result."""
    runs, result = [], None
    for _ in range(max(repeats, 1)):
        started = time.perf_counter()
        result = fn()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs), [round(r, 4) for r in runs], result


def _ratio(naive: float | None, ours: float | None) -> float | None:
    """naive / ours (also ours / floor), rounded; None without both."""
    return round(naive / ours, 2) if naive and ours else None


def machine() -> dict[str, Any]:
    return {
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "streamlit": streamlit.__version__,
        "folium": folium.__version__,
        "shapely": shapely.__version__,
        "pandas": pd.__version__,
        "load_average_start": [round(x, 2) for x in os.getloadavg()],
    }


# ---------------------------------------------------------------------------------------------
# Data


def prepare(sizes: list[int], work: Path, seed: int) -> dict[int, Path]:
    """A copy of data/ per size with ``incidents.csv`` replaced by that many synthetic ones."""
    folders = {}
    for rows in sizes:
        folder = work / f"data_{size_label(rows)}"
        shutil.copytree(ROOT / "data", folder)
        write_csv(synthetic_incidents(rows, seed), folder / "incidents.csv")
        folders[rows] = folder
    return folders


def _view() -> ViewState:
    return parse_view({"date": DAY.isoformat(), "window": WINDOW})


# ---------------------------------------------------------------------------------------------
# 1-2. Python time to the map payload, and payload size


def map_measures(cfg: Config, folders: dict[int, Path], layers: Any) -> dict[str, Any]:
    view = _view()
    spec = MapSpec(view, (view.lat, view.lon, view.zoom))
    timing: dict[str, Any] = {}
    payload: dict[str, Any] = {}
    for rows, folder in folders.items():
        label = size_label(rows)
        data = load_incidents_csv(folder / "incidents.csv", "incidents.csv").data
        repeats = cfg.repeats if rows < 1_000_000 else min(cfg.repeats, 3)

        def ours(data: Any = data) -> str:
            features = state_at(layers, DAY)
            window = incidents_in_window(data, DAY, view.window_days)
            return build_map(features, window, spec).get_root().render()

        ours_s, ours_runs, page = median_time(ours, repeats)
        entry: dict[str, Any] = {"ours_s": round(ours_s, 4), "ours_runs": ours_runs,
                                 "naive_s": None, "ratio": None}
        sizes: dict[str, Any] = {"ours_bytes": len(page.encode("utf-8")), "naive_bytes": None,
                                 "ratio": None}
        if rows <= cfg.naive_max:

            def naive(data: Any = data) -> str:
                window = incidents_in_window(data, DAY, view.window_days)
                return naive_page(window).get_root().render()

            naive_s, naive_runs, naive_html = median_time(naive, min(repeats, 3))
            entry.update(naive_s=round(naive_s, 4), naive_runs=naive_runs,
                         ratio=_ratio(naive_s, ours_s))
            sizes.update(naive_bytes=len(naive_html.encode("utf-8")),
                         ratio=_ratio(len(naive_html), len(page)))
        timing[label] = entry
        payload[label] = sizes
        del data
    return {"map_python": timing, "payload": payload}


# ---------------------------------------------------------------------------------------------
# 4. Date-change rerun (AppTest)


def rerun_measure(cfg: Config, folders: dict[int, Path]) -> dict[str, Any]:
    """Server time of a run of dashboard.py after a date change, caches warm.

    AppTest reruns of an ``st.navigation`` app run the page alone (not dashboard.py, so not
    the sidebar), so each date gets a fresh AppTest, which runs the whole script as the server
    does on a rerun; process-wide caches stay warm, and scripts are compiled once, as the
    server's script cache does. The script's own time is taken from
    Streamlit's ScriptRunner (AppTest adds its own overhead around it, reported apart).
    """
    from streamlit.runtime.scriptrunner import script_cache, script_runner
    from streamlit.testing.v1 import AppTest

    candidates = [n for n in folders if n <= RERUN_SIZE]
    if not candidates:
        return {"skipped": "no size at or below 100k"}
    rows = max(candidates)
    script_times: list[float] = []
    original = script_runner.ScriptRunner._run_script

    def timed(self: Any, *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        finally:
            script_times.append(time.perf_counter() - started)

    def run(day: dt.date) -> tuple[float, float]:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=600)
        at.session_state[MAP_DRAWN_KEY] = True  # a date change: the session's map has drawn
        at.query_params["date"] = day.isoformat()
        at.query_params["window"] = WINDOW
        started = time.perf_counter()
        at.run()
        wall = time.perf_counter() - started
        if at.exception:
            raise RuntimeError(f"dashboard.py failed: {[e.value for e in at.exception]}")
        return script_times[-1], wall

    # The server compiles each script once (its runtime's script cache); AppTest gives every
    # instance a new cache, which would add the compilation of dashboard.py and the page.
    shared, compile_once = script_cache.ScriptCache(), script_cache.ScriptCache.get_bytecode

    def bytecode(self: Any, path: str) -> Any:
        return compile_once(shared, path)

    previous = os.environ.get("DASHBOARD_DATA_DIR")
    script_runner.ScriptRunner._run_script = timed  # type: ignore[method-assign]
    script_cache.ScriptCache.get_bytecode = bytecode  # type: ignore[method-assign]
    count = max(cfg.repeats, 1) + 2
    try:
        # The same with the 64 built-in incidents: what a rerun costs whatever the data.
        os.environ["DASHBOARD_DATA_DIR"] = str(ROOT / "data")
        run(DAY)
        builtin = [run(DAY - dt.timedelta(days=i + 1)) for i in range(count)]
        os.environ["DASHBOARD_DATA_DIR"] = str(folders[rows])
        first_script, first_wall = run(DAY)
        runs = [run(DAY - dt.timedelta(days=i + 1)) for i in range(count)]
    finally:
        script_runner.ScriptRunner._run_script = original  # type: ignore[method-assign]
        script_cache.ScriptCache.get_bytecode = compile_once  # type: ignore[method-assign]
        if previous is None:
            os.environ.pop("DASHBOARD_DATA_DIR", None)
        else:
            os.environ["DASHBOARD_DATA_DIR"] = previous
    return {
        "size": size_label(rows),
        "first_run_s": round(first_script, 3),
        "median_ms": round(statistics.median(r[0] for r in runs) * 1000, 1),
        "runs_ms": [round(r[0] * 1000, 1) for r in runs],
        "apptest_wall_median_ms": round(statistics.median(r[1] for r in runs) * 1000, 1),
        "builtin_data_median_ms": round(statistics.median(r[0] for r in builtin) * 1000, 1),
        "first_run_wall_s": round(first_wall, 3),
    }


# ---------------------------------------------------------------------------------------------
# 5-6. Zone classification, static PNG


def classify_measure(cfg: Config, folders: dict[int, Path], layers: Any) -> dict[str, Any]:
    rows = max(folders)
    data = load_incidents_csv(folders[rows] / "incidents.csv", "incidents.csv").data
    median, runs, _ = median_time(lambda: classify(data, layers), min(cfg.repeats, 3))
    return {"size": size_label(rows), "median_s": round(median, 3), "runs_s": runs,
            "rows_per_s": round(rows / median)}


def png_measure(cfg: Config, folders: dict[int, Path]) -> dict[str, Any]:
    try:
        from geo.export.png import render_png
        from geo.export.snapshot import make_snapshot
    except ImportError as exc:
        return {"skipped": f"geo.export cannot be imported yet ({exc})"}
    data = load_all()
    default = parse_view({})

    def render(view: ViewState, incidents: Any) -> bytes:
        snap = make_snapshot(view, data["layers"].data, incidents, data["timeline"].data)
        return render_png(snap, "slide")

    median, runs, png = median_time(lambda: render(default, data["incidents"].data),
                                    min(cfg.repeats, 3))
    out: dict[str, Any] = {"view": "default (today, 30 days, built-in data)", "preset": "slide",
                           "median_s": round(median, 3), "runs_s": runs, "bytes": len(png)}
    big = [n for n in folders if n <= RERUN_SIZE]
    if big:
        rows = max(big)
        incidents = load_incidents_csv(folders[rows] / "incidents.csv", "x.csv").data
        median, runs, _ = median_time(lambda: render(_view(), incidents), min(cfg.repeats, 3))
        out[f"since_{size_label(rows)}_median_s"] = round(median, 3)
    return out


# ---------------------------------------------------------------------------------------------
# 3, 7, 8. Browser measures


def browser_measures(cfg: Config, folders: dict[int, Path], work: Path) -> dict[str, Any]:
    if not cfg.browser:
        return {"browser_visible": {"skipped": "--no-browser"}}
    missing = harness.chromium_missing()
    if missing:
        return {"browser_visible": {"skipped": missing}}
    logs = work / "logs"
    logs.mkdir(exist_ok=True)
    user_data = work / "user_data"
    user_data.mkdir(exist_ok=True)
    visible: dict[str, Any] = {}
    memory: dict[str, Any] = {}
    repeats = max(1, min(cfg.repeats, 3))
    naive_dir = work / "naive"
    naive_dir.mkdir(exist_ok=True)
    for app_file in ("naive_app.py", "floor_app.py"):
        shutil.copy(ROOT / "bench" / app_file, naive_dir / app_file)
    (naive_dir / "static").symlink_to(ROOT / "static")  # st static serving: next to the script
    breakdown: dict[str, Any] = {}
    next_event: dict[str, Any] = {}
    with harness.chromium() as chrome:
        floor = floor_visible(chrome, naive_dir, logs, repeats)
        for rows, folder in folders.items():
            label = size_label(rows)
            entry: dict[str, Any] = {}
            visible[label] = entry
            env = {"DASHBOARD_DATA_DIR": str(folder), "DASHBOARD_USER_DATA": str(user_data)}
            try:
                with harness.server(env, logs / f"app-{label}.log") as app:
                    url = app.url + QUERY
                    warm = br.time_until(chrome, url, br.INCIDENTS, warm_timeout(rows))
                    runs = [br.time_until(chrome, url, br.INCIDENTS, visible_timeout(rows))
                            for _ in range(repeats)]
                    entry.update(ours_first_s=round(warm, 3),
                                 ours_s=round(statistics.median(runs), 3),
                                 ours_runs=[round(r, 3) for r in runs],
                                 vs_floor=_ratio(statistics.median(runs), floor.get("floor_s")))
                    breakdown[label] = br.phases(chrome, url, br.INCIDENTS, visible_timeout(rows),
                                                 then=br.TRACK_CHART)
                    if rows == max(n for n in folders if n <= RERUN_SIZE):
                        next_event = next_event_measure(chrome, app.url, label, rows, repeats)
                    if rows == max(folders):
                        memory = {"size": label, **br.peak_memory_mb(app.proc.pid)}
            except Exception as exc:  # noqa: BLE001 - keep the other sizes' figures
                entry["ours_error"] = f"{type(exc).__name__}: {str(exc)[:300]}"
            if rows <= cfg.naive_max:
                try:
                    entry.update(naive_visible(chrome, folder, naive_dir, logs, label, rows,
                                               repeats))
                except Exception as exc:  # noqa: BLE001
                    entry["naive_error"] = f"{type(exc).__name__}: {str(exc)[:300]}"
                entry["ratio"] = _ratio(entry.get("naive_s"), entry.get("ours_s"))
        breakdown["floor"] = floor.get("phases")
        cold = cold_start(chrome, logs, user_data, repeats)
    return {"browser_visible": visible, "cold_start": cold, "peak_memory": memory,
            "floor": floor, "first_map_breakdown": breakdown, "next_event": next_event}


def next_event_measure(chrome: Any, base: str, label: str, rows: int,
                       repeats: int) -> dict[str, Any]:
    """Clicks on the Map page's "Next event" from :data:`EVENT_QUERY` (the measured view's
    date has no later event), each in a fresh page; a failure is reported, not raised."""
    try:
        clicks = [br.next_event(chrome, base + EVENT_QUERY, visible_timeout(rows))
                  for _ in range(repeats)]
    except Exception as exc:  # noqa: BLE001 - keep the other measures
        return {"size": label, "error": f"{type(exc).__name__}: {str(exc)[:300]}"}
    return {"size": label, "from": EVENT_QUERY, "median_s": round(statistics.median(clicks), 3),
            "runs_s": [round(c, 3) for c in clicks]}


def floor_visible(chrome: Any, app_dir: Path, logs: Path, repeats: int) -> dict[str, Any]:
    """The floor (bench/floor_app.py): a bare page with one st_folium map and one CircleMarker,
    measured as the app is (a warm-up load, then the median of ``repeats`` fresh pages)."""
    with harness.server({}, logs / "floor.log", script=app_dir / "floor_app.py") as app:
        warm = br.time_until(chrome, app.url, br.NAIVE_INCIDENTS, warm_timeout(0))
        runs = [br.time_until(chrome, app.url, br.NAIVE_INCIDENTS, visible_timeout(0))
                for _ in range(repeats)]
        phases = br.phases(chrome, app.url, br.NAIVE_INCIDENTS, visible_timeout(0))
    return {"floor_first_s": round(warm, 3), "floor_s": round(statistics.median(runs), 3),
            "floor_runs": [round(r, 3) for r in runs], "phases": phases}


def naive_visible(chrome: Any, folder: Path, naive_dir: Path, logs: Path, label: str, rows: int,
                  repeats: int) -> dict[str, Any]:
    """The naive app rebuilds its map (about a second per thousand incidents) on every run and
    sends about 1.5 MB per thousand: its waits are bounded by size."""
    env = {"BENCH_NAIVE_CSV": str(folder / "incidents.csv"), "BENCH_DATE": DAY.isoformat()}
    timeout = 90 + 30 * rows / 1000
    script = naive_dir / "naive_app.py"
    with harness.server(env, logs / f"naive-{label}.log", script=script) as app:
        warm = br.time_until(chrome, app.url, br.NAIVE_INCIDENTS, timeout)
        runs = [br.time_until(chrome, app.url, br.NAIVE_INCIDENTS, timeout)
                for _ in range(repeats)]
    return {"naive_first_s": round(warm, 3), "naive_s": round(statistics.median(runs), 3),
            "naive_runs": [round(r, 3) for r in runs]}


def cold_start(chrome: Any, logs: Path, user_data: Path, repeats: int) -> dict[str, Any]:
    """From starting scripts/serve.py (built-in data/) to the Area of Separation drawn."""
    health, total = [], []
    for index in range(repeats):
        started = time.perf_counter()
        env = {"DASHBOARD_USER_DATA": str(user_data)}
        with harness.server(env, logs / f"cold-{index}.log") as app:
            br.time_until(chrome, app.url + "/", br.AREA_OF_SEPARATION, warm_timeout(0))
            total.append(time.perf_counter() - started)
            health.append(app.healthy_s)
    return {"health_s": round(statistics.median(health), 3),
            "visible_s": round(statistics.median(total), 3),
            "runs_s": [round(t, 3) for t in total]}


# ---------------------------------------------------------------------------------------------
# Targets and the table


def _get(results: dict[str, Any], *path: str) -> Any:
    node: Any = results.get("measures", {})
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    ours_1k = _get(results, "browser_visible", "1k", "ours_s")
    ours_100k = _get(results, "browser_visible", "100k", "ours_s")
    payload = _get(results, "payload", "100k", "ours_bytes")
    payload_1k = _get(results, "payload", "1k", "ours_bytes")
    measured: dict[str, float | None] = {
        "visible_1k_vs_floor": _get(results, "browser_visible", "1k", "vs_floor"),
        "visible_100k_vs_floor": _get(results, "browser_visible", "100k", "vs_floor"),
        "cold_start_s": _get(results, "cold_start", "visible_s"),
        "next_event_100k_s": _get(results, "next_event", "median_s")
        if _get(results, "next_event", "size") == "100k" else None,
        "payload_1k_mb": round(payload_1k / 1e6, 2) if payload_1k else None,
        "visible_100k_vs_1k": round(ours_100k / ours_1k, 2) if ours_1k and ours_100k else None,
        "visible_speedup_10k": _get(results, "browser_visible", "10k", "ratio"),
        "payload_100k_mb": round(payload / 1e6, 2) if payload else None,
        "rerun_100k_ms": _get(results, "rerun", "median_ms")
        if _get(results, "rerun", "size") == "100k" else None,
        "classify_1m_s": _get(results, "classify", "median_s")
        if _get(results, "classify", "size") == "1M" else None,
        "png_s": _get(results, "png_export", "median_s"),
        "peak_memory_1m_mb": _get(results, "peak_memory", "VmHWM")
        if _get(results, "peak_memory", "size") == "1M" else None,
        "viewshed_cold_s": _get(results, "viewshed", "cold_s"),
        "viewshed_warm_s": _get(results, "viewshed", "warm_s"),
        "import_250k_s": _get(results, "import", "csv_s")
        if _get(results, "import", "rows") == import_bench.ROWS else None,
        "import_250k_peak_mb": _get(results, "import", "peak_mb")
        if _get(results, "import", "rows") == import_bench.ROWS else None,
    }
    loads = results.get("load_average_by_step", {})
    out = []
    for key, text, target, unit in TARGETS:
        value = measured[key]
        at_least = "at least" in unit
        met = value is not None and (value >= target if at_least else value <= target)
        out.append({"key": key, "what": text, "target": target, "unit": unit,
                    "measured": value, "met": met, "measured_in_this_run": value is not None,
                    "load_average": loads.get(_STEP_OF.get(key, ""), None)})
    return out


#: The step of :func:`run` that measures each target (for its load average).
_STEP_OF: Final[dict[str, str]] = {
    "visible_1k_vs_floor": "browser", "visible_100k_vs_floor": "browser",
    "cold_start_s": "browser", "next_event_100k_s": "browser", "payload_1k_mb": "map",
    "visible_100k_vs_1k": "browser", "visible_speedup_10k": "browser", "payload_100k_mb": "map",
    "rerun_100k_ms": "rerun", "classify_1m_s": "classify", "png_s": "png_export",
    "peak_memory_1m_mb": "browser", "viewshed_cold_s": "viewshed", "viewshed_warm_s": "viewshed",
}


def table(results: dict[str, Any]) -> str:
    """The results as a plain-text table (also in bench/README.md's words)."""
    lines = [f"{'measure':44} {'size':>5} {'ours':>12} {'naive':>12} {'naive/ours':>10}"]

    def row(name: str, size: str, ours: Any, naive: Any = None, ratio: Any = None) -> None:
        cells = ["—" if v is None else str(v) for v in (ours, naive, ratio)]
        lines.append(f"{name:44} {size:>5} {cells[0]:>12} {cells[1]:>12} {cells[2]:>10}")

    measures = results["measures"]
    for size, m in measures.get("map_python", {}).items():
        row("1. python: dataset -> map payload (s)", size, m["ours_s"], m["naive_s"], m["ratio"])
    for size, m in measures.get("payload", {}).items():
        naive = None if m["naive_bytes"] is None else f"{m['naive_bytes'] / 1e6:.2f}"
        row("2. payload to the browser (MB)", size, f"{m['ours_bytes'] / 1e6:.2f}", naive,
            m["ratio"])
    for size, m in (measures.get("browser_visible") or {}).items():
        if not isinstance(m, dict):
            row(f"3. browser: {m}", "", None)
            continue
        ours = m.get("ours_s", "error" if "ours_error" in m else None)
        naive = m.get("naive_s", "error" if "naive_error" in m else None)
        row("3. browser: navigation -> incidents (s)", size, ours, naive, m.get("ratio"))
    rerun = measures.get("rerun", {})
    if "median_ms" in rerun:
        row("4. rerun after a date change (ms, server)", rerun["size"], rerun["median_ms"])
        row("4. the same with the 64 built-in incidents", "", rerun["builtin_data_median_ms"])
    cls = measures.get("classify", {})
    if "median_s" in cls:
        row("5. zone classification (s)", cls["size"], cls["median_s"])
    png = measures.get("png_export", {})
    row("6. static PNG export, default view (s)", "", png.get("median_s", png.get("skipped")))
    floor = measures.get("floor") or {}
    if floor:
        row("3. the floor: bare st_folium map (s)", "", floor.get("floor_s"))
    for size, m in (measures.get("first_map_breakdown") or {}).items():
        if m:
            row(f"3. shell / frame / Leaflet / visible ({size})", "",
                f"{m['shell_s']}/{m['frame_s']}/{m['leaflet_s']}/{m['visible_s']}")
    nxt = measures.get("next_event") or {}
    if nxt:
        row("3. click 'Next event' -> new map state (s)", nxt["size"], nxt["median_s"])
    cold = measures.get("cold_start") or {}
    if cold:
        row("7. cold start -> health (s)", "", cold["health_s"])
        row("7. cold start -> Area of Separation (s)", "", cold["visible_s"])
    mem = measures.get("peak_memory") or {}
    if mem:
        row("8. server peak memory VmHWM (MB)", mem["size"], mem.get("VmHWM"))
    view = measures.get("viewshed") or {}
    if view:
        row("9. 40 km viewshed, cold (s)", "", view["cold_s"])
        row("9. 40 km viewshed, warm: median / max (s)", "",
            f"{view['warm_s']} / {view['warm_max_s']}")
        row("9. 40 km viewshed, cached (s)", "", view["cached_s"])
    imp = measures.get("import") or {}
    if imp:
        row("10. ACLED import, CSV / ZIP (s)", f"{imp['rows']:,}",
            f"{imp['csv_s']} / {imp['zip_s']}")
        row("10. ACLED import, peak memory (MB)", f"{imp['rows']:,}", imp["peak_mb"])
    lines.append("")
    lines.append(f"{'target':58} {'goal':>16} {'measured':>10}  met")
    for t in results.get("targets", []):
        goal = f"{t['target']:g} {t['unit']}"
        met = {True: "yes", False: "NO", None: "—"}[t["met"]]
        value = "—" if t["measured"] is None else t["measured"]
        lines.append(f"{t['what']:58} {goal:>16} {value!s:>10}  {met}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------


def run(cfg: Config) -> dict[str, Any]:
    """Run every measure and write the results JSON; returns the results."""
    started = time.perf_counter()
    results: dict[str, Any] = {
        "machine": machine(),
        "config": {"sizes": [size_label(n) for n in cfg.sizes], "repeats": cfg.repeats,
                   "quick": cfg.quick, "browser": cfg.browser, "seed": cfg.seed,
                   "date": DAY.isoformat(), "window": WINDOW,
                   "naive_sizes": [size_label(n) for n in cfg.sizes if n <= cfg.naive_max]},
        "measures": {},
        "notes": [
            f"naive baseline only at {size_label(cfg.naive_max)} incidents and below: it takes "
            "about a second per thousand incidents to build, and its page grows by about 1.5 MB "
            "per thousand",
            "naive app: streamlit-folium would fetch Leaflet from CDNs (unreachable here); its "
            "map is pointed at the local assets with geo.render.assets.localise, as the real app's",
            "medians over repeats; the machine may be shared: see load_average_*",
        ],
    }
    layers = load_all()["layers"].data
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        work = Path(tmp)
        folders = prepare(sorted(cfg.sizes), work, cfg.seed)
        steps: list[tuple[str, Callable[[], dict[str, Any]]]] = [
            ("map", lambda: map_measures(cfg, folders, layers)),
            ("classify", lambda: {"classify": classify_measure(cfg, folders, layers)}),
            ("png_export", lambda: {"png_export": png_measure(cfg, folders)}),
            ("rerun", lambda: {"rerun": rerun_measure(cfg, folders)}),
            ("browser", lambda: browser_measures(cfg, folders, work)),
            ("viewshed", lambda: {"viewshed": viewshed_bench.run(cfg.repeats)}),
            ("import", lambda: {"import": import_bench.run(
                import_bench.ROWS if not cfg.quick else 10_000, 1)}),
        ]
        results["load_average_by_step"] = {}
        for name, step in steps:
            results["load_average_by_step"][name] = [round(x, 2) for x in os.getloadavg()]
            step_started = time.perf_counter()
            print(f"[bench] {name} …", file=sys.stderr, flush=True)
            try:
                results["measures"].update(step())
            except Exception as exc:  # noqa: BLE001 - one failed measure must not lose the rest
                results["measures"][f"{name}_error"] = f"{type(exc).__name__}: {exc}"
            print(f"[bench] {name} done in {time.perf_counter() - step_started:.0f} s",
                  file=sys.stderr, flush=True)
    results["machine"]["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    results["total_s"] = round(time.perf_counter() - started, 1)
    results["targets"] = targets(results)
    cfg.out.parent.mkdir(parents=True, exist_ok=True)
    cfg.out.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Benchmark the dashboard at ACLED scale.")
    parser.add_argument("--sizes", help="comma-separated: 1k,10k,100k,1M (default all; "
                        "--quick: 1k)")
    parser.add_argument("--repeats", type=int, help="runs per measure (default 5; --quick: 1)")
    parser.add_argument("--quick", action="store_true", help="one run of each measure")
    parser.add_argument("--no-browser", action="store_true", help="skip Chromium measures")
    parser.add_argument("--naive-max", default="10k", help="largest size for the naive baseline")
    parser.add_argument("--out", type=Path, default=RESULTS, help="results JSON file")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    default_sizes = "1k" if args.quick else "1k,10k,100k,1M"
    cfg = Config(
        sizes=[parse_size(s) for s in (args.sizes or default_sizes).split(",") if s.strip()],
        repeats=args.repeats or (1 if args.quick else 5),
        quick=args.quick,
        browser=not args.no_browser,
        naive_max=parse_size(args.naive_max),
        out=args.out,
        seed=args.seed,
    )
    results = run(cfg)
    print(table(results))
    print(f"\nwritten to {cfg.out} ({results['total_s']} s)")


if __name__ == "__main__":
    main()
