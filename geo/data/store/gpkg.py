"""The GeoPackage store: named datasets as files in a user data folder (the default store).

The folder is ``user_data/`` at the repository root unless the environment variable
``DASHBOARD_USER_DATA`` names another. Each dataset is one ``<name>.gpkg`` file (layer
``incidents``) holding its version number in a small table of its own (``store_version``).
Saving writes a temporary file in the same folder and moves it into place with
:func:`os.replace`, so a crash mid-save leaves the previous version intact. Writers hold an
exclusive lock on ``.lock-<name>`` while they compare versions and move the file in, so two
processes can never both win a save based on the same version. A file that cannot be read is
reported and moved aside to ``<name>.corrupt-<timestamp>``, never dropped silently.
The Store built on these functions, with annotations, is :mod:`geo.data.store.gpkg_store`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import os
import sqlite3
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import geopandas as gpd
import pandas as pd
import pyogrio

from geo.core.annotation import NAME_PATTERN
from geo.data.store.base import (
    ConflictError,
    CorruptDatasetError,
    DatasetInfo,
    Listing,
    StoreError,
    check_name,
)
from geo.data.store.frames import prepare, restore

ENV_VAR: Final[str] = "DASHBOARD_USER_DATA"
DEFAULT_FOLDER: Final[Path] = Path(__file__).resolve().parents[3] / "user_data"
SUFFIX: Final[str] = ".gpkg"
LAYER: Final[str] = "incidents"
VERSION_TABLE: Final[str] = "store_version"
#: Temporary files older than this are left-overs of interrupted saves and are removed.
STALE_TEMP_SECONDS: Final[float] = 3600.0
_TEMP_PREFIX: Final[str] = ".tmp-"
_LOCK_PREFIX: Final[str] = ".lock-"
#: An unreadable file ``x.gpkg`` is renamed ``x.corrupt-<UTC timestamp>``.
CORRUPT_MARK: Final[str] = ".corrupt-"


def user_folder(folder: Path | str | None = None) -> Path:
    """The user data folder: ``folder``, else $DASHBOARD_USER_DATA, else ``user_data/``."""
    if folder is not None:
        return Path(folder)
    env = os.environ.get(ENV_VAR, "").strip()
    return Path(env) if env else DEFAULT_FOLDER


def _path(name: str, folder: Path) -> Path:
    path = folder / f"{check_name(name)}{SUFFIX}"
    if path.resolve().parent != folder.resolve():  # belt and braces: the pattern forbids this
        raise StoreError(f"{name!r} would leave the user data folder.")
    return path


@contextlib.contextmanager
def locked(folder: Path, key: str, exclusive: bool = True) -> Iterator[None]:
    """Hold the lock ``.lock-<key>`` of the folder (exclusive for writers, shared for readers).
    The operating system releases it when the process dies, so a killed writer never blocks."""
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / f"{_LOCK_PREFIX}{key}", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        yield
    finally:
        os.close(fd)


# ---------------------------------------------------------------------------------------------
# Writing


def _write(frame: gpd.GeoDataFrame, path: Path, layer: str = LAYER) -> None:
    """Write one GeoPackage file (separate function so tests can simulate a crash)."""
    pyogrio.write_dataframe(frame, path, layer=layer, driver="GPKG")


def _stamp_version(path: Path, version: int) -> None:
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        db.execute(f"CREATE TABLE {VERSION_TABLE} (version INTEGER NOT NULL)")
        db.execute(f"INSERT INTO {VERSION_TABLE} (version) VALUES (?)", (version,))


def read_version(path: Path) -> int:
    """The version stored in a dataset file: 0 if there is no file, 1 for a file saved before
    versions were kept. Raises sqlite3.DatabaseError if the file is not a database."""
    if not path.is_file():
        return 0
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        known = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                           (VERSION_TABLE,)).fetchone()
        if not known:
            return 1
        row = db.execute(f"SELECT version FROM {VERSION_TABLE}").fetchone()
    return int(row[0]) if row else 1


def replace_atomically(frame: gpd.GeoDataFrame, path: Path, layer: str, version: int) -> None:
    """Write ``frame`` with ``version`` to a temporary file beside ``path``, flush it, and move
    it into place; on any failure the previous file is untouched and the temporary one removed."""
    base = path.parent
    temp = base / f"{_TEMP_PREFIX}{path.stem}-{uuid.uuid4().hex}{SUFFIX}"
    try:
        _write(frame, temp, layer)
        _stamp_version(temp, version)
        with open(temp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temp, path)
        _fsync_dir(base)
    except StoreError:
        raise
    except Exception as exc:  # noqa: BLE001 - GDAL, SQLite and the file system raise many kinds
        detail = str(exc).replace(str(temp), temp.name).replace(str(base), ".")[:200]
        raise StoreError(f"could not save {path.stem!r}: {detail}") from exc
    finally:
        if temp.exists():
            temp.unlink(missing_ok=True)


def check_version(what: str, expected: int | None, current: int) -> None:
    """ConflictError unless the stored version is the expected one (None or 0: no version)."""
    if (expected or 0) != current:
        raise ConflictError(what, expected, current)


def _save(name: str, gdf: gpd.GeoDataFrame, base: Path, expected: int | None,
          check: bool) -> tuple[Path, int]:
    path = _path(name, base)
    frame = prepare(gdf)
    with locked(base, name):
        current = _version_or_corrupt(name, path)
        if check:
            check_version(f"dataset {name!r}", expected, current)
        replace_atomically(frame, path, LAYER, current + 1)
    return path, current + 1


def save(name: str, gdf: gpd.GeoDataFrame, folder: Path | str | None = None) -> Path:
    """Save incidents as dataset ``name`` (replacing any previous version atomically)."""
    return _save(name, gdf, user_folder(folder), None, check=False)[0]


def save_checked(name: str, gdf: gpd.GeoDataFrame, base: Path, expected: int | None) -> int:
    """Save ``name`` only if its stored version is ``expected`` (None: only if there is none);
    returns the new version. Raises ConflictError, writing nothing, otherwise."""
    return _save(name, gdf, base, expected, check=True)[1]


def _fsync_dir(folder: Path) -> None:
    """Flush the folder's entries, so that the file just moved in survives a crash."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno != errno.EINVAL:  # EINVAL: this file system cannot sync a folder
            raise
    finally:
        os.close(fd)


