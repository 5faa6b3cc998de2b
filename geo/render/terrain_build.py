"""The terrain files of the live map, built once at setup (``scripts/build_terrain.py``).

Three content-hashed static files under ``static/terrain/`` (see
:mod:`geo.render.static_files`), named in its manifest with what the page needs to place them:

* ``hillshade``: a greyscale PNG of :func:`geo.analysis.relief.hillshade_array` on the Web
  Mercator grid (so a Leaflet ImageOverlay places it exactly), scaled so that level ground is
  white: the map multiplies it over the basemap, darkening only slopes facing away from the
  light; 64 grey levels keep it near a megabyte;
* ``contours``: GeoJSON of the contour lines every 200 m (simplified under half a cell,
  coordinates to 4 decimals) with label points on the long 1,000 m and 2,000 m lines;
* ``elevation``: the stored elevation grid as a lossless Terrarium PNG (metres + 32768 in red
  × 256 + green), decoded in the browser for the elevation under the cursor.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
from pathlib import Path
from typing import Any, Final

import numpy as np
import shapely
from numpy.typing import NDArray
from PIL import Image

from geo.analysis.relief import (
    ALTITUDE_DEG,
    AZIMUTH_DEG,
    CONTOUR_INTERVAL_M,
    MAJOR_CONTOURS_M,
    Z_FACTOR,
    Contour,
    contours,
    flat_value,
    hillshade_array,
    mercator_dem,
)
from geo.data.dem import DEM_BOUNDS, DEM_CREDIT, DEM_TILES, Dem, load_dem
from geo.data.loaders import DATA_DIR
from geo.render.static_files import STATIC_DIR, TERRAIN_BUNDLE, Manifest, write_bundle

GREY_LEVELS: Final[int] = 64
#: Terrarium encoding: value = red * 256 + green - offset (metres).
TERRARIUM_OFFSET: Final[int] = 32768
#: Contour simplification (degrees, under half a 3" cell) and coordinate decimals.
CONTOUR_SIMPLIFY_DEG: Final[float] = 0.0004
CONTOUR_DECIMALS: Final[int] = 4
#: Contour pieces shorter than this (degrees) are left out: specks of a cell or two.
MIN_CONTOUR_DEG: Final[float] = 0.01
#: A major contour piece at least this long (degrees, about 5 km) gets a label at its middle.
MIN_LABELLED_DEG: Final[float] = 0.05
_MERCATOR_R: Final[float] = 6378137.0


def _png(array: NDArray[np.uint8], mode: str) -> bytes:
    out = io.BytesIO()
    Image.fromarray(array, mode).save(out, "PNG", optimize=True)
    return out.getvalue()


def hillshade_grey(shade: NDArray[np.float32], levels: int = GREY_LEVELS) -> NDArray[np.uint8]:
    """Grey values of a hillshade for multiplying over a map: level ground and lit slopes 255,
    slopes facing away darker; no data 255 (no effect)."""
    relative = np.clip(np.nan_to_num(shade / np.float32(flat_value()), nan=1.0), 0.0, 1.0)
    return (np.round(relative * (levels - 1)) / (levels - 1) * 255).astype(np.uint8)


def _mercator_latlon(x: float, y: float) -> list[float]:
    return [math.degrees(math.atan(math.sinh(y / _MERCATOR_R))), math.degrees(x / _MERCATOR_R)]


def image_bounds(dem: Dem) -> list[list[float]]:
    """[[south, west], [north, east]] of a Web Mercator grid, as Leaflet wants them."""
    rows, cols = dem.shape
    west, north = dem.transform @ (0, 0)
    east, south = dem.transform @ (cols, rows)
    return [_mercator_latlon(west, south), _mercator_latlon(east, north)]


def elevation_png(dem: Dem) -> bytes:
    """The geographic grid as a Terrarium PNG (no data as 0, i.e. -32768 m)."""
    values = np.nan_to_num(dem.elevation, nan=-TERRARIUM_OFFSET).astype(np.int32)
    values = np.clip(values + TERRARIUM_OFFSET, 0, 65535)
    rgb = np.stack([(values >> 8).astype(np.uint8), (values & 255).astype(np.uint8),
                    np.zeros(values.shape, dtype=np.uint8)], axis=-1)
    return _png(rgb, "RGB")


def contour_label(level: int) -> str:
    return f"{level:,} m"


def contours_geojson(lines: list[Contour]) -> dict[str, Any]:
    """Lines (``e``: level, ``major``) and, on long major pieces, label points (``label``)."""
    features: list[dict[str, Any]] = []
    labels: list[dict[str, Any]] = []
    for contour in lines:
        line = shapely.LineString(contour.xy).simplify(CONTOUR_SIMPLIFY_DEG)
        if line.length < MIN_CONTOUR_DEG:
            continue
        coords = np.round(np.asarray(line.coords), CONTOUR_DECIMALS).tolist()
        features.append({"type": "Feature", "properties": {"e": contour.level,
                                                           "major": contour.major},
                         "geometry": {"type": "LineString", "coordinates": coords}})
        if contour.major and line.length >= MIN_LABELLED_DEG:
            mid = line.interpolate(0.5, normalized=True)
            labels.append({"type": "Feature",
                           "properties": {"e": contour.level,
                                          "label": contour_label(contour.level)},
                           "geometry": {"type": "Point", "coordinates": [
                               round(mid.x, CONTOUR_DECIMALS), round(mid.y, CONTOUR_DECIMALS)]}})
    return {"type": "FeatureCollection", "features": features + labels}


def grid_meta(dem: Dem) -> dict[str, Any]:
    """How the page finds a cell of the elevation PNG: row = floor((north - lat) / dy)."""
    rows, cols = dem.shape
    return {"west": dem.transform.c, "north": dem.transform.f, "dx": dem.transform.a,
            "dy": -dem.transform.e, "rows": rows, "cols": cols, "offset": TERRARIUM_OFFSET}


def build_terrain(data_dir: Path = DATA_DIR, static_dir: Path = STATIC_DIR) -> Manifest:
    """Build the three terrain files and their manifest under ``static_dir/terrain``."""
    dem = load_dem(data_dir)
    merc = mercator_dem(dem)
    grey = hillshade_grey(hillshade_array(merc))
    collection = contours_geojson(contours(dem))
    files = {
        "hillshade": ("hillshade.png", _png(grey, "L")),
        "contours": ("contours.geojson",
                     json.dumps(collection, separators=(",", ":")).encode("utf-8")),
        "elevation": ("elevation.png", elevation_png(dem)),
    }
    tiles = {name: hashlib.sha256((data_dir / "dem" / name).read_bytes()).hexdigest()
             for name in DEM_TILES}
    meta = {
        "hillshade_bounds": image_bounds(merc),
        "grid": grid_meta(dem),
        "dem_bounds": list(DEM_BOUNDS),
        "credit": DEM_CREDIT,
        "hillshade": {"azimuth_deg": AZIMUTH_DEG, "altitude_deg": ALTITUDE_DEG,
                      "z_factor": Z_FACTOR, "grey_levels": GREY_LEVELS},
        "contours": {"interval_m": CONTOUR_INTERVAL_M, "major_m": list(MAJOR_CONTOURS_M)},
        "tiles_sha256": tiles,
    }
    return write_bundle(TERRAIN_BUNDLE, files, meta, static_dir)
