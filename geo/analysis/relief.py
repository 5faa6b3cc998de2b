"""Relief of the terrain model for maps: hillshade and contour lines.

The hillshade is xarray-spatial's (:func:`xrspatial.hillshade`), computed on a grid whose cells
are square on the ground (Web Mercator, :func:`mercator_dem`, or the metric analysis grid):
xarray-spatial differentiates per cell, so the elevations are first divided by the cell's
ground size (times :data:`Z_FACTOR`). Contours are traced by contourpy on the stored
geographic grid, every :data:`CONTOUR_INTERVAL_M` above sea level. Elevations of points are
:func:`geo.data.dem.elevations_at` (no xarray-spatial: the live map needs only those).

The live map (geo.render.terrain_map, built at setup by scripts/build_terrain.py) and the PNG
and PDF exports use these same functions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import contourpy
import numpy as np
import xarray as xr
from numpy.typing import NDArray
from rasterio.transform import Affine
from rasterio.warp import Resampling, reproject, transform_bounds
from xrspatial import hillshade as xrs_hillshade

from geo.core.crs import WGS84
from geo.data.dem import Dem, load_dem
from geo.data.loaders import DATA_DIR

WEB_MERCATOR: Final[str] = "EPSG:3857"
#: Light from the north-west, 45° above the horizon: the cartographic convention.
AZIMUTH_DEG: Final[float] = 315.0
ALTITUDE_DEG: Final[float] = 45.0
#: Vertical exaggeration of the hillshade (90 m cells smooth the relief).
Z_FACTOR: Final[float] = 2.0
CONTOUR_INTERVAL_M: Final[int] = 200
#: The heavier, labelled contours.
MAJOR_CONTOURS_M: Final[tuple[int, ...]] = (1000, 2000)
#: Earth radius of the Web Mercator projection (metres).
_MERCATOR_R: Final[float] = 6378137.0


@dataclass(frozen=True)
class Contour:
    """One contour line: its level (m) and its (lon, lat) vertices."""

    level: int
    xy: NDArray[np.float64]

    @property
    def major(self) -> bool:
        return self.level in MAJOR_CONTOURS_M


def mercator_dem(dem: Dem | None = None, data_dir: Path = DATA_DIR) -> Dem:
    """The geographic DEM reprojected (bilinear) to Web Mercator on square cells, as many
    columns as the source: the grid of the map's image overlays."""
    source = load_dem(data_dir) if dem is None else dem
    rows, cols = source.shape
    west, north = source.transform @ (0, 0)
    east, south = source.transform @ (cols, rows)
    left, bottom, right, top = transform_bounds(source.crs, WEB_MERCATOR, west, south, east,
                                                north)
    cell = (right - left) / cols
    height = math.ceil((top - bottom) / cell)
    transform = Affine(cell, 0.0, left, 0.0, -cell, top)
    elevation = np.full((height, cols), np.nan, dtype=np.float32)
    reproject(
        np.ascontiguousarray(source.elevation), elevation,
        src_transform=source.transform, src_crs=source.crs, src_nodata=np.nan,
        dst_transform=transform, dst_crs=WEB_MERCATOR, dst_nodata=np.nan,
        resampling=Resampling.bilinear,
    )
    elevation.flags.writeable = False
    return Dem(elevation, transform, WEB_MERCATOR)


def ground_cell_m(dem: Dem) -> float:
    """Ground size (m) of a cell of a projected grid with square cells; for Web Mercator, at
    the grid's middle latitude. A geographic grid raises ValueError (its cells are not square:
    use :func:`mercator_dem`)."""
    if dem.crs == WGS84:
        raise ValueError("hillshade needs a projected grid: reproject with mercator_dem()")
    cell = abs(float(dem.transform.a))
    if dem.crs != WEB_MERCATOR:
        return cell
    _, y_mid = dem.transform @ (0, dem.shape[0] / 2)
    lat_mid = math.atan(math.sinh(y_mid / _MERCATOR_R))
    return cell * math.cos(lat_mid)


def hillshade_array(dem: Dem, azimuth: float = AZIMUTH_DEG, altitude: float = ALTITUDE_DEG,
                    z_factor: float = Z_FACTOR) -> NDArray[np.float32]:
    """Illumination per cell of a projected DEM, 0 (dark) to 1 (lit), from
    :func:`xrspatial.hillshade`; NaN on the grid's edge and where there is no elevation."""
    scaled = dem.elevation.astype(np.float32) * np.float32(z_factor / ground_cell_m(dem))
    rows, cols = dem.shape
    grid = xr.DataArray(scaled, dims=("y", "x"),
                        coords={"y": np.arange(rows)[::-1], "x": np.arange(cols)})
    shade = xrs_hillshade(grid, azimuth=int(round(azimuth)), angle_altitude=int(round(altitude)))
    return np.asarray(shade.values, dtype=np.float32)


def flat_value(altitude: float = ALTITUDE_DEG) -> float:
    """What :func:`hillshade_array` gives on level ground (xarray-spatial's (sin h + 1) / 2)."""
    return (math.sin(math.radians(altitude)) + 1.0) / 2.0


def contour_levels(dem: Dem, interval: int = CONTOUR_INTERVAL_M) -> list[int]:
    """Every ``interval`` metres above sea level, up to the highest cell."""
    top = float(np.nanmax(dem.elevation))
    return list(range(interval, int(top) + 1, interval))


def contours(dem: Dem | None = None, levels: list[int] | None = None,
             data_dir: Path = DATA_DIR) -> list[Contour]:
    """Contour lines of the geographic DEM, traced by contourpy between cell centres."""
    source = load_dem(data_dir) if dem is None else dem
    rows, cols = source.shape
    xs = source.transform.c + source.transform.a * (np.arange(cols) + 0.5)
    ys = source.transform.f + source.transform.e * (np.arange(rows) + 0.5)
    generator = contourpy.contour_generator(
        xs, ys, source.elevation.astype(np.float64), line_type=contourpy.LineType.Separate,
    )
    out = []
    for level in contour_levels(source) if levels is None else levels:
        for line in generator.lines(level):
            out.append(Contour(level, np.asarray(line, dtype=np.float64)))
    return out
