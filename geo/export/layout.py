"""Output sizes of the static exports and the regions of their image (title band, map, legend
panel, footer)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


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
