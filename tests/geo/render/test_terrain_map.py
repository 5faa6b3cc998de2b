"""Terrain on the live map: the built files (hillshade grey, Terrarium elevations, contour
GeoJSON), their hashed names, and the map elements that reference them by URL."""

from __future__ import annotations

import json
import re
from pathlib import Path

import folium
import numpy as np
import pandas as pd
import pytest
from folium import plugins
from PIL import Image

from geo.analysis.relief import Contour, flat_value
from geo.core.timeline import state_at
from geo.core.view import parse_view
from geo.core.vocabulary import GROUP_LABELS
from geo.data.dem import DEM_CREDIT, elevations_at, load_dem
from geo.data.incidents import incident_frame
from geo.data.loaders import load_layers
from geo.render import static_files, terrain_build
from geo.render.assets import walk
from geo.render.elements import GeoJsonLayer
from geo.render.map import MapSpec, build_map
from geo.render.popups import ELEVATION_LABEL
from geo.render.static_files import Manifest, StaticBuildMissing, hashed_name, write_bundle
from geo.render.terrain_map import (
    BASEMAP_PANE,
    NO_TERRAIN_LABEL,
    PANES,
    HillshadeOverlay,
    TerrainPanes,
    add_elevation_readout,
    add_terrain_layers,
)
from tests.geo.render import popup_of


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Manifest]:
    static = tmp_path_factory.mktemp("static")
    return static, terrain_build.build_terrain(static_dir=static)


def test_build_writes_hashed_files_and_manifest(built) -> None:
    static, manifest = built
    assert set(manifest.files) == {"hillshade", "contours", "elevation"}
    for key, name in manifest.files.items():
        data = (static / "terrain" / name).read_bytes()
        assert name == hashed_name(key, Path(name).suffix, data)
    assert static_files.terrain_manifest(static) == manifest
    south_west, north_east = manifest.meta["hillshade_bounds"]
    # The Mercator grid's last row overhangs the tiles by less than a cell.
    assert 31.998 < south_west[0] < 31.9996 and south_west[1] == pytest.approx(34.99958, abs=1e-4)
    assert north_east == pytest.approx([34.00042, 36.00042], abs=1e-4)


