"""The GeoPackage :class:`~geo.data.store.base.Store`: datasets as files (:mod:`.gpkg`) and the
annotations, every version of each, in one file ``_annotations.gpkg`` of the same folder.

An annotation save takes the folder's annotation lock, checks the latest stored version of that
id against the expected one, and rewrites the file atomically with the new version appended
(the file holds hundreds of rows, not millions). The leading ``_`` keeps the file out of the
dataset names, which must start with a letter or digit.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Final

import geopandas as gpd
import pandas as pd
import pyogrio

from geo.core.annotation import (
    RECORD_FIELDS,
    Annotation,
    annotation_reasons,
    check_id,
    from_record,
    to_record,
)
from geo.core.crs import WGS84
from geo.data.store import gpkg
from geo.data.store.base import InvalidAnnotationError, Listing, StoreError

ANNOTATIONS_FILE: Final[str] = "_annotations.gpkg"
ANNOTATIONS_LAYER: Final[str] = "annotations"
_LOCK_KEY: Final[str] = "_annotations"


def _read(folder: Path) -> list[Annotation]:
    """Every stored version of every annotation, in the order they were saved."""
    path = folder / ANNOTATIONS_FILE
    if not path.is_file():
        return []
    try:
        frame = pyogrio.read_dataframe(path, layer=ANNOTATIONS_LAYER)
    except Exception as exc:  # noqa: BLE001 - GDAL raises many kinds for a broken file
        raise StoreError(f"the annotations file is unreadable ({str(exc)[:160]}).") from exc
    records = pd.DataFrame(frame.drop(columns=frame.geometry.name)).to_dict("records")
    return [from_record(r, g) for r, g in zip(records, frame.geometry, strict=True)]


def _frame(items: list[Annotation]) -> gpd.GeoDataFrame:
    records = [to_record(a) for a in items]
    return gpd.GeoDataFrame(pd.DataFrame(records, columns=list(RECORD_FIELDS)),
                            geometry=[a.geometry for a in items], crs=WGS84)


def _latest(items: list[Annotation]) -> dict[str, Annotation]:
    latest: dict[str, Annotation] = {}
    for a in items:
        if a.id not in latest or a.version > latest[a.id].version:
            latest[a.id] = a
    return latest


def _valid_id(id: str) -> str:
    reasons = check_id(id)
    if reasons:
        raise StoreError(reasons[0] + ".")
    return id


def save_annotation(folder: Path, a: Annotation, expected: int | None) -> Annotation:
    reasons = annotation_reasons(a)
    if reasons:
        raise InvalidAnnotationError(reasons)
    with gpkg.locked(folder, _LOCK_KEY):
        items = _read(folder)
        current = _latest(items).get(a.id)
        gpkg.check_version(f"annotation {a.id!r}", expected,
                           current.version if current else 0)
        saved = a.saved((current.version if current else 0) + 1, dt.datetime.now(dt.UTC))
        gpkg.replace_atomically(_frame([*items, saved]), folder / ANNOTATIONS_FILE,
                                ANNOTATIONS_LAYER, len(items) + 1)
    return saved


def _snapshot(folder: Path) -> list[Annotation]:
    with gpkg.locked(folder, _LOCK_KEY, exclusive=False):
        return _read(folder)


class GpkgStore:
    """Datasets and annotations in a folder of GeoPackage files."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def save_dataset(self, name: str, frame: gpd.GeoDataFrame,
                     expected_version: int | None) -> int:
        return gpkg.save_checked(name, frame, self.folder, expected_version)

    def load_dataset(self, name: str) -> tuple[gpd.GeoDataFrame, int]:
        return gpkg.load_versioned(name, self.folder)

    def list_datasets(self) -> Listing:
        return gpkg.list_datasets(self.folder)

    def delete_dataset(self, name: str, expected_version: int | None = None) -> bool:
        return gpkg.delete_checked(name, self.folder, expected_version)

    def save_annotation(self, a: Annotation, expected_version: int | None) -> Annotation:
        return save_annotation(self.folder, a, expected_version)

    def annotations(self, on: dt.date | None = None) -> list[Annotation]:
        latest = _latest(_snapshot(self.folder))
        return [a for _, a in sorted(latest.items()) if on is None or a.holds_on(on)]

    def annotation(self, id: str, version: int | None = None) -> Annotation:
        history = self.annotation_history(id)
        if not history:
            raise StoreError(f"no annotation with id {id!r}.")
        if version is None:
            return history[-1]
        for a in history:
            if a.version == version:
                return a
        raise StoreError(f"annotation {id!r} has no version {version}.")

    def annotation_history(self, id: str) -> list[Annotation]:
        _valid_id(id)
        return sorted((a for a in _snapshot(self.folder) if a.id == id),
                      key=lambda a: a.version)
