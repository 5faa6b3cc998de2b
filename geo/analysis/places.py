"""The distinct coordinates of incidents and what is measured on them in metres.

Incidents repeat their village points, so each distinct coordinate is placed once
(:class:`Places`), in lon/lat and in UTM zone 36N (EPSG:32636, :data:`geo.core.crs.METRIC_CRS`);
:func:`line_distance_m` measures the distance from many such points to a line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from geo.core.crs import METRIC_CRS, WGS84

_TO_METRIC = Transformer.from_crs(WGS84, METRIC_CRS, always_xy=True)


def _to_metric_xy(xy: np.ndarray) -> np.ndarray:
    return np.column_stack(_TO_METRIC.transform(xy[:, 0], xy[:, 1]))


def to_metric(geom: Any) -> Any:
    """A lon/lat geometry in UTM 36N metres."""
    return shapely.transform(geom, _to_metric_xy)


@dataclass(frozen=True)
class Places:
    """The distinct coordinates of the incidents (incidents repeat their village points) in
    lon/lat, and which place each incident is at (``code``, -1 without one)."""

    code: np.ndarray
    x: np.ndarray
    y: np.ndarray

    @classmethod
    def of(cls, x: np.ndarray, y: np.ndarray) -> Places:
        valid = ~(np.isnan(x) | np.isnan(y))
        code = np.full(len(x), -1, dtype=np.int64)
        vx, vy = (x, y) if valid.all() else (x[valid], y[valid])
        if _repeats(vx, vy):
            codes, uniques = pd.factorize(vx + 1j * vy)
            code[valid] = codes
            return cls(code, np.real(uniques).copy(), np.imag(uniques).copy())
        # (almost) every point its own: finding the few repeats costs more than it saves
        code[valid] = np.arange(len(vx))
        return cls(code, vx, vy)

    def metric(self) -> tuple[np.ndarray, np.ndarray]:
        """The places in UTM 36N metres (x, y)."""
        if not len(self.x):
            return np.empty(0), np.empty(0)
        mx, my = _TO_METRIC.transform(self.x, self.y)
        return np.asarray(mx, dtype=float), np.asarray(my, dtype=float)

    def rows(self, per_place: np.ndarray, missing: Any = False) -> np.ndarray:
        """A value per place spread to the incidents (``missing`` without coordinates)."""
        if len(per_place) == len(self.code):  # every incident its own place, in order
            return per_place.copy()
        out = per_place[np.maximum(self.code, 0)] if len(per_place) else \
            np.full(len(self.code), missing, dtype=per_place.dtype)
        out[self.code < 0] = missing
        return out


def _repeats(x: np.ndarray, y: np.ndarray, sample: int = 20_000) -> bool:
    """Whether points repeat enough to be worth placing once each: more than one in ten of
    an evenly spaced sample repeats another."""
    if len(x) <= sample:
        return len(x) > 0
    step = len(x) // sample
    picked = x[::step] + 1j * y[::step]
    return len(pd.unique(picked)) < 0.9 * len(picked)


def line_distance_m(line: Any, mx: np.ndarray, my: np.ndarray, block: int = 1 << 15
                    ) -> np.ndarray:
    """Planar distance from points to a (multi)line, all in the same metric CRS.

    Vectorised over points, looping over the line's segments (numpy, no point geometries), a
    block of points at a time in buffers that stay in the CPU cache. Coordinates are shifted to
    the line's first vertex and computed in float32 (error < 1 cm).
    """
    parts = shapely.get_parts(line)
    best = np.full(len(mx), np.inf, dtype=np.float32)
    if not len(parts) or not len(mx):
        return best.astype(float)
    ox, oy = shapely.get_coordinates(parts[0])[0]
    px = (mx - ox).astype(np.float32)
    py = (my - oy).astype(np.float32)
    segments = []
    for part in parts:
        coords = shapely.get_coordinates(part) - (ox, oy)
        if len(coords) == 1:
            coords = np.vstack([coords, coords])
        for (ax, ay), (bx, by) in zip(coords[:-1], coords[1:], strict=True):
            dx, dy = np.float32(bx - ax), np.float32(by - ay)
            segments.append((np.float32(ax), np.float32(ay), dx, dy, dx * dx + dy * dy))
    buffers = np.empty((4, min(block, len(mx))), dtype=np.float32)
    for start in range(0, len(mx), block):
        x, y, near = px[start:start + block], py[start:start + block], best[start:start + block]
        ex, ey, t, u = buffers[:, :len(x)]
        for ax, ay, dx, dy, length2 in segments:  # ex, ey: from the segment's nearest point
            np.subtract(x, ax, out=ex)
            np.subtract(y, ay, out=ey)
            if length2 > 0:
                np.add(np.multiply(ex, dx, out=t), np.multiply(ey, dy, out=u), out=t)
                np.clip(np.divide(t, length2, out=t), 0, 1, out=t)
                np.subtract(ex, np.multiply(t, dx, out=u), out=ex)
                np.subtract(ey, np.multiply(t, dy, out=u), out=ey)
            np.add(np.multiply(ex, ex, out=ex), np.multiply(ey, ey, out=ey), out=ex)
            np.minimum(near, ex, out=near)
    return np.sqrt(best.astype(float))
