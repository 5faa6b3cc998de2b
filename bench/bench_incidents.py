"""Time the import and classification of a synthetic ACLED-shaped CSV (not a test).

    .venv/bin/python bench/bench_incidents.py [ROWS]

Prints the seconds taken by each step; nothing is written to disk.
"""

from __future__ import annotations

import csv
import io
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.analysis.zones import classify  # noqa: E402
from geo.data.importers import ACLED_COLUMNS, import_incidents  # noqa: E402
from geo.data.loaders import load_all  # noqa: E402


def synthetic_acled(rows: int, seed: int = 0) -> bytes:
    rng = np.random.default_rng(seed)
    lat = 32.7 + rng.random(rows) * 0.8
    lon = 35.6 + rng.random(rows) * 0.6
    day = rng.integers(0, 600, rows)
    months = ["January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(ACLED_COLUMNS)
    base = np.datetime64("2024-12-08")
    for i in range(rows):
        date = (base + int(day[i])).astype(object)
        text_date = f"{date.day:02d} {months[date.month - 1]} {date.year}" if i % 2 else str(date)
        row = {c: "" for c in ACLED_COLUMNS}
        row.update(
            event_id_cnty=f"SYR{i:07d}", event_date=text_date, year=str(date.year),
            time_precision="1", disorder_type="Political violence",
            event_type=("Battles", "Explosions/Remote violence", "Strategic developments")[i % 3],
            sub_event_type="Armed clash", actor1="Military Forces of Israel (2022-)",
            inter1="State forces" if i % 2 else "1", interaction="17", iso="760",
            region="Middle East", country="Syria", admin1="Quneitra", admin2="Quneitra",
            location="Somewhere", latitude=f"{lat[i]:.5f}", longitude=f"{lon[i]:.5f}",
            geo_precision="1", source="Synthetic", source_scale="National",
            notes="Synthetic row for timing.", fatalities=str(i % 4), timestamp="1700000000",
        )
        writer.writerow([row[c] for c in ACLED_COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    data = synthetic_acled(rows)
    layers = load_all()["layers"].data
    t0 = time.perf_counter()
    result = import_incidents(data, "synthetic_acled.csv", max_bytes=200_000_000)
    t1 = time.perf_counter()
    classified = classify(result.data, layers)
    t2 = time.perf_counter()
    print(f"{rows:,} rows, {len(data) / 1e6:.1f} MB: {result.summary[:120]}")
    print(f"import {t1 - t0:.2f} s, classify {t2 - t1:.2f} s, total {t2 - t0:.2f} s "
          f"({int(classified['in_aos'].sum())} in the Area of Separation)")


if __name__ == "__main__":
    main()
