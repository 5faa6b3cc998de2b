"""The static exports match the live map: its labels (language, min zoom, collision rule), its
layer palette in the legend, its terrain (hillshade, contours, the area without terrain) and
the terrain credit. The exported PNG in English and Arabic is saved to test-artifacts/."""

from __future__ import annotations

import io
import re

import matplotlib
import numpy as np
import pytest
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from PIL import Image

from geo.core import styles
from geo.core.labels import map_labels, visible_at
from geo.core.vocabulary import GROUP_LABELS
from geo.data.dem import DEM_CREDIT
from geo.export.layout import OUTPUT_PRESETS, box_pixels
from geo.export.map_layers import _map_frame
from geo.export.png import render_png
from geo.export.snapshot import Snapshot
from geo.export.static_map import RC, draw_snapshot, new_figure
from geo.render.terrain_map import NO_TERRAIN_LABEL
from tests.geo.export.conftest import MakeSnap
from tests.harness import ARTIFACTS

#: The default place, zoom and layers, on a date with incidents in the window.
DEFAULT = {"date": "2026-01-20"}
ARABIC = re.compile(r"[\u0600-\u06ff]")


def _figure(snap: Snapshot, preset: str = "slide") -> Figure:
    fig = new_figure(OUTPUT_PRESETS[preset])
    with matplotlib.rc_context(RC):
        draw_snapshot(fig, snap, OUTPUT_PRESETS[preset])
    return fig


def _map_texts(fig: Figure) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts]


@pytest.fixture(scope="module")
def english(snap_of: MakeSnap) -> Snapshot:
    return snap_of(DEFAULT)


@pytest.fixture(scope="module")
def arabic(snap_of: MakeSnap) -> Snapshot:
    return snap_of({**DEFAULT, "lang": "ar"})


def test_the_default_view_names_the_briefing_places(english: Snapshot) -> None:
    texts = _map_texts(_figure(english))
    for name in ("Quneitra", "Damascus", "Line A", "Area of Separation (UNDOF)"):
        assert name in texts, name
    assert "▲ Mount Hermon 2,814 m" in texts


def test_labels_are_the_live_maps(english: Snapshot) -> None:
    """Every label drawn is one the live map has for this view from this zoom, and the
    collision rule keeps more than one but not every candidate."""
    fig = _figure(english)
    frame = _map_frame(english.view, OUTPUT_PRESETS["slide"])
    candidates = visible_at(map_labels(english.features.to_dict("records"), "en",
                                       frame.bounds(), english.view.layers),
                            english.view.zoom)
    texts = set(_map_texts(fig))
    live = {f"{lb.symbol} {lb.text}" if lb.symbol else
            (lb.text.upper() if lb.kind == "country" else lb.text) for lb in candidates}
    drawn = texts & live
    assert len(drawn) >= 10
    assert len(drawn) < len(live)  # some dropped where they would overlap
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    boxes = [t.get_window_extent(renderer) for ax in fig.axes for t in ax.texts
             if t.get_text() in live]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.overlaps(b)


def test_arabic_labels_in_the_arabic_view(arabic: Snapshot) -> None:
    texts = _map_texts(_figure(arabic))
    arabic_texts = [t for t in texts if ARABIC.search(t)]
    assert len(arabic_texts) >= 10
    assert "دمشق" in texts  # Damascus, from the data's Arabic name
    assert "Line A" in texts  # the agreement's own term, in every language


def test_legend_names_each_layer_with_its_colour(english: Snapshot) -> None:
    fig = _figure(english)
    legend = next(a for ax in fig.axes for a in ax.get_children() if isinstance(a, Legend))
    entries = {t.get_text(): h for t, h in zip(legend.get_texts(), legend.legend_handles,
                                               strict=True)}
    for group, style in styles.layer_legend_entries(english.view.layers):
        handle = entries[GROUP_LABELS[group]]
        assert handle is not None
        assert to_rgba(handle.get_edgecolor()) == to_rgba(style["color"])  # type: ignore[attr-defined]


def test_terrain_is_drawn_and_credited(snap_of: MakeSnap) -> None:
    plain = snap_of({**DEFAULT, "layers": "lines_1974"})
    shaded = snap_of({**DEFAULT, "layers": "lines_1974,hillshade,contours"})
    assert DEM_CREDIT not in plain.credits() and DEM_CREDIT in shaded.credits()
    box = box_pixels(OUTPUT_PRESETS["small"], "map")

    def map_pixels(snap: Snapshot) -> np.ndarray:
        image = Image.open(io.BytesIO(render_png(snap, "small"))).convert("L")
        return np.asarray(image.crop(box)).astype(int)

    difference = np.abs(map_pixels(shaded) - map_pixels(plain))
    assert (difference > 12).mean() > 0.2  # slopes shaded and the area east of 36° E hatched
    texts = _map_texts(_figure(shaded))
    assert NO_TERRAIN_LABEL in texts
    assert {"1,000 m", "2,000 m"} & set(texts)  # the heavier contours' labels
    footer = " ".join(t.get_text() for t in _figure(shaded).texts)
    assert DEM_CREDIT in " ".join(footer.split())


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_exported_png_screenshot(lang: str, snap_of: MakeSnap) -> None:
    """The slide PNG of the default view, saved to test-artifacts/export-<lang>.png."""
    snap = snap_of({**DEFAULT, "lang": lang})
    data = render_png(snap, "slide")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"export-{lang}.png").write_bytes(data)
    assert Image.open(io.BytesIO(data)).size == (1920, 1080)
