"""Map building: every layer as of a date, as a folium map with local assets.

Input is the output of :func:`geo.core.timeline.state_at` (features with ``status_on_date``) and the
incidents in the window. Popups come from :mod:`geo.render.popups`, GeoJSON payloads from
:mod:`geo.render.payloads`, the scripts from :mod:`geo.render.elements` and
:mod:`geo.render.legend`, layer credits from :mod:`geo.render.credits`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Any, Final

import folium
import geopandas as gpd
import numpy as np
from folium import plugins
from numpy.typing import NDArray

from geo.analysis.aggregate import POINT_LIMIT, CellIndex, aggregate_payload, cells_payload
from geo.core import styles
from geo.core.annotation import Annotation
from geo.core.labels import MapLabel, map_labels, view_bounds
from geo.core.view import ViewState
from geo.core.vocabulary import (
    GROUP_LABELS,
    GROUP_ORDER,
    MAX_ZOOM,
    MIN_ZOOM,
    OFFLINE,
    OFFLINE_LABEL,
    TILES,
    group_of,
)
from geo.data.dem import elevations_at
from geo.render.annotations import annotation_layer
from geo.render.assets import COMPONENT_BASE, figure_of, localise
from geo.render.credits import INCIDENT_CREDITS, credits_for
from geo.render.elements import GeoJsonLayer, LayerAttribution, ShowAtZoom, ZoomLevelsLayer
from geo.render.labels import Declutter, LabelLayer, label_css
from geo.render.legend import Legend, legend_html
from geo.render.payloads import (
    feature_collection,
    incident_payload,
    json_text,
    layer_payload,
    rows_payload,
    tolerance_m,
)
from geo.render.static_files import STATIC_URL, terrain_manifest
from geo.render.terrain_map import (
    BASEMAP_PANE,
    TerrainPanes,
    add_elevation_readout,
    add_terrain_layers,
)

#: Simplification per layer group, in screen pixels at the map's first zoom (metres:
#: geo.render.payloads.tolerance_m); the 1974 lines, the Area of Separation and the Areas of
#: Limitation are sent whole (coordinates rounded to 0.1 m), so that the lines stay on the
#: areas' edges at every zoom.
SIMPLIFY_PX: Final[dict[str, float]] = {
    "countries": 0.5, "governorates": 0.5, "districts": 0.5, "golan": 0.1,
    "proposals": 0.25, "demands": 0.25,
}
#: Incident location uncertainty circles are drawn from this zoom on.
UNCERTAINTY_MIN_ZOOM: Final[int] = 11
#: The page styles of every map: background, attribution, and the labels (geo.render.labels).
MAP_CSS: Final[str] = (
    f"<style>.leaflet-container{{background:{styles.MAP_BACKGROUND}}}"
    ".leaflet-control-attribution{font-size:11px;line-height:1.3}</style>" + label_css()
)


# ---------------------------------------------------------------------------------------------
# The incident layer

@dataclass(frozen=True)
class IncidentLayer:
    """The incidents of a window, ready to draw: one marker per event up to
    :data:`geo.analysis.aggregate.POINT_LIMIT`, grid cells per zoom level above it. The JSON is
    serialised once, so that a cached layer costs nothing to draw again."""

    count: int
    event_types: tuple[str, ...]
    aggregated: bool
    #: A FeatureCollection (points) or a list of levels (cells); None in a lean layer.
    data: Any = field(repr=False)

    @cached_property
    def json(self) -> str:
        return json_text(self.data)

    def lean(self) -> IncidentLayer:
        """The same layer holding only its JSON text: one string instead of tens of thousands
        of small objects (which the garbage collector would scan again and again) for caches."""
        out = IncidentLayer(self.count, self.event_types, self.aggregated, None)
        out.__dict__["json"] = self.json
        return out


def incident_layer(incidents: gpd.GeoDataFrame) -> IncidentLayer:
    """The layer that :func:`build_map` draws for ``incidents``."""
    types = tuple(str(t) for t in incidents["event_type"].unique()) if len(incidents) else ()
    if len(incidents) > POINT_LIMIT:
        return IncidentLayer(len(incidents), types, True, aggregate_payload(incidents))
    # The elevation of each point, for its popup (from the DEM, vectorised).
    placed = incidents.assign(dem_elevation_m=elevations_at(
        incidents["longitude"], incidents["latitude"])) if len(incidents) else incidents
    return IncidentLayer(len(incidents), types, False, incident_payload(placed))


def cell_layer(index: CellIndex, keep: NDArray[np.bool_]) -> IncidentLayer:
    """The grid cells of the rows ``keep`` selects of an indexed dataset: what
    :func:`incident_layer` draws for them above POINT_LIMIT, without indexing them again (the
    app keeps the index of its dataset)."""
    types = tuple(index.type_names[code] for code in np.unique(index.types[keep]))
    return IncidentLayer(int(keep.sum()), types, True, cells_payload(index, keep))


# ---------------------------------------------------------------------------------------------
# The map

@dataclass(frozen=True)
class MapSpec:
    """What to draw: the chosen view plus the map's initial position."""

    view: ViewState
    origin: tuple[float, float, int]
    controls: bool = True
    asset_base: str = COMPONENT_BASE
    incident_credits: tuple[str, ...] = INCIDENT_CREDITS
    #: User annotations: those that hold on the view's date are drawn, in their own layer.
    annotations: tuple[Annotation, ...] = ()
    #: Where the static files built at setup (the terrain) are served.
    static_base: str = STATIC_URL


