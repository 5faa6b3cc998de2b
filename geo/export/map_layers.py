"""The map of a static export: the view's extent in Web Mercator (EPSG:3857, like the live map)
and its layers drawn with geopandas on a matplotlib Axes, in the styles of
:mod:`geo.core.styles` (Leaflet's CSS pixels converted to points), with a scale bar and a north
arrow. Nothing is fetched from the network: the base is the offline outlines from ``data/``."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

import geopandas as gpd
import shapely
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.typing import LineStyleType
from matplotlib_scalebar.scalebar import ScaleBar
from pyproj import Transformer

from geo.core import styles
from geo.core.annotation import Annotation
from geo.core.crs import WGS84
from geo.core.labels import Bounds
from geo.core.model import is_blank
from geo.core.view import ViewState
from geo.core.vocabulary import GROUP_ORDER
from geo.export.layout import Preset, layout
from geo.export.overlay import Overlay
from geo.export.snapshot import Snapshot
from geo.export.static_labels import draw_labels, view_labels
from geo.export.static_terrain import draw_terrain
from geo.render.annotations import annotation_style

MERCATOR: Final[str] = "EPSG:3857"
#: Metres per CSS pixel at zoom 0 in Web Mercator (256 px tiles).
RES_Z0: Final[float] = 2 * math.pi * 6_378_137 / 256
_TO_MERCATOR = Transformer.from_crs(WGS84, MERCATOR, always_xy=True)
_TO_WGS84 = Transformer.from_crs(MERCATOR, WGS84, always_xy=True)
#: Leaflet's default circle-marker radius (px), for point features whose style sets none.
POINT_RADIUS: Final[float] = 10.0


# ---------------------------------------------------------------------------------------------
# Styles: Leaflet (CSS px) -> matplotlib (points)

PT_PER_PX: Final[float] = 72 / 96


def dash_pattern(dash: str | None) -> LineStyleType:
    """A Leaflet dashArray ("8 6") as a matplotlib linestyle ((0, (8.0, 6.0)))."""
    if not dash:
        return "solid"
    numbers = tuple(float(n) for n in re.split(r"[\s,]+", dash.strip()) if n)
    return (0, numbers) if numbers else "solid"


def _geom_kind(geom: Any) -> str:
    kind = geom.geom_type
    if "Polygon" in kind:
        return "polygon"
    if "Line" in kind:
        return "line"
    if "Point" in kind:
        return "point"
    return "other"


# ---------------------------------------------------------------------------------------------
# Drawing


@dataclass(frozen=True)
class _Frame:
    """The map extent in EPSG:3857 and the size of one device pixel in metres."""

    xmin: float
    ymin: float
    xmax: float
    ymax: float
    pixel: float

    def bounds(self) -> Bounds:
        """(west, south, east, north) in degrees."""
        west, south = _TO_WGS84.transform(self.xmin, self.ymin)
        east, north = _TO_WGS84.transform(self.xmax, self.ymax)
        return west, south, east, north

    def clip(self, series: gpd.GeoSeries, margin_px: float = 40) -> gpd.GeoSeries:
        pad = margin_px * self.pixel
        clipped = series.clip_by_rect(self.xmin - pad, self.ymin - pad,
                                      self.xmax + pad, self.ymax + pad)
        return clipped


def _mercator_xy(lon: float, lat: float) -> tuple[float, float]:
    x, y = _TO_MERCATOR.transform(lon, lat)
    return float(x), float(y)


def label_scale(preset: Preset) -> float:
    """Labels are the live map's size times this: a little larger where the preset sets its
    type larger (the slide), never smaller."""
    return max(1.0, preset.font ** 0.5)


def _map_frame(view: ViewState, preset: Preset) -> _Frame:
    _, _, width, height = layout(preset)["map"]
    px_w, px_h = width * preset.width, height * preset.height
    pixel = RES_Z0 / 2**view.zoom / preset.scale
    x, y = _TO_MERCATOR.transform(view.lon, view.lat)
    half_w, half_h = px_w * pixel / 2, px_h * pixel / 2
    return _Frame(x - half_w, y - half_h, x + half_w, y + half_h, pixel)


def _prepare(frame: gpd.GeoDataFrame, extent: _Frame) -> gpd.GeoDataFrame:
    """Project to 3857, clip to the extent and simplify to half a pixel (drawing only)."""
    if frame.empty:
        return frame
    projected = frame.to_crs(MERCATOR)
    geoms = extent.clip(projected.geometry)
    geoms = gpd.GeoSeries(
        shapely.simplify(geoms.to_numpy(), extent.pixel / 2, preserve_topology=True),
        index=projected.index, crs=MERCATOR,
    )
    projected = projected.set_geometry(geoms)
    values = projected.geometry.to_numpy()
    return projected[~(shapely.is_missing(values) | shapely.is_empty(values))]


def _draw_styled(ax: Axes, geoms: gpd.GeoSeries, style: Mapping[str, Any], kind: str) -> None:
    color = style.get("color", "#3388ff")
    weight = float(style.get("weight", 3)) * PT_PER_PX
    linestyle = dash_pattern(style.get("dashArray"))
    edge = to_rgba(color, float(style.get("opacity", 1.0)))
    fill = to_rgba(style.get("fillColor", color), float(style.get("fillOpacity", 0.2)))
    if kind == "polygon":
        geoms.plot(ax=ax, facecolor=fill, edgecolor=edge, linewidth=weight,
                   linestyle=linestyle, zorder=2)
    elif kind == "line":
        geoms.plot(ax=ax, color=edge, linewidth=weight, linestyle=linestyle, zorder=3)
    elif kind == "point":
        radius = float(style.get("radius", POINT_RADIUS))
        ax.scatter(geoms.x, geoms.y, s=(2 * radius * PT_PER_PX) ** 2, facecolors=[fill],
                   edgecolors=[edge], linewidths=weight, zorder=4)


def _draw_features(ax: Axes, frame: gpd.GeoDataFrame) -> None:
    """Draw features with their Leaflet styles (one call per style and geometry kind)."""
    if frame.empty:
        return
    keys = []
    for row in frame.to_dict("records"):
        band = None if is_blank(row.get("limit_km")) else row["limit_km"]
        style = styles.feature_style(row["layer"], row["status_on_date"],
                                     bool(row["disputed_on_date"]), band_km=band)
        keys.append((_geom_kind(row["geometry"]), json.dumps(style, sort_keys=True)))
    frame = frame.assign(_kind=[k[0] for k in keys], _style=[k[1] for k in keys])
    for kind in ("polygon", "line", "point"):
        part = frame[frame["_kind"] == kind]
        for style_json, group in part.groupby("_style", sort=False):
            geoms = group.geometry
            if kind == "point":
                geoms = geoms.representative_point()
            _draw_styled(ax, geoms, json.loads(str(style_json)), kind)


def _draw_base(ax: Axes, base: gpd.GeoDataFrame) -> None:
    for is_country in (True, False):
        part = base[(base["layer"] == "country") == is_country]
        if not part.empty:
            _draw_styled(ax, part.geometry, styles.offline_base_style(is_country), "polygon")


def _draw_incidents(ax: Axes, incidents: gpd.GeoDataFrame) -> None:
    if incidents.empty:
        return
    points = incidents.to_crs(MERCATOR).geometry
    sizes = [(2 * styles.incident_radius(f) * PT_PER_PX) ** 2 for f in incidents["fatalities"]]
    colours = [to_rgba(styles.event_color(t), 0.85) for t in incidents["event_type"]]
    ax.scatter(points.x, points.y, s=sizes, facecolors=colours, edgecolors="#222222",
               linewidths=1 * PT_PER_PX, zorder=6)


def _draw_annotations(ax: Axes, annotations: tuple[Annotation, ...], extent: _Frame) -> None:
    """User annotations, each in its status style (as the live map's layer draws them)."""
    for annotation in annotations:
        shapes = _prepare(gpd.GeoDataFrame(geometry=[annotation.geometry], crs=WGS84), extent)
        if not shapes.empty:
            _draw_styled(ax, shapes.geometry, annotation_style(annotation),
                         _geom_kind(annotation.geometry))


def _draw_overlay(ax: Axes, overlay: Overlay, extent: _Frame) -> None:
    """A result over the layers: translucent areas (as the live map draws them), then its
    points, yellow with a black ring as the live map marks an observer."""
    for area in overlay.areas:
        shapes = _prepare(gpd.GeoDataFrame(geometry=[area.geometry], crs=WGS84), extent)
        style = {"color": area.colour, "weight": 0.5, "fillOpacity": area.opacity}
        _draw_styled(ax, shapes.geometry, style, "polygon")
    if overlay.points:
        lons, lats = [p[0] for p in overlay.points], [p[1] for p in overlay.points]
        points = gpd.GeoSeries(gpd.points_from_xy(lons, lats), crs=WGS84).to_crs(MERCATOR)
        ax.scatter(points.x, points.y, s=(16 * PT_PER_PX) ** 2, facecolors="#ffeb3b",
                   edgecolors="#000000", linewidths=3 * PT_PER_PX, zorder=8)


def _north_arrow(ax: Axes, size: float) -> None:
    ax.annotate("N", xy=(0.965, 0.95), xytext=(0.965, 0.85), xycoords="axes fraction",
                ha="center", va="center", fontsize=size, fontweight="bold", zorder=9,
                arrowprops={"facecolor": "black", "edgecolor": "white", "width": 3,
                            "headwidth": 11, "headlength": 10, "shrink": 0.0},
                bbox={"boxstyle": "circle,pad=0.2", "facecolor": "white", "edgecolor": "none",
                      "alpha": 0.8})


def draw_map(fig: Figure, snap: Snapshot, preset: Preset) -> None:
    """The map region of ``fig``: base, layer groups in draw order, incidents, user
    annotations, place labels, scale bar and north arrow."""
    view, fs = snap.view, preset.font
    extent = _map_frame(view, preset)
    ax = fig.add_axes(layout(preset)["map"])
    ax.set_facecolor(styles.MAP_BACKGROUND)
    ax.set_xlim(extent.xmin, extent.xmax)
    ax.set_ylim(extent.ymin, extent.ymax)
    ax.set_aspect("auto")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor("#666666")

    _draw_base(ax, _prepare(snap.base_features, extent))
    size_scale = PT_PER_PX * label_scale(preset)
    bounds = extent.bounds()
    draw_terrain(ax, view.layers, _mercator_xy, (bounds[0], view.lat),
                 extent.pixel * preset.scale, size_scale)
    shown = snap.shown_features
    for group in GROUP_ORDER:
        if group != "places":  # a place is drawn as its label: its dot and name
            _draw_features(ax, _prepare(shown[shown["group"] == group], extent))
    _draw_incidents(ax, snap.shown_incidents)
    _draw_annotations(ax, snap.shown_annotations, extent)
    if snap.overlay is not None:
        _draw_overlay(ax, snap.overlay, extent)
    draw_labels(ax, view_labels(snap, bounds), _mercator_xy, extent.pixel, size_scale)
    ax.set_xlim(extent.xmin, extent.xmax)
    ax.set_ylim(extent.ymin, extent.ymax)
    ax.set_xlabel("")
    ax.set_ylabel("")

    ax.add_artist(ScaleBar(math.cos(math.radians(view.lat)), units="m", location="lower left",
                           length_fraction=0.22, font_properties={"size": 8 * fs},
                           box_alpha=0.8, border_pad=0.6))
    _north_arrow(ax, 10 * fs)
