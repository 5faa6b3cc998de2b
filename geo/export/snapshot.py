"""Exports of a view: static PNG, PDF brief, standalone HTML, browser screenshot, data files
and an animated playback GIF.

Everything here is pure: inputs are the validated data (layers, incidents, timeline) and a
:class:`geo.core.view.ViewState`; outputs are bytes. Nothing is fetched from the network: the
static renderer draws the offline base (countries and governorates from ``data/``) with
geopandas and matplotlib (Agg), in Web Mercator (EPSG:3857) like the live map, with the styles
of :mod:`geo.core.styles` and the credits of :func:`geo.render.map.credits_for`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import importlib
import io
import json
import math
import re
import tempfile
import textwrap
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any, Final, Literal

import matplotlib

matplotlib.use("Agg")

import folium  # noqa: E402
import geopandas as gpd  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pyogrio  # noqa: E402
import segno  # noqa: E402
import shapely  # noqa: E402
from matplotlib import patheffects  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.backends.backend_pdf import PdfPages  # noqa: E402
from matplotlib.colors import to_rgba  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib_scalebar.scalebar import ScaleBar  # noqa: E402
from PIL import Image  # noqa: E402
from pyproj import Transformer  # noqa: E402

from geo.core import styles  # noqa: E402
from geo.core.model import is_blank, safe_url  # noqa: E402
from geo.core.timeline import entries_near, incidents_in_window, state_at, window_start  # noqa: E402
from geo.core.view import PRESETS, ViewState, permalink  # noqa: E402
from geo.core.vocabulary import (  # noqa: E402
    GROUP_LABELS,
    GROUP_ORDER,
    LABEL_MIN_ZOOM,
    group_of,
    window_label,
)
from geo.render.assets import inline_assets  # noqa: E402
from geo.render.credits import CREDITS, credits_for  # noqa: E402
from geo.render.map import MapSpec, build_map  # noqa: E402

MERCATOR: Final[str] = "EPSG:3857"
#: Metres per CSS pixel at zoom 0 in Web Mercator (256 px tiles).
RES_Z0: Final[float] = 2 * math.pi * 6_378_137 / 256
_TO_MERCATOR = Transformer.from_crs("EPSG:4326", MERCATOR, always_xy=True)
BACKGROUND: Final[str] = "#ffffff"
#: Leaflet's default circle-marker radius (px), for point features whose style sets none.
POINT_RADIUS: Final[float] = 10.0
#: The live map shows place labels from this zoom on (geo.render.map hides them below it).
#: Credits of the incident layer (as the live map shows them) and its licence (data/SOURCES.md).
INCIDENT_CREDITS: Final[tuple[str, ...]] = (CREDITS["public report"], CREDITS["GeoNames"])
INCIDENT_LICENCE: Final[str] = "compilation CC BY 4.0; coordinates GeoNames CC BY 4.0"
CAVEAT: Final[str] = (
    "Schematic and reported layers are not official maps: see each item's basis and confidence."
)
DataFormat = Literal["geojson", "gpkg", "kml"]
DATA_FORMATS: Final[dict[str, tuple[str, str, str]]] = {
    # format -> (GDAL driver, file extension, MIME type)
    "geojson": ("GeoJSON", "geojson", "application/geo+json"),
    "gpkg": ("GPKG", "gpkg", "application/geopackage+sqlite3"),
    "kml": ("KML", "kml", "application/vnd.google-earth.kml+xml"),
}
PlaybackMode = Literal["weekly", "events"]
MAX_FRAMES: Final[int] = 160


# ---------------------------------------------------------------------------------------------
# Output presets and layout


@dataclass(frozen=True)
class Preset:
    """An output size. ``scale`` is device pixels per CSS pixel: it sets the figure's dpi
    (96 × scale), so line widths, markers and the map extent match the live map at that zoom."""

    name: str
    width: int
    height: int
    scale: float
    font: float = 1.0
    compact: bool = False  # small frames: no QR code, source list or permalink

    @property
    def dpi(self) -> float:
        return 96.0 * self.scale


OUTPUT_PRESETS: Final[dict[str, Preset]] = {
    "slide": Preset("slide", 1920, 1080, 1.0, font=1.45),
    "a4": Preset("a4", 3508, 2480, 300 / 96),
    "small": Preset("small", 800, 500, 0.625, font=1.25, compact=True),
}
Box = tuple[float, float, float, float]


def layout(preset: Preset) -> dict[str, Box]:
    """Regions of the image as figure fractions (left, bottom, width, height)."""
    title = 0.12 if preset.compact else 0.10
    footer = 0.06 if preset.compact else 0.085
    split = 0.76 if preset.compact else 0.735
    body = 1 - title - footer
    return {
        "title": (0.0, 1 - title, 1.0, title),
        "map": (0.008, footer, split - 0.008, body),
        "panel": (split + 0.008, footer, 1 - split - 0.016, body),
        "footer": (0.0, 0.0, 1.0, footer),
    }


def box_pixels(preset: Preset, region: str) -> tuple[int, int, int, int]:
    """A layout region in image pixels (x0, y0, x1, y1; origin top left), for checks."""
    left, bottom, width, height = layout(preset)[region]
    x0, x1 = round(left * preset.width), round((left + width) * preset.width)
    y0 = round((1 - bottom - height) * preset.height)
    y1 = round((1 - bottom) * preset.height)
    return x0, y0, x1, y1


# ---------------------------------------------------------------------------------------------
# Names and versions


def data_version(data_dir: Path) -> str:
    """First 12 hex digits of a sha256 over every file of ``data_dir`` (sorted relative paths
    and their bytes): changes whenever any data file does."""
    digest = hashlib.sha256()
    for path in sorted(p for p in data_dir.rglob("*") if p.is_file()):
        digest.update(path.relative_to(data_dir).as_posix().encode("utf-8"))
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:12]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def place_slug(view: ViewState) -> str:
    """The preset's name when the view is centred on one, else the centre and zoom."""
    for name, (lat, lon, zoom) in PRESETS.items():
        if (round(view.lat, 4), round(view.lon, 4), view.zoom) == (lat, lon, zoom):
            return slug(name)
    return f"{view.lat:.3f}n-{view.lon:.3f}e-z{view.zoom}"


