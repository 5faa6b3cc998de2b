"""The Store interface, the same assertions on both backends: the GeoPackage folder and a real
PostGIS (a throwaway cluster started by the tests, see tests/postgis.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import sqlalchemy as sa
from shapely.geometry import LineString, Point, Polygon

from geo.core.annotation import Annotation, AnnotationSource, new_annotation_id
from geo.core.model import INCIDENT_COLUMNS, INCIDENT_EXTRA_COLUMNS
from geo.data import store
from geo.data.importers import import_incidents
from geo.data.store import migrate
from geo.data.store.postgis import PostgisStore

DATA = Path(__file__).resolve().parents[2] / "data"
SQUARE = Polygon([(35.80, 33.10), (35.85, 33.10), (35.85, 33.15), (35.80, 33.15)])


@pytest.fixture(params=["gpkg", "postgis"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> store.Store:
    if request.param == "gpkg":
        return store.open_store(folder=tmp_path)
    return store.open_store(request.getfixturevalue("postgis_url"))


@pytest.fixture(scope="module")
def incidents() -> gpd.GeoDataFrame:
    return import_incidents((DATA / "acled_bom.csv").read_bytes(), "acled_bom.csv").data


@pytest.fixture(scope="module")
def other() -> gpd.GeoDataFrame:
    return import_incidents((DATA / "ucdp_ged_header.csv").read_bytes(), "ged.csv").data


def records(frame: gpd.GeoDataFrame) -> list[dict]:
    cols = [c for c in (*INCIDENT_COLUMNS, *INCIDENT_EXTRA_COLUMNS) if c in frame]
    out = pd.DataFrame(frame[cols]).astype(object).where(frame[cols].notna(), None)
    return json.loads(out.to_json(orient="records"))


def note(**changes: object) -> Annotation:
    base = Annotation(
        id="checkpoint-area", name="Reported checkpoint area", status="reported",
        valid_from=dt.date(2025, 3, 1), valid_to=None,
        sources=(AnnotationSource("Example report", "https://example.org/report"),),
        basis="schematic", confidence="low", note="Drawn from the report's description.",
        geometry=SQUARE, author="analyst one",
    )
    return dataclasses.replace(base, **changes)


def test_both_backends_are_stores(backend: store.Store) -> None:
    assert isinstance(backend, store.Store)


def test_save_load_round_trip(backend: store.Store, incidents) -> None:
    assert backend.save_dataset("acled", incidents, None) == 1
    back, version = backend.load_dataset("acled")
    assert version == 1
    assert records(back) == records(incidents)
    assert back.crs.equals("EPSG:4326") and back.geometry.geom_equals(incidents.geometry).all()
    assert str(back["fatalities"].dtype) == "Int64"


def test_versions_and_conflicts(backend: store.Store, incidents, other) -> None:
    assert backend.save_dataset("shared", incidents, None) == 1
    with pytest.raises(store.ConflictError, match="changed by someone else since you opened it"
                       " — reload or save as new"):
        backend.save_dataset("shared", other, None)  # "new" but the name is taken
    assert backend.save_dataset("shared", other, 1) == 2
    with pytest.raises(store.ConflictError):
        backend.save_dataset("shared", incidents, 1)  # based on an old version
    back, version = backend.load_dataset("shared")
    assert version == 2 and records(back) == records(other)  # the refused save wrote nothing


def test_list_and_delete(backend: store.Store, incidents, other) -> None:
    backend.save_dataset("b-set", other, None)
    backend.save_dataset("a-set", incidents, None)
    backend.save_dataset("a-set", incidents, 1)
    listing = backend.list_datasets()
    assert listing.names == ["a-set", "b-set"] and not listing.problems
    assert [(d.name, d.rows, d.version) for d in listing] == [
        ("a-set", len(incidents), 2), ("b-set", len(other), 1)]
    with pytest.raises(store.ConflictError):
        backend.delete_dataset("a-set", expected_version=1)
    assert backend.delete_dataset("a-set", expected_version=2) is True
    assert backend.delete_dataset("a-set") is False
    assert backend.list_datasets().names == ["b-set"]
    with pytest.raises(store.StoreError, match="no saved dataset named 'a-set'"):
        backend.load_dataset("a-set")


@pytest.mark.parametrize("name", ["", "../x", "Upper", "a b", "x'; DROP TABLE datasets; --",
                                  "a" * 65, "nul\x00"])
def test_unsafe_names_are_refused(backend: store.Store, incidents, name: str) -> None:
    with pytest.raises(store.StoreError, match="not a valid dataset name"):
        backend.save_dataset(name, incidents, None)
    with pytest.raises(store.StoreError):
        backend.load_dataset(name)
    with pytest.raises(store.StoreError):
        backend.delete_dataset(name)
    assert backend.list_datasets().names == []


def test_not_incidents_are_refused(backend: store.Store) -> None:
    frame = gpd.GeoDataFrame({"a": [1]}, geometry=[Point(35.8, 33.1)], crs="EPSG:4326")
    with pytest.raises(store.StoreError, match="not an incident dataset"):
        backend.save_dataset("odd", frame, None)
    assert backend.list_datasets().names == []


def test_annotation_versions_keep_history(backend: store.Store) -> None:
    first = backend.save_annotation(note(), None)
    assert first.version == 1 and first.saved_at is not None
    edited = dataclasses.replace(first, geometry=SQUARE.buffer(0.01), author="analyst two",
                                 note="Widened after a second report.")
    second = backend.save_annotation(edited, first.version)
    assert second.version == 2
    history = backend.annotation_history("checkpoint-area")
    assert [(a.version, a.author) for a in history] == [(1, "analyst one"), (2, "analyst two")]
    assert history[0].geometry.equals(SQUARE) and history[1].geometry.equals(edited.geometry)
    assert backend.annotation("checkpoint-area") == history[1] == second
    assert backend.annotation("checkpoint-area", 1) == history[0] == first
    assert history[0].sources == note().sources and history[0].valid_to is None
    with pytest.raises(store.ConflictError, match="reload or save as new"):
        backend.save_annotation(dataclasses.replace(first, note="stale edit"), 1)
    assert len(backend.annotation_history("checkpoint-area")) == 2
    with pytest.raises(store.StoreError, match="has no version 3"):
        backend.annotation("checkpoint-area", 3)
    with pytest.raises(store.StoreError, match="no annotation with id 'nope'"):
        backend.annotation("nope")


def test_annotations_follow_the_date(backend: store.Store) -> None:
    backend.save_annotation(note(), None)
    line = note(id=new_annotation_id("Demanded line"), name="Demanded line", status="demanded",
                geometry=LineString([(35.9, 33.0), (35.95, 33.2)]), valid_to=dt.date(2025, 6, 30),
                sources=(AnnotationSource("Statement", reference="Doc. S/2025/1, para. 4"),))
    backend.save_annotation(line, None)
    point = note(id="own-reading", name="Own reading", status="own_reading",
                 geometry=Point(35.82, 33.12), valid_from=dt.date(2025, 7, 1))
    backend.save_annotation(point, None)
    assert [a.id for a in backend.annotations()] == sorted([line.id, "checkpoint-area",
                                                            "own-reading"])
    assert {a.id for a in backend.annotations(dt.date(2025, 2, 1))} == set()
    assert {a.id for a in backend.annotations(dt.date(2025, 6, 29))} == {
        "checkpoint-area", line.id}
    # valid_to is the first day it no longer holds, as for the built-in data.
    assert {a.id for a in backend.annotations(dt.date(2025, 6, 30))} == {"checkpoint-area"}
    assert {a.id for a in backend.annotations(dt.date(2025, 7, 1))} == {
        "checkpoint-area", "own-reading"}


@pytest.mark.parametrize(("changes", "message"), [
    ({"sources": ()}, "no source"),
    ({"sources": (AnnotationSource("Page", "javascript:alert(1)"),)}, r"not an http\(s\) URL"),
    ({"sources": (AnnotationSource("Page"),)}, "neither a URL nor a document reference"),
    ({"valid_to": dt.date(2025, 1, 1)}, "dates in the wrong order"),
    ({"valid_to": dt.date(2025, 3, 1)}, "dates in the wrong order"),  # ends the day it starts
    ({"geometry": Polygon([(35.8, 33.1), (35.9, 33.2), (35.9, 33.1), (35.8, 33.2)])},
     "not valid"),
    ({"geometry": Polygon()}, "empty"),
    ({"geometry": Point(0, 0)}, "outside the region"),
    ({"status": "rumoured"}, "status must be one of"),
    ({"basis": "mapped"}, "basis must be one of"),
    ({"confidence": "certain"}, "confidence must be one of"),
    ({"author": " "}, "author is empty"),
    ({"name": ""}, "name is empty"),
    ({"id": "../x"}, "not a valid id"),
])
def test_invalid_annotations_are_refused(backend: store.Store, changes: dict,
                                         message: str) -> None:
    with pytest.raises(store.InvalidAnnotationError, match=message) as caught:
        backend.save_annotation(note(**changes), None)
    assert caught.value.reasons
    assert backend.annotations() == []


def test_migrations_are_recorded_and_applied_once(postgis_url: str) -> None:
    PostgisStore(postgis_url)
    engine = migrate.engine_for(postgis_url)
    assert migrate.pending(engine) == [] and migrate.apply(engine) == []
    with engine.connect() as conn:
        versions = conn.execute(sa.text("SELECT version FROM schema_migrations")).scalars().all()
        columns = set(conn.execute(sa.text(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'incidents'"
        )).scalars())
        indexes = dict(conn.execute(sa.text(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'")).all())
    assert versions == [v for v, _, _ in migrate.migrations()]
    assert set(INCIDENT_COLUMNS) | set(INCIDENT_EXTRA_COLUMNS) <= columns
    assert "USING gist (geom)" in indexes["incidents_geom_idx"]
    assert "USING gist (geom)" in indexes["annotations_geom_idx"]
    assert "USING btree (dataset, event_date)" in indexes["incidents_date_idx"]
    assert "USING btree (valid_from, valid_to)" in indexes["annotations_dates_idx"]


def test_open_store_follows_database_url(postgis_url: str, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(store.ENV_VAR, str(tmp_path))
    monkeypatch.delenv(store.URL_VAR, raising=False)
    assert isinstance(store.open_store(), store.GpkgStore)
    monkeypatch.setenv(store.URL_VAR, postgis_url)
    assert isinstance(store.open_store(), PostgisStore)


def test_least_privilege_role_from_the_readme(postgis, postgis_url: str, incidents) -> None:
    """The README's role: the owner migrates; the app's role reads and writes rows only."""
    PostgisStore(postgis_url)  # migrated by the owner
    database = postgis_url.split("@/")[1].split("?")[0]
    for statement in (
        "DO $$ BEGIN CREATE ROLE golan_app LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; "
        "END $$",
        f"REVOKE ALL ON DATABASE {database} FROM PUBLIC",
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        f"GRANT CONNECT ON DATABASE {database} TO golan_app",
        "GRANT USAGE ON SCHEMA public TO golan_app",
        "GRANT SELECT ON schema_migrations, zones, zone_grid, zone_cells, zone_pieces TO golan_app",
        "GRANT SELECT, INSERT, UPDATE, DELETE ON datasets, incidents TO golan_app",
        "GRANT SELECT, INSERT ON annotations TO golan_app",
    ):
        postgis.sql(database, statement)
    app_url = postgis_url.replace(f"//{postgis.user}@", "//golan_app@")
    app = PostgisStore(app_url)  # nothing to migrate: no schema right needed
    assert app.save_dataset("shared", incidents, None) == 1
    assert app.load_dataset("shared")[1] == 1
    assert app.save_annotation(note(), None).version == 1
    assert app.delete_dataset("shared", 1) is True
    with app.engine.begin() as conn, pytest.raises(sa.exc.ProgrammingError,
                                                   match="must be owner"):
        conn.execute(sa.text("DROP TABLE annotations"))
    with app.engine.begin() as conn, pytest.raises(sa.exc.ProgrammingError,
                                                   match="permission denied"):
        conn.execute(sa.text("UPDATE annotations SET note = 'rewritten'"))