# ---------------------------------------------------------------------------------------------
# Reading


def _set_aside(path: Path) -> Path | None:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = path.with_name(f"{path.stem}{CORRUPT_MARK}{stamp}")
    try:
        os.replace(path, target)
    except OSError:
        return None
    return target


def _corrupt(name: str, path: Path, exc: Exception) -> CorruptDatasetError:
    moved = _set_aside(path)
    where = f"moved aside to {moved.name}" if moved else "it could not be moved aside"
    text = str(exc).replace(str(path), path.name).strip()
    detail = text.splitlines()[0][:160] if text else type(exc).__name__
    return CorruptDatasetError(
        f"saved dataset {name!r} is unreadable ({detail}); {where}.", moved
    )


def _version_or_corrupt(name: str, path: Path) -> int:
    try:
        return read_version(path)
    except sqlite3.DatabaseError as exc:
        raise _corrupt(name, path, exc) from exc


def list_datasets(folder: Path | str | None = None) -> Listing:
    """Every saved dataset (sorted by name). Unreadable files are set aside and reported."""
    base = user_folder(folder)
    listing = Listing()
    if not base.is_dir():
        return listing
    listing.problems += _remove_stale_temps(base)
    for path in sorted(base.glob(f"*{SUFFIX}")):
        name = path.stem
        if name.startswith(".") or not NAME_PATTERN.match(name):
            continue
        try:
            info = pyogrio.read_info(path, layer=LAYER)
            rows = int(info.get("features", -1))
            if rows < 0:
                rows = len(pyogrio.read_dataframe(path, layer=LAYER, read_geometry=False,
                                                  columns=["event_id_cnty"]))
            version = read_version(path)
            stat = path.stat()
        except FileNotFoundError:
            continue  # deleted by another session meanwhile
        except Exception as exc:  # noqa: BLE001 - any failure to open means corrupt
            listing.problems.append(str(_corrupt(name, path, exc)))
            continue
        listing.datasets.append(DatasetInfo(
            name, rows, stat.st_size,
            dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC), path, version,
        ))
    # Reported on every listing, in every session: a dataset set aside never just vanishes.
    listing.set_aside = sorted(p.name for p in base.glob(f"*{CORRUPT_MARK}*") if p.is_file())
    return listing


def load_versioned(name: str, base: Path) -> tuple[gpd.GeoDataFrame, int]:
    path = _path(name, base)
    with locked(base, name, exclusive=False):
        if not path.is_file():
            raise StoreError(f"no saved dataset named {name!r}.")
        try:
            raw = pyogrio.read_dataframe(path, layer=LAYER)
            version = read_version(path)
        except Exception as exc:  # noqa: BLE001
            raise _corrupt(name, path, exc) from exc
    return restore(pd.DataFrame(raw.drop(columns=raw.geometry.name, errors="ignore")),
                   name), version


def load(name: str, folder: Path | str | None = None) -> gpd.GeoDataFrame:
    """Load dataset ``name`` as a typed incident GeoDataFrame.

    Raises StoreError if it does not exist, CorruptDatasetError (after moving the file aside)
    if it cannot be read.
    """
    return load_versioned(name, user_folder(folder))[0]


def delete_checked(name: str, base: Path, expected: int | None) -> bool:
    path = _path(name, base)
    with locked(base, name):
        if expected is not None:
            check_version(f"dataset {name!r}", expected, _version_or_corrupt(name, path))
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise StoreError(f"could not delete dataset {name!r}: {exc}") from exc
    return True


def delete(name: str, folder: Path | str | None = None) -> bool:
    """Delete dataset ``name``; returns False if there was none."""
    return delete_checked(name, user_folder(folder), None)


def _remove_stale_temps(base: Path) -> list[str]:
    """Remove the left-overs of interrupted saves; returns why any could not be removed."""
    cutoff = time.time() - STALE_TEMP_SECONDS
    problems: list[str] = []
    for temp in base.glob(f"{_TEMP_PREFIX}*{SUFFIX}"):
        try:
            if temp.stat().st_mtime < cutoff:
                temp.unlink()
        except FileNotFoundError:
            continue  # another session removed it meanwhile
        except OSError as exc:
            problems.append(f"could not remove the left-over file {temp.name}: {exc.strerror}.")
    return problems
