"""Cached loaders: the IO boundary of the app. Each wraps a pure loader from geo/."""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from geo.core.model import LoadResult
from geo.data.coverage import Coverage, data_through_text
from geo.data.loaders import DATA_DIR, load_all


def data_dir() -> str:
    """The data folder: data/, or DASHBOARD_DATA_DIR (used by tests with hostile data)."""
    return os.environ.get("DASHBOARD_DATA_DIR") or str(DATA_DIR)


@st.cache_resource(show_spinner="Loading data…", max_entries=4)
def _load(folder: str) -> dict[str, LoadResult]:
    return load_all(Path(folder))


def load_data() -> dict[str, LoadResult]:
    """Every dataset in the data folder, validated. Loaded once per process and folder, and
    shared by every session without a copy (st.cache_data would unpickle a copy on every
    call: seconds for 100,000 incidents). Callers must not modify it."""
    return _load(data_dir())


def layers() -> LoadResult:
    return load_data()["layers"]


def incidents() -> LoadResult:
    return load_data()["incidents"]


def timeline() -> LoadResult:
    return load_data()["timeline"]


def unlocated() -> LoadResult:
    """Positions reported but not placed: listed on the sources page, never drawn."""
    return load_data()["unlocated"]


def coverage() -> Coverage:
    """How far the record reaches (data/coverage.json), from the cached load."""
    data: Coverage = load_data()["coverage"].data
    return data


def data_through() -> str:
    """"Data through 28 Jun 2026 (searched to 29 Nov 2026)", for every page that shows data."""
    return data_through_text(coverage())


def rejected_rows() -> list[dict[str, str]]:
    """Every item any loader refused, for the data-quality panel."""
    return [r.as_row() for result in load_data().values() for r in result.rejected]
