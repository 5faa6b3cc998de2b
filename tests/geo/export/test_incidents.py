"""Incident downloads of the Incidents page: our columns first, formula-like CSV cells defused,
GeoJSON with ISO dates and points, a GeoPackage that reads back, safe file names."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from geo.core.model import INCIDENT_COLUMNS
from geo.export.incidents import (
    export_columns,
    export_filename,
    to_csv_bytes,
    to_geojson_bytes,
    to_gpkg_bytes,
)


@pytest.fixture
def frame(data: dict) -> gpd.GeoDataFrame:
    """Three incidents with an analysis column, a datetime column and hostile notes."""
    out = data["incidents"].data.head(3).copy()
    out["in_aos"] = [True, False, True]
    out["event_date"] = pd.to_datetime(out["event_date"])
    out["notes"] = ["=HYPERLINK(\"http://evil\")", "@SUM(A1)", "plain note"]
    return out


def test_our_columns_first_then_analysis_never_geometry(frame: gpd.GeoDataFrame) -> None:
    columns = export_columns(frame)
    assert columns[: len(INCIDENT_COLUMNS)] == list(INCIDENT_COLUMNS)
    assert columns[-1] == "in_aos"
    assert "geometry" not in columns


def test_csv_defuses_formula_cells(frame: gpd.GeoDataFrame) -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv_bytes(frame).decode("utf-8"))))
    assert [r["notes"] for r in rows] == ["'=HYPERLINK(\"http://evil\")", "'@SUM(A1)",
                                          "plain note"]
    assert rows[0]["event_date"] == frame["event_date"].iloc[0].strftime("%Y-%m-%d")
    assert rows[0]["in_aos"] == "True"


def test_geojson_has_iso_dates_points_and_nulls(frame: gpd.GeoDataFrame) -> None:
    frame.loc[frame.index[1], "latitude"] = np.nan
    frame["fatalities"] = pd.array([1, None, 0], dtype="Int64")
    doc = json.loads(to_geojson_bytes(frame))
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == 3
    first, second, _ = doc["features"]
    assert first["properties"]["event_date"] == frame["event_date"].iloc[0].strftime("%Y-%m-%d")
    assert first["geometry"] == {"type": "Point", "coordinates": [
        round(float(frame["longitude"].iloc[0]), 7), round(float(frame["latitude"].iloc[0]), 7)]}
    assert second["geometry"] is None
    assert second["properties"]["fatalities"] is None
    assert first["properties"]["in_aos"] is True


def test_gpkg_reads_back(frame: gpd.GeoDataFrame, tmp_path: Path) -> None:
    path = tmp_path / "incidents.gpkg"
    path.write_bytes(to_gpkg_bytes(frame))
    back = gpd.read_file(path, layer="incidents")
    assert list(back["event_id_cnty"]) == list(frame["event_id_cnty"])
    assert back.crs is not None and back.crs.to_epsg() == 4326
    assert back.geometry.x.round(6).tolist() == frame["longitude"].round(6).tolist()


def test_export_filename_is_safe() -> None:
    assert export_filename("My Set!", dt.date(2025, 1, 1), dt.date(2025, 2, 1), ".csv") == (
        "incidents_my-set_20250101-20250201.csv")
    assert export_filename("ACLED/UCDP", None, None, "gpkg") == "incidents_acled-ucdp.gpkg"
    assert export_filename("!!!", None, None, "csv") == "incidents_incidents.csv"
    assert len(export_filename("x" * 100, None, None, "csv")) == len("incidents_.csv") + 40
