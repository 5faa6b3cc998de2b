"""The static PNG of a view (and the RGB image the GIF frames are made of)."""

from __future__ import annotations

import io

import matplotlib
import numpy as np
from PIL import Image

from geo.export.layout import OUTPUT_PRESETS, Preset
from geo.export.snapshot import Snapshot
from geo.export.static_map import RC, draw_snapshot, new_figure


def render_image(
    snap: Snapshot, preset: str | Preset = "slide", stamp: bool = False
) -> Image.Image:
    """The view as an RGB image of the preset's exact size."""
    chosen = OUTPUT_PRESETS[preset] if isinstance(preset, str) else preset
    fig = new_figure(chosen)
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
