"""The static image of a view, shared by the PNG, the PDF brief and the GIF frames: title band,
map (:mod:`geo.export.map_layers`), legend panel with sources, permalink QR code and data
version, and the footer of credits. Drawn on a :class:`matplotlib.figure.Figure` with an
explicit Agg canvas: no pyplot figure is made, so no matplotlib backend is chosen or switched."""

from __future__ import annotations

import io
import textwrap
from typing import Any, Final

import numpy as np
import segno
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.typing import RcKeyType
from PIL import Image

from geo.core import styles
from geo.core.vocabulary import GROUP_LABELS
from geo.export.layout import Box, Preset, layout
from geo.export.map_layers import PT_PER_PX, dash_pattern, draw_map
from geo.export.snapshot import CAVEAT, Snapshot
from geo.render.annotations import ANNOTATIONS_LABEL, annotation_style, status_label

BACKGROUND: Final[str] = "#ffffff"
#: Dash lengths are absolute (points), like Leaflet's dashArray, not multiples of line width.
RC: Final[dict[RcKeyType, Any]] = {"lines.scale_dashes": False}


def _legend_handles(snap: Snapshot) -> tuple[list[Artist], list[str]]:
    handles: list[Artist] = []
    labels: list[str] = []
    for area in snap.overlay.areas if snap.overlay else ():
        handles.append(Patch(facecolor=to_rgba(area.colour, area.opacity),
                             edgecolor=area.colour))
        labels.append(area.label)
    for group, style in styles.layer_legend_entries(snap.view.layers):
        handles.append(Patch(facecolor=to_rgba(style.get("fillColor", style["color"]),
                                               float(style.get("fillOpacity", 0.2))),
                             edgecolor=style["color"], linewidth=2 * PT_PER_PX))
        labels.append(GROUP_LABELS[group])
    drawn: dict[str, dict[str, Any]] = {}
    for annotation in snap.shown_annotations:  # one entry per status drawn
        drawn.setdefault(annotation.status, annotation_style(annotation))
    for status, style in drawn.items():
        handles.append(Patch(facecolor=to_rgba(style["fillColor"], float(style["fillOpacity"])),
                             edgecolor=style["color"], linewidth=2 * PT_PER_PX,
                             linestyle=dash_pattern(style.get("dashArray"))))
        labels.append(f"{ANNOTATIONS_LABEL}: {status_label(status)}")
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
    fig.patch.set_facecolor(BACKGROUND)
    draw_map(fig, snap, preset)

    # Title band
    left, bottom, width, height = regions["title"]
    title = snap.overlay.title if snap.overlay else f"The frontier as of {view.date:%d %B %Y}"
    fig.text(0.01, bottom + height * 0.93, title,
             fontsize=(15 if preset.compact else 20) * fs, fontweight="bold", va="top",
             parse_math=False)
    incidents_note = (f"{len(snap.shown_incidents)} shown"
                      if "incidents" in view.layers else "layer hidden")
    subtitle = (f"As of {view.date.isoformat()} · incident window {snap.window_text()}, "
                f"{incidents_note} · layers: {', '.join(snap.layer_names())}")
    if snap.overlay:  # the result's parameters and figures first
        subtitle = f"{snap.overlay.caption} · as of {view.date.isoformat()}"
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
    annotation_rows = len({a.status for a in snap.shown_annotations})  # legend rows they add
    shown = [name for name, _ in cited[:2 if snap.overlay else 8 - annotation_rows]]
    more = len(cited) - len(shown)
    lines = ["Sources (most cited first):", *[f"• {s[:70]}" for s in shown]]
    if snap.overlay:  # the result's method and coverage notes, before the sources
        lines = ["About the result:", *[f"• {note}" for note in snap.overlay.notes], *lines]
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
    if preset.compact:
        lines.append(snap.data_through)
    else:
        if snap.permalink:
            lines.append(f"Permalink: {snap.permalink}")
        lines.append(f"{snap.data_through} · Data version {snap.version or 'unknown'} "
                     f"(sha256 of data/) · {CAVEAT}")
    text = "\n".join(
        _wrap(line, preset.width * 0.98, 6.5 * fs, preset.scale) for line in lines
    )
    fig.text(0.01, box[1] + box[3] * 0.9, text, fontsize=6.5 * fs, va="top", ha="left",
             color="#333333", linespacing=1.25, parse_math=False)


class _Canvas(FigureCanvasAgg):
    """Agg canvas that draws once, at the end: geopandas asks for a redraw after each layer."""

    def draw_idle(self, *args: Any, **kwargs: Any) -> None:
        pass


def new_figure(preset: Preset) -> Figure:
    fig = Figure(figsize=(preset.width / preset.dpi, preset.height / preset.dpi), dpi=preset.dpi)
    _Canvas(fig)
    return fig
