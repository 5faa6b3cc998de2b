"""Zone classification in PostGIS against the in-memory classification, at 1M and 10M incidents.

    .venv/bin/python -m bench.postgis_bench [--sizes 1M,10M] [--chunk 500k]

Starts a throwaway PostgreSQL + PostGIS cluster (tests/postgis.py), loads the zones and
prepares their grid and pieces (geo.analysis.zones_db.load_zones, timed), then for each size
makes synthetic incidents (bench/synth.py) in chunks of ``--chunk`` rows (seed SEED + chunk
number), and for every chunk: classifies it in memory (geo.analysis.zones.classify, timed) and
loads it into the ``incidents`` table with COPY (timed apart; the columns the classification
and the map use: id, date, type, coordinates, fatalities and the point as EWKT). The GiST and
b-tree indexes of ``incidents`` are dropped before the load and built again after it, with
their own definitions (timed apart), then the table is analysed. Then, in a fresh process so
that its memory is the app's, classifies the stored dataset in the database
(geo.analysis.zones_db.zone_counts) and reports the time and that process's peak memory. The
zone counts of both must be equal. Every step records the load average. Results go to
bench/results/postgis.json and, under "postgis", into bench/results/latest.json.
Targets: 10M classified in the database in at most 60 s, app process at most 2 GB.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd
import psycopg

from bench.synth import SEED, parse_size, size_label, synthetic_incidents
from geo.analysis.zones import ZONE_BY_KEY, classify
from geo.analysis.zones_db import DB_ZONES, load_zones
from geo.data.loaders import load_all
from geo.data.store import migrate
from tests.postgis import Cluster

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
TARGET_S = 60.0
TARGET_MB = 2048.0
COPY_COLUMNS = ("dataset", "row_no", "event_id_cnty", "event_date", "event_type", "latitude",
                "longitude", "fatalities", "geom")

CLASSIFY_CHILD = """
import json, sys, time
import sqlalchemy as sa
from geo.analysis.zones_db import zone_counts
engine = sa.create_engine(sys.argv[1])
with engine.connect() as conn:
    start = time.perf_counter()
    counts = zone_counts(conn, sys.argv[2])
    seconds = time.perf_counter() - start
# VmHWM: this process's own peak (ru_maxrss would include the parent's pages at fork)
status = open("/proc/self/status").read()
peak_mb = int(status.split("VmHWM:")[1].split()[0]) / 1024
print(json.dumps({"seconds": seconds, "counts": counts, "peak_mb": peak_mb}))
"""


def _memory_counts(classified: pd.DataFrame) -> dict[str, int]:
    out = {}
    for key in DB_ZONES:
        zone = ZONE_BY_KEY[key]
        out[key] = int((classified[zone.column] == zone.value).sum())
    return out


def _copy_chunk(conn: psycopg.Connection, name: str, frame: pd.DataFrame, offset: int) -> None:
    rows = pd.DataFrame({
        "dataset": name,
        "row_no": range(offset, offset + len(frame)),
        "event_id_cnty": frame["event_id_cnty"].to_numpy(),
        "event_date": frame["event_date"].to_numpy(),
        "event_type": frame["event_type"].to_numpy(),
        "latitude": frame["latitude"].to_numpy(),
        "longitude": frame["longitude"].to_numpy(),
        "fatalities": frame["fatalities"].to_numpy(),
        "geom": "SRID=4326;POINT(" + frame["longitude"] + " " + frame["latitude"] + ")",
    })
    buffer = io.StringIO()
    rows.to_csv(buffer, header=False, index=False)
    columns = ", ".join(COPY_COLUMNS)
    with conn.cursor() as cur, cur.copy(f"COPY incidents ({columns}) FROM STDIN (FORMAT csv)") \
            as copy:
        copy.write(buffer.getvalue())


def _label(rows: int) -> str:
    return f"{rows // 1_000_000}M" if rows % 1_000_000 == 0 else size_label(rows)


def _timed(seconds: float) -> dict[str, Any]:
    """A step's seconds with the load average at its end."""
    return {"s": round(seconds, 2), "load_avg": [round(v, 2) for v in os.getloadavg()]}


