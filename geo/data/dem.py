"""The terrain model: two SRTM-derived 3-arc-second tiles in ``data/dem/`` (see data/SOURCES.md).

They cover lat 32–34 N, lon 35–36 E; there is no terrain east of 36° E. Read with rasterio (the
``.hgt`` layout is native to GDAL), mosaicked, and reprojected once per process to a 90 m grid
in UTM zone 36N for distance-based analysis. Both grids are cached in-process (they depend on
the files in ``data/`` alone) and returned read-only.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Final

import numpy as np
import rasterio
import shapely
from numpy.typing import ArrayLike, NDArray
from pyproj import Transformer
from rasterio.merge import merge
from rasterio.transform import Affine
from rasterio.warp import Resampling, reproject, transform_bounds
from shapely.geometry.base import BaseGeometry

from geo.core.crs import METRIC_CRS, WGS84
from geo.data.loaders import DATA_DIR

#: Tiles in data/dem/, north first (named by their south-west corner).
DEM_TILES: Final[tuple[str, ...]] = ("N33E035.hgt", "N32E035.hgt")
#: (west, south, east, north) of the cell centres of the mosaic, in degrees.
DEM_BOUNDS: Final[tuple[float, float, float, float]] = (35.0, 32.0, 36.0, 34.0)
#: Side of a cell of the metric analysis grid, in metres.
CELL_M: Final[float] = 90.0
DEM_CREDIT: Final[str] = (
    "SRTM and GMTED2010 terrain data courtesy of the U.S. Geological Survey; "
    "ETOPO1 terrain data U.S. NOAA"
)
COVERAGE_NOTE: Final[str] = (
    "Terrain data cover lat 32–34° N, lon 35–36° E only: none east of 36° E."
)


_TO_METRIC = Transformer.from_crs(WGS84, METRIC_CRS, always_xy=True)
_TO_WGS84 = Transformer.from_crs(METRIC_CRS, WGS84, always_xy=True)


class TerrainInputError(ValueError):
    """An input the terrain analysis cannot honour; the message is meant for the reader."""


@dataclass(frozen=True, eq=False)
class Dem:
    """An elevation grid (metres, NaN = no data) with its affine transform and CRS."""

    elevation: NDArray[np.float32]
    transform: Affine
    crs: str

    @property
    def shape(self) -> tuple[int, int]:
        rows, cols = self.elevation.shape
        return rows, cols

    def cell_of(self, x: float, y: float) -> tuple[int, int] | None:
        """(row, col) of the cell that contains (x, y), or None off the grid or on no data."""
        col_f, row_f = ~self.transform @ (x, y)
        if not (math.isfinite(col_f) and math.isfinite(row_f)):
            return None
        row, col = math.floor(row_f), math.floor(col_f)
        if not (0 <= row < self.shape[0] and 0 <= col < self.shape[1]):
            return None
        if math.isnan(float(self.elevation[row, col])):
            return None
        return row, col

    def centre_of(self, row: int, col: int) -> tuple[float, float]:
        """(x, y) of the centre of cell (row, col)."""
        x, y = self.transform @ (col + 0.5, row + 0.5)
        return float(x), float(y)

    def sample(self, xs: NDArray[np.float64], ys: NDArray[np.float64]) -> NDArray[np.float64]:
        """Elevations at the points (xs, ys), bilinear between cell centres; NaN where any of
        the four surrounding cells is missing or off the grid."""
        cols_f, rows_f = ~self.transform @ (np.asarray(xs, float), np.asarray(ys, float))
        rows_f, cols_f = np.asarray(rows_f) - 0.5, np.asarray(cols_f) - 0.5
        row0, col0 = np.floor(rows_f).astype(np.intp), np.floor(cols_f).astype(np.intp)
        inside = (row0 >= 0) & (col0 >= 0) & (row0 < self.shape[0] - 1) & (
            col0 < self.shape[1] - 1
        )
        r, c = np.where(inside, row0, 0), np.where(inside, col0, 0)
        fr, fc = rows_f - r, cols_f - c
        grid = self.elevation.astype(np.float64)
        top = (1 - fc) * grid[r, c] + fc * grid[r, c + 1]
        bottom = (1 - fc) * grid[r + 1, c] + fc * grid[r + 1, c + 1]
        return np.where(inside, (1 - fr) * top + fr * bottom, np.nan)


def _read_only(array: NDArray[np.float32]) -> NDArray[np.float32]:
    array.flags.writeable = False
    return array


@lru_cache(maxsize=2)
def load_dem(data_dir: Path = DATA_DIR) -> Dem:
    """The two tiles as one geographic grid (WGS84, 1201 × 2401 cells of 3″), as stored."""
    paths = [data_dir / "dem" / name for name in DEM_TILES]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise FileNotFoundError(f"DEM tile(s) missing: {', '.join(missing)}")
    sources = [rasterio.open(path) for path in paths]
    try:
        with warnings.catch_warnings():
            # rasterio 1.4's merge multiplies Affine objects with `*`, which affine 3 deprecates.
            warnings.simplefilter("ignore", PendingDeprecationWarning)
            mosaic, transform = merge(sources)
        nodata = sources[0].nodata
    finally:
        for source in sources:
            source.close()
    elevation = mosaic[0].astype(np.float32)
    if nodata is not None:
        elevation[mosaic[0] == nodata] = np.nan
    return Dem(_read_only(elevation), transform, WGS84)


@lru_cache(maxsize=2)
def load_metric_dem(data_dir: Path = DATA_DIR) -> Dem:
    """The mosaic reprojected (bilinear) to UTM zone 36N on 90 m cells whose edges are
    multiples of 90 m; cells outside the tiles are NaN."""
    source = load_dem(data_dir)
    rows, cols = source.shape
    west, north = source.transform @ (0, 0)
    east, south = source.transform @ (cols, rows)
    left, bottom, right, top = transform_bounds(WGS84, METRIC_CRS, west, south, east, north,
                                                densify_pts=51)
    left, bottom = math.floor(left / CELL_M) * CELL_M, math.floor(bottom / CELL_M) * CELL_M
    width = math.ceil((right - left) / CELL_M)
    height = math.ceil((top - bottom) / CELL_M)
    transform = Affine(CELL_M, 0.0, left, 0.0, -CELL_M, bottom + height * CELL_M)
    elevation = np.full((height, width), np.nan, dtype=np.float32)
    reproject(
        np.ascontiguousarray(source.elevation), elevation,
        src_transform=source.transform, src_crs=source.crs, src_nodata=np.nan,
        dst_transform=transform, dst_crs=METRIC_CRS, dst_nodata=np.nan,
        resampling=Resampling.bilinear, num_threads=2,  # a third faster than one thread
    )
    return Dem(_read_only(elevation), transform, METRIC_CRS)


def elevation_at(lon: float, lat: float, data_dir: Path = DATA_DIR) -> float | None:
    """Elevation (m) of the stored cell nearest to (lon, lat); None without terrain data
    (outside lat 32–34 N, lon 35–36 E)."""
    dem = load_dem(data_dir)
    cell = dem.cell_of(lon, lat)
    return None if cell is None else float(dem.elevation[cell])


def elevations_at(lons: ArrayLike, lats: ArrayLike, dem: Dem | None = None,
                  data_dir: Path = DATA_DIR) -> NDArray[np.float64]:
    """Elevation (m) of the stored cell nearest to each (lon, lat) of a geographic DEM; NaN
    off the grid (east of 36° E, say) or on no data."""
    source = load_dem(data_dir) if dem is None else dem
    cols_f, rows_f = ~source.transform @ (np.asarray(lons, float), np.asarray(lats, float))
    rows_f, cols_f = np.asarray(rows_f, float), np.asarray(cols_f, float)
    finite = np.isfinite(rows_f) & np.isfinite(cols_f)
    row = np.floor(np.where(finite, rows_f, -1)).astype(np.intp)
    col = np.floor(np.where(finite, cols_f, -1)).astype(np.intp)
    inside = (row >= 0) & (col >= 0) & (row < source.shape[0]) & (col < source.shape[1])
    values = source.elevation[np.where(inside, row, 0), np.where(inside, col, 0)]
    return np.where(inside, values.astype(np.float64), np.nan)


def covered(lon: float, lat: float, data_dir: Path = DATA_DIR) -> bool:
    """Whether the DEM has an elevation for (lon, lat)."""
    return elevation_at(lon, lat, data_dir) is not None


def to_metric(lon: float, lat: float) -> tuple[float, float]:
    """(x, y) in the metric CRS of the analysis grid."""
    x, y = _TO_METRIC.transform(lon, lat)
    return float(x), float(y)


def to_wgs84(x: float, y: float) -> tuple[float, float]:
    """(lon, lat) of a point of the metric CRS."""
    lon, lat = _TO_WGS84.transform(x, y)
    return float(lon), float(lat)


def _metric_xy(xy: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.column_stack(_TO_METRIC.transform(xy[:, 0], xy[:, 1]))


def _wgs84_xy(xy: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.column_stack(_TO_WGS84.transform(xy[:, 0], xy[:, 1]))


def geometry_to_metric(geometry: BaseGeometry) -> BaseGeometry:
    """A WGS84 geometry in the metric CRS."""
    return shapely.transform(geometry, _metric_xy)


def geometry_to_wgs84(geometry: BaseGeometry) -> BaseGeometry:
    """A metric-CRS geometry in WGS84."""
    return shapely.transform(geometry, _wgs84_xy)
