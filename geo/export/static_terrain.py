"""The terrain of a static export, as the live map shows it (:mod:`geo.render.terrain_map`),
from the same files built at setup (:mod:`geo.render.terrain_build`): the hillshade image
multiplied over the base (a black layer whose opacity is the live map's opacity times the
shade's darkness gives the same pixels as its multiply blend), the contour lines with their
1,000/2,000 m labels, and the area without terrain data hatched and labelled."""

from __future__ import annotations

import json
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any, Final

import numpy as np
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgba
from matplotlib.patches import Polygon
from PIL import Image

from geo.core.model import REGION_BOUNDS
from geo.core.vocabulary import TERRAIN_GROUPS
from geo.data.dem import DEM_BOUNDS
from geo.render.static_files import STATIC_DIR, Manifest, terrain_manifest
from geo.render.terrain_map import CONTOUR_COLOUR, HILLSHADE_OPACITY, NO_TERRAIN_LABEL

ToXY = Callable[[float, float], tuple[float, float]]
#: Contour lines as the live map's ContourLayer draws them: (width px, opacity).
MAJOR_CONTOUR: Final[tuple[float, float]] = (1.6, 0.9)
MINOR_CONTOUR: Final[tuple[float, float]] = (0.7, 0.55)
#: The hatch of the area without terrain (the live map's SVG pattern: grey lines on a light
#: veil) and its label's colour.
HATCH_GREY: Final[str] = "#8c8c8c"
NOTE_INK: Final[str] = "#444444"


def _file(manifest: Manifest, key: str, static_dir: Path) -> Path:
    return static_dir / manifest.bundle / manifest.files[key]


def _draw_hillshade(ax: Axes, manifest: Manifest, static_dir: Path, to_xy: ToXY) -> None:
    grey = np.asarray(Image.open(_file(manifest, "hillshade", static_dir)).convert("L"))
    (south, west), (north, east) = manifest.meta["hillshade_bounds"]
    x0, y0 = to_xy(west, south)
    x1, y1 = to_xy(east, north)
    # Only the rows and columns in view (the image is on the Web Mercator grid: linear).
    (vx0, vx1), (vy0, vy1) = ax.get_xlim(), ax.get_ylim()
    rows, cols = grey.shape
    c0 = max(0, int((vx0 - x0) / (x1 - x0) * cols) - 1)
    c1 = min(cols, int((vx1 - x0) / (x1 - x0) * cols) + 2)
    r0 = max(0, int((y1 - vy1) / (y1 - y0) * rows) - 1)
    r1 = min(rows, int((y1 - vy0) / (y1 - y0) * rows) + 2)
    if c0 >= c1 or r0 >= r1:
        return
    part = grey[r0:r1, c0:c1].astype(np.float32) / 255.0
    shade = np.zeros((*part.shape, 4), dtype=np.float32)
    shade[..., 3] = HILLSHADE_OPACITY * (1.0 - part)
    dx, dy = (x1 - x0) / cols, (y1 - y0) / rows
    ax.imshow(shade, extent=(x0 + c0 * dx, x0 + c1 * dx, y1 - r1 * dy, y1 - r0 * dy),
              origin="upper", interpolation="bilinear", zorder=2, aspect="auto")


def _draw_contours(ax: Axes, manifest: Manifest, static_dir: Path, to_xy: ToXY,
                   size_scale: float) -> None:
    data = json.loads(_file(manifest, "contours", static_dir).read_text(encoding="utf-8"))
    lines: dict[bool, list[Any]] = {True: [], False: []}
    halo = [patheffects.withStroke(linewidth=3.0 * size_scale, foreground="white")]
    for feature in data["features"]:
        coords, props = feature["geometry"]["coordinates"], feature["properties"]
        if feature["geometry"]["type"] == "Point":
            x, y = to_xy(*coords)
            ax.text(x, y, props["label"], fontsize=11 * size_scale, fontweight="bold",
                    color=CONTOUR_COLOUR, ha="center", va="center", zorder=2,
                    path_effects=halo, clip_on=True, parse_math=False)
        else:
            lines[bool(props["major"])].append([to_xy(lon, lat) for lon, lat in coords])
    for major, (width, opacity) in ((False, MINOR_CONTOUR), (True, MAJOR_CONTOUR)):
        ax.add_collection(LineCollection(lines[major], colors=[to_rgba(CONTOUR_COLOUR, opacity)],
                                         linewidths=width * size_scale, zorder=2),
                          autolim=False)


def _draw_no_terrain(ax: Axes, to_xy: ToXY, view: tuple[float, float], css_px: float,
                     size_scale: float) -> None:
    """The region outside the DEM, hatched, and its label just east of 36° E in the view."""
    def ring(bounds: tuple[float, float, float, float]) -> list[tuple[float, float]]:
        w, s, e, n = bounds
        return [to_xy(w, s), to_xy(e, s), to_xy(e, n), to_xy(w, n)]

    outer, inner = ring(REGION_BOUNDS), ring(DEM_BOUNDS)[::-1]
    ax.add_patch(Polygon([*outer, outer[0], *inner, inner[0]], closed=True,
                         facecolor=(1, 1, 1, 0.35), edgecolor="none", hatch="//",
                         hatchcolor=HATCH_GREY, linewidth=0, zorder=2))
    _, south, east, north = DEM_BOUNDS
    (x0, y0), (x1, y1) = to_xy(east, south), to_xy(east, north)
    ax.plot([x0, x1], [y0, y1], color=HATCH_GREY, linewidth=size_scale,
            linestyle=(0, (4, 4)), zorder=2)
    lat = min(max(view[1], REGION_BOUNDS[1]), REGION_BOUNDS[3])
    x, y = to_xy(max(east, view[0]), lat)
    ax.text(x + 6 * css_px, y, NO_TERRAIN_LABEL, fontsize=11 * size_scale, fontstyle="italic",
            color=NOTE_INK, ha="left", va="center", zorder=8, clip_on=True, parse_math=False,
            path_effects=[patheffects.withStroke(linewidth=3.0 * size_scale,
                                                 foreground="white")])


def draw_terrain(ax: Axes, layers: Collection[str], to_xy: ToXY, view: tuple[float, float],
                 css_px: float, size_scale: float, static_dir: Path = STATIC_DIR) -> None:
    """The terrain groups of ``layers`` (hillshade, contours) and, with either, the area
    without terrain. ``view``: the map's west edge and centre latitude (degrees); ``css_px``:
    map units per CSS pixel of the live map; ``size_scale``: points per CSS px. The built
    files are read from ``static_dir`` (StaticBuildMissing, saying to run make setup, when
    they were not built)."""
    shown = [group for group in TERRAIN_GROUPS if group in layers]
    if not shown:
        return
    manifest = terrain_manifest(static_dir)
    if "hillshade" in shown:
        _draw_hillshade(ax, manifest, static_dir, to_xy)
    _draw_no_terrain(ax, to_xy, view, css_px, size_scale)
    if "contours" in shown:
        _draw_contours(ax, manifest, static_dir, to_xy, size_scale)
