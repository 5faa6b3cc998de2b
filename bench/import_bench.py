"""Import of a full-size ACLED export (250k rows, as CSV and as ZIP): time and peak memory.

    .venv/bin/python -m bench.import_bench [--rows 250k] [--repeats 1] [--out FILE]

The export is written by ``bench/synth.py --acled`` (the same seeded generator, so the same
file each time; about 95 MB at 250k rows) and zipped once. Each import runs in a fresh Python
process, as the upload would in a server that has done its imports: the child imports the
modules first, then times :func:`geo.data.importers.import_incidents` on the bytes (wall and
CPU time) and reports its peak resident memory (VmHWM, the whole process: the file's bytes,
the text, the rows and the result). Targets on the 2-core machine: ≤ 20 s and ≤ 1.5 GB for
250k rows. The load average is recorded before and after: other work on the machine slows the
wall time, not the CPU time.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any, Final

ROOT: Final[Path] = Path(__file__).resolve().parent.parent
#: Targets for 250k rows: seconds and peak memory (MB) of the importing process.
TARGETS: Final[dict[str, float]] = {"seconds": 20.0, "peak_mb": 1536.0}
ROWS: Final[int] = 250_000


def _peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def child(path: Path) -> dict[str, Any]:
    """Import one file in this (fresh) process: seconds, CPU seconds, peak MB, rows."""
    from geo.data.importers import import_incidents

    data = path.read_bytes()
    started, cpu = time.perf_counter(), time.process_time()
    result = import_incidents(data, path.name)  # the app's own limits
    return {
        "seconds": round(time.perf_counter() - started, 2),
        "cpu_seconds": round(time.process_time() - cpu, 2),
        "peak_mb": round(_peak_mb()),
        "accepted": result.accepted,
        "rejected": len(result.rejected),
        "rows_read": result.rows_read,
    }


def _in_fresh_process(path: Path) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.import_bench", "--child", str(path)],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def run(rows: int = ROWS, repeats: int = 1) -> dict[str, Any]:
    """Write the export, import it as CSV ``repeats`` times and as ZIP once, each in a fresh
    process; the medians and the worst peak memory, with the load average."""
    from bench.synth import synthetic_incidents, to_acled, write_csv

    load_start = [round(x, 2) for x in os.getloadavg()]
    with tempfile.TemporaryDirectory(prefix="import-bench-") as folder:
        csv_path = write_csv(to_acled(synthetic_incidents(rows)), Path(folder) / "acled.csv")
        zip_path = csv_path.with_suffix(".zip")
        with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(csv_path, "acled.csv")
        csv_runs = [_in_fresh_process(csv_path) for _ in range(max(repeats, 1))]
        zip_run = _in_fresh_process(zip_path)
        sizes = {"csv_mb": round(csv_path.stat().st_size / 1e6, 1),
                 "zip_mb": round(zip_path.stat().st_size / 1e6, 1)}
    seconds = statistics.median(r["seconds"] for r in csv_runs)
    return {
        "rows": rows,
        **sizes,
        "csv_s": seconds,
        "csv_cpu_s": statistics.median(r["cpu_seconds"] for r in csv_runs),
        "zip_s": zip_run["seconds"],
        "peak_mb": max(r["peak_mb"] for r in [*csv_runs, zip_run]),
        "accepted": csv_runs[0]["accepted"],
        "rejected": csv_runs[0]["rejected"],
        "runs": {"csv": csv_runs, "zip": zip_run},
        "targets": TARGETS,
        "load_average_start": load_start,
        "load_average_end": [round(x, 2) for x in os.getloadavg()],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="250k", help="rows of the export (250k, 10k, …)")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--out", type=Path, help="write the JSON here too")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child)))
        return 0
    from bench.synth import parse_size

    report = run(parse_size(args.rows), args.repeats)
    text = json.dumps(report, indent=2)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
