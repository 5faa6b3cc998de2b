"""Styles, defined once: the live map, the legend, the labels and every export use these.

A feature's colour says which layer it belongs to (the Area of Separation and the 1974 lines,
the Areas of Limitation, the Golan, the proposals, the demands: each its own colour of the
colour-blind-safe Okabe–Ito palette, subdued by light fills); its line's dash and weight say its
status on the chosen date (solid in force, long dashes collapsed on the ground, short dashes
proposed, dots demanded). Kinds without a colour of their own (user annotations) take their
status's colour. Incidents are coloured by event type and sized by fatalities.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any, Final

#: The Okabe–Ito palette (Okabe and Ito 2008, "Color Universal Design"): eight colours told
#: apart with any common colour-vision deficiency.
OKABE_ITO: Final[dict[str, str]] = {
    "orange": "#E69F00", "sky_blue": "#56B4E9", "bluish_green": "#009E73", "yellow": "#F0E442",
    "blue": "#0072B2", "vermillion": "#D55E00", "reddish_purple": "#CC79A7", "black": "#000000",
}
#: The colour of each layer group's identity (legend swatches and features).
GROUP_COLORS: Final[dict[str, str]] = {
    "lines_1974": OKABE_ITO["blue"],
    "limitation": OKABE_ITO["bluish_green"],
    "golan": OKABE_ITO["orange"],
    "proposals": OKABE_ITO["vermillion"],
    "demands": OKABE_ITO["reddish_purple"],
}
STATUS_STYLES: Final[dict[str, dict[str, Any]]] = {
    "in_force": {"color": "#1f4e9c", "weight": 3, "dashArray": None, "fillOpacity": 0.18},
    "collapsed": {"color": "#7a7a7a", "weight": 3, "dashArray": "10 6", "fillOpacity": 0.12},
    "reported": {"color": "#c0392b", "weight": 2, "dashArray": None, "fillOpacity": 0.6},
    "proposed": {"color": "#e67e22", "weight": 2, "dashArray": "8 6", "fillOpacity": 0.10},
    "demanded": {"color": "#8e44ad", "weight": 3, "dashArray": "2 6", "fillOpacity": 0.08},
    "reference": {"color": "#4d4d4d", "weight": 1, "dashArray": None, "fillOpacity": 0.04},
    # A user's own reading (an annotation drawn from a source, not reported as such).
    "own_reading": {"color": "#0e7c61", "weight": 2, "dashArray": "6 3 1 3", "fillOpacity": 0.12},
}
STATUS_LABELS: Final[dict[str, str]] = {
    "in_force": "In force",
    "collapsed": "Collapsed on the ground",
    "reported": "Reported",
    "proposed": "Proposed (schematic)",
    "demanded": "Demanded (schematic)",
    "reference": "Reference",
    "own_reading": "Own reading (user annotation)",
}
_SEPARATION, _LIMITATION = GROUP_COLORS["lines_1974"], GROUP_COLORS["limitation"]
_PROPOSAL, _DEMAND = GROUP_COLORS["proposals"], GROUP_COLORS["demands"]
#: Per-layer-kind identity (colour, fill, weight) on top of the status style.
KIND_STYLES: Final[dict[str, dict[str, Any]]] = {
    "area_of_separation": {"color": _SEPARATION, "fillColor": OKABE_ITO["sky_blue"],
                           "fillOpacity": 0.22, "weight": 1.5},
    "alpha_line": {"color": _SEPARATION, "weight": 3.5},
    "bravo_line": {"color": _SEPARATION, "weight": 2.5},
    "area_of_limitation": {"color": _LIMITATION, "fillColor": _LIMITATION, "weight": 1.2},
    "limitation_line": {"color": _LIMITATION, "weight": 2},
    "proposal_buffer_zone": {"color": _PROPOSAL, "fillColor": _PROPOSAL, "fillOpacity": 0.06},
    "demand_area": {"color": _DEMAND, "fillColor": _DEMAND, "fillOpacity": 0.05},
    "demand_line": {"color": _DEMAND, "fillColor": _DEMAND, "fillOpacity": 0.05},
    "ceasefire_line_ne": {"color": "#2c3e50", "weight": 1.5, "dashArray": "1 4"},
    "undof_limit_ne": {"color": "#16a085", "weight": 1.5, "dashArray": "1 4"},
    "golan": {"color": GROUP_COLORS["golan"], "fillColor": OKABE_ITO["yellow"],
              "fillOpacity": 0.10, "weight": 2},
    "country": {"color": "#555555", "weight": 1, "fillOpacity": 0.0},
    "admin": {"color": "#6c6c6c", "weight": 1, "fillOpacity": 0.0, "dashArray": "4 3"},
    "proposal_no_fly": {"color": _PROPOSAL, "fillColor": _PROPOSAL, "fillOpacity": 0.04},
    "position": {"radius": 6, "color": "#7b241c", "fillColor": "#e74c3c", "fillOpacity": 0.9,
                 "weight": 1.5},
    # the summit's label draws its symbol (▲) over this point
    "hermon": {"radius": 5, "color": "#4a3520", "fillColor": "#ffffff", "fillOpacity": 1.0,
               "weight": 2},
    "proposal_point": {"radius": 9, "color": _PROPOSAL, "fillOpacity": 0.0, "weight": 3},
    "place": {"radius": 3, "color": "#333333", "fillColor": "#ffffff", "fillOpacity": 1.0,
              "weight": 1},
}
#: Incident colours by ACLED event type (unknown types fall back to grey).
EVENT_COLORS: Final[dict[str, str]] = {
    "Battles": "#d62728",
    "Explosions/Remote violence": "#ff7f0e",
    "Violence against civilians": "#9467bd",
    "Protests": "#2ca02c",
    "Riots": "#8c564b",
    "Strategic developments": "#1f77b4",
}
OTHER_EVENT_COLOR: Final[str] = "#7f7f7f"
#: The Areas of Limitation read as bands: a lighter fill the further from the line (by the
#: band's outer distance, ``limit_km``).
BAND_FILL_OPACITY: Final[dict[float, float]] = {10: 0.14, 20: 0.06}
#: Text colours of the map labels by kind (geo.core.labels): darker shades of each layer's
#: colour, readable on the light map.
LABEL_COLORS: Final[dict[str, str]] = {
    "place": "#222222", "country": "#6a6a6a", "summit": "#4a3520", "line": "#004f7c",
    "zone": "#004f7c", "band": "#00694d",
}
#: Type of each label kind: (size in CSS px, CSS font weight, italic). The live map's label CSS
#: and the static exports both read it. The largest places (min zoom in MAJOR_PLACE_ZOOMS) are
#: set as MAJOR_PLACE_TYPE.
LABEL_TYPE: Final[dict[str, tuple[int, int, bool]]] = {
    "place": (12, 400, False), "summit": (13, 700, False), "country": (15, 600, False),
    "line": (12, 700, True), "zone": (12, 600, True), "band": (11, 600, False),
}
MAJOR_PLACE_TYPE: Final[tuple[int, int, bool]] = (13, 600, False)
MAJOR_PLACE_ZOOMS: Final[tuple[int, ...]] = (7, 9)
#: The neutral colour of the status rows of the legend (status is dash and weight).
STATUS_LEGEND_COLOR: Final[str] = "#444444"
#: The offline basemap (no tiles): the map background, countries filled, governorates outlined.
MAP_BACKGROUND: Final[str] = "#e9e9e9"
#: Indicative radius of location uncertainty by ACLED geo_precision (metres). A convention for
#: display, not a measured error: 1 = the named place, 2 = near it, 3 = district/province.
PRECISION_RADIUS_M: Final[dict[int, int]] = {1: 1000, 2: 5000, 3: 20000}
PRECISION_LABELS: Final[dict[int, str]] = {
    1: "the named town or site",
    2: "near the named place or part of an area",
    3: "district or province only",
}


def feature_style(kind: str, status: str, disputed: bool = False,
                  band_km: float | None = None) -> dict[str, Any]:
    """Leaflet path style for a layer feature with the given status on the chosen date:
    the kind's colour, the status's dash and weight; ``band_km``: an Area of Limitation's
    outer distance, which grades its fill."""
    style = dict(STATUS_STYLES.get(status, STATUS_STYLES["reference"]))
    style["fillColor"] = style["color"]
    style.update(KIND_STYLES.get(kind, {}))
    if band_km is not None and kind == "area_of_limitation":
        style["fillOpacity"] = BAND_FILL_OPACITY.get(float(band_km), 0.06)
    if status == "collapsed":
        style["dashArray"] = STATUS_STYLES["collapsed"]["dashArray"]
        style["fillOpacity"] = round(float(style.get("fillOpacity", 0.0)) * 0.6, 3)
    if status in ("proposed", "demanded"):
        style["dashArray"] = STATUS_STYLES[status]["dashArray"]
    if kind in ("alpha_line", "bravo_line", "limitation_line", "ceasefire_line_ne",
                "undof_limit_ne", "demand_line"):
        style["fillOpacity"] = 0.0 if kind != "demand_line" else style["fillOpacity"]
    if disputed and status not in ("proposed", "demanded", "collapsed"):
        style["dashArray"] = style.get("dashArray") or "12 4"
    return {k: v for k, v in style.items() if v is not None}


def offline_base_style(is_country: bool) -> dict[str, Any]:
    """Style of the offline basemap: a country outline (filled) or a governorate (outlined)."""
    return {"color": "#9a9a9a", "weight": 1, "fillColor": "#f2efe9" if is_country else "#ffffff",
            "fillOpacity": 1.0 if is_country else 0.0}


def event_color(event_type: str) -> str:
    return EVENT_COLORS.get(event_type, OTHER_EVENT_COLOR)


def incident_radius(fatalities: Any) -> float:
    """Marker radius in pixels: 4 for none or unknown, growing with the square root."""
    try:
        value = float(fatalities)
    except (TypeError, ValueError):
        return 4.0
    if math.isnan(value) or value <= 0:
        return 4.0
    return round(min(4.0 + 3.0 * math.sqrt(value), 20.0), 1)


#: The layer groups that have an identity swatch in the legend, in legend order, with the kind
#: whose style the swatch shows.
LEGEND_LAYERS: Final[dict[str, str]] = {
    "lines_1974": "area_of_separation", "limitation": "area_of_limitation",
    "golan": "golan", "proposals": "proposal_buffer_zone", "demands": "demand_area",
}


def layer_legend_entries(groups: Iterable[str]) -> list[tuple[str, dict[str, Any]]]:
    """(group, style) pairs of the layer swatches for the groups shown, in legend order:
    outline colour, fill colour and fill opacity of each layer's identity."""
    shown = set(groups)
    return [(group, {**feature_style(kind, "reference"),
                     "fillOpacity": max(float(feature_style(kind, "in_force", band_km=10)
                                              .get("fillOpacity", 0.1)), 0.12)})
            for group, kind in LEGEND_LAYERS.items() if group in shown]


def legend_entries() -> list[tuple[str, dict[str, Any]]]:
    """(label, style) pairs for the status legend: status is read from dash and weight, drawn
    in a neutral colour (each layer keeps its own colour)."""
    entries = [(STATUS_LABELS[s], {**STATUS_STYLES[s], "color": STATUS_LEGEND_COLOR})
               for s in STATUS_STYLES]
    entries.append(("Disputed", {"color": STATUS_LEGEND_COLOR, "dashArray": "12 4",
                                 "weight": 2}))
    return entries
