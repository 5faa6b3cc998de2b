"""A result drawn over the static map of a view (the PNG and the PDF brief): translucent areas
with their legend labels, marked points, a title, a caption with the result's parameters, the
notes that go with it, and its credit. The terrain page's viewshed is one
(:func:`geo.export.terrain.viewshed_overlay`)."""

from __future__ import annotations

from dataclasses import dataclass

from shapely.geometry.base import BaseGeometry


@dataclass(frozen=True)
class Area:
    """A WGS84 area, its colour, drawn with ``opacity``, and its label in the legend."""

    geometry: BaseGeometry
    colour: str
    label: str
    opacity: float


@dataclass(frozen=True)
class Overlay:
    title: str
    areas: tuple[Area, ...]
    points: tuple[tuple[float, float, str], ...]  # (lon, lat, label)
    caption: str  # the parameters and the figures, under the title
    notes: tuple[str, ...] = ()  # method and coverage notes, in the footer
    credit: str = ""  # of the data the result is derived from
