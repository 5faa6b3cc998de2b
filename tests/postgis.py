"""A throwaway PostgreSQL + PostGIS cluster for the tests, started from the local binaries.

:func:`postgis` (session-scoped) runs ``initdb`` in a temporary folder, starts the server on a
free port with its socket in that folder, and makes a template database with the PostGIS
extension; :func:`postgis_url` gives each test a fresh database made from it. ``initdb``
refuses to run as root, so as root the cluster runs as the ``postgres`` user
(``runuser -u postgres``) in a folder that user owns. Without the binaries the tests skip, or
fail when ``REQUIRE_POSTGIS=1`` (as in CI). Nothing is mocked: this is a real server.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
TEMPLATE = "template_postgis"
_counter = itertools.count(1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    """A running throwaway server: its folder, port and socket folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.data = root / "data"
        self.socket_dir = root
        self.port = _free_port()
        self.as_root = os.geteuid() == 0
        self.user = "postgres" if self.as_root else pwd.getpwuid(os.geteuid()).pw_name

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_root else []
        return subprocess.run([*prefix, *args], capture_output=True, text=True, check=True,
                              timeout=120, cwd=self.root)

    def start(self) -> None:
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")
        self.run(str(BIN / "initdb"), "-D", str(self.data), "-U", self.user, "--auth=trust",
                 "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        options = (f"-p {self.port} -k {self.socket_dir} -c listen_addresses='' "
                   "-c fsync=on -c max_connections=60")
        self.run(str(BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "log"),
                 "-o", options, "-w", "-t", "60", "start")
        self.sql("postgres", f"CREATE DATABASE {TEMPLATE}")
        self.sql(TEMPLATE, "CREATE EXTENSION postgis")

    def stop(self) -> None:
        self.run(str(BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def sql(self, database: str, statement: str) -> str:
        """Run one statement with psql (for set-up only; the code under test uses psycopg)."""
        done = self.run(str(BIN / "psql"), "-h", str(self.socket_dir), "-p", str(self.port),
                        "-U", self.user, "-d", database, "-v", "ON_ERROR_STOP=1", "-Atc",
                        statement)
        return done.stdout.strip()

    def url(self, database: str) -> str:
        return (f"postgresql+psycopg://{self.user}@/{database}"
                f"?host={self.socket_dir}&port={self.port}")

    def new_database(self) -> str:
        """A fresh database with PostGIS (copied from the template); returns its URL."""
        name = f"test_{os.getpid()}_{next(_counter)}"
        self.sql("postgres", f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
        return self.url(name)


def _missing() -> str | None:
    for tool in ("initdb", "pg_ctl", "psql"):
        if not (BIN / tool).is_file():
            return f"PostgreSQL binaries not found in {BIN} (install postgresql)"
    share = Path("/usr/share/postgresql") / BIN.parent.name / "extension" / "postgis.control"
    if not share.is_file():
        return f"PostGIS is not installed ({share} missing; install postgresql-15-postgis-3)"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "running as root but runuser is missing"
    return None


@pytest.fixture(scope="session")
def postgis() -> Iterator[Cluster]:
    why = _missing()
    if why:
        if os.environ.get("REQUIRE_POSTGIS") == "1":
            pytest.fail(f"REQUIRE_POSTGIS=1 but {why}")
        pytest.skip(why)
    root = Path(tempfile.mkdtemp(prefix="pg-test-"))
    cluster = Cluster(root)
    try:
        cluster.start()
        yield cluster
    finally:
        if (cluster.data / "postmaster.pid").exists():
            cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def postgis_url(postgis: Cluster) -> str:
    """The SQLAlchemy URL of a fresh, empty PostGIS database for one test."""
    return postgis.new_database()
