"""Versioned schema migrations for the PostGIS store: plain SQL files applied in order.

``migrations/NNN_name.sql`` are applied in the order of NNN, each in the transaction that
records it in ``schema_migrations`` (the first file creates that table), under an advisory lock
so that two app processes starting together apply each file once. Run it as the database owner
(``python -m geo.data.store.migrate``, with DATABASE_URL set); the app's own role then needs no
right to change the schema.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Final

import sqlalchemy as sa

FOLDER: Final[Path] = Path(__file__).resolve().parent / "migrations"
_FILE: Final[re.Pattern[str]] = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")
#: Key of the advisory lock held while migrating (any constant of our own).
_LOCK_KEY: Final[int] = 0x6F6C616E  # "olan"


def migrations() -> list[tuple[int, str, Path]]:
    """(version, name, file) of every migration, in order."""
    found = []
    for path in FOLDER.glob("*.sql"):
        match = _FILE.match(path.name)
        if not match:
            raise ValueError(f"migration file {path.name!r} is not named NNN_name.sql")
        found.append((int(match.group(1)), match.group(2), path))
    found.sort()
    versions = [v for v, _, _ in found]
    if len(set(versions)) != len(versions):
        raise ValueError("two migration files share a version number")
    return found


def applied(conn: sa.Connection) -> set[int]:
    """The versions recorded as applied (none if the table does not exist yet)."""
    if conn.execute(sa.text("SELECT to_regclass('schema_migrations')")).scalar() is None:
        return set()
    rows = conn.execute(sa.text("SELECT version FROM schema_migrations")).scalars()
    return {int(v) for v in rows}


def pending(engine: sa.Engine) -> list[int]:
    with engine.connect() as conn:
        done = applied(conn)
    return [v for v, _, _ in migrations() if v not in done]


def apply(engine: sa.Engine) -> list[int]:
    """Apply every pending migration, each in its own transaction; returns those applied."""
    done_now: list[int] = []
    for version, name, path in migrations():
        with engine.begin() as conn:
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
            if version in applied(conn):
                continue
            conn.exec_driver_sql(path.read_text(encoding="utf-8"))
            conn.execute(sa.text("INSERT INTO schema_migrations (version, name) "
                                 "VALUES (:version, :name)"), {"version": version, "name": name})
        done_now.append(version)
    return done_now


def engine_for(url: str) -> sa.Engine:
    """A SQLAlchemy engine on psycopg 3 (``postgresql://`` URLs are given its driver)."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return sa.create_engine(url, pool_pre_ping=True)


def main(argv: list[str]) -> int:
    from geo.data.store import database_url

    url = argv[0] if argv else database_url()
    if not url:
        print("set DATABASE_URL (or pass the URL) to migrate the PostGIS store", file=sys.stderr)
        return 2
    done = apply(engine_for(url))
    print(f"applied {len(done)} migration(s): {done}" if done else "schema is up to date")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