def export_filename(view: ViewState, kind: str, ext: str) -> str:
    """``frontier_<date>_w<window>_<place>[_<kind>].<ext>``, e.g.
    ``frontier_2025-01-10_w30_area-of-separation.png``."""
    window = "since-2024-12-08" if view.window == "since" else view.window
    suffix = f"_{slug(kind)}" if kind else ""
    stem = f"frontier_{view.date.isoformat()}_w{window}_{place_slug(view)}{suffix}"
    return f"{stem}.{ext.lstrip('.')}"


# ---------------------------------------------------------------------------------------------
# What a view shows


@dataclass(frozen=True)
class Snapshot:
    """A view plus the data it is drawn from. ``layers``, ``incidents`` and ``entries`` are the
    validated datasets (every date); the state on the view's date is derived here."""

    view: ViewState
    layers: gpd.GeoDataFrame
    incidents: gpd.GeoDataFrame
    entries: Sequence[Mapping[str, Any]] = ()
    permalink: str = ""
    version: str = ""

    def at(self, day: dt.date) -> Snapshot:
        return replace(self, view=self.view.replace(date=day))

    @cached_property
    def features(self) -> gpd.GeoDataFrame:
        """Every feature that holds on the date, with its status that day."""
        return state_at(self.layers, self.view.date)

    @cached_property
    def shown_features(self) -> gpd.GeoDataFrame:
        """Features of the layer groups the view shows."""
        frame = self.features
        groups = [group_of(layer, fid) for layer, fid in zip(frame["layer"], frame["id"],
                                                              strict=True)]
        return frame.assign(group=groups)[[g in self.view.layers for g in groups]]

    @cached_property
    def window_incidents(self) -> gpd.GeoDataFrame:
        return incidents_in_window(self.incidents, self.view.date, self.view.window_days)

    @cached_property
    def shown_incidents(self) -> gpd.GeoDataFrame:
        if "incidents" not in self.view.layers:
            return self.window_incidents.iloc[0:0]
        return self.window_incidents

    @property
    def base_features(self) -> gpd.GeoDataFrame:
        """The offline base: country outlines and governorates (as geo.render.map draws it)."""
        frame = self.features
        return frame[(frame["layer"] == "country") | frame["id"].str.startswith("gov_")]

    def credits(self) -> list[str]:
        """The credit of every layer drawn (base, shown groups, incidents), each once."""
        texts = [*self.base_features["attribution"], *self.shown_features["attribution"]]
        found = credits_for(texts)
        if not self.shown_incidents.empty:
            found += [c for c in INCIDENT_CREDITS if c not in found]
        return found

    def window_text(self) -> str:
        start = window_start(self.view.date, self.view.window_days)
        span = window_label(self.view.window)
        return f"{start:%d %b %Y} – {self.view.date:%d %b %Y} ({span})"

    def layer_names(self) -> list[str]:
        return [GROUP_LABELS[g] for g in self.view.layers if g in GROUP_LABELS]

    def sources(self) -> list[tuple[str, int]]:
        """Distinct sources of everything drawn (publisher, else title), most cited first."""
        counts: Counter[str] = Counter()
        for frame_sources in (self.base_features["sources"], self.shown_features["sources"]):
            for sources in frame_sources:
                for src in sources if isinstance(sources, list) else []:
                    label = source_label(src)
                    if label:
                        counts[label] += 1
        for publisher in self.shown_incidents.get("source", pd.Series(dtype=str)):
            if not is_blank(publisher):
                counts[str(publisher).strip()] += 1
        return counts.most_common()


