"""Property-based tests: any input either loads or is refused with a clear error.

No exception other than DatasetError may escape a loader, and every rejected item has a reason.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.core.model import INCIDENT_COLUMNS, DatasetError
from geo.data.incidents import load_incidents_csv
from geo.data.loaders import load_feature_collection, load_timeline

SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)
coords = st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=0, max_size=4)
geometries = st.fixed_dictionaries({
    "type": st.sampled_from(["Point", "LineString", "Polygon", "MultiPoint", "Nope"]),
    "coordinates": st.one_of(coords, st.lists(coords, max_size=4),
                             st.lists(st.lists(coords, max_size=5), max_size=2)),
}) | json_values
features = st.fixed_dictionaries({
    "type": st.sampled_from(["Feature", "feature", "X"]),
    "properties": st.dictionaries(
        st.sampled_from(["id", "layer", "name", "status", "valid_from", "valid_to", "basis",
                         "confidence", "sources", "attribution", "licence", "status_changes"]),
        json_values, max_size=12) | json_values,
    "geometry": geometries,
})


def _check(result) -> None:
    for rejected in result.rejected:
        assert rejected.reasons and all(isinstance(r, str) and r for r in rejected.reasons)


@SETTINGS
@given(st.lists(features, max_size=5), st.none() | json_values)
def test_feature_collections_load_or_reject(items, crs) -> None:
    doc = {"type": "FeatureCollection", "features": items}
    if crs is not None:
        doc["crs"] = crs
    try:
        result = load_feature_collection(json.dumps(doc), "prop.geojson")
    except DatasetError as exc:
        assert "prop.geojson" in str(exc)
        return
    _check(result)
    assert len(result.data) + len(result.rejected) == len(items)


@SETTINGS
@given(st.text(max_size=300) | st.binary(max_size=200).map(lambda b: b.decode("latin-1")))
def test_any_text_is_a_collection_or_a_clear_error(text) -> None:
    try:
        _check(load_feature_collection(text, "t.geojson"))
    except DatasetError as exc:
        assert str(exc).startswith("t.geojson")


cells = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=12)


@SETTINGS
@given(st.lists(st.lists(cells, min_size=len(INCIDENT_COLUMNS), max_size=len(INCIDENT_COLUMNS)),
                max_size=6))
def test_incident_rows_load_or_reject(rows) -> None:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(INCIDENT_COLUMNS)
    writer.writerows(rows)
    try:
        result = load_incidents_csv(buffer.getvalue(), "i.csv")
    except DatasetError as exc:
        assert "i.csv" in str(exc)
        return
    _check(result)
    assert len(result.data) + len(result.rejected) == len(rows)


@SETTINGS
@given(st.text(max_size=200))
def test_any_csv_text_is_incidents_or_a_clear_error(text) -> None:
    try:
        _check(load_incidents_csv(text, "x.csv"))
    except DatasetError as exc:
        assert "x.csv" in str(exc)


@SETTINGS
@given(st.lists(json_values | st.dictionaries(
    st.sampled_from(["id", "date", "date_precision", "kind", "title", "summary", "sources",
                     "changes", "view"]), json_values, max_size=9), max_size=5))
def test_timelines_load_or_reject(entries) -> None:
    try:
        result = load_timeline(json.dumps(entries), "tl.json", ["aos_osm"])
    except DatasetError as exc:
        assert "tl.json" in str(exc)
        return
    _check(result)
    assert len(result.data) + len(result.rejected) == len(entries)
