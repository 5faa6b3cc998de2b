"""Terrain downloads: viewshed polygons (GeoJSON, GeoPackage) and the profile CSV carry their
basis, inputs and the DEM credit, and their figures match the results."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pyogrio
import pytest
from matplotlib.colors import to_rgb
from PIL import Image
from pypdf import PdfReader

from geo.analysis.profile import elevation_profile
from geo.analysis.sightlines import comparison, crossing_lines, places, report, zones
from geo.analysis.terrain import CORRECTION_NOTE
from geo.analysis.viewshed import RESOLUTION_NOTE, ViewshedParams
from geo.core.figures import round_sig
from geo.core.terrain import SUMMIT
from geo.core.view import parse_view
from geo.data.dem import DEM_CREDIT
from geo.data.loaders import load_all
from geo.export.layout import OUTPUT_PRESETS, box_pixels
from geo.export.pdf import render_pdf
from geo.export.png import render_png
from geo.export.snapshot import Snapshot, make_snapshot
from geo.export.terrain import (
    framed,
    profile_csv,
    viewshed_file,
    viewshed_filename,
    viewshed_frame,
    viewshed_overlay,
)
from geo.render.terrain_layers import VIEWSHED_COLOUR

PARAMS = ViewshedParams(observer_height_m=10, target_height_m=2, radius_km=15)


@pytest.fixture(scope="module")
def layers():
    return load_all()["layers"].data


@pytest.fixture(scope="module")
def summit(layers):
    return report(places(layers)[SUMMIT], PARAMS, zones(layers))


def test_the_viewshed_geojson_says_what_it_is(summit) -> None:
    data = json.loads(viewshed_file(summit, "geojson"))
    (feature,) = data["features"]
    props = feature["properties"]
    assert props["basis"] == "derived" and props["dem_credit"] == DEM_CREDIT
    assert props["observer_height_m"] == 10 and props["target_height_m"] == 2
    assert props["radius_km"] == 15 and props["refraction_k"] == 0.13
    assert props["observer_lat"] == pytest.approx(summit.observer.lat, abs=1e-5)
    assert props["visible_km2"] == pytest.approx(summit.result.visible_km2, abs=0.1)
    assert props["syria_east_of_line_b_visible_km2"] > 0
    assert "k = 0.13" in props["correction"] and "90 m" in props["resolution"]
    assert feature["geometry"]["type"] == "MultiPolygon"


def test_the_geopackage_reads_back(summit, tmp_path: Path) -> None:
    path = tmp_path / viewshed_filename(summit, "gpkg")
    path.write_bytes(viewshed_file(summit, "gpkg"))
    frame = pyogrio.read_dataframe(path)
    assert path.name.startswith("viewshed_33.41") and path.name.endswith("_h10_r15km.gpkg")
    assert list(frame["basis"]) == ["derived"] and frame.crs.to_epsg() == 4326
    assert frame.geometry.iloc[0].equals_exact(summit.result.polygons, 1e-9)


def test_a_comparison_has_three_rows(layers, summit) -> None:
    other = report(places(layers)["pos_hermon_outpost_2400_m"], PARAMS, zones(layers))
    frame = viewshed_frame(summit, comparison(summit, other))
    assert list(frame["item"]) == ["only the first sees", "only the second sees", "both see"]
    assert frame["first_observer"].iloc[0] == summit.label
    assert frame["visible_km2"].sum() == pytest.approx(
        summit.result.visible_km2 + other.result.visible_km2
        - frame["visible_km2"].iloc[2], abs=0.3)


def test_the_profile_csv(layers) -> None:
    profile = elevation_profile([(35.75, 33.2), (35.95, 33.15)], crossing_lines(layers))
    text = profile_csv(profile, "west", "east").decode("utf-8")
    header = dict(line[2:].split(": ", 1) for line in text.splitlines() if line.startswith("#"))
    assert json.loads(header["basis"]) == "derived"
    assert json.loads(header["dem_credit"]) == DEM_CREDIT
    assert json.loads(header["end_visible"]) == profile.sight.visible
    assert {c["name"] for c in json.loads(header["crossings"])} >= {"Line A", "Line B"}
    rows = list(csv.DictReader(io.StringIO("\n".join(
        line for line in text.splitlines() if not line.startswith("#")))))
    assert len(rows) == len(profile.distance_km)
    assert float(rows[-1]["distance_km"]) == pytest.approx(profile.length_km, abs=1e-3)
    assert float(rows[0]["sight_line_m"]) == pytest.approx(profile.elevation_m[0] + 10, abs=0.1)


@pytest.fixture(scope="module")
def overlaid(layers, summit) -> Snapshot:
    data = load_all()
    overlay = viewshed_overlay(summit)
    view = framed(parse_view({"date": "2025-09-16", "layers": "lines_1974,golan,hermon"}),
                  overlay)
    snap = make_snapshot(view, layers, data["incidents"].data, data["timeline"].data,
                         coverage=data["coverage"].data)
    return replace(snap, permalink="http://x/terrain?observer=summit&radius=15",
                   overlay=overlay)


def test_the_overlay_says_what_was_computed(summit) -> None:
    overlay = viewshed_overlay(summit)
    assert overlay.title == f"What Hermon sees: the view from {summit.label}"
    assert "eye 10 m above ground, targets 2 m, radius 15 km, k = 0.13" in overlay.caption
    assert "33.41329 N, 35.85693 E, ground 2,788 m" in overlay.caption
    assert f"visible ≈ {round_sig(summit.result.visible_km2):,} km²" in overlay.caption
    assert "Syria east of Line B ≈" in overlay.caption and "eye 0 / 10 / 20 m" in overlay.caption
    assert CORRECTION_NOTE in overlay.notes and RESOLUTION_NOTE in overlay.notes
    assert overlay.credit == DEM_CREDIT and overlay.points[0][2] == summit.label


def test_the_static_map_frames_the_whole_viewshed(overlaid: Snapshot) -> None:
    west, south, east, north = overlaid.overlay.areas[0].geometry.bounds
    assert south < overlaid.view.lat < north and west < overlaid.view.lon < east
    assert overlaid.view.zoom >= 10  # a 15 km radius is seen close up


def test_the_png_draws_the_viewshed(overlaid: Snapshot) -> None:
    plain = Image.open(io.BytesIO(render_png(replace(overlaid, overlay=None), "small")))
    drawn = Image.open(io.BytesIO(render_png(overlaid, "small")))
    x0, y0, x1, y1 = box_pixels(OUTPUT_PRESETS["small"], "map")
    red, green, blue = to_rgb(VIEWSHED_COLOUR)
    assert green - red > 0.4 and green > blue  # the viewshed's green, translucent over the base

    def greenish(image: Image.Image) -> int:
        pixels = np.asarray(image.convert("RGB"))[y0:y1, x0:x1].astype(int)
        r, g, b = pixels[..., 0], pixels[..., 1], pixels[..., 2]
        return int(((g - r > 40) & (g > b)).sum())

    assert greenish(drawn) > 500 > greenish(plain)


def test_the_pdf_brief_carries_the_parameters_and_the_credit(overlaid: Snapshot) -> None:
    reader = PdfReader(io.BytesIO(render_pdf(overlaid)))
    text = " ".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())
    assert "What Hermon sees: the view from Hermon summit" in flat
    assert "radius 15 km" in flat and "k = 0.13" in flat
    assert "SRTM and GMTED2010" in flat and "observer=summit&radius=15" in flat
    assert reader.metadata.title == overlaid.overlay.title