def source_label(src: Any) -> str:
    if not isinstance(src, Mapping):
        return ""
    for key in ("publisher", "title", "document"):
        if not is_blank(src.get(key)):
            return str(src[key]).strip()
    return ""


def make_snapshot(
    view: ViewState,
    layers: gpd.GeoDataFrame,
    incidents: gpd.GeoDataFrame,
    entries: Sequence[Mapping[str, Any]] = (),
    base_url: str = "",
    version: str = "",
) -> Snapshot:
    return Snapshot(view, layers, incidents, entries, permalink(view, base_url), version)


# ---------------------------------------------------------------------------------------------
# Styles: Leaflet (CSS px) -> matplotlib (points)

PT_PER_PX: Final[float] = 72 / 96
#: Dash lengths are absolute (points), like Leaflet's dashArray, not multiples of line width.
RC: Final[dict[str, Any]] = {"lines.scale_dashes": False}


def dash_pattern(dash: str | None) -> str | tuple[int, tuple[float, ...]]:
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
# Static renderer


@dataclass(frozen=True)
class _Frame:
    """The map extent in EPSG:3857 and the size of one device pixel in metres."""

    xmin: float
    ymin: float
    xmax: float
    ymax: float
    pixel: float

    def clip(self, series: gpd.GeoSeries, margin_px: float = 40) -> gpd.GeoSeries:
        pad = margin_px * self.pixel
        clipped = series.clip_by_rect(self.xmin - pad, self.ymin - pad,
                                      self.xmax + pad, self.ymax + pad)
        return clipped


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
    for row in frame.itertuples():
        style = styles.feature_style(row.layer, row.status_on_date, bool(row.disputed_on_date))
        keys.append((_geom_kind(row.geometry), json.dumps(style, sort_keys=True)))
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


def _draw_place_labels(ax: Axes, places: gpd.GeoDataFrame, extent: _Frame, size: float) -> None:
    """English place names right of their points, as the live map labels them."""
    halo = [patheffects.withStroke(linewidth=2.2, foreground="white")]
    for row in places.itertuples():
        point = row.geometry.representative_point()
        if extent.xmin < point.x < extent.xmax and extent.ymin < point.y < extent.ymax:
            ax.text(point.x + 5 * extent.pixel, point.y, str(row.name), fontsize=size,
                    ha="left", va="center", color="#222222", path_effects=halo, zorder=7,
                    clip_on=True, parse_math=False)


def _legend_handles(snap: Snapshot) -> tuple[list[Line2D], list[str]]:
    handles, labels = [], []
    for label, style in styles.legend_entries():
        handles.append(Line2D([0], [0], color=style["color"], linewidth=3 * PT_PER_PX,
                              linestyle=dash_pattern(style.get("dashArray"))))
        labels.append(label)
    for event_type in sorted(set(snap.shown_incidents["event_type"])):
        handles.append(Line2D([0], [0], marker="o", linestyle="none", markersize=7,
                              markerfacecolor=styles.event_color(event_type),
                              markeredgecolor="#222222"))
        labels.append(f"Incident: {event_type}")
    return handles, labels


def _north_arrow(ax: Axes, size: float) -> None:
    ax.annotate("N", xy=(0.965, 0.95), xytext=(0.965, 0.85), xycoords="axes fraction",
                ha="center", va="center", fontsize=size, fontweight="bold", zorder=9,
                arrowprops={"facecolor": "black", "edgecolor": "white", "width": 3,
                            "headwidth": 11, "headlength": 10, "shrink": 0.0},
                bbox={"boxstyle": "circle,pad=0.2", "facecolor": "white", "edgecolor": "none",
                      "alpha": 0.8})


def _qr_image(text: str) -> np.ndarray:
    """The permalink as a QR code: one pixel per module, quiet zone included (0 black)."""
    buffer = io.BytesIO()
    segno.make(text, error="m", micro=False).save(buffer, kind="png", scale=1, border=4)
    buffer.seek(0)
    return np.asarray(Image.open(buffer).convert("L"))


def _wrap(text: str, width_px: float, font_pt: float, scale: float) -> str:
    char_px = font_pt / PT_PER_PX * scale * 0.56
    return "\n".join(textwrap.wrap(text, max(20, int(width_px / char_px)),
                                   break_long_words=True, break_on_hyphens=False))


