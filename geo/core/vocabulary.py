"""The dashboard's vocabulary, defined once: layer groups (which layer kinds each holds, its
label, its draw order), incident windows, basemaps and label zooms.

The view state, the live map, the sidebar, the exports and the tests all read these names
from here. Styles live beside this module in :mod:`geo.core.styles`; the layer kinds and
statuses themselves are part of the data model (:mod:`geo.core.model`).
"""

from __future__ import annotations

import datetime as dt
from typing import Final

#: The day the 1974 regime ended on the ground; the "since" window starts here.
FALL_OF_ASSAD: Final[dt.date] = dt.date(2024, 12, 8)

# ---------------------------------------------------------------------------------------------
# Layer groups: what the user toggles. Each group holds layer kinds of the data model.

LAYER_GROUPS: Final[dict[str, tuple[str, ...]]] = {
    "lines_1974": ("area_of_separation", "alpha_line", "bravo_line"),
    "limitation": ("area_of_limitation", "limitation_line"),
    "second_opinion": ("ceasefire_line_ne", "undof_limit_ne"),
    "golan": ("golan",),
    "hermon": ("hermon",),
    "positions": ("position",),
    "incidents": (),
    "proposals": ("proposal_no_fly", "proposal_buffer_zone", "proposal_point"),
    "demands": ("demand_area", "demand_line"),
    "governorates": ("admin",),
    "districts": ("admin",),
    "places": ("place",),
    "countries": ("country",),
    # Terrain drawn from data/dem/ (geo.render.terrain_map): no features of the data model.
    "hillshade": (),
    "contours": (),
}
#: The groups drawn from the terrain model; the terrain credit shows while one is on.
TERRAIN_GROUPS: Final[tuple[str, ...]] = ("hillshade", "contours")
GROUP_LABELS: Final[dict[str, str]] = {
    "lines_1974": "1974 lines and Area of Separation",
    "limitation": "Areas of Limitation (schematic)",
    "second_opinion": "Natural Earth lines (second opinion)",
    "golan": "Golan Heights (disputed)",
    "hermon": "Mount Hermon",
    "positions": "Reported Israeli positions",
    "incidents": "Incidents",
    "proposals": "Israeli proposal (schematic)",
    "demands": "Demands of each side",
    "governorates": "Governorates (OCHA)",
    "districts": "Districts (WOF)",
    "places": "Place labels",
    "countries": "Country outlines",
    "hillshade": "Terrain (hillshade)",
    "contours": "Contours (every 200 m)",
}
#: Draw order of the feature groups, bottom first (incidents are drawn on top of all).
GROUP_ORDER: Final[tuple[str, ...]] = (
    "countries", "governorates", "districts", "golan", "proposals", "demands", "limitation",
    "lines_1974", "second_opinion", "hermon", "positions", "places",
)
DEFAULT_LAYERS: Final[tuple[str, ...]] = (
    "lines_1974", "limitation", "golan", "hermon", "positions", "incidents", "proposals",
    "demands", "governorates", "places", "hillshade",
)
#: Admin features are split between two groups by the prefix of their id.
_ADMIN_GROUPS: Final[dict[str, str]] = {"gov_": "governorates"}
_KIND_GROUP: Final[dict[str, str]] = {
    kind: group for group, kinds in LAYER_GROUPS.items() for kind in kinds if kind != "admin"
}


def group_of(layer: str, feature_id: str) -> str:
    """The toggle group a feature of layer kind ``layer`` belongs to."""
    if layer == "admin":
        for prefix, group in _ADMIN_GROUPS.items():
            if feature_id.startswith(prefix):
                return group
        return "districts"
    return _KIND_GROUP.get(layer, "places")


# ---------------------------------------------------------------------------------------------
# Incident windows: the days before the as-of date that the incidents shown fall in.

#: key -> (days, or None for "since 8 Dec 2024"; label)
WINDOWS: Final[dict[str, tuple[int | None, str]]] = {
    "7": (7, "7 days"),
    "30": (30, "30 days"),
    "90": (90, "90 days"),
    "365": (365, "365 days"),
    "since": (None, f"everything since {FALL_OF_ASSAD.day} {FALL_OF_ASSAD:%b %Y}"),
}
DEFAULT_WINDOW: Final[str] = "30"


def window_days(key: str) -> int | None:
    return WINDOWS[key][0]


def window_label(key: str) -> str:
    return WINDOWS[key][1]


# ---------------------------------------------------------------------------------------------
# Basemaps: the offline outlines from data/, or optional tiles (the only outside requests).

OFFLINE: Final[str] = "offline"
OFFLINE_LABEL: Final[str] = "Offline (no tiles: countries and governorates from data/)"
#: key -> (label, tile URL template, attribution HTML)
TILES: Final[dict[str, tuple[str, str, str]]] = {
    "osm": (
        "OpenStreetMap",
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> '
        "contributors (ODbL)",
    ),
    "satellite": (
        "Satellite (Esri World Imagery)",
        "https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/"
        "tile/{z}/{y}/{x}",
        "Imagery © Esri, Maxar, Earthstar Geographics, and the GIS User Community",
    ),
    "topo": (
        "Topographic (OpenTopoMap)",
        "https://tile.opentopomap.org/{z}/{x}/{y}.png",
        "© OpenStreetMap contributors (ODbL), SRTM | style © OpenTopoMap (CC-BY-SA)",
    ),
    "light": (
        "Light (CARTO Positron)",
        "https://basemaps.cartocdn.com/light_all/{z}/{x}/{y}.png",
        "© OpenStreetMap contributors (ODbL) © CARTO",
    ),
}
BASEMAPS: Final[tuple[str, ...]] = (OFFLINE, *TILES)


def basemap_label(key: str) -> str:
    return OFFLINE_LABEL if key == OFFLINE else TILES[key][0]


# ---------------------------------------------------------------------------------------------
# Zoom levels

MIN_ZOOM: Final[int] = 6
MAX_ZOOM: Final[int] = 18


# ---------------------------------------------------------------------------------------------
# Label languages: a name is shown in the chosen language where the source data has one, else
# in English (geo.core.labels).

#: key -> label of the language switch (each language named in itself, then in English).
LANGUAGES: Final[dict[str, str]] = {
    "en": "English",
    "ar": "العربية · Arabic",
    "he": "עברית · Hebrew",
}
DEFAULT_LANG: Final[str] = "en"
#: Languages written right to left.
RTL_LANGUAGES: Final[frozenset[str]] = frozenset({"ar", "he"})
