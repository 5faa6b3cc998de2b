"""The registry of export formats: every format renders a file of its type, under a file name
of its own."""

from __future__ import annotations

import datetime as dt
import io
import json
import sqlite3
from pathlib import Path

import pytest
from PIL import Image

from geo.core.view import ViewState
from geo.export.registry import FORMATS, of_group
from geo.export.snapshot import Snapshot

SIMPLE = [key for key in FORMATS if key != "gif"]  # the GIF also takes its frame dates


@pytest.mark.parametrize("key", SIMPLE)
def test_every_format_renders_a_file_of_its_type(key: str, snap: Snapshot,
                                                 tmp_path: Path) -> None:
    fmt = FORMATS[key]
    data = fmt.render(snap)
    assert isinstance(data, bytes) and data
    if fmt.mime == "image/png":
        assert Image.open(io.BytesIO(data)).format == "PNG"
    elif fmt.mime == "application/pdf":
        assert data.startswith(b"%PDF-")
    elif fmt.mime == "text/html":
        assert "The frontier as of 10 January 2025" in data.decode("utf-8")
    elif fmt.mime == "application/geo+json":
        assert json.loads(data)["type"] == "FeatureCollection"
    elif fmt.mime == "application/geopackage+sqlite3":
        path = tmp_path / f"out.{fmt.ext}"
        path.write_bytes(data)
        with sqlite3.connect(path) as db:
            assert db.execute("select count(*) from gpkg_contents").fetchone()[0] == 1
    else:
        assert fmt.mime == "application/vnd.google-earth.kml+xml"
        assert b"<kml" in data


def test_png_sizes_and_data_files_are_grouped() -> None:
    assert [f.key for f in of_group("snapshot")] == ["png", "png-a4"]
    assert [f.key for f in of_group("data")] == ["geojson", "gpkg", "kml"]


def test_file_names_differ_by_format() -> None:
    view = ViewState(date=dt.date(2025, 1, 10))
    names = [f.filename(view) for f in FORMATS.values()]
    assert len(set(names)) == len(names)
    assert FORMATS["png-a4"].filename(view) == "frontier_2025-01-10_w30_area-of-separation_a4.png"
    assert FORMATS["gif"].filename(view, "playback-weekly").endswith("_playback-weekly.gif")