def draw_snapshot(fig: Figure, snap: Snapshot, preset: Preset, stamp: bool = False) -> None:
    """Draw the view onto ``fig`` (sized for ``preset``): map, legend, credits, permalink."""
    view, fs = snap.view, preset.font
    regions = layout(preset)
    extent = _map_frame(view, preset)
    fig.patch.set_facecolor(BACKGROUND)

    ax = fig.add_axes(regions["map"])
    ax.set_facecolor(styles.MAP_BACKGROUND)
    ax.set_xlim(extent.xmin, extent.xmax)
    ax.set_ylim(extent.ymin, extent.ymax)
    ax.set_aspect("auto")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor("#666666")

    _draw_base(ax, _prepare(snap.base_features, extent))
    shown = snap.shown_features
    for group in GROUP_ORDER:
        _draw_features(ax, _prepare(shown[shown["group"] == group], extent))
    _draw_incidents(ax, snap.shown_incidents)
    if "places" in view.layers and view.zoom >= LABEL_MIN_ZOOM and not preset.compact:
        _draw_place_labels(ax, _prepare(shown[shown["group"] == "places"], extent), extent,
                           8.25 * PT_PER_PX * 1.1 * fs)
    ax.set_xlim(extent.xmin, extent.xmax)
    ax.set_ylim(extent.ymin, extent.ymax)
    ax.set_xlabel("")
    ax.set_ylabel("")

    ax.add_artist(ScaleBar(math.cos(math.radians(view.lat)), units="m", location="lower left",
                           length_fraction=0.22, font_properties={"size": 8 * fs},
                           box_alpha=0.8, border_pad=0.6))
    _north_arrow(ax, 10 * fs)

    # Title band
    left, bottom, width, height = regions["title"]
    fig.text(0.01, bottom + height * 0.93, f"The frontier as of {view.date:%d %B %Y}",
             fontsize=(15 if preset.compact else 20) * fs, fontweight="bold", va="top",
             parse_math=False)
    incidents_note = (f"{len(snap.shown_incidents)} shown"
                      if "incidents" in view.layers else "layer hidden")
    subtitle = (f"As of {view.date.isoformat()} · incident window {snap.window_text()}, "
                f"{incidents_note} · layers: {', '.join(snap.layer_names())}")
    lines = _wrap(subtitle, preset.width * 0.98, 8 * fs, preset.scale).split("\n")
    fig.text(0.01, bottom + height * 0.06, "\n".join(lines[: 1 if preset.compact else 2]),
             fontsize=8 * fs, color="#333333", va="bottom", linespacing=1.2, parse_math=False)

    _draw_panel(fig, snap, preset, regions["panel"])
    if stamp:  # playback frames: the date, large, below the legend (outside the map)
        left, bottom, width, height = regions["panel"]
        fig.text(left + width / 2, bottom + 0.04, f"{view.date:%d %b %Y}", ha="center",
                 va="bottom", fontsize=17 * fs, fontweight="bold", color="#111111",
                 parse_math=False, bbox={"facecolor": "white", "edgecolor": "#333333",
                                         "pad": 4})
    _draw_footer(fig, snap, preset, regions["footer"])