def uncertainty_circles(features: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The features that carry an uncertainty radius (``r_m``: positions), one per point and
    radius: positions reported at the same place share one circle, which stacked copies would
    only darken."""
    seen: set[tuple[str, int]] = set()
    out = []
    for feature in features:
        radius = feature["properties"].get("r_m")
        key = (json_text(feature["geometry"]), int(radius or 0))
        if radius is not None and key not in seen:
            seen.add(key)
            out.append(feature)
    return out


def with_elevations(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows, each point given its elevation from the DEM (``dem_elevation_m``, NaN where
    there is no terrain) for its popup; sampled in one vectorised call."""
    points = [row for row in rows if row["geometry"].geom_type == "Point"]
    if points:
        heights = elevations_at([row["geometry"].x for row in points],
                                [row["geometry"].y for row in points])
        for row, height in zip(points, heights, strict=True):
            row["dem_elevation_m"] = float(height)
    return rows


def _offline_base(rows: Sequence[Mapping[str, Any]], show: bool, zoom: float
                  ) -> folium.FeatureGroup:
    base = folium.FeatureGroup(name=OFFLINE_LABEL, overlay=False, control=True, show=show)
    ref = [{**row, "status_on_date": "reference", "disputed_on_date": False} for row in rows
           if row["layer"] == "country" or str(row["id"]).startswith("gov_")]
    tolerance = tolerance_m(zoom, SIMPLIFY_PX["countries"])

    def build(ref: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
        payload = rows_payload(ref, tolerance=tolerance)
        for feat in payload["features"]:
            is_country = feat["id"].startswith("country_")
            feat["properties"]["style"] = {**styles.offline_base_style(is_country),
                                           "interactive": False}
        return payload

    payload, text = layer_payload("offline", ref, tolerance, build)
    base.add_child(GeoJsonLayer(payload, data_json=text, pane=BASEMAP_PANE))
    base.add_child(LayerAttribution(credits_for(row["attribution"] for row in ref)))
    return base


def build_map(
    features: gpd.GeoDataFrame, incidents: gpd.GeoDataFrame | IncidentLayer, spec: MapSpec
) -> folium.Map:
    """Build the folium map for a view. ``features`` come from :func:`geo.core.timeline.state_at`;
    ``incidents`` are those of the window, or their :func:`incident_layer` (which the app
    caches per date and window)."""
    view = spec.view
    layer = incidents if isinstance(incidents, IncidentLayer) else incident_layer(incidents)
    fmap = folium.Map(
        location=list(spec.origin[:2]), zoom_start=spec.origin[2], tiles=None,
        max_zoom=MAX_ZOOM, min_zoom=MIN_ZOOM, control_scale=True, prefer_canvas=False,
    )
    terrain = terrain_manifest()  # StaticBuildMissing (run make setup) when not built
    fmap.add_child(TerrainPanes())
    rows = with_elevations(features.to_dict("records"))  # once: cheaper than per-group frames
    fmap.add_child(_offline_base(rows, view.basemap == OFFLINE, spec.origin[2]))
    figure_of(fmap).header.add_child(folium.Element(MAP_CSS))
    for key, (name, url, attr) in TILES.items():
        folium.TileLayer(
            tiles=url, attr=attr, name=name, max_zoom=MAX_ZOOM,
            show=view.basemap == key, overlay=False, control=True,
        ).add_to(fmap)
    add_terrain_layers(fmap, view.layers, spec.static_base, terrain)

    labels: dict[str, list[MapLabel]] = {}
    for label in map_labels(rows, view.lang, view_bounds(*spec.origin)):
        labels.setdefault(label.group, []).append(label)
    by_group: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_group.setdefault(group_of(row["layer"], row["id"]), []).append(row)
    for group in GROUP_ORDER:
        group_rows = by_group.get(group)
        if not group_rows:
            continue
        fg = folium.FeatureGroup(name=GROUP_LABELS[group], show=group in view.layers)
        tolerance = tolerance_m(spec.origin[2], SIMPLIFY_PX.get(group, 0.0))
        payload, text = layer_payload(
            "group", group_rows, tolerance, partial(rows_payload, tolerance=tolerance)
        )
        placed = uncertainty_circles(payload["features"])
        if group == "places":  # a place is its label (dot and name), with its popup
            pops = {f["id"]: f["properties"]["pop"] for f in payload["features"]}
            fg.add_child(LabelLayer(labels.get(group, []), pops))
        else:
            under = None
            if placed:  # positions: their location-uncertainty circles, under the markers
                under = GeoJsonLayer(feature_collection(placed), circles=True, data_json=text,
                                     only=[f["id"] for f in placed])
                fg.add_child(under)
            fg.add_child(GeoJsonLayer(payload, data_json=text, source=under))
            fg.add_child(LabelLayer(labels.get(group, [])))
        fg.add_child(LayerAttribution(credits_for(row["attribution"] for row in group_rows)))
        fmap.add_child(fg)

    event_types: Sequence[str] = []
    if layer.count:
        event_types = list(layer.event_types)
        fg = folium.FeatureGroup(name=GROUP_LABELS["incidents"], show="incidents" in view.layers)
        fg.add_child(LayerAttribution(spec.incident_credits))
        fmap.add_child(fg)
        if layer.aggregated:
            fg.add_child(ZoomLevelsLayer(layer.data or [], fmap.get_name(), layer.json))
        else:
            data = layer.data or feature_collection([])
            markers = GeoJsonLayer(data, data_json=layer.json, by_url=False)  # per window
            fg.add_child(markers)
            circles = folium.FeatureGroup(name="Incident location uncertainty", show=False)
            circles.add_child(GeoJsonLayer(data, circles=True, source=markers))
            circles.add_child(ShowAtZoom(fmap.get_name(), UNCERTAINTY_MIN_ZOOM))
            fmap.add_child(circles)

    if spec.annotations:
        fmap.add_child(annotation_layer(spec.annotations, view.date))
    fmap.add_child(Legend(legend_html(event_types, view.layers)))
    fmap.add_child(Declutter())
    if spec.controls:
        folium.LayerControl(collapsed=True).add_to(fmap)
        plugins.Fullscreen(position="topleft").add_to(fmap)
        plugins.MeasureControl(
            position="topleft", primary_length_unit="kilometers", primary_area_unit="hectares"
        ).add_to(fmap)
        position = plugins.MousePosition(position="bottomright", separator=" | ",
                                         num_digits=5, prefix="lat | lon:")
        position.add_to(fmap)
        add_elevation_readout(fmap, position, spec.static_base, terrain)
        if view.basemap != OFFLINE:
            _, url, attr = TILES[view.basemap]
            plugins.MiniMap(
                tile_layer=folium.TileLayer(tiles=url, attr=attr),
                position="bottomright", toggle_display=True,
            ).add_to(fmap)
    return localise(fmap, spec.asset_base)