def test_elevation_png_is_lossless(built) -> None:
    static, manifest = built
    image = Image.open(static / "terrain" / manifest.files["elevation"])
    rgb = np.asarray(image.convert("RGB")).astype(np.int32)
    grid = manifest.meta["grid"]
    decoded = rgb[..., 0] * 256 + rgb[..., 1] - grid["offset"]
    assert decoded.shape == (grid["rows"], grid["cols"])
    assert np.array_equal(decoded, load_dem().elevation.astype(np.int32))
    # The summit's cell, found the way the page finds it.
    row = int((grid["north"] - 33.416) // grid["dy"])
    col = int((35.857 - grid["west"]) // grid["dx"])
    assert abs(decoded[row, col] - 2803) <= 20


def test_hillshade_png_is_grey_with_shadows(built) -> None:
    static, manifest = built
    grey = np.asarray(Image.open(static / "terrain" / manifest.files["hillshade"]))
    assert grey.ndim == 2 and grey.dtype == np.uint8
    assert np.median(grey) > 230 and grey.min() < 120  # mostly level, shadows on the massif


def test_hillshade_grey_is_white_on_level_ground() -> None:
    shade = np.array([[flat_value(), 0.0, np.nan, 1.0]], dtype=np.float32)
    assert terrain_build.hillshade_grey(shade).tolist() == [[255, 0, 255, 255]]


def test_contours_geojson_labels_long_major_lines() -> None:
    line = np.column_stack([np.linspace(35.8, 35.9, 50), np.full(50, 33.4)])
    speck = np.array([[35.1, 33.1], [35.1001, 33.1]])
    collection = terrain_build.contours_geojson(
        [Contour(1000, line), Contour(1200, line + [0, 0.01]), Contour(2000, speck)])
    kinds = [(f["geometry"]["type"], f["properties"]) for f in collection["features"]]
    assert ("Point", {"e": 1000, "label": "1,000 m"}) in kinds
    assert [p["e"] for t, p in kinds if t == "LineString"] == [1000, 1200]
    assert not any(p.get("label") == "1,200 m" for _, p in kinds)


def test_built_contours_include_labelled_major_levels(built) -> None:
    static, manifest = built
    data = json.loads((static / "terrain" / manifest.files["contours"]).read_text())
    levels = {f["properties"]["e"] for f in data["features"]}
    assert {200, 1000, 2000, 2600} <= levels
    labels = {f["properties"]["label"] for f in data["features"] if "label" in f["properties"]}
    assert labels == {"1,000 m", "2,000 m"}


def test_map_references_terrain_by_url_not_bytes(built) -> None:
    _, manifest = built
    fmap = folium.Map(location=[33.2, 35.8], zoom_start=9, tiles=None)
    fmap.add_child(TerrainPanes())  # the panes and the fetch-once loader, as build_map adds them
    groups = add_terrain_layers(fmap, ["hillshade"], manifest=manifest)
    control = plugins.MousePosition().add_to(fmap)
    add_elevation_readout(fmap, control, manifest=manifest)
    html = fmap.get_root().render()
    for key in ("hillshade", "contours", "elevation"):
        assert f'"/app/static/terrain/{manifest.files[key]}"' in html
    assert "base64" not in html and len(html) < 200_000
    assert "L.imageOverlay" in html and "force-cache" in html
    assert json.dumps(NO_TERRAIN_LABEL) in html and DEM_CREDIT in html
    assert [g.show for g in groups] == [True, False]


def test_missing_build_fails_with_how_to_build(tmp_path: Path) -> None:
    fmap = folium.Map(tiles=None)
    with pytest.raises(StaticBuildMissing, match="make setup"):
        add_terrain_layers(fmap, ["hillshade"], manifest=static_files.terrain_manifest(tmp_path))


def test_changed_content_gets_a_new_name(tmp_path: Path) -> None:
    grey = np.full((4, 4), 255, dtype=np.uint8)
    first = write_bundle("terrain", {"hillshade": ("hillshade.png",
                                                                terrain_build._png(grey, "L"))},
                                       {}, tmp_path)
    grey[0, 0] = 0
    second = write_bundle("terrain", {"hillshade": ("hillshade.png",
                                                                 terrain_build._png(grey, "L"))},
                                        {}, tmp_path)
    assert first.files["hillshade"] != second.files["hillshade"]
    assert [p.name for p in (tmp_path / "terrain").glob("hillshade-*")] == [
        second.files["hillshade"]]


def _map_of(incidents: list[dict]) -> folium.Map:
    view = parse_view({"date": "2025-10-01"})
    frame = incident_frame(pd.DataFrame(incidents))
    return build_map(state_at(load_layers().data, "2025-10-01"), frame,
                     MapSpec(view, (view.lat, view.lon, view.zoom)))


def test_default_map_shows_the_hillshade_under_the_vectors(make_incident) -> None:
    fmap = _map_of([make_incident()])
    shade, lines = (e for e in walk(fmap) if isinstance(e, folium.FeatureGroup)
                    and e.layer_name in (GROUP_LABELS["hillshade"], GROUP_LABELS["contours"]))
    assert shade.show and not lines.show
    assert any(isinstance(e, HillshadeOverlay) for e in walk(shade))
    base = [e for e in walk(fmap) if isinstance(e, GeoJsonLayer) and e.pane == BASEMAP_PANE]
    assert len(base) == 1  # the offline basemap, drawn under the terrain
    assert PANES[BASEMAP_PANE] < PANES["terrain"] < PANES["contours"] < 400
    assert "elev " in fmap.get_root().render()


def test_point_popups_carry_the_dem_elevation(make_incident) -> None:
    fmap = _map_of([make_incident(), make_incident(
        event_id_cnty="SYR0002", latitude="33.5138", longitude="36.2765", location="Damascus")])
    pops = {f["id"]: popup_of(e.data, f["properties"]) for e in walk(fmap)
            if isinstance(e, GeoJsonLayer) and not e.circles for f in e.data["features"]}
    label = re.escape(ELEVATION_LABEL)
    summit = re.search(label + r": ([\d,]+) m", pops["hermon_summit"])
    # The summit feature's point (35.85998 E, 33.41 N) is 0.7 km from the DEM's top cell.
    assert summit and int(summit.group(1).replace(",", "")) == elevations_at([35.85998], [33.41])[0]
    assert re.search(label + r": [\d,]+ m", pops["SYR0001"])
    assert "Ground at this point (SRTM 90 m): no terrain data here" in pops["SYR0002"]
    area = next(pid for pid in pops if pid.startswith("aos"))
    assert "Elevation" not in pops[area]  # not a point
