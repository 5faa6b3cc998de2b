"""The elevation profile chart, and the words printed next to terrain results.

The chart (Altair, SVG) shows the ground in metres against the distance in km, the sight line
from the first point (dashed; green when the end point is visible, red when not) and, as
labelled rules, where the line crosses Line A, Line B and the edges of the Area of Separation.
Crossings closer together than :data:`SAME_PLACE_KM` share one rule and one label.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import altair as alt
import pandas as pd

from geo.analysis.profile import Crossing, Profile
from geo.core.figures import approx
from geo.render.charts import SVG

CHART_HEIGHT: Final[int] = 260
SAME_PLACE_KM: Final[float] = 0.3
GROUND_COLOUR: Final[str] = "#8d6e63"
SEEN_COLOUR: Final[str] = "#1b9e77"
HIDDEN_COLOUR: Final[str] = "#c0392b"
CROSSING_COLOUR: Final[str] = "#1f4e9c"


def km2(value: float) -> str:
    """An area as printed: two significant figures, "≈ 760 km²"."""
    return f"{approx(value)} km²"


def crossing_marks(crossings: Sequence[Crossing]) -> list[tuple[float, str]]:
    """(distance km, label) of each rule: crossings within :data:`SAME_PLACE_KM` merge."""
    marks: list[tuple[float, list[str]]] = []
    for crossing in sorted(crossings, key=lambda c: c.distance_km):
        if marks and crossing.distance_km - marks[-1][0] <= SAME_PLACE_KM:
            if crossing.name not in marks[-1][1]:
                marks[-1][1].append(crossing.name)
        else:
            marks.append((crossing.distance_km, [crossing.name]))
    return [(round(at, 2), " / ".join(names)) for at, names in marks]


def sight_text(profile: Profile, start: str, end: str) -> str:
    """Whether the end is visible from the start, in words."""
    sight = profile.sight
    heights = (f"eye {profile.observer_height_m:g} m above {start}, target "
               f"{profile.target_height_m:g} m above {end}")
    if sight.visible:
        return f"{end} is visible from {start} ({heights}; least clearance " \
               f"{sight.clearance_m:,.0f} m)."
    return (f"{end} is hidden from {start} ({heights}): the ground rises {-sight.clearance_m:,.0f} "
            f"m above the sight line {sight.blocked_at_km or 0:.1f} km from {start}.")


def crossings_text(profile: Profile) -> str:
    marks = crossing_marks(profile.crossings)
    if not marks:
        return "The line crosses neither Line A, Line B nor the edges of the Area of Separation."
    return "Crossings: " + "; ".join(f"{label} at {at:.1f} km" for at, label in marks) + "."


def profile_chart(profile: Profile) -> alt.LayerChart:
    """Ground, sight line and crossings along the profile."""
    ground = pd.DataFrame({"km": profile.distance_km, "m": profile.elevation_m}).dropna()
    x = alt.X("km:Q", title="Distance along the line (km)",
              scale=alt.Scale(domain=[0, profile.length_km], nice=False))
    low = float(ground["m"].min()) if len(ground) else 0.0
    y = alt.Y("m:Q", title="Elevation (m)", scale=alt.Scale(zero=False, domainMin=low - 50))
    layers: list[alt.Chart] = [
        alt.Chart(ground).mark_area(color=GROUND_COLOUR, opacity=0.35, line=True).encode(
            x=x, y=y, tooltip=[alt.Tooltip("km:Q", format=".2f"), alt.Tooltip("m:Q", format=".0f")]
        )
    ]
    sight = profile.sight
    if sight.follows_profile:
        ray = pd.DataFrame({"km": sight.distance_km, "m": sight.ray_m})
        colour = SEEN_COLOUR if sight.visible else HIDDEN_COLOUR
        layers.append(alt.Chart(ray).mark_line(color=colour, strokeDash=[6, 4],
                                               strokeWidth=2).encode(x=x, y=y))
    marks = crossing_marks(profile.crossings)
    if marks:
        frame = pd.DataFrame({"km": [at for at, _ in marks], "label": [t for _, t in marks]})
        base = alt.Chart(frame)
        layers.append(base.mark_rule(color=CROSSING_COLOUR, strokeWidth=1.5).encode(x=x))
        layers.append(base.mark_text(align="left", baseline="top", dx=3, dy=4, fontSize=12,
                                     color=CROSSING_COLOUR, fontWeight="bold").encode(
            x=x, y=alt.value(0), text="label:N"))
    return alt.LayerChart(layer=layers, height=CHART_HEIGHT, usermeta=SVG)

