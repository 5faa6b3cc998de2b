"""The GeoJSON export is RFC 7946, checked by an independent reader: geojsonhint (npm, a
devDependency in package.json; run with node). It flags a ``crs`` member and polygons that do
not follow the right-hand rule (exterior rings counter-clockwise, holes clockwise)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import geopandas as gpd
import pyogrio
import pytest
import shapely
from shapely.geometry import Polygon, shape

from geo.core.crs import WGS84
from geo.export.data import export_data, export_frame, write_table
from geo.export.snapshot import Snapshot
from tests.conftest import ROOT

HINT = ROOT / "node_modules" / "geojsonhint"
#: Reads GeoJSON text on stdin, prints geojsonhint's messages as a JSON list.
SCRIPT = ("const hint = require('geojsonhint'); let text = '';"
          "process.stdin.on('data', d => { text += d; })"
          ".on('end', () => console.log(JSON.stringify(hint.hint(text))));")
RHR = "Polygons and MultiPolygons should follow the right-hand rule"


def geojsonhint(text: str) -> list[str]:
    """geojsonhint's messages on ``text`` (none: valid RFC 7946)."""
    node = shutil.which("node")
    if node is None or not HINT.exists():
        reason = "node or node_modules/geojsonhint missing (run `npm ci`)"
        if os.environ.get("REQUIRE_BROWSER") == "1":  # CI: the check must run
            pytest.fail(reason)
        pytest.skip(reason)
    done = subprocess.run([node, "-e", SCRIPT], input=text, capture_output=True, text=True,
                          cwd=ROOT, check=True, timeout=120)
    return [str(e["message"]) for e in json.loads(done.stdout)]


def _polygons(doc: dict[str, Any]) -> list[Polygon]:
    found: list[Polygon] = []
    for feature in doc["features"]:
        geom = shape(feature["geometry"])
        found += list(getattr(geom, "geoms", [geom]))
    return [g for g in found if isinstance(g, Polygon)]


def test_geojson_export_passes_geojsonhint(snap: Snapshot) -> None:
    text = export_data(snap, "geojson").decode("utf-8")
    doc = json.loads(text)
    assert geojsonhint(text) == []
    assert "crs" not in doc
    polygons = _polygons(doc)
    assert len(polygons) >= 10  # the layers' areas are all checked
    assert all(p.exterior.is_ccw for p in polygons)
    assert len(doc["features"]) == len(export_frame(snap))


def test_geojson_coordinates_are_lon_lat_at_seven_decimals(snap: Snapshot) -> None:
    text = export_data(snap, "geojson").decode("utf-8")
    coordinates = text[text.index('"features"'):]
    numbers = re.findall(r"-?\d+\.(\d+)(?=[,\]])", coordinates)
    assert numbers and max(len(n) for n in numbers) <= 7
    bounds = shapely.total_bounds([shape(f["geometry"]) for f in json.loads(text)["features"]])
    assert 34 < bounds[0] < bounds[2] < 38 and 31 < bounds[1] < bounds[3] < 35  # lon, lat


def test_holes_wind_clockwise(tmp_path: Path) -> None:
    """A polygon given clockwise with a counter-clockwise hole comes out the other way round."""
    outer = [(35.7, 33.0), (35.7, 33.3), (36.0, 33.3), (36.0, 33.0), (35.7, 33.0)]  # clockwise
    hole = [(35.8, 33.1), (35.9, 33.1), (35.9, 33.2), (35.8, 33.2), (35.8, 33.1)]
    ring = Polygon(outer, [hole])
    assert not ring.exterior.is_ccw and ring.interiors[0].is_ccw
    frame = gpd.GeoDataFrame({"name": ["test area"]}, geometry=[ring], crs=WGS84)
    text = write_table(frame, "geojson").decode("utf-8")
    assert geojsonhint(text) == []
    (back,) = _polygons(json.loads(text))
    assert back.exterior.is_ccw and not back.interiors[0].is_ccw
    assert back.equals(ring)


def test_geojsonhint_flags_the_old_export(snap: Snapshot, tmp_path: Path) -> None:
    """The reader is not lenient: GDAL's default GeoJSON (a crs member, rings as stored, as the
    export was written before) fails it."""
    path = tmp_path / "old.geojson"
    pyogrio.write_dataframe(export_frame(snap), path, driver="GeoJSON", layer="frontier",
                            geometry_type="Unknown", AUTODETECT_JSON_STRINGS="NO")
    messages = geojsonhint(path.read_text(encoding="utf-8"))
    assert any("crs" in m for m in messages)
    assert RHR in messages
