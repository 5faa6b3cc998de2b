"""The PostGIS store (team mode): datasets and annotations in PostgreSQL + PostGIS.

Datasets are written with geopandas' ``to_postgis`` and read with ``read_postgis`` through
SQLAlchemy (GeoAlchemy2, psycopg 3). A save is one transaction: it takes an advisory lock on
the name (so writers of one name queue), checks the stored version, replaces the rows, and
last moves the version on with ``UPDATE … WHERE version = expected`` (a new name: an INSERT
that does nothing if the name was taken meanwhile); no row changed means someone else won, and
the whole transaction is rolled back with :class:`ConflictError`. A process killed mid-save
never commits, so the previous version stays. Every value reaches SQL as a bound parameter;
the only SQL text is this module's own. The schema comes from :mod:`geo.data.store.migrate`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

import geopandas as gpd
import pandas as pd
import shapely
import sqlalchemy as sa

from geo.core.annotation import (
    Annotation,
    annotation_reasons,
    check_id,
    from_record,
    sources_json,
)
from geo.core.model import INCIDENT_COLUMNS, INCIDENT_EXTRA_COLUMNS
from geo.data.store import migrate
from geo.data.store.base import (
    ConflictError,
    DatasetInfo,
    InvalidAnnotationError,
    Listing,
    StoreError,
    check_name,
)
from geo.data.store.frames import prepare, restore

TABLE: Final[str] = "incidents"
_COLUMNS: Final[str] = ", ".join(
    f"{c}::text AS {c}" if c == "event_date" else c
    for c in (*INCIDENT_COLUMNS, *INCIDENT_EXTRA_COLUMNS)
)
_LOAD: Final = sa.text(
    f"SELECT {_COLUMNS}, geom FROM incidents WHERE dataset = :name ORDER BY row_no"
)
_ANNOTATION: Final[str] = (
    "SELECT id, version, name, status, valid_from, valid_to, sources::text AS sources, basis, "
    "confidence, note, author, saved_at, ST_AsBinary(geom) AS wkb FROM annotations"
)
_LATEST: Final[str] = (
    f"SELECT * FROM (SELECT DISTINCT ON (id) * FROM ({_ANNOTATION}) a "
    "ORDER BY id, version DESC) latest"
)


def _lock(conn: sa.Connection, kind: str, name: str) -> None:
    """Queue the writers of one name: an advisory lock held until the transaction ends."""
    conn.execute(sa.text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
                 {"key": f"{kind}:{name}"})


def _conflict(what: str, expected: int | None, current: int | None) -> None:
    if (expected or 0) != (current or 0):
        raise ConflictError(what, expected, current)


def _annotation(row: Any) -> Annotation:
    record = dict(row._mapping)
    return from_record(record, shapely.from_wkb(bytes(record.pop("wkb"))))


class PostgisStore:
    """The :class:`~geo.data.store.base.Store` on a PostGIS database at ``url``."""

    def __init__(self, url: str, engine: sa.Engine | None = None) -> None:
        self.engine = engine or migrate.engine_for(url)
        migrate.apply(self.engine)

    # -- datasets ---------------------------------------------------------------------------

    def save_dataset(self, name: str, frame: gpd.GeoDataFrame,
                     expected_version: int | None) -> int:
        check_name(name)
        rows = prepare(frame).rename_geometry("geom").reset_index(drop=True)
        rows.insert(0, "row_no", range(len(rows)))
        rows.insert(0, "dataset", name)
        what = f"dataset {name!r}"
        with self.engine.begin() as conn:
            _lock(conn, "dataset", name)
            current = conn.execute(sa.text("SELECT version FROM datasets WHERE name = :name"),
                                   {"name": name}).scalar()
            _conflict(what, expected_version, current)
            conn.execute(sa.text("DELETE FROM incidents WHERE dataset = :name"), {"name": name})
            rows.to_postgis(TABLE, conn, if_exists="append", index=False, chunksize=5_000)
            if current is None:
                new = conn.execute(sa.text(
                    "INSERT INTO datasets (name, version, rows) VALUES (:name, 1, :rows) "
                    "ON CONFLICT (name) DO NOTHING RETURNING version"
                ), {"name": name, "rows": len(rows)}).scalar()
            else:
                new = conn.execute(sa.text(
                    "UPDATE datasets SET version = version + 1, rows = :rows, saved_at = now() "
                    "WHERE name = :name AND version = :expected RETURNING version"
                ), {"name": name, "rows": len(rows), "expected": current}).scalar()
            if new is None:
                raise ConflictError(what, expected_version, None)
        return int(new)

    def load_dataset(self, name: str) -> tuple[gpd.GeoDataFrame, int]:
        check_name(name)
        with self.engine.connect() as base:
            conn = base.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                version = conn.execute(
                    sa.text("SELECT version FROM datasets WHERE name = :name"), {"name": name}
                ).scalar()
                if version is None:
                    raise StoreError(f"no saved dataset named {name!r}.")
                raw = gpd.read_postgis(_LOAD, conn, geom_col="geom", params={"name": name})
        frame = pd.DataFrame(raw.drop(columns="geom"))
        return restore(frame, name), int(version)

    def list_datasets(self) -> Listing:
        """Every dataset; ``size_bytes`` is 0 (the rows live in shared tables)."""
        with self.engine.connect() as conn:
            found = conn.execute(sa.text(
                "SELECT name, rows, saved_at, version FROM datasets ORDER BY name"
            )).all()
        return Listing([DatasetInfo(r.name, int(r.rows), 0, r.saved_at, None, int(r.version))
                        for r in found])

    def delete_dataset(self, name: str, expected_version: int | None = None) -> bool:
        check_name(name)
        with self.engine.begin() as conn:
            _lock(conn, "dataset", name)
            current = conn.execute(sa.text("SELECT version FROM datasets WHERE name = :name"),
                                   {"name": name}).scalar()
            if current is None:
                if expected_version is not None:
                    raise ConflictError(f"dataset {name!r}", expected_version, None)
                return False
            if expected_version is not None:
                _conflict(f"dataset {name!r}", expected_version, current)
            conn.execute(sa.text("DELETE FROM datasets WHERE name = :name"), {"name": name})
        return True

    # -- annotations ------------------------------------------------------------------------

    def save_annotation(self, a: Annotation, expected_version: int | None) -> Annotation:
        reasons = annotation_reasons(a)
        if reasons:
            raise InvalidAnnotationError(reasons)
        what = f"annotation {a.id!r}"
        with self.engine.begin() as conn:
            _lock(conn, "annotation", a.id)
            current = conn.execute(sa.text(
                "SELECT max(version) FROM annotations WHERE id = :id"), {"id": a.id}).scalar()
            _conflict(what, expected_version, current)
            version = (current or 0) + 1
            saved_at = conn.execute(sa.text(
                "INSERT INTO annotations (id, version, name, status, valid_from, valid_to, "
                "sources, basis, confidence, note, author, geom) VALUES (:id, :version, :name, "
                ":status, :valid_from, :valid_to, CAST(:sources AS jsonb), :basis, :confidence, "
                ":note, :author, ST_GeomFromWKB(:wkb, 4326)) RETURNING saved_at"
            ), {
                "id": a.id, "version": version, "name": a.name, "status": a.status,
                "valid_from": a.valid_from, "valid_to": a.valid_to,
                "sources": sources_json(a.sources), "basis": a.basis,
                "confidence": a.confidence, "note": a.note, "author": a.author,
                "wkb": shapely.to_wkb(a.geometry),
            }).scalar_one()
        return a.saved(version, saved_at)

    def annotations(self, on: dt.date | None = None) -> list[Annotation]:
        if on is None:
            query, params = f"{_LATEST} ORDER BY id", {}
        else:
            query = (f"{_LATEST} WHERE valid_from <= :on AND (valid_to IS NULL OR valid_to > :on)"
                     " ORDER BY id")
            params = {"on": on}
        with self.engine.connect() as conn:
            return [_annotation(r) for r in conn.execute(sa.text(query), params)]

    def annotation(self, id: str, version: int | None = None) -> Annotation:
        self._check_id(id)
        with self.engine.connect() as conn:
            if version is None:
                row = conn.execute(sa.text(f"{_LATEST} WHERE id = :id"), {"id": id}).first()
            else:
                row = conn.execute(sa.text(f"{_ANNOTATION} WHERE id = :id AND version = :v"),
                                   {"id": id, "v": version}).first()
        if row is None:
            raise StoreError(f"no annotation with id {id!r}." if version is None
                             else f"annotation {id!r} has no version {version}.")
        return _annotation(row)

    def annotation_history(self, id: str) -> list[Annotation]:
        self._check_id(id)
        with self.engine.connect() as conn:
            rows = conn.execute(sa.text(f"{_ANNOTATION} WHERE id = :id ORDER BY version"),
                                {"id": id})
            return [_annotation(r) for r in rows]

    @staticmethod
    def _check_id(id: str) -> None:
        reasons = check_id(id)
        if reasons:
            raise StoreError(reasons[0] + ".")
