"""Property-based tests of the upload importer: whatever the bytes, the result is an
ImportResult whose kept rows are usable, or an IncidentImportError naming the file.

``tests/geo/data/test_importers.py`` already feeds random bytes and random CSV cells; random bytes
rarely get past the first checks, so here real files (ACLED, UCDP GED, our CSV, GeoJSON,
GeoPackage) are damaged byte by byte, GeoJSON is built from arbitrary JSON values, and file
names are arbitrary text.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.core.model import REGION_BOUNDS
from geo.data.importers import ImportResult, IncidentImportError, display_name, import_incidents

DATA = Path(__file__).resolve().parents[2] / "data"
SEEDS = {
    "acled.csv": DATA / "acled_bom.csv",
    "ged.csv": DATA / "ucdp_ged_header.csv",
    "ged_interim.csv": DATA / "ucdp_ged_noheader.csv",
    "mine.csv": DATA / "incidents_bom.csv",
    "points.geojson": DATA / "bad" / "points_3d.geojson",
    "mixed.gpkg": DATA / "bad" / "mixed_geometry.gpkg",
}
#: FUZZ_EXAMPLES=5000 for a longer hunt; the suite runs 120 per property.
SETTINGS = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "120")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def check(data: bytes, filename: str) -> ImportResult | None:
    """Import; assert the contract; return the result (None when refused)."""
    try:
        result = import_incidents(data, filename)
    except IncidentImportError as exc:
        message = str(exc)
        assert message.startswith(display_name(filename) + ": ")
        assert "Traceback" not in message and len(message) < 1_000
        return None
    assert isinstance(result, ImportResult)
    assert result.accepted + len(result.rejected) == result.rows_read
    for rejected in result.rejected:
        assert rejected.reasons and all(isinstance(r, str) and r for r in rejected.reasons)
    if result.accepted:
        west, south, east, north = REGION_BOUNDS
        assert result.data["latitude"].between(south, north).all()
        assert result.data["longitude"].between(west, east).all()
        assert result.data["event_id_cnty"].is_unique
        assert result.data["fatalities"].dropna().ge(0).all()
    return result


# One damage to a file: (kind, where as a fraction of its length, a byte, a length).
damage = st.tuples(st.sampled_from(["flip", "insert", "delete", "truncate", "repeat"]),
                   st.floats(0, 1), st.integers(0, 255), st.integers(1, 64))


def damaged(data: bytes, edits: list[tuple[str, float, int, int]]) -> bytes:
    out = bytearray(data)
    for kind, where, byte, length in edits:
        at = min(int(where * len(out)), max(len(out) - 1, 0))
        if kind == "flip" and out:
            out[at] ^= byte or 1
        elif kind == "insert":
            out[at:at] = bytes([byte]) * length
        elif kind == "delete":
            del out[at:at + length]
        elif kind == "truncate":
            del out[at:]
        elif kind == "repeat":
            out[at:at] = out[at:at + length]
    return bytes(out)


@SETTINGS
@given(seed=st.sampled_from(sorted(SEEDS)), edits=st.lists(damage, min_size=1, max_size=6))
def test_damaged_real_files_import_or_fail_clearly(seed: str, edits) -> None:
    check(damaged(SEEDS[seed].read_bytes(), edits), seed)


def test_the_seeds_themselves_import() -> None:
    for name, path in SEEDS.items():
        result = check(path.read_bytes(), name)
        assert result is not None and result.accepted >= 1, name


json_scalars = (st.none() | st.booleans() | st.integers(-10**30, 10**30)
                | st.floats(allow_nan=False) | st.text(max_size=24)
                | st.sampled_from(["2025-01-15", "33.1256", "35.8244", "-1", "1e400", "٣٣.١"]))
json_values = st.recursive(json_scalars, lambda kids: st.lists(kids, max_size=3)
                           | st.dictionaries(st.text(max_size=6), kids, max_size=3), max_leaves=8)
keys = st.sampled_from(["event_id_cnty", "event_date", "event_type", "latitude", "longitude",
                        "fatalities", "geo_precision", "time_precision", "source", "url",
                        "notes", "other"])
coordinate = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-400, 400),
                       st.floats(31, 35), st.floats(34, 38.5), st.none(), st.text(max_size=4))
geometry = st.one_of(
    st.none(),
    st.fixed_dictionaries({"type": st.just("Point"),
                           "coordinates": st.lists(coordinate, max_size=4)}),
    st.fixed_dictionaries({"type": st.sampled_from(["LineString", "Polygon", "Nope", ""]),
                           "coordinates": json_values}),
    json_values,
)
feature = st.one_of(
    st.fixed_dictionaries({"type": st.just("Feature"),
                           "properties": st.dictionaries(keys, json_values, max_size=10),
                           "geometry": geometry}),
    json_values,
)


@SETTINGS
@given(features=st.lists(feature, max_size=6), crs=st.none() | json_values)
def test_any_geojson_document_imports_or_fails_clearly(features, crs) -> None:
    doc = {"type": "FeatureCollection", "features": features}
    if crs is not None:
        doc["crs"] = crs
    check(json.dumps(doc).encode(), "fuzz.geojson")


@SETTINGS
@given(data=st.binary(max_size=512), filename=st.text(max_size=300))
def test_any_file_name_is_reduced_to_a_safe_label(data: bytes, filename: str) -> None:
    check(data, filename)
    label = display_name(filename)
    assert label and len(label) <= 120 and "/" not in label and "\\" not in label
    assert all(ch.isprintable() for ch in label)


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_every_prefix_of_a_real_file_imports_or_fails_clearly(seed: str) -> None:
    data = SEEDS[seed].read_bytes()
    step = max(1, len(data) // 97)
    for end in range(0, len(data), step):
        check(data[:end], seed)
