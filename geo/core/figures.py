"""Figures no more precise than their sources, defined once: areas of schematic polygons to two
significant figures, with "≈" and "(schematic)", and where the staged data cut them.

The build scripts (``scripts/sourcing.py``) store ``area_km2`` and ``area_label`` with these; the
app prints the comparison's overlaps and the zones' areas with them.
"""

from __future__ import annotations

import math
from typing import Final

#: Significant figures of an area measured on a schematic polygon.
AREA_DIGITS: Final[int] = 2


def round_sig(value: float, digits: int = AREA_DIGITS) -> int:
    """``value`` rounded to ``digits`` significant figures (areas in km², so an int)."""
    if value <= 0:
        return 0
    return int(round(value, digits - 1 - int(math.floor(math.log10(value)))))


def approx(value: float) -> str:
    """A measured figure as it may be printed: "≈ 6,300" (two significant figures)."""
    return f"≈ {round_sig(value):,}"


def area_label(km2: int, cut_at_lon: float | None = None) -> str:
    """The label of a schematic area: "≈ 6,300 km² (schematic)", and where the data cut it."""
    text = f"≈ {km2:,} km² (schematic)"
    if cut_at_lon is not None:
        text += f"; {cut_note(cut_at_lon)}, the edge of the staged data: the full area is larger"
    return text


def cut_note(cut_at_lon: float) -> str:
    """Where the staged data cut a schematic area: "cut at 36.6° E"."""
    return f"cut at {cut_at_lon}° E"