def run_size(url: str, conninfo: str, rows: int, chunk: int, layers: Any) -> dict[str, Any]:
    name = f"bench-{_label(rows).lower()}"
    memory_s = copy_s = 0.0
    memory_counts = {key: 0 for key in DB_ZONES}
    with psycopg.connect(conninfo) as conn:
        conn.execute("INSERT INTO datasets (name, version, rows) VALUES (%s, 1, %s)",
                     (name, rows))
        indexes = [str(d) for (d,) in conn.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'incidents' "
            "AND indexname IN ('incidents_geom_idx', 'incidents_date_idx')")]
        conn.execute("DROP INDEX incidents_geom_idx, incidents_date_idx")
        conn.commit()
        for index, offset in enumerate(range(0, rows, chunk)):
            frame = synthetic_incidents(min(chunk, rows - offset), seed=SEED + index)
            start = time.perf_counter()
            classified = classify(frame, layers)
            memory_s += time.perf_counter() - start
            for key, n in _memory_counts(classified).items():
                memory_counts[key] += n
            del classified
            start = time.perf_counter()
            _copy_chunk(conn, name, frame, offset)
            conn.commit()
            copy_s += time.perf_counter() - start
            print(f"  {name}: {offset + len(frame):,} rows", flush=True)
        loaded = _timed(copy_s)
        start = time.perf_counter()
        for definition in indexes:
            conn.execute(definition)
            conn.commit()
        built = _timed(time.perf_counter() - start)
        start = time.perf_counter()
        conn.execute("ANALYZE incidents")
        conn.commit()
        analyze_s = time.perf_counter() - start
    child = subprocess.run([sys.executable, "-c", CLASSIFY_CHILD, url, name], cwd=ROOT,
                           capture_output=True, text=True, check=True)
    database = json.loads(child.stdout)
    return {
        "size": _label(rows), "rows": rows, "chunk_rows": chunk,
        "copy_load_s": loaded["s"], "copy_load_avg": loaded["load_avg"],
        "index_build_s": built["s"], "index_build_load_avg": built["load_avg"],
        "analyze_s": round(analyze_s, 2),
        "memory_classify_s": round(memory_s, 2),
        "postgis_classify_s": round(database["seconds"], 2),
        "postgis_classify_load_avg": [round(v, 2) for v in os.getloadavg()],
        "postgis_app_peak_mb": round(database["peak_mb"], 1),
        "counts_equal": database["counts"] == memory_counts,
        "zone_counts": database["counts"],
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1M,10M")
    parser.add_argument("--chunk", default="500k")
    args = parser.parse_args(argv)
    sizes = [parse_size(s) for s in args.sizes.split(",")]
    chunk = parse_size(args.chunk)
    layers = load_all()["layers"].data
    root = Path(tempfile.mkdtemp(prefix="pg-bench-"))
    cluster = Cluster(root)
    cluster.start()
    try:
        cluster.sql("postgres", "CREATE DATABASE bench TEMPLATE template_postgis")
        url = cluster.url("bench")
        engine = migrate.engine_for(url)
        migrate.apply(engine)
        start = time.perf_counter()
        with engine.begin() as conn:
            load_zones(conn, layers)
        zones = _timed(time.perf_counter() - start)
        engine.dispose()
        conninfo = f"host={cluster.socket_dir} port={cluster.port} user={cluster.user} dbname=bench"
        runs = []
        for rows in sizes:
            runs.append(run_size(url, conninfo, rows, chunk, layers))
            print(json.dumps(runs[-1]), flush=True)
    finally:
        cluster.stop()
        subprocess.run(["rm", "-rf", str(root)], check=False)
    ten = next((r for r in runs if r["rows"] == 10_000_000), None)
    result = {
        "machine": {"cpus": os.cpu_count(), "load_avg": os.getloadavg()},
        "zone_prepare_s": zones["s"], "zone_prepare_load_avg": zones["load_avg"],
        "runs": runs,
        "target_10m_s": TARGET_S, "target_app_mb": TARGET_MB,
        "met": None if ten is None else (
            ten["postgis_classify_s"] <= TARGET_S and ten["postgis_app_peak_mb"] <= TARGET_MB),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "postgis.json").write_text(json.dumps(result, indent=2) + "\n")
    latest = RESULTS / "latest.json"
    merged = json.loads(latest.read_text()) if latest.is_file() else {}
    merged["postgis"] = result
    latest.write_text(json.dumps(merged, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
