"""Named user datasets of incidents, kept as GeoPackage files in a user data folder.

The folder is ``user_data/`` at the repository root unless the environment variable
``DASHBOARD_USER_DATA`` names another. Each dataset is one ``<name>.gpkg`` file (layer
``incidents``). Saving writes a temporary file in the same folder and moves it into place with
:func:`os.replace`, so a crash mid-save leaves the previous version intact. A file that cannot
be read is reported and moved aside to ``<name>.corrupt-<timestamp>``, never dropped silently.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import geopandas as gpd
import pandas as pd
import pyogrio

from geo.core.crs import WGS84
from geo.core.model import INCIDENT_COLUMNS, INCIDENT_EXTRA_COLUMNS, INCIDENT_REQUIRED
from geo.data.incidents import incident_frame

ENV_VAR: Final[str] = "DASHBOARD_USER_DATA"
DEFAULT_FOLDER: Final[Path] = Path(__file__).resolve().parents[2] / "user_data"
SUFFIX: Final[str] = ".gpkg"
LAYER: Final[str] = "incidents"
NAME_PATTERN: Final[re.Pattern[str]] = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
#: Temporary files older than this are left-overs of interrupted saves and are removed.
STALE_TEMP_SECONDS: Final[float] = 3600.0
_TEMP_PREFIX: Final[str] = ".tmp-"
#: An unreadable file ``x.gpkg`` is renamed ``x.corrupt-<UTC timestamp>``.
CORRUPT_MARK: Final[str] = ".corrupt-"


class StoreError(ValueError):
    """A dataset could not be saved, loaded or deleted; the message says why."""


class CorruptDatasetError(StoreError):
    """A saved file could not be read; it has been moved aside (see ``moved_to``)."""

    def __init__(self, message: str, moved_to: Path | None) -> None:
        super().__init__(message)
        self.moved_to = moved_to


@dataclass(frozen=True)
class DatasetInfo:
    name: str
    rows: int
    size_bytes: int
    modified: dt.datetime
    path: Path


@dataclass
class Listing:
    """Saved datasets, the problems found while listing them (files set aside now), and every
    file set aside so far (``<name>.corrupt-<timestamp>``, until someone removes it)."""

    datasets: list[DatasetInfo] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    set_aside: list[str] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [d.name for d in self.datasets]


def user_folder(folder: Path | str | None = None) -> Path:
    """The user data folder: ``folder``, else $DASHBOARD_USER_DATA, else ``user_data/``."""
    if folder is not None:
        return Path(folder)
    env = os.environ.get(ENV_VAR, "").strip()
    return Path(env) if env else DEFAULT_FOLDER


def check_name(name: str) -> str:
    """Return ``name`` if it is a safe dataset name, else raise StoreError.

    Names are lower-case slugs: letters a-z, digits, ``-`` and ``_``, 1-64 characters, starting
    with a letter or digit. Nothing else is allowed (no dots, slashes or spaces), so a name can
    never leave the folder.
    """
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        shown = repr(name)[:70]
        raise StoreError(
            f"{shown} is not a valid dataset name: use 1-64 lower-case letters, digits, '-' or "
            "'_', starting with a letter or digit."
        )
    return name


def slugify(text: str, fallback: str = "dataset") -> str:
    """A safe dataset name suggested from free text (e.g. an uploaded file's name)."""
    stem = re.sub(r"\.(csv|geojson|json|gpkg)$", "", str(text or ""), flags=re.IGNORECASE)
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-_")[:64].strip("-_")
    return slug if slug and NAME_PATTERN.match(slug) else fallback


def _path(name: str, folder: Path) -> Path:
    path = folder / f"{check_name(name)}{SUFFIX}"
    if path.resolve().parent != folder.resolve():  # belt and braces: the pattern forbids this
        raise StoreError(f"{name!r} would leave the user data folder.")
    return path


# ---------------------------------------------------------------------------------------------
# Writing


def _write(frame: gpd.GeoDataFrame, path: Path) -> None:
    """Write one GeoPackage file (separate function so tests can simulate a crash)."""
    pyogrio.write_dataframe(frame, path, layer=LAYER, driver="GPKG")


def _prepare(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    missing = [c for c in INCIDENT_REQUIRED if c not in gdf]
    if missing:
        raise StoreError(f"not an incident dataset: missing column(s) {', '.join(missing)}.")
    keep = [c for c in (*INCIDENT_COLUMNS, *INCIDENT_EXTRA_COLUMNS) if c in gdf]
    frame = gpd.GeoDataFrame(gdf[keep].copy(), geometry=gdf.geometry.to_numpy(), crs=gdf.crs)
    if frame.crs is None:
        frame = frame.set_crs(WGS84)
    elif not frame.crs.equals(WGS84):
        frame = frame.to_crs(WGS84)
    for col in frame.columns:
        if col == frame.geometry.name:
            continue
        series = frame[col]
        if pd.api.types.is_datetime64_any_dtype(series):
            frame[col] = series.dt.strftime("%Y-%m-%d")
        elif series.dtype == object or pd.api.types.is_string_dtype(series):
            frame[col] = series.astype(object).where(series.notna(), None)
            frame[col] = [None if v is None else str(v) for v in frame[col]]
    return frame


def save(name: str, gdf: gpd.GeoDataFrame, folder: Path | str | None = None) -> Path:
    """Save incidents as dataset ``name`` (replacing any previous version atomically)."""
    base = user_folder(folder)
    path = _path(name, base)
    frame = _prepare(gdf)
    base.mkdir(parents=True, exist_ok=True)
    temp = base / f"{_TEMP_PREFIX}{name}-{uuid.uuid4().hex}{SUFFIX}"
    try:
        _write(frame, temp)
        with open(temp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temp, path)
        _fsync_dir(base)
    except StoreError:
        raise
    except Exception as exc:  # noqa: BLE001 - GDAL and the file system raise many kinds
        detail = str(exc).replace(str(temp), temp.name).replace(str(base), ".")[:200]
        raise StoreError(f"could not save dataset {name!r}: {detail}") from exc
    finally:
        if temp.exists():
            temp.unlink(missing_ok=True)
    return path


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
        except Exception as exc:  # noqa: BLE001 - any failure to open means corrupt
            listing.problems.append(str(_corrupt(name, path, exc)))
            continue
        stat = path.stat()
        listing.datasets.append(DatasetInfo(
            name, rows, stat.st_size,
            dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC), path,
        ))
    # Reported on every listing, in every session: a dataset set aside never just vanishes.
    listing.set_aside = sorted(p.name for p in base.glob(f"*{CORRUPT_MARK}*") if p.is_file())
    return listing


def load(name: str, folder: Path | str | None = None) -> gpd.GeoDataFrame:
    """Load dataset ``name`` as a typed incident GeoDataFrame.

    Raises StoreError if it does not exist, CorruptDatasetError (after moving the file aside)
    if it cannot be read.
    """
    base = user_folder(folder)
    path = _path(name, base)
    if not path.is_file():
        raise StoreError(f"no saved dataset named {name!r}.")
    try:
        raw = pyogrio.read_dataframe(path, layer=LAYER)
    except Exception as exc:  # noqa: BLE001
        raise _corrupt(name, path, exc) from exc
    missing = [c for c in INCIDENT_REQUIRED if c not in raw]
    if missing:
        raise StoreError(
            f"saved dataset {name!r} is not an incident dataset (missing {', '.join(missing)})."
        )
    frame = pd.DataFrame(raw.drop(columns=raw.geometry.name, errors="ignore"))
    for col in (*INCIDENT_COLUMNS, *INCIDENT_EXTRA_COLUMNS):
        if col not in frame:
            frame[col] = ""
    for col in frame.columns:
        if col in ("latitude", "longitude", "fatalities", "geo_precision", "time_precision"):
            frame[col] = frame[col].astype(object).where(frame[col].notna(), "")
        elif frame[col].dtype == object or pd.api.types.is_string_dtype(frame[col]):
            frame[col] = frame[col].fillna("").astype(object)
    try:
        return incident_frame(frame)
    except (ValueError, TypeError) as exc:
        raise StoreError(f"saved dataset {name!r} has unreadable values ({exc}).") from exc


def delete(name: str, folder: Path | str | None = None) -> bool:
    """Delete dataset ``name``; returns False if there was none."""
    path = _path(name, user_folder(folder))
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise StoreError(f"could not delete dataset {name!r}: {exc}") from exc
    return True


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
