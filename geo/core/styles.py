"""Styles, defined once: the live map, the legend and every export use these.

A feature's look follows its status on the chosen date; the layer kind only adjusts fill and
weight. Incidents are coloured by event type and sized by fatalities.
"""

from __future__ import annotations

import math
from typing import Any, Final

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
#: Per-layer-kind adjustments on top of the status style.
KIND_STYLES: Final[dict[str, dict[str, Any]]] = {
    "area_of_separation": {"fillColor": "#5b8fd6", "fillOpacity": 0.25},
    "bravo_line": {"color": "#0e7c7b"},
    "area_of_limitation": {"weight": 1, "fillOpacity": 0.07},
    "limitation_line": {"weight": 1.5},
    "ceasefire_line_ne": {"color": "#2c3e50", "weight": 1.5, "dashArray": "1 4"},
    "undof_limit_ne": {"color": "#16a085", "weight": 1.5, "dashArray": "1 4"},
    "golan": {"color": "#b7950b", "fillColor": "#f4d03f", "fillOpacity": 0.10, "weight": 2},
    "country": {"color": "#555555", "weight": 1, "fillOpacity": 0.0},
    "admin": {"color": "#6c6c6c", "weight": 1, "fillOpacity": 0.0, "dashArray": "4 3"},
    "proposal_no_fly": {"color": "#d35400", "fillColor": "#d35400", "fillOpacity": 0.05},
    "position": {"radius": 6, "color": "#7b241c", "fillColor": "#e74c3c", "fillOpacity": 0.9,
                 "weight": 1.5},
    "hermon": {"radius": 7, "color": "#1a5276", "fillColor": "#ffffff", "fillOpacity": 1.0,
               "weight": 3},
    "proposal_point": {"radius": 9, "fillOpacity": 0.0, "weight": 3},
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


def feature_style(kind: str, status: str, disputed: bool = False) -> dict[str, Any]:
    """Leaflet path style for a layer feature with the given status on the chosen date."""
    style = dict(STATUS_STYLES.get(status, STATUS_STYLES["reference"]))
    style["fillColor"] = style["color"]
    style.update(KIND_STYLES.get(kind, {}))
    if status == "collapsed":
        style["color"] = STATUS_STYLES["collapsed"]["color"]
        style["dashArray"] = STATUS_STYLES["collapsed"]["dashArray"]
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


def legend_entries() -> list[tuple[str, dict[str, Any]]]:
    """(label, style) pairs for the status legend."""
    entries = [(STATUS_LABELS[s], feature_style("area_of_limitation", s)) for s in STATUS_STYLES]
    entries.append(("Disputed", {"color": "#4d4d4d", "dashArray": "12 4", "weight": 2}))
    return entries
