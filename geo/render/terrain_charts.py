"""The elevation profile chart, and the words printed next to terrain results.

The chart (Altair, SVG) shows the ground in metres against the distance in km, the sight line
from the first point (dashed; green when the end point is visible, red when not) and, as
labelled rules, where the line crosses Line A, Line B and the edges of the Area of Separation.
Crossings closer together than :data:`SAME_PLACE_KM` share one rule and one label.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Final

import altair as alt
import numpy as np
import pandas as pd

from geo.analysis.profile import Crossing, Profile
from geo.analysis.sightlines import CROSSING_FEATURES, Comparison, ViewshedReport
from geo.core.figures import approx
from geo.render.charts import SVG
from geo.render.popups import esc
from geo.render.terrain_layers import COMPARE_COLOURS

CHART_HEIGHT: Final[int] = 260
#: Space above the highest point, as a share of the chart's height range.
HEADROOM: Final[float] = 0.45
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
    order = list(CROSSING_FEATURES)  # Line A and Line B before the AoS edge they run along
    return [(round(at, 2), " / ".join(sorted(names, key=lambda n: (
        order.index(n) if n in order else len(order), n)))) for at, names in marks]


def sight_text(profile: Profile, start: str, end: str) -> str:
    """Whether the end is visible from the start, in words."""
    sight = profile.sight
    ray = (f"the sight line (eye {profile.observer_height_m:g} m above the start, target "
           f"{profile.target_height_m:g} m above the end)")
    if sight.visible and math.isinf(sight.clearance_m):
        return f"{end} is visible from {start}: {ray} meets no ground between them."
    if sight.visible:
        return (f"{end} is visible from {start}: {ray} clears the ground by at least "
                f"{sight.clearance_m:,.0f} m.")
    return (f"{end} is hidden from {start}: the ground rises {-sight.clearance_m:,.0f} m above "
            f"{ray} {sight.blocked_at_km or 0:.1f} km along the line.")


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
    heights = np.concatenate([ground["m"].to_numpy(), profile.sight.ray_m])
    low, top = float(np.nanmin(heights)), float(np.nanmax(heights))
    span = max(top - low, 10.0)
    # Room above the ground for the crossing labels, which run down from the top.
    y = alt.Y("m:Q", title="Elevation (m)",
              scale=alt.Scale(domain=[low - 0.05 * span, top + HEADROOM * span], nice=False))
    layers: list[alt.Chart] = [
        alt.Chart(ground).mark_area(color=GROUND_COLOUR, opacity=0.35, line=True, clip=True).encode(
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
        # Written down along each rule, so that labels of nearby crossings do not overlap.
        layers.append(base.mark_text(angle=90, align="left", baseline="bottom", dx=4, dy=-3,
                                     fontSize=12, color=CROSSING_COLOUR, fontWeight="bold"
                                     ).encode(x=x, y=alt.value(0), text="label:N"))
    return alt.LayerChart(layer=layers, height=CHART_HEIGHT, usermeta=SVG)



def observer_text(report: ViewshedReport) -> str:
    """Who stands where: name, coordinates, ground elevation and eye height (Markdown)."""
    o, params = report.observer, report.result.params
    return (f"**{report.label}**  \n{o.lat:.5f} N, {o.lon:.5f} E · ground {o.ground_m:,.0f} m · "
            f"eye {params.observer_height_m:g} m above it")


def comparison_html(comparison: Comparison) -> str:
    """What only one observer sees and what both see, each with its colour on the map."""
    names = (f"Only {comparison.first.label} sees", f"Only {comparison.second.label} sees",
             "Both see")
    rows = [f"<div><span style='display:inline-block;width:14px;height:14px;background:{colour};"
            f"opacity:.7'></span> {esc(name)}: <b>{km2(area)}</b></div>"
            for name, area, colour in zip(names, comparison.km2, COMPARE_COLOURS, strict=True)]
    return "".join(rows)
