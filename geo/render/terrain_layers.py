"""Terrain results on the folium map: a viewshed (or two observers compared) as translucent
polygons, the observers, the profile line, and a Draw control for drawing a profile line.

They are added to the map of :func:`geo.render.map.build_map` (the 1974 lines, the Area of
Separation and the Golan for context). Polygons are simplified by less than half a terrain
cell and rounded to five decimals (about a metre), which keeps a 40 km viewshed to a few
hundred kilobytes. Every tooltip is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import folium
import geopandas as gpd
import numpy as np
import shapely
from folium import plugins
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from geo.analysis.sightlines import Comparison, Place, ViewshedReport
from geo.core.figures import approx
from geo.core.vocabulary import group_of
from geo.data.dem import DEM_CREDIT
from geo.render.assets import COMPONENT_BASE, localise
from geo.render.elements import GeoJsonLayer, LayerAttribution
from geo.render.legend import Legend
from geo.render.payloads import feature_collection
from geo.render.popups import esc

#: The layer groups drawn under the results, for context.
CONTEXT_LAYERS: Final[tuple[str, ...]] = ("lines_1974", "golan", "hermon", "positions")
#: Groups kept as well, unshown: the offline basemap is drawn from them.
BASEMAP_GROUPS: Final[tuple[str, ...]] = ("countries", "governorates")
VIEWSHED_COLOUR: Final[str] = "#1b9e77"
#: Colours of the compared ground: only the first observer, only the second, both (Dark2).
COMPARE_COLOURS: Final[tuple[str, str, str]] = ("#d95f02", "#7570b3", VIEWSHED_COLOUR)
PROFILE_COLOUR: Final[str] = "#c2185b"
FILL_OPACITY: Final[float] = 0.45
#: Simplification of the polygons, in degrees: under half a 90 m cell.
SIMPLIFY_DEG: Final[float] = 0.0004
COORD_DECIMALS: Final[int] = 5
OBSERVER_STYLE: Final[dict[str, Any]] = {
    "radius": 8, "color": "#000000", "weight": 3, "fillColor": "#ffeb3b", "fillOpacity": 1.0,
}
#: Leaflet.draw: polylines only, no shape editing (a new line replaces the profile).
DRAW_OPTIONS: Final[dict[str, Any]] = {
    "polyline": {"shapeOptions": {"color": PROFILE_COLOUR, "weight": 3}},
    "polygon": False, "rectangle": False, "circle": False, "marker": False,
    "circlemarker": False,
}


def context_features(features: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The features of the context layers and of the offline basemap, and no others (place
    labels, districts, proposals would only add weight to the map)."""
    keep = set(CONTEXT_LAYERS) | set(BASEMAP_GROUPS)
    groups = [group_of(layer, fid) for layer, fid in zip(features["layer"], features["id"],
                                                          strict=True)]
    return features[[group in keep for group in groups]]


def _rounded(geometry: BaseGeometry) -> BaseGeometry:
    simple = geometry.simplify(SIMPLIFY_DEG, preserve_topology=True)
    return shapely.transform(simple, lambda xy: np.round(xy, COORD_DECIMALS))


def _feature(geometry: BaseGeometry, tip: str, style: dict[str, Any]) -> dict[str, Any]:
    text = esc(tip)
    return {"type": "Feature", "geometry": mapping(geometry),
            "properties": {"style": style, "tip": text, "pop": text}}


def area_layer(geometry: BaseGeometry, name: str, tip: str, colour: str) -> folium.FeatureGroup:
    """A translucent polygon layer computed from the terrain (its group appears in the layer
    control as ``name``; the terrain's credit shows while it is on the map)."""
    group = folium.FeatureGroup(name=name, show=True)
    group.add_child(LayerAttribution([DEM_CREDIT]))
    if not geometry.is_empty:
        style = {"color": colour, "weight": 0.5, "fillColor": colour,
                 "fillOpacity": FILL_OPACITY}
        group.add_child(GeoJsonLayer(feature_collection([_feature(_rounded(geometry), tip,
                                                                  style)])))
    return group


def points_layer(places: Sequence[Place], name: str) -> folium.FeatureGroup:
    """The observers (or a profile's ends), labelled in their tooltips."""
    group = folium.FeatureGroup(name=name, show=True)
    features = [_feature(shapely.Point(p.lon, p.lat), p.label, OBSERVER_STYLE) for p in places]
    group.add_child(GeoJsonLayer(feature_collection(features)))
    return group


def line_layer(points: Sequence[tuple[float, float]], name: str) -> folium.FeatureGroup:
    """The profile line, (lon, lat) points."""
    group = folium.FeatureGroup(name=name, show=True)
    style = {"color": PROFILE_COLOUR, "weight": 4, "opacity": 0.9}
    feature = _feature(shapely.LineString(points), name, style)
    group.add_child(GeoJsonLayer(feature_collection([feature])))
    return group


def viewshed_tip(report: ViewshedReport) -> str:
    params = report.result.params
    return (f"Seen from {report.label} ({params.observer_height_m:g} m above ground), targets "
            f"{params.target_height_m:g} m: {approx(report.result.visible_km2)} km²")


def add_terrain(fmap: folium.Map, *, report: ViewshedReport | None = None,
                comparison: Comparison | None = None,
                profile: Sequence[tuple[float, float]] = (), draw: bool = True,
                asset_base: str = COMPONENT_BASE) -> folium.Map:
    """Add the terrain results to a map (one viewshed, or a comparison drawn in three colours),
    the profile line and the Draw control; assets are served locally."""
    observers: list[Place] = []
    if comparison is not None:
        first, second = comparison.first.label, comparison.second.label
        names = (f"Only {first} sees", f"Only {second} sees", "Both see")
        for geometry, name, km2, colour in zip(comparison.polygons, names, comparison.km2,
                                               COMPARE_COLOURS, strict=True):
            fmap.add_child(area_layer(geometry, name, f"{name}: {approx(km2)} km²", colour))
        observers = [_place(comparison.first), _place(comparison.second)]
    elif report is not None:
        fmap.add_child(area_layer(report.result.polygons, "Viewshed", viewshed_tip(report),
                                  VIEWSHED_COLOUR))
        observers = [_place(report)]
    if profile:
        fmap.add_child(line_layer(profile, "Profile line"))
    if observers:
        fmap.add_child(points_layer(observers, "Observers"))
    _rearrange(fmap)
    if draw:
        plugins.Draw(position="topleft", draw_options=DRAW_OPTIONS,
                     edit_options={"edit": False, "remove": False},
                     show_geometry_on_click=False).add_to(fmap)
    return localise(fmap, asset_base)


def _rearrange(fmap: folium.Map) -> None:
    """Move the map's layer control after the layers added here (its script names every layer,
    so it must run after they are defined), and drop the status legend of the main map (it
    would cover the drawing tools of a small map; the page explains the colours)."""
    for name, child in list(fmap._children.items()):
        if isinstance(child, folium.LayerControl):
            fmap._children.move_to_end(name)
        elif isinstance(child, Legend):
            del fmap._children[name]


def _place(report: ViewshedReport) -> Place:
    observer = report.observer
    return Place("", f"{report.label}: {observer.lat:.5f} N, {observer.lon:.5f} E, ground "
                     f"{observer.ground_m:,.0f} m", observer.lon, observer.lat)
