"""Two app processes on two ports sharing one throwaway PostGIS (tests/postgis.py), as stateless
replicas behind a proxy would: ``DATABASE_URL`` set in both servers' environment, nothing else
shared. Used by the annotation and replica browser tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.harness import ARTIFACTS, server
from tests.postgis import Cluster


@dataclass(frozen=True)
class Replicas:
    first: str
    second: str
    database_url: str


@pytest.fixture(scope="module")
def replicas(postgis: Cluster, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Replicas]:
    """Two servers on one fresh PostGIS database; each has a user-data folder of its own (which
    team mode must not use for what it shares)."""
    url = postgis.new_database()
    folders: list[Path] = [tmp_path_factory.mktemp("replica") for _ in range(2)]
    ARTIFACTS.mkdir(exist_ok=True)
    with server({"DATABASE_URL": url, "DASHBOARD_USER_DATA": str(folders[0])}) as one, \
            server({"DATABASE_URL": url, "DASHBOARD_USER_DATA": str(folders[1])}) as two:
        yield Replicas(one.url, two.url, url)