def _draw_panel(fig: Figure, snap: Snapshot, preset: Preset, box: Box) -> None:
    fs = preset.font
    panel = fig.add_axes(box)
    panel.set_axis_off()
    handles, labels = _legend_handles(snap)
    legend = panel.legend(handles, labels, loc="upper left", bbox_to_anchor=(0.0, 1.0),
                          title=f"Status on {snap.view.date.isoformat()}", fontsize=7.5 * fs,
                          title_fontsize=8.5 * fs, frameon=True, borderaxespad=0.0,
                          alignment="left")
    legend.get_frame().set_edgecolor("#999999")
    for text in legend.get_texts():
        text.set_parse_math(False)
    if preset.compact:
        return
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    legend_box = legend.get_window_extent(renderer).transformed(panel.transAxes.inverted())
    width_px = box[2] * preset.width
    top = legend_box.y0 - 0.03

    cited = snap.sources()
    shown = [name for name, _ in cited[:8]]
    more = len(cited) - len(shown)
    lines = ["Sources (most cited first):", *[f"• {s[:70]}" for s in shown]]
    if more > 0:
        lines.append(f"… and {more} more: full list in data/SOURCES.md")
    source_text = "\n".join(
        _wrap(line, width_px, 7 * fs, preset.scale) if i else line for i, line in enumerate(lines)
    )
    panel.text(0.0, top, source_text, fontsize=7 * fs, va="top", ha="left", color="#222222",
               transform=panel.transAxes, linespacing=1.3, parse_math=False)

    # QR code of the permalink, with whole pixels per module so that it scans
    if snap.permalink:
        qr = _qr_image(snap.permalink)
        modules = qr.shape[0]
        target = min(width_px * 0.62, box[3] * preset.height * 0.30)
        module_px = max(2, int(target // modules))
        size = modules * module_px
        x0 = box[0] * preset.width + (width_px - size) / 2
        y0 = box[1] * preset.height + 0.07 * box[3] * preset.height
        qr_ax = fig.add_axes((x0 / preset.width, y0 / preset.height,
                              size / preset.width, size / preset.height))
        qr_ax.imshow(qr, cmap="gray", vmin=0, vmax=255, interpolation="nearest",
                     aspect="auto")
        qr_ax.set_axis_off()
        fig.text(x0 / preset.width + size / preset.width / 2, (y0 + size) / preset.height,
                 "Scan to reopen this view", ha="center", va="bottom", fontsize=7 * fs,
                 parse_math=False)
    fig.text(box[0] + box[2] / 2, box[1] + 0.01, f"Data version {snap.version or 'unknown'}",
             ha="center", va="bottom", fontsize=7 * fs, color="#333333", family="monospace",
             parse_math=False)


def _draw_footer(fig: Figure, snap: Snapshot, preset: Preset, box: Box) -> None:
    fs = preset.font
    basemap_note = "" if snap.view.basemap == "offline" else (
        " · Basemap tiles are not fetched for exports: offline outlines from data/ shown.")
    lines = [f"Data: {' · '.join(snap.credits())}{basemap_note}"]
    if not preset.compact:
        if snap.permalink:
            lines.append(f"Permalink: {snap.permalink}")
        lines.append(f"Data version {snap.version or 'unknown'} (sha256 of data/) · {CAVEAT}")
    text = "\n".join(
        _wrap(line, preset.width * 0.98, 6.5 * fs, preset.scale) for line in lines
    )
    fig.text(0.01, box[1] + box[3] * 0.9, text, fontsize=6.5 * fs, va="top", ha="left",
             color="#333333", linespacing=1.25, parse_math=False)


class _Canvas(FigureCanvasAgg):
    """Agg canvas that draws once, at the end: geopandas asks for a redraw after each layer."""

    def draw_idle(self, *args: Any, **kwargs: Any) -> None:
        pass


def _new_figure(preset: Preset) -> Figure:
    fig = Figure(figsize=(preset.width / preset.dpi, preset.height / preset.dpi), dpi=preset.dpi)
    _Canvas(fig)
    return fig


def render_image(
    snap: Snapshot, preset: str | Preset = "slide", stamp: bool = False
) -> Image.Image:
    """The view as an RGB image of the preset's exact size."""
    chosen = OUTPUT_PRESETS[preset] if isinstance(preset, str) else preset
    fig = _new_figure(chosen)
    with matplotlib.rc_context(RC):
        draw_snapshot(fig, snap, chosen, stamp=stamp)
        canvas = fig.canvas
        canvas.draw()
    rgba = np.asarray(canvas.buffer_rgba())  # type: ignore[attr-defined]
    image = Image.fromarray(rgba[..., :3].copy())
    if image.size != (chosen.width, chosen.height):  # guard against dpi rounding
        image = image.resize((chosen.width, chosen.height), Image.Resampling.LANCZOS)
    return image


def render_png(snap: Snapshot, preset: str | Preset = "slide") -> bytes:
    """The view as PNG bytes (slide 1920×1080, a4 3508×2480 at 300 dpi, small 800×500)."""
    chosen = OUTPUT_PRESETS[preset] if isinstance(preset, str) else preset
    buffer = io.BytesIO()
    render_image(snap, chosen).save(buffer, format="PNG", dpi=(chosen.dpi, chosen.dpi),
                                    optimize=False)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# PDF brief


def zone_statistics(snap: Snapshot) -> pd.DataFrame | None:
    """Per-zone incident statistics for the window, when geo.analysis.zones provides them."""
    try:
        analytics = importlib.import_module("geo.analysis.zones")
        classified = analytics.classify(snap.window_incidents, snap.layers)
        start = window_start(snap.view.date, snap.view.window_days)
        return analytics.zone_summary(classified, snap.layers, start, snap.view.date)
    except (ImportError, AttributeError, TypeError, ValueError, KeyError):
        return None


def _entry_sources(entry: Mapping[str, Any]) -> str:
    parts = []
    for src in entry.get("sources") or []:
        label = " — ".join(str(src[k]) for k in ("publisher", "title", "date")
                           if isinstance(src, Mapping) and not is_blank(src.get(k)))
        url = safe_url(src.get("url")) if isinstance(src, Mapping) else None
        parts.append(f"{label} {url}" if url else label)
    return "; ".join(p for p in parts if p)


#: Characters per line in the brief's two text columns (sans timeline, monospace facts).
TIMELINE_WIDTH: Final[int] = 95
FACTS_WIDTH: Final[int] = 80


def _wrapped(text: str, width: int, indent: str = "   ") -> list[str]:
    return textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=indent,
                         break_long_words=True, break_on_hyphens=False)


def _fit(lines: list[str], capacity: int, what: str) -> list[str]:
    """At most ``capacity`` lines; the last one says how many were left out."""
    if len(lines) <= capacity:
        return lines
    left_out = len(lines) - capacity + 1
    return [*lines[: capacity - 1], f"… {left_out} more lines of {what}: see the dashboard"]


def _timeline_lines(entries: Sequence[Mapping[str, Any]], detail: int) -> list[str]:
    """Timeline entries as lines: detail 2 = title, summary and full sources; 1 = title and
    the sources' publishers; 0 = title only."""
    lines: list[str] = []
    for entry in entries:
        kind = str(entry["kind"]).replace("_", " ")
        lines += _wrapped(f"{entry['date']} · {kind} · {entry['title']}", TIMELINE_WIDTH, "")
        if detail == 2:
            lines += _wrapped(str(entry.get("summary", "")), TIMELINE_WIDTH)
            lines += _wrapped(f"Sources: {_entry_sources(entry)}", TIMELINE_WIDTH)
            lines.append("")
        elif detail == 1:
            names = [source_label(src) for src in entry.get("sources") or []]
            lines += _wrapped(f"Source: {'; '.join(n for n in names if n)}", TIMELINE_WIDTH)
    return lines


def brief_sections(
    snap: Snapshot, stats: pd.DataFrame | None, capacity: int = 10_000
) -> tuple[list[str], list[str]]:
    """The text of the brief's second page as two columns of at most ``capacity`` lines:
    the timeline around the date (as much detail as fits), then the facts (as-of date,
    window, zone statistics, credits, permalink, data version; sources fill what is left)."""
    view = snap.view
    near = entries_near(snap.entries, view.date, 30)
    header = [f"Negotiation timeline within 30 days of {view.date.isoformat()} "
              f"({len(near)} entr{'y' if len(near) == 1 else 'ies'})", ""]
    body = ["No timeline entry within 30 days of this date."] if not near else []
    for detail in (2, 1, 0):
        body = _timeline_lines(near, detail) if near else body
        if len(header) + len(body) <= capacity:
            break
    if detail < 2 and near:
        header[1] = ("(summaries and sources of each entry: timeline on the map page)"
                     if detail == 0 else "(summaries and source links: timeline on the map page)")
    timeline = _fit(header + body, capacity, "timeline")

    width = FACTS_WIDTH
    facts = [
        f"As of {view.date.isoformat()} ({view.date:%d %B %Y})",
        *_wrapped(f"Incident window: {snap.window_text()}; "
                  f"{len(snap.window_incidents)} incident(s)", width, ""),
        *_wrapped(f"Layers shown: {', '.join(snap.layer_names())}", width, ""),
        "",
        "Zone statistics (incidents in the window)",
    ]
    if stats is None or stats.empty:
        facts.append("   not available for this view")
    else:
        facts.append(f"   {'zone':<43}{'km²':>9}{'incid.':>8}{'fatal.':>8}")
        for row in stats.to_dict("records"):
            area = row.get("area_km2")
            area_text = "" if area is None or pd.isna(area) else f"{float(area):.1f}"
            facts.append(f"   {str(row.get('zone', ''))[:42]:<43}{area_text:>9}"
                         f"{row.get('incidents', ''):>8}{row.get('fatalities', ''):>8}")
    facts += ["", "Credits (every layer shown)", *[f"   {c}" for c in snap.credits()]]
    facts += ["", "Permalink", *_wrapped(snap.permalink or "(none)", width)]
    facts += ["", f"Data version {snap.version or 'unknown'} (sha256 of data/)",
              *_wrapped(CAVEAT, width, "")]
    facts += ["", "Sources of the layers and incidents shown (items citing each)"]
    cited = snap.sources()
    room = capacity - len(facts)
    for index, (name, count) in enumerate(cited):
        lines = _wrapped(f"{name} ({count})", width)
        if len(lines) > room - (1 if index < len(cited) - 1 else 0):
            facts.append(f"   … and {len(cited) - index} more: data/SOURCES.md")
            break
        facts += lines
        room -= len(lines)
    return timeline, facts


#: Lines of text per column on the brief's text page (A4 landscape, 7.2 pt).
BRIEF_LINES: Final[int] = 54


def brief_page(snap: Snapshot) -> Figure:
    """The brief's text page: timeline around the date (left), facts, zone statistics,
    credits, sources and permalink (right, monospace so that the table aligns)."""
    page = _new_figure(OUTPUT_PRESETS["a4"])
    page.text(0.04, 0.95, f"Brief: the frontier as of {snap.view.date:%d %B %Y}",
              fontsize=16, fontweight="bold", va="top", parse_math=False)
    timeline, facts = brief_sections(snap, zone_statistics(snap), BRIEF_LINES)
    for x, lines, family in ((0.04, timeline, "DejaVu Sans"), (0.52, facts, "DejaVu Sans Mono")):
        page.text(x, 0.89, "\n".join(lines), fontsize=7.2, va="top", ha="left", family=family,
                  linespacing=1.3, parse_math=False)
    return page


def render_pdf(snap: Snapshot) -> bytes:
    """A two-page A4 landscape brief: the snapshot, then the timeline around the date, zone
    statistics (when geo.analysis.zones provides them), credits and sources, as real text."""
    preset = OUTPUT_PRESETS["a4"]
    buffer = io.BytesIO()
    metadata = {"Title": f"The frontier as of {snap.view.date.isoformat()}",
                "Subject": f"Data version {snap.version}; {'; '.join(snap.credits())}"}
    with matplotlib.rc_context({**RC, "pdf.fonttype": 42}), \
            PdfPages(buffer, metadata=metadata) as pdf:
        fig = _new_figure(preset)
        draw_snapshot(fig, snap, preset)
        pdf.savefig(fig)
        pdf.savefig(brief_page(snap))
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# Interactive HTML and the browser-exact screenshot


def render_html(snap: Snapshot, controls: bool = True) -> str:
    """A standalone HTML page of the live map for the view, with every asset inlined."""
    view = snap.view
    fmap = build_map(snap.features, snap.window_incidents,
                     MapSpec(view, (view.lat, view.lon, view.zoom), controls=controls))
    root = fmap.get_root()
    root.title = html.escape(f"The frontier as of {view.date.isoformat()}")
    info = (
        f"<b>The frontier as of {html.escape(f'{view.date:%d %B %Y}')}</b><br>"
        f"Incidents: {html.escape(snap.window_text())}<br>"
        f"Data version {html.escape(snap.version or 'unknown')}"
        + (f" · <a href=\"{html.escape(safe_url(snap.permalink) or '')}\">permalink</a>"
           if safe_url(snap.permalink) else "")
    )
    root.html.add_child(folium.Element(
        "<div id='export-info' style='position:absolute;top:10px;left:60px;z-index:1000;"
        "background:rgba(255,255,255,.92);padding:6px 10px;font:13px/1.4 sans-serif;"
        f"border-radius:4px;box-shadow:0 0 4px rgba(0,0,0,.3)'>{info}</div>"
    ))
    return inline_assets(fmap)


# ---------------------------------------------------------------------------------------------
# Data export (GeoJSON, GeoPackage, KML) with provenance

EXPORT_COLUMNS: Final[tuple[str, ...]] = (
    "item_id", "item", "layer", "group", "name", "status", "status_on_date", "disputed_on_date",
    "status_note", "valid_from", "valid_to", "date_precision", "basis", "confidence",
    "sources", "attribution", "licence", "notes", "as_of", "event_type", "sub_event_type",
    "actor1", "actor2", "fatalities", "geo_precision", "location",
)


def _text(value: Any) -> str:
    return "" if is_blank(value) or (not isinstance(value, str) and pd.isna(value)) \
        else str(value)


def export_frame(snap: Snapshot) -> gpd.GeoDataFrame:
    """Visible layer features and incidents as one table, each row with its provenance:
    sources (JSON text), basis, confidence, attribution, licence, valid_from/to and status on
    the date. Dates are ISO strings. The key is ``item_id`` (KML reserves ``id``)."""
    as_of = snap.view.date.isoformat()
    rows: list[dict[str, Any]] = []
    geoms: list[Any] = []
    for row in snap.shown_features.to_dict("records"):
        rows.append({
            "item_id": row["id"], "item": "feature", "layer": row["layer"], "group": row["group"],
            "name": _text(row["name"]), "status": row["status"],
            "status_on_date": row["status_on_date"],
            "disputed_on_date": "true" if row["disputed_on_date"] else "false",
            "status_note": _text(row.get("status_note")),
            "valid_from": _text(row["valid_from"]), "valid_to": _text(row.get("valid_to")),
            "date_precision": _text(row.get("date_precision")), "basis": row["basis"],
            "confidence": row["confidence"],
            "sources": json.dumps(row["sources"], ensure_ascii=False),
            "attribution": _text(row["attribution"]), "licence": _text(row["licence"]),
            "notes": _text(row.get("notes")), "as_of": as_of,
        })
        geoms.append(row["geometry"])
    for row in snap.shown_incidents.to_dict("records"):
        source = {k: _text(row.get(c)) for k, c in (("publisher", "source"),
                  ("title", "source_title"), ("date", "source_date"), ("url", "url"))}
        rows.append({
            "item_id": row["event_id_cnty"], "item": "incident", "layer": "incident",
            "group": "incidents", "name": f"{row['event_type']}: {_text(row.get('location'))}",
            "status": "reported", "status_on_date": "reported", "disputed_on_date": "false",
            "valid_from": row["event_date"], "valid_to": row["event_date"],
            "date_precision": {1: "day", 2: "day", 3: "month"}.get(
                int(row.get("time_precision") or 1), "day"),
            "basis": _text(row.get("basis")) or "reported",
            "confidence": _text(row.get("confidence")),
            "sources": json.dumps([{k: v for k, v in source.items() if v}], ensure_ascii=False),
            "attribution": "; ".join(INCIDENT_CREDITS), "licence": INCIDENT_LICENCE,
            "notes": _text(row.get("notes")), "as_of": as_of,
            "event_type": _text(row.get("event_type")),
            "sub_event_type": _text(row.get("sub_event_type")),
            "actor1": _text(row.get("actor1")), "actor2": _text(row.get("actor2")),
            "fatalities": _text(row.get("fatalities")),
            "geo_precision": _text(row.get("geo_precision")),
            "location": _text(row.get("location")),
        })
        geoms.append(row["geometry"])
    blank = dict.fromkeys(EXPORT_COLUMNS, "")
    frame = pd.DataFrame([{**blank, **row} for row in rows], columns=list(EXPORT_COLUMNS),
                         dtype=str)
    return gpd.GeoDataFrame(frame, geometry=geoms, crs="EPSG:4326")


def export_data(snap: Snapshot, fmt: DataFormat) -> bytes:
    """The export table written as GeoJSON, GeoPackage or KML (via pyogrio)."""
    if fmt not in DATA_FORMATS:
        raise ValueError(f"unknown data format {fmt!r}")
    driver, ext, _ = DATA_FORMATS[fmt]
    frame = export_frame(snap)
    options: dict[str, Any] = {}
    if fmt == "kml":
        options = {"dataset_options": {"NameField": "name", "DescriptionField": "notes"}}
    elif fmt == "geojson":  # keep ``sources`` as JSON text, as in the other formats
        options = {"layer_options": {"AUTODETECT_JSON_STRINGS": "NO"}}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"frontier.{ext}"
        pyogrio.write_dataframe(frame, path, driver=driver, layer="frontier",
                                geometry_type="Unknown", **options)
        return path.read_bytes()


# ---------------------------------------------------------------------------------------------
# Animated playback (GIF)


def playback_dates(
    entries: Iterable[Mapping[str, Any]], start: dt.date, end: dt.date, mode: PlaybackMode,
    max_frames: int = MAX_FRAMES,
) -> list[dt.date]:
    """The dates of the frames: every 7 days from ``start`` (and ``end``), or the date of each
    negotiation-timeline entry in the range."""
    if end < start:
        start, end = end, start
    if mode == "weekly":
        days = [start + dt.timedelta(days=7 * i) for i in range((end - start).days // 7 + 1)]
        if days[-1] != end:
            days.append(end)
    elif mode == "events":
        days = sorted({dt.date.fromisoformat(str(e["date"])) for e in entries
                       if start.isoformat() <= str(e["date"]) <= end.isoformat()})
    else:
        raise ValueError(f"unknown playback mode {mode!r}")
    return days[:max_frames]


def render_gif(
    snap: Snapshot, days: Sequence[dt.date], frame_ms: int = 900,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """One small frame per date (800×500, the date stamped on it), as an animated GIF."""
    if not days:
        raise ValueError("no frames: the date range holds no step")
    frames = []
    for index, day in enumerate(days):
        frames.append(render_image(snap.at(day), "small", stamp=True))
        if progress:
            progress(index + 1, len(days))
    # One palette for every frame (from up to 12 of them), so that unchanged areas keep their
    # colours from frame to frame.
    picked = frames[:: max(1, math.ceil(len(frames) / 12))]
    sample = Image.new("RGB", (frames[0].width, frames[0].height * len(picked)))
    for index, frame in enumerate(picked):
        sample.paste(frame, (0, frame.height * index))
    palette = sample.quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    indexed = [f.quantize(palette=palette, dither=Image.Dither.NONE) for f in frames]
    buffer = io.BytesIO()
    indexed[0].save(buffer, format="GIF", save_all=True, append_images=indexed[1:],
                    duration=frame_ms, loop=0, optimize=False, disposal=1)
    return buffer.getvalue()
