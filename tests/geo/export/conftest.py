"""Shared fixtures of the export tests: the repository's data and snapshots of a view."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from geo.core.view import parse_view
from geo.data.loaders import load_all
from geo.export.snapshot import Snapshot, make_snapshot
from tests.conftest import DATA_DIR

BASE = "http://127.0.0.1:8501/"
EARLY = {"date": "2025-01-10", "window": "since",
         "layers": "lines_1974,limitation,golan,hermon,positions,incidents,proposals,demands,"
                   "governorates,places"}
MakeSnap = Callable[..., Snapshot]
#: The "Data through" line of the repository's data/coverage.json.
DATA_THROUGH = "Data through 28 Jun 2026 (searched to 29 Nov 2026)"


@pytest.fixture(scope="session")
def data() -> dict:
    return load_all(DATA_DIR)


@pytest.fixture(scope="session")
def snap_of(data: dict) -> MakeSnap:
    """``snap_of(params, base=BASE)``: the snapshot of the view the query parameters describe."""

    def make(params: dict[str, str], base: str = BASE) -> Snapshot:
        view = parse_view(params, today=dt.date(2026, 11, 26))
        return make_snapshot(view, data["layers"].data, data["incidents"].data,
                             data["timeline"].data, base, "0123456789ab",
                             data["coverage"].data)

    return make


@pytest.fixture(scope="session")
def snap(snap_of: MakeSnap) -> Snapshot:
    return snap_of(EARLY)
