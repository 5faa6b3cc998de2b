"""A 40 km viewshed from the Hermon summit, timed cold, warm and cached; prints JSON.

    .venv/bin/python -m bench.viewshed [--repeats 3] [--out FILE]

- **cold**: the first viewshed in a fresh Python process (one subprocess per repeat), after its
  imports: it reads the DEM tiles, reprojects them to the 90 m UTM grid, places the summit
  observer (highest cell within 500 m of the Natural Earth summit point) and computes the
  viewshed with its polygons. The imports are timed apart (``import_s``): a server has done
  them before its first viewshed.
- **warm**: in a process that has computed one viewshed, each new observer (reported positions
  and places, none seen before) at the default parameters.
- **cached**: the summit report again with the same parameters, through the app's cache
  (``ui.terrain.report``, an ``st.cache_resource`` keyed on what the URL holds).

Targets on the 2-core machine: cold ≤ 3 s, warm ≤ 1 s, cached instant. Each timing has its wall
time and the process CPU time next to it, and the load average is recorded before and after:
other work on the machine slows the wall time, not the CPU time.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Final

ROOT: Final[Path] = Path(__file__).resolve().parent.parent
SUMMIT: Final[tuple[float, float]] = (35.859975, 33.409997)  # Natural Earth summit point
#: New observers for the warm runs: reported positions and places on or near the Golan.
OBSERVERS: Final[dict[str, tuple[float, float]]] = {
    "Tel Kudna post": (35.88938, 33.0094),
    "hilltop over Beit Jinn": (35.87972, 33.31376),
    "Quneitra": (35.82461, 33.12595),
    "Majdal Shams": (35.7716, 33.27029),
    "Jubata al-Khashab base": (35.83356, 33.22541),
}
TARGETS_S: Final[dict[str, float]] = {"cold": 3.0, "warm": 1.0}


def _timed(run: Any) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = run()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def child() -> dict[str, Any]:
    """One fresh process: imports, the cold summit viewshed, warm observers, the cache."""
    start = time.perf_counter()
    from geo.analysis.viewshed import highest_cell_near, viewshed

    import_s = time.perf_counter() - start
    summit, dem_s, dem_cpu = _timed(lambda: highest_cell_near(*SUMMIT))
    first, view_s, view_cpu = _timed(lambda: viewshed(summit.lon, summit.lat))
    warm = {}
    for name, (lon, lat) in OBSERVERS.items():
        result, wall, cpu = _timed(lambda lon=lon, lat=lat: viewshed(lon, lat))
        warm[name] = {"wall_s": round(wall, 3), "cpu_s": round(cpu, 3),
                      "visible_km2": round(result.visible_km2, 1)}
    from geo.core.terrain import TerrainView
    from ui import terrain

    first_report = terrain.report("summit", TerrainView())
    again, cached_s, _ = _timed(lambda: terrain.report("summit", TerrainView()))
    assert again is first_report
    return {
        "import_s": round(import_s, 3),
        "cold_s": round(dem_s + view_s, 3),
        "cold_cpu_s": round(dem_cpu + view_cpu, 3),
        "cold_dem_s": round(dem_s, 3),
        "cold_viewshed_s": round(view_s, 3),
        "warm": warm,
        "cached_s": round(cached_s, 6),
        "summit": {"lon": round(summit.lon, 5), "lat": round(summit.lat, 5),
                   "ground_m": round(summit.ground_m, 1),
                   "visible_km2": round(first.visible_km2, 1),
                   "outside_dem_km2": round(first.outside_dem_km2, 1)},
    }


def run(repeats: int) -> dict[str, Any]:
    load_before = os.getloadavg()
    runs = []
    for _ in range(repeats):
        done = subprocess.run([sys.executable, "-m", "bench.viewshed", "--child"], cwd=ROOT,
                              check=True, capture_output=True, text=True)
        runs.append(json.loads(done.stdout))
    warm_wall = [w["wall_s"] for r in runs for w in r["warm"].values()]
    warm_cpu = [w["cpu_s"] for r in runs for w in r["warm"].values()]
    return {
        "measure": "viewshed, radius 40 km, observer 10 m, target 2 m, k = 0.13",
        "repeats": repeats,
        "cold_s": statistics.median(r["cold_s"] for r in runs),
        "cold_cpu_s": statistics.median(r["cold_cpu_s"] for r in runs),
        "import_s": statistics.median(r["import_s"] for r in runs),
        "warm_s": statistics.median(warm_wall),
        "warm_max_s": max(warm_wall),
        "warm_cpu_s": statistics.median(warm_cpu),
        "cached_s": max(r["cached_s"] for r in runs),
        "targets_s": TARGETS_S,
        "loadavg_before": [round(v, 2) for v in load_before],
        "loadavg_after": [round(v, 2) for v in os.getloadavg()],
        "cpu_count": os.cpu_count(),
        "runs": runs,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, help="also write the JSON to this file")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    report = child() if args.child else run(args.repeats)
    text = json.dumps(report, indent=None if args.child else 2)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
