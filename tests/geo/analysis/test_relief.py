"""Relief for the maps: the DEM's checked values, xarray-spatial's hillshade (lit where the
slope faces the light), contour levels, nearest-cell elevations of points."""

from __future__ import annotations

from unittest import mock

import numpy as np
import pytest
from rasterio.transform import Affine

from geo.analysis import relief
from geo.data.dem import Dem, elevations_at, load_dem

SUMMIT = (35.857, 33.416)
GALILEE = (35.59, 32.82)


def test_loader_gives_the_summit_and_the_lake() -> None:
    values = elevations_at([SUMMIT[0], GALILEE[0]], [SUMMIT[1], GALILEE[1]])
    assert abs(values[0] - 2803) <= 20
    assert abs(values[1] - -215) <= 5


def test_no_elevation_off_the_grid() -> None:
    values = elevations_at([36.2, 35.5, float("nan")], [33.5, 34.5, 33.0])
    assert np.isnan(values).all()


def _ramp(azimuth: float) -> float:
    """Mean illumination of a slope rising to the east (it faces west)."""
    rising_east = np.tile(np.arange(40, dtype=np.float32) * 30, (40, 1))
    dem = Dem(rising_east, Affine(90, 0, 500000, 0, -90, 3700000), "EPSG:32636")
    return float(np.nanmean(relief.hillshade_array(dem, azimuth=azimuth)))


def test_hillshade_lights_slopes_facing_the_light() -> None:
    assert _ramp(270) > _ramp(90) + 0.2


def test_hillshade_is_xarray_spatials() -> None:
    dem = relief.mercator_dem()
    with mock.patch.object(relief, "xrs_hillshade", wraps=relief.xrs_hillshade) as spy:
        shade = relief.hillshade_array(dem)
    assert spy.call_count == 1
    assert shade.shape == dem.shape
    inner = shade[1:-1, 1:-1]
    finite = inner[np.isfinite(inner)]
    assert finite.size > 0.99 * inner.size  # the last row overhangs the tiles
    assert 0 <= finite.min() and finite.max() <= 1
    # Most of the ground is near level; the Hermon massif has deep shadows.
    assert abs(float(np.median(finite)) - relief.flat_value()) < 0.05
    assert finite.min() < 0.5
    assert np.isnan(shade[0]).all()


def test_hillshade_needs_square_cells() -> None:
    with pytest.raises(ValueError, match="mercator_dem"):
        relief.hillshade_array(load_dem())


def test_mercator_grid_covers_the_tiles() -> None:
    dem = relief.mercator_dem()
    assert dem.shape[1] == load_dem().shape[1]
    assert 75 < relief.ground_cell_m(dem) < 80  # 3 arc-seconds of longitude at 33° N


def test_contour_levels_every_200_m() -> None:
    levels = relief.contour_levels(load_dem())
    assert levels[0] == 200 and levels[-1] == 2800
    assert {1000, 2000} <= set(levels)
    assert all(b - a == 200 for a, b in zip(levels, levels[1:], strict=False))


def test_contours_lie_at_their_level() -> None:
    lines = relief.contours(levels=[1000, 2000])
    assert {c.level for c in lines} == {1000, 2000} and all(c.major for c in lines)
    top = [c for c in lines if c.level == 2000]
    lons = np.concatenate([c.xy[:, 0] for c in top])
    lats = np.concatenate([c.xy[:, 1] for c in top])
    # The 2,000 m line runs along the Hermon massif and the Anti-Lebanon, near the summit.
    assert 35.7 < lons.min() and lons.max() < 36.0 and 33.2 < lats.min()
    assert np.hypot(lons - 35.857, lats - 33.416).min() < 0.05
    near = elevations_at(lons, lats)
    assert abs(float(np.median(near)) - 2000) < 40
