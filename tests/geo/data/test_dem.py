"""The DEM loader: the stored tiles are the documented ones, the mosaic reads the right cell
for a place (checked on tiles made in code and on known heights), the metric grid is UTM 36N on
90 m cells, and there is no terrain east of 36° E."""

from __future__ import annotations

import hashlib
import math
import re
from pathlib import Path

import numpy as np
import pytest
import rasterio

from geo.data.dem import (
    CELL_M,
    DEM_TILES,
    covered,
    elevation_at,
    load_dem,
    load_metric_dem,
    to_metric,
)
from geo.data.loaders import DATA_DIR

SIZE = 1201  # samples per side of a 3″ tile


def documented_checksums() -> dict[str, str]:
    text = (DATA_DIR / "SOURCES.md").read_text(encoding="utf-8")
    return dict(re.findall(r"`(N\d\dE\d{3}\.hgt)`\s+`([0-9a-f]{64})`", text))


def test_tiles_are_the_documented_ones() -> None:
    checksums = documented_checksums()
    assert set(checksums) == set(DEM_TILES)
    for name, expected in checksums.items():
        digest = hashlib.sha256((DATA_DIR / "dem" / name).read_bytes()).hexdigest()
        assert digest == expected, name


def test_the_tiles_share_their_edge() -> None:
    north, south = (rasterio.open(DATA_DIR / "dem" / name) for name in DEM_TILES)
    with north, south:
        assert np.array_equal(north.read(1)[-1], south.read(1)[0])


def test_mosaic_extent() -> None:
    dem = load_dem()
    assert dem.shape == (2 * SIZE - 1, SIZE)
    west, north = dem.transform @ (0.5, 0.5)
    east, south = dem.transform @ (dem.shape[1] - 0.5, dem.shape[0] - 0.5)
    assert (west, south, east, north) == pytest.approx((35.0, 32.0, 36.0, 34.0))
    assert not dem.elevation.flags.writeable


def test_known_heights() -> None:
    hermon = elevation_at(35.857, 33.416)
    galilee = elevation_at(35.59, 32.82)  # a point in the Sea of Galilee
    assert hermon is not None and abs(hermon - 2_803) <= 20
    assert galilee is not None and abs(galilee - -215) <= 5
    assert float(np.nanmax(load_dem().elevation)) == pytest.approx(2_808)


@pytest.mark.parametrize(
    ("lon", "lat", "inside"),
    [(35.5, 33.0, True), (35.0, 32.0, True), (36.0, 34.0, True), (36.01, 33.0, False),
     (36.3, 33.5, False), (34.98, 33.0, False), (35.5, 31.9, False), (35.5, 34.1, False)],
)
def test_no_terrain_outside_the_tiles(lon: float, lat: float, inside: bool) -> None:
    assert covered(lon, lat) is inside
    assert (elevation_at(lon, lat) is None) is not inside


def write_tiles(folder: Path) -> None:
    """Two tiles whose elevation encodes its own position: 10 × (row of the mosaic) + column
    // 100, so that any mix-up of rows, columns or tiles shows."""
    (folder / "dem").mkdir(parents=True)
    rows, cols = np.indices((2 * SIZE - 1, SIZE))
    mosaic = (rows % 1000) * 10 + cols // 100
    mosaic[rows == 5] = -32768  # the tiles' no-data value
    for offset, name in ((0, "N33E035.hgt"), (SIZE - 1, "N32E035.hgt")):
        mosaic[offset:offset + SIZE].astype(">i2").tofile(folder / "dem" / name)


def test_a_place_reads_its_own_cell(tmp_path: Path) -> None:
    write_tiles(tmp_path)
    for lat, lon in ((33.9, 35.2), (33.0, 35.999), (32.51, 35.5), (32.0, 35.0)):
        row, col = round((34 - lat) * 1200), round((lon - 35) * 1200)
        assert elevation_at(lon, lat, tmp_path) == (row % 1000) * 10 + col // 100
    assert elevation_at(35.5, 34 - 5 / 1200, tmp_path) is None  # no data
    assert math.isnan(load_dem(tmp_path).sample(np.array([35.5]), np.array([34 - 5 / 1200]))[0])


def test_bilinear_sample_between_cells(tmp_path: Path) -> None:
    write_tiles(tmp_path)
    dem = load_dem(tmp_path)
    lat = 34 - 100.5 / 1200  # halfway between mosaic rows 100 and 101
    value = dem.sample(np.array([35.1]), np.array([lat]))[0]
    assert value == pytest.approx((100 * 10 + 120 // 100 + 101 * 10 + 120 // 100) / 2)


def test_metric_grid() -> None:
    grid = load_metric_dem()
    assert grid.crs == "EPSG:32636"
    assert (grid.transform.a, grid.transform.e) == (CELL_M, -CELL_M)
    assert grid.transform.c % CELL_M == 0 and grid.transform.f % CELL_M == 0
    assert abs(float(np.nanmax(grid.elevation)) - 2_803) <= 20
    # The tiles' corners are in the grid, the ground east of 36° E is not.
    for lon, lat in ((35.01, 32.01), (35.99, 33.99), (35.5, 33.0)):
        assert grid.cell_of(*to_metric(lon, lat)) is not None
    assert grid.cell_of(*to_metric(36.05, 33.0)) is None
    row, col = grid.cell_of(*to_metric(35.59, 32.82)) or (0, 0)
    assert abs(float(grid.elevation[row, col]) - -215) <= 5
