"""The labels of a static export: the live map's labels (:func:`geo.core.labels.map_labels`,
in the view's language, from their min zoom) drawn as text on the map, with the live map's
collision rule (:func:`geo.core.labels.declutter`, boxes measured by the renderer). Arabic and
Hebrew are set by matplotlib, which shapes them and lays them out right to left (the font,
DejaVu Sans, ships with matplotlib and has Arabic and Hebrew glyphs in its book weight)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.text import Text

from geo.core import styles
from geo.core.labels import Bounds, Box, MapLabel, declutter, map_labels, visible_at
from geo.export.snapshot import Snapshot
from geo.render.labels import GAP_PX

FONT: Final[str] = "DejaVu Sans"
#: A place's dot (CSS px): its diameter, and where its name starts, right of the point.
DOT_PX: Final[float] = 6.0
TEXT_AFTER_DOT_PX: Final[float] = 9.0
#: The summit's symbol is centred on the point: the text starts this far left of it.
SYMBOL_LEFT_PX: Final[float] = 7.0

ToXY = Callable[[float, float], tuple[float, float]]


def _type(label: MapLabel) -> tuple[float, str, bool]:
    """(size in CSS px, matplotlib weight, italic): the live map's type (styles.LABEL_TYPE)."""
    if label.kind == "place" and label.min_zoom in styles.MAJOR_PLACE_ZOOMS:
        size, weight, italic = styles.MAJOR_PLACE_TYPE
    else:
        size, weight, italic = styles.LABEL_TYPE.get(label.kind, styles.LABEL_TYPE["place"])
    return size, "bold" if weight >= 600 else "normal", italic


def _text(label: MapLabel) -> str:
    text = label.text.upper() if label.kind == "country" and not label.rtl else label.text
    return f"{label.symbol} {text}" if label.symbol else text


def view_labels(snap: Snapshot, bounds: Bounds) -> list[MapLabel]:
    """The labels of the view's layers in its language at its zoom, highest priority first."""
    rows = snap.features.to_dict("records")
    return visible_at(map_labels(rows, snap.view.lang, bounds, snap.view.layers),
                      snap.view.zoom)


def draw_labels(ax: Axes, labels: list[MapLabel], to_xy: ToXY, pixel: float,
                size_scale: float) -> list[MapLabel]:
    """Draw ``labels`` on ``ax`` (map units; ``pixel``: metres per device pixel, ``to_xy``:
    lon/lat to map units), dropping each whose box comes within the live map's gap of one
    kept. Sizes are the live map's CSS pixels times ``size_scale`` (points per CSS px).
    Returns the labels drawn."""
    fig = ax.get_figure()
    assert fig is not None
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    halo = [patheffects.withStroke(linewidth=3.0 * size_scale, foreground="white")]
    px_per_css = size_scale * fig.dpi / 72
    texts: dict[str, Text] = {}
    boxes: dict[str, Box] = {}
    xlim, ylim = ax.get_xlim(), ax.get_ylim()
    for label in labels:
        x, y = to_xy(label.lon, label.lat)
        if not (xlim[0] < x < xlim[1] and ylim[0] < y < ylim[1]):
            continue
        size, weight, italic = _type(label)
        if label.rtl:  # DejaVu Sans has Arabic and Hebrew glyphs in its book weight only
            weight, italic = "normal", False
        centred = label.kind not in ("place", "summit")
        shift = (TEXT_AFTER_DOT_PX if label.kind == "place"
                 else -SYMBOL_LEFT_PX if label.symbol else 0.0)
        text = ax.text(x + shift * px_per_css * pixel, y, _text(label),
                       fontsize=size * size_scale, fontweight=weight,
                       fontstyle="italic" if italic else "normal", family=FONT,
                       color=styles.LABEL_COLORS.get(label.kind, styles.LABEL_COLORS["place"]),
                       ha="center" if centred else "left", va="center", zorder=9,
                       path_effects=halo, clip_on=True, parse_math=False)
        extent = text.get_window_extent(renderer)
        x0 = extent.x0 - (TEXT_AFTER_DOT_PX * px_per_css if label.kind == "place" else 0.0)
        texts[label.id], boxes[label.id] = text, (x0, extent.y0, extent.x1, extent.y1)
    kept = declutter([lb for lb in labels if lb.id in texts], lambda lb: boxes[lb.id],
                     gap=GAP_PX * px_per_css)
    kept_ids = {lb.id for lb in kept}
    for label_id, text in texts.items():
        if label_id not in kept_ids:
            text.remove()
    places = [to_xy(lb.lon, lb.lat) for lb in kept if lb.kind == "place"]
    if places:
        ax.scatter([p[0] for p in places], [p[1] for p in places],
                   s=(DOT_PX * size_scale) ** 2, facecolors="white", edgecolors="#333333",
                   linewidths=1.5 * size_scale, zorder=9)
    return kept
