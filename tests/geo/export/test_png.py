"""The static PNG: preset sizes, a map that is drawn, the legend, the QR code of the permalink
and status colours that follow the date."""

from __future__ import annotations

import io

import numpy as np
import pytest
import zxingcpp
from matplotlib.colors import to_rgb
from PIL import Image

from geo.core import styles
from geo.export.layout import OUTPUT_PRESETS, box_pixels
from geo.export.png import render_image, render_png
from geo.export.snapshot import Snapshot
from tests.geo.export.conftest import BASE, MakeSnap


@pytest.fixture(scope="module")
def slide(snap: Snapshot) -> Image.Image:
    return Image.open(io.BytesIO(render_png(snap, "slide"))).convert("RGB")


@pytest.fixture(scope="module")
def a4(snap: Snapshot) -> Image.Image:
    return Image.open(io.BytesIO(render_png(snap, "a4"))).convert("RGB")


def _region(image: Image.Image, preset: str, region: str) -> np.ndarray:
    return np.asarray(image.crop(box_pixels(OUTPUT_PRESETS[preset], region)))


def _non_white(pixels: np.ndarray) -> float:
    return float((pixels.min(axis=2) < 235).mean())


def test_png_has_the_preset_sizes(slide: Image.Image, a4: Image.Image) -> None:
    assert slide.size == (1920, 1080)
    assert a4.size == (3508, 2480)


def test_small_preset_size(snap: Snapshot) -> None:
    image = Image.open(io.BytesIO(render_png(snap, "small")))
    assert image.size == (800, 500)


@pytest.mark.parametrize("preset", ["slide", "a4"])
def test_map_area_is_not_blank(preset: str, slide: Image.Image, a4: Image.Image) -> None:
    pixels = _region(slide if preset == "slide" else a4, preset, "map").astype(int)
    colours = {tuple(p) for p in pixels.reshape(-1, 3)[::97]}
    assert pixels.std() > 15
    assert len(colours) > 50


@pytest.mark.parametrize("preset", ["slide", "a4"])
def test_legend_is_drawn_in_the_panel(preset: str, slide: Image.Image, a4: Image.Image) -> None:
    panel = _region(slide if preset == "slide" else a4, preset, "panel")
    legend_box = panel[: panel.shape[0] // 4]
    assert _non_white(legend_box) > 0.03
    # The legend's layer swatches are the live map's layer colours (geo.core.styles).
    for group in ("lines_1974", "limitation", "golan"):
        colour = np.array(to_rgb(styles.GROUP_COLORS[group])) * 255
        assert (np.abs(legend_box.astype(int) - colour).sum(axis=2) < 40).sum() > 20, group


@pytest.mark.parametrize("preset", ["slide", "a4"])
def test_qr_code_decodes_to_the_permalink(preset: str, snap: Snapshot,
                                          slide: Image.Image, a4: Image.Image) -> None:
    results = zxingcpp.read_barcodes(slide if preset == "slide" else a4)
    texts = [r.text for r in results if r.format == zxingcpp.BarcodeFormat.QRCode]
    assert texts == [snap.permalink]
    assert snap.permalink.startswith(BASE + "?date=2025-01-10&window=since")


def test_status_dashes_follow_the_date(snap_of: MakeSnap) -> None:
    """The 1974 lines keep their layer's colour; in force before 8 Dec 2024 they are solid,
    collapsed after it dashed (less of the colour drawn)."""
    params = {"layers": "lines_1974", "window": "7"}
    before = snap_of({**params, "date": "2024-12-01"})
    after = snap_of({**params, "date": "2024-12-15"})
    blue = tuple(int(c * 255) for c in to_rgb(styles.GROUP_COLORS["lines_1974"]))

    def count(snapshot: Snapshot, colour: tuple[int, ...]) -> int:
        pixels = _region(render_image(snapshot, "small"), "small", "map").astype(int)
        return int((np.abs(pixels - np.array(colour)).sum(axis=2) < 30).sum())

    assert count(after, blue) > 50
    assert count(after, blue) < 0.85 * count(before, blue)
