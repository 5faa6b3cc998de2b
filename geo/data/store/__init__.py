"""Named incident datasets and user annotations, in a GeoPackage folder or in PostGIS.

:func:`open_store` gives the store to use: PostGIS when ``DATABASE_URL`` (or ``url``) is set,
else the GeoPackage folder (``DASHBOARD_USER_DATA``, default ``user_data/``). The folder
functions of before (:func:`save`, :func:`load`, :func:`list_datasets`, :func:`delete`) keep
working on the GeoPackage folder.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

from geo.data.store.base import (
    CONFLICT_MESSAGE,
    ConflictError,
    CorruptDatasetError,
    DatasetInfo,
    InvalidAnnotationError,
    Listing,
    Store,
    StoreError,
    check_name,
    slugify,
)
from geo.data.store.gpkg import (
    DEFAULT_FOLDER,
    ENV_VAR,
    STALE_TEMP_SECONDS,
    delete,
    list_datasets,
    load,
    save,
    user_folder,
)
from geo.data.store.gpkg_store import GpkgStore

URL_VAR: Final[str] = "DATABASE_URL"

__all__ = [
    "CONFLICT_MESSAGE", "DEFAULT_FOLDER", "ENV_VAR", "STALE_TEMP_SECONDS", "URL_VAR",
    "ConflictError", "CorruptDatasetError", "DatasetInfo", "GpkgStore", "InvalidAnnotationError",
    "Listing", "Store", "StoreError", "check_name", "database_url", "delete", "list_datasets",
    "load", "open_store", "save", "slugify", "user_folder",
]


def database_url() -> str | None:
    """$DATABASE_URL if set and not blank, else None."""
    return os.environ.get(URL_VAR, "").strip() or None


def open_store(url: str | None = None, folder: Path | str | None = None) -> Store:
    """The store: PostGIS at ``url`` (else $DATABASE_URL), else the GeoPackage folder.

    Opening PostGIS applies any pending schema migration first.
    """
    url = url or database_url()
    if url:
        from geo.data.store.postgis import PostgisStore  # needs SQLAlchemy only in team mode

        return PostgisStore(url)
    return GpkgStore(user_folder(folder))
