"""Named user datasets: GeoPackage files saved atomically, readable from another process,
safe names only, and corrupt files reported and set aside (never dropped silently)."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from geo.data import store
from geo.data.importers import import_incidents
from geo.data.store import gpkg

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "tests" / "data"


@pytest.fixture(scope="module")
def incidents() -> gpd.GeoDataFrame:
    return import_incidents((DATA / "acled_bom.csv").read_bytes(), "acled_bom.csv").data


@pytest.fixture(scope="module")
def other() -> gpd.GeoDataFrame:
    return import_incidents((DATA / "ucdp_ged_header.csv").read_bytes(), "ged.csv").data


def _files(folder: Path) -> list[str]:
    """The folder's files, without the writers' lock files (``.lock-<name>``)."""
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith(".lock-"))


def _records(frame: gpd.GeoDataFrame) -> list[dict]:
    cols = ["event_id_cnty", "event_date", "event_type", "latitude", "longitude", "fatalities",
            "notes", "url"]
    out = pd.DataFrame(frame[cols]).astype(object).where(frame[cols].notna(), None)
    return json.loads(out.to_json(orient="records"))


def test_save_then_load_in_a_new_process(tmp_path: Path, incidents) -> None:
    path = store.save("acled-sample", incidents, tmp_path)
    assert path == tmp_path / "acled-sample.gpkg" and path.is_file()
    code = (
        "import json, sys, pandas as pd\n"
        "from geo.data import store\n"
        "g = store.load('acled-sample', sys.argv[1])\n"
        "cols = ['event_id_cnty','event_date','event_type','latitude','longitude','fatalities',"
        "'notes','url']\n"
        "out = pd.DataFrame(g[cols]).astype(object).where(g[cols].notna(), None)\n"
        "print(out.to_json(orient='records'))\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=True)
    assert json.loads(done.stdout) == _records(incidents)


def test_load_restores_types_and_geometry(tmp_path: Path, incidents) -> None:
    store.save("typed", incidents, tmp_path)
    back = store.load("typed", tmp_path)
    assert str(back["fatalities"].dtype) == "Int64"
    assert back["fatalities"].isna().sum() == incidents["fatalities"].isna().sum()
    assert back.crs.equals("EPSG:4326")
    assert back.geometry.geom_equals(incidents.geometry).all()
    assert list(back["event_date"]) == list(incidents["event_date"])


def test_only_schema_columns_are_saved(tmp_path: Path, incidents) -> None:
    store.save("extra", incidents.assign(in_aos=True, scratch="x"), tmp_path)
    assert "scratch" not in store.load("extra", tmp_path).columns


def test_list_and_delete(tmp_path: Path, incidents, other) -> None:
    assert store.list_datasets(tmp_path / "missing").datasets == []
    store.save("b-set", other, tmp_path)
    store.save("a-set", incidents, tmp_path)
    listing = store.list_datasets(tmp_path)
    assert listing.names == ["a-set", "b-set"] and not listing.problems
    assert [d.rows for d in listing.datasets] == [len(incidents), len(other)]
    assert store.delete("a-set", tmp_path) is True
    assert store.delete("a-set", tmp_path) is False
    assert store.list_datasets(tmp_path).names == ["b-set"]


def test_save_replaces_the_previous_version(tmp_path: Path, incidents, other) -> None:
    store.save("same", incidents, tmp_path)
    store.save("same", other, tmp_path)
    assert _records(store.load("same", tmp_path)) == _records(other)
    assert _files(tmp_path) == ["same.gpkg"]


def test_crash_after_writing_the_temp_file_keeps_the_old_version(
    tmp_path: Path, incidents, other, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.save("safe", incidents, tmp_path)
    real_write = gpkg._write

    def write_then_crash(frame: gpd.GeoDataFrame, path: Path, layer: str) -> None:
        real_write(frame, path, layer)
        assert path.is_file() and path.parent == tmp_path  # temp file in the same folder
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(gpkg, "_write", write_then_crash)
    with pytest.raises(store.StoreError, match="disk full"):
        store.save("safe", other, tmp_path)
    assert _records(store.load("safe", tmp_path)) == _records(incidents)
    assert _files(tmp_path) == ["safe.gpkg"]  # temp removed


def test_crash_before_the_rename_keeps_the_old_version(
    tmp_path: Path, incidents, other, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.save("safe", incidents, tmp_path)

    def no_replace(src: object, dst: object) -> None:
        raise KeyboardInterrupt  # the process dies between writing and renaming

    monkeypatch.setattr(gpkg.os, "replace", no_replace)
    with pytest.raises(KeyboardInterrupt):
        store.save("safe", other, tmp_path)
    monkeypatch.undo()
    assert _records(store.load("safe", tmp_path)) == _records(incidents)
    assert store.list_datasets(tmp_path).names == ["safe"]


def test_stale_temp_files_are_cleaned_and_fresh_ones_kept(tmp_path: Path, incidents) -> None:
    store.save("kept", incidents, tmp_path)
    stale = tmp_path / ".tmp-kept-old.gpkg"
    fresh = tmp_path / ".tmp-kept-new.gpkg"
    stale.write_bytes(b"partial")
    fresh.write_bytes(b"partial")
    old = time.time() - 2 * store.STALE_TEMP_SECONDS
    os.utime(stale, (old, old))
    assert store.list_datasets(tmp_path).names == ["kept"]
    assert not stale.exists() and fresh.exists()


def test_a_stale_temp_file_that_cannot_be_removed_is_reported(
    tmp_path: Path, incidents, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.save("kept", incidents, tmp_path)
    stale = tmp_path / ".tmp-kept-old.gpkg"
    stale.write_bytes(b"partial")
    old = time.time() - 2 * store.STALE_TEMP_SECONDS
    os.utime(stale, (old, old))

    def refuse(self: Path, missing_ok: bool = False) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "unlink", refuse)
    listing = store.list_datasets(tmp_path)
    assert listing.names == ["kept"] and stale.exists()
    assert listing.problems == [
        "could not remove the left-over file .tmp-kept-old.gpkg: Permission denied."
    ]


@pytest.mark.parametrize(("errno_code", "saved"), [(errno.EINVAL, True), (errno.EIO, False)])
def test_a_folder_that_cannot_be_synced_only_matters_when_the_disk_fails(
    tmp_path: Path, incidents, monkeypatch: pytest.MonkeyPatch, errno_code: int, saved: bool
) -> None:
    def fsync(fd: int) -> None:
        if os.path.isdir(f"/proc/self/fd/{fd}"):
            raise OSError(errno_code, os.strerror(errno_code))

    monkeypatch.setattr(gpkg.os, "fsync", fsync)
    if saved:
        store.save("synced", incidents, tmp_path)
    else:
        with pytest.raises(store.StoreError, match="Input/output error"):
            store.save("synced", incidents, tmp_path)
    monkeypatch.undo()
    assert store.list_datasets(tmp_path).names == ["synced"]  # the file itself was moved in


def test_corrupt_file_is_reported_and_set_aside(tmp_path: Path, incidents) -> None:
    store.save("good", incidents, tmp_path)
    (tmp_path / "broken.gpkg").write_bytes(b"this is not a geopackage" * 50)
    listing = store.list_datasets(tmp_path)
    assert listing.names == ["good"]
    assert len(listing.problems) == 1 and "'broken' is unreadable" in listing.problems[0]
    assert str(tmp_path) not in listing.problems[0]  # no server paths in user messages
    aside = list(tmp_path.glob("broken.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes().startswith(b"this is not")
    assert "moved aside to " + aside[0].name in listing.problems[0]
    assert store.list_datasets(tmp_path).problems == []  # reported once, file kept aside


def test_truncated_file_is_set_aside_on_load(tmp_path: Path, incidents) -> None:
    path = store.save("cut", incidents, tmp_path)
    path.write_bytes(path.read_bytes()[:2048])
    with pytest.raises(store.CorruptDatasetError) as caught:
        store.load("cut", tmp_path)
    assert caught.value.moved_to is not None and caught.value.moved_to.exists()
    assert not path.exists()
    assert "cut" in str(caught.value) and "moved aside" in str(caught.value)


def test_missing_dataset(tmp_path: Path) -> None:
    with pytest.raises(store.StoreError, match="no saved dataset named 'nope'"):
        store.load("nope", tmp_path)


@pytest.mark.parametrize(
    "name",
    ["", "../escape", "..", "a/b", "a\\b", ".hidden", "Upper", "with space", "x.gpkg",
     "a" * 65, "-lead", "née", "nul\x00", "/abs"],
)
def test_unsafe_names_are_refused(tmp_path: Path, incidents, name: str) -> None:
    with pytest.raises(store.StoreError, match="not a valid dataset name"):
        store.save(name, incidents, tmp_path)
    with pytest.raises(store.StoreError):
        store.load(name, tmp_path)
    with pytest.raises(store.StoreError):
        store.delete(name, tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("text", "slug"), [
    ("ACLED export 2025.csv", "acled-export-2025"),
    ("../../etc/passwd", "etc-passwd"),
    ("ملف.csv", "dataset"),
    ("", "dataset"),
])
def test_slugify(text: str, slug: str) -> None:
    assert store.slugify(text) == slug
    store.check_name(store.slugify(text))


def test_folder_from_environment(tmp_path: Path, incidents, monkeypatch) -> None:
    monkeypatch.setenv(store.ENV_VAR, str(tmp_path / "from-env"))
    store.save("env", incidents)
    assert (tmp_path / "from-env" / "env.gpkg").is_file()
    assert store.list_datasets().names == ["env"]
    monkeypatch.delenv(store.ENV_VAR)
    assert store.user_folder() == store.DEFAULT_FOLDER


def test_refuses_frames_that_are_not_incidents(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame({"a": [1]}, geometry=gpd.points_from_xy([35.8], [33.1]),
                             crs="EPSG:4326")
    with pytest.raises(store.StoreError, match="not an incident dataset"):
        store.save("odd", frame, tmp_path)


def test_process_killed_mid_save_keeps_the_old_version(tmp_path: Path, incidents) -> None:
    """A real crash: the saving process is killed (SIGKILL) after writing the temporary file
    and before the rename. The old version is intact and the left-over is never listed."""
    store.save("safe", incidents, tmp_path)
    before = (tmp_path / "safe.gpkg").read_bytes()
    code = (
        "import os, signal, sys\n"
        "from geo.data import store\n"
        "from geo.data.store import gpkg\n"
        "from geo.data.importers import import_incidents\n"
        "other = import_incidents(open(sys.argv[2], 'rb').read(), 'ged.csv').data\n"
        "write = gpkg._write\n"
        "def write_then_die(frame, path, layer):\n"
        "    write(frame, path, layer)\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "gpkg._write = write_then_die\n"
        "store.save('safe', other, sys.argv[1])\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path),
                           str(DATA / "ucdp_ged_header.csv")],
                          cwd=ROOT, capture_output=True, timeout=120)
    assert done.returncode == -9, done.stderr.decode()[-2000:]
    left = list(tmp_path.glob(".tmp-safe-*.gpkg"))
    assert len(left) == 1 and left[0].stat().st_size > 0  # the process did die mid-save
    assert (tmp_path / "safe.gpkg").read_bytes() == before
    assert _records(store.load("safe", tmp_path)) == _records(incidents)
    listing = store.list_datasets(tmp_path)
    assert listing.names == ["safe"] and not listing.problems and not listing.set_aside
    old = time.time() - 2 * store.STALE_TEMP_SECONDS
    os.utime(left[0], (old, old))
    store.list_datasets(tmp_path)
    assert not left[0].exists()  # cleaned once stale


def test_set_aside_files_stay_reported(tmp_path: Path, incidents) -> None:
    store.save("good", incidents, tmp_path)
    (tmp_path / "broken.gpkg").write_bytes(b"garbage" * 100)
    first = store.list_datasets(tmp_path)
    assert len(first.problems) == 1
    aside = [p.name for p in tmp_path.glob("broken.corrupt-*")]
    assert first.set_aside == aside and len(aside) == 1
    later = store.list_datasets(tmp_path)  # another session, or after a restart
    assert later.problems == [] and later.set_aside == aside and later.names == ["good"]
