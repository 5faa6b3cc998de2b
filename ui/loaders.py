"""Cached loaders: the IO boundary of the app. Each wraps a pure loader from geo/."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from geo.io import DATA_DIR, load_all
from geo.model import LoadResult


@st.cache_data(show_spinner="Loading data…")
def load_data(data_dir: str = str(DATA_DIR)) -> dict[str, LoadResult]:
    """Every dataset in data/, validated. Cached once per process and data folder."""
    return load_all(Path(data_dir))


def layers() -> LoadResult:
    return load_data()["layers"]


def incidents() -> LoadResult:
    return load_data()["incidents"]


def timeline() -> LoadResult:
    return load_data()["timeline"]


def rejected_rows() -> list[dict[str, str]]:
    """Every item any loader refused, for the data-quality panel."""
    return [r.as_row() for result in load_data().values() for r in result.rejected]
