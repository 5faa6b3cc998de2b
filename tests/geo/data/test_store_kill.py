"""A writer killed (SIGKILL) in the middle of a save leaves the previous version intact, on both
backends. The test waits for a condition showing the writer is mid-save, never a fixed time:

* GeoPackage: the writer has written its whole temporary file and drops a marker file just
  before it would move it into place;
* PostGIS: the writer has replaced the rows inside its transaction and waits, before commit, on
  the dataset row that the test holds locked (seen in ``pg_stat_activity``).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import sqlalchemy as sa

from geo.data import store
from geo.data.importers import import_incidents
from geo.data.store import migrate

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "tests" / "data"
DEADLINE = 120.0

WRITER = """
import signal, sys
from pathlib import Path
from geo.data import store
from geo.data.store import gpkg
from geo.data.importers import import_incidents
kind, where, marker = sys.argv[1:4]
other = import_incidents(Path(sys.argv[4]).read_bytes(), 'ged.csv').data
if kind == 'gpkg':
    write = gpkg._write
    def write_then_wait(frame, path, layer):
        write(frame, path, layer)
        Path(marker).write_text('written')  # the temporary file is complete
        signal.pause()  # killed here, before os.replace
    gpkg._write = write_then_wait
    store.open_store(folder=where).save_dataset('safe', other, 1)
else:
    store.open_store(where).save_dataset('safe', other, 1)
"""


def _records(frame: gpd.GeoDataFrame) -> list[dict]:
    cols = ["event_id_cnty", "event_date", "event_type", "latitude", "longitude", "fatalities",
            "notes", "url"]
    out = pd.DataFrame(frame[cols]).astype(object).where(frame[cols].notna(), None)
    return json.loads(out.to_json(orient="records"))


def _wait_for(condition: Callable[[], object], what: str) -> object:
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        found = condition()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _start(kind: str, where: str, marker: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, kind, where, str(marker),
         str(DATA / "ucdp_ged_header.csv")],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _kill(writer: subprocess.Popen[bytes]) -> None:
    os.kill(writer.pid, signal.SIGKILL)
    assert writer.wait(DEADLINE) == -signal.SIGKILL


@pytest.mark.parametrize("kind", ["gpkg", "postgis"])
def test_writer_killed_mid_save_keeps_the_previous_version(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    incidents = import_incidents((DATA / "acled_bom.csv").read_bytes(), "acled.csv").data
    other = import_incidents((DATA / "ucdp_ged_header.csv").read_bytes(), "ged.csv").data
    folder = tmp_path / "user_data"
    where = request.getfixturevalue("postgis_url") if kind == "postgis" else str(folder)
    target = store.open_store(where) if kind == "postgis" else store.open_store(folder=folder)
    assert target.save_dataset("safe", incidents, None) == 1
    marker = tmp_path / "marker"

    if kind == "gpkg":
        writer = _start(kind, where, marker)
        _wait_for(marker.exists, "the writer to finish its temporary file")
        _kill(writer)
        left = list(folder.glob(".tmp-safe-*.gpkg"))
        assert len(left) == 1 and left[0].stat().st_size > 0  # it died mid-save
    else:
        engine = migrate.engine_for(where)
        with engine.connect() as holder:
            holder.begin()
            holder.execute(sa.text("SELECT 1 FROM datasets WHERE name = 'safe' FOR UPDATE"))
            writer = _start(kind, where, marker)

            def waiting_pid() -> int | None:
                with engine.connect() as conn:
                    return conn.execute(sa.text(
                        "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                        "AND query LIKE 'UPDATE datasets SET version%'")).scalar()

            pid = _wait_for(waiting_pid, "the writer to wait before commit")
            _kill(writer)
            holder.rollback()

        def gone() -> bool:
            with engine.connect() as conn:
                return conn.execute(sa.text("SELECT count(*) FROM pg_stat_activity "
                                            "WHERE pid = :pid"), {"pid": pid}).scalar() == 0

        _wait_for(gone, "the killed writer's server session to end")
        engine.dispose()

    back, version = target.load_dataset("safe")
    assert version == 1 and _records(back) == _records(incidents)
    listing = target.list_datasets()
    assert [(d.name, d.rows, d.version) for d in listing] == [("safe", len(incidents), 1)]
    assert not listing.problems
    assert target.save_dataset("safe", other, 1) == 2  # nothing left locked
    assert _records(target.load_dataset("safe")[0]) == _records(other)
