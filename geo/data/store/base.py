"""What every store shares: the errors, dataset listings, safe names and the Store protocol.

A store keeps named incident datasets and user annotations. Two implement :class:`Store`: the
GeoPackage folder (:mod:`geo.data.store.gpkg`, the default) and PostGIS
(:mod:`geo.data.store.postgis`, when ``DATABASE_URL`` is set). Both use optimistic concurrency:
a save names the version it was based on (``None``: the name must not exist yet), and if
someone else saved in between, :class:`ConflictError` is raised and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, Protocol, runtime_checkable

import geopandas as gpd

from geo.core.annotation import NAME_PATTERN, Annotation

CONFLICT_MESSAGE: Final[str] = (
    "changed by someone else since you opened it — reload or save as new"
)


class StoreError(ValueError):
    """A dataset or annotation could not be saved, loaded or deleted; the message says why."""


class CorruptDatasetError(StoreError):
    """A saved file could not be read; it has been moved aside (see ``moved_to``)."""

    def __init__(self, message: str, moved_to: Path | None) -> None:
        super().__init__(message)
        self.moved_to = moved_to


class ConflictError(StoreError):
    """Someone else saved (or deleted) the same name since the version this save was based on."""

    def __init__(self, what: str, expected: int | None, current: int | None) -> None:
        super().__init__(f"{what} was {CONFLICT_MESSAGE}.")
        self.expected = expected
        self.current = current


class InvalidAnnotationError(StoreError):
    """An annotation failed validation; ``reasons`` lists every problem, and nothing was saved."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("annotation not saved: " + "; ".join(reasons) + ".")
        self.reasons = reasons


@dataclass(frozen=True)
class DatasetInfo:
    name: str
    rows: int
    size_bytes: int
    modified: dt.datetime
    path: Path | None = None
    version: int = 0


@dataclass
class Listing:
    """Saved datasets, the problems found while listing them (files set aside now), and every
    file set aside so far (``<name>.corrupt-<timestamp>``, until someone removes it).
    Iterating over a listing gives its datasets."""

    datasets: list[DatasetInfo] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    set_aside: list[str] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [d.name for d in self.datasets]

    def __iter__(self) -> Iterator[DatasetInfo]:
        return iter(self.datasets)

    def __len__(self) -> int:
        return len(self.datasets)


def check_name(name: str) -> str:
    """Return ``name`` if it is a safe dataset name, else raise StoreError.

    Names are lower-case slugs: letters a-z, digits, ``-`` and ``_``, 1-64 characters, starting
    with a letter or digit. Nothing else is allowed (no dots, slashes or spaces), so a name can
    never leave the folder, and is only ever passed to SQL as a parameter.
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


@runtime_checkable
class Store(Protocol):
    """Datasets and annotations, with a version number for every save."""

    def save_dataset(
        self, name: str, frame: gpd.GeoDataFrame, expected_version: int | None
    ) -> int:
        """Save incidents as ``name``; ``expected_version`` None means it must not exist yet.
        Returns the new version. Raises ConflictError if someone else saved in between."""
        ...

    def load_dataset(self, name: str) -> tuple[gpd.GeoDataFrame, int]:
        """The typed incident frame and its version."""
        ...

    def list_datasets(self) -> Listing:
        """Every saved dataset, sorted by name (iterate for DatasetInfo)."""
        ...

    def delete_dataset(self, name: str, expected_version: int | None = None) -> bool:
        """Delete ``name`` (only if still at ``expected_version`` when given); False if none."""
        ...

    def save_annotation(self, a: Annotation, expected_version: int | None) -> Annotation:
        """Validate and save a new version of ``a`` (earlier versions are kept)."""
        ...

    def annotations(self, on: dt.date | None = None) -> list[Annotation]:
        """The latest version of every annotation (valid on ``on`` if given), sorted by id."""
        ...

    def annotation(self, id: str, version: int | None = None) -> Annotation:
        """One annotation: its latest version, or the version asked for."""
        ...

    def annotation_history(self, id: str) -> list[Annotation]:
        """Every saved version of an annotation, oldest first."""
        ...
