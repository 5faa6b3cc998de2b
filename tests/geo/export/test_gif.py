"""The playback GIF: the dates of its frames, one frame per date, frames that follow the data."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pytest
from PIL import Image

from geo.export.gif import MAX_FRAMES, playback_dates, render_gif
from geo.export.layout import OUTPUT_PRESETS, box_pixels
from geo.export.snapshot import Snapshot
from tests.geo.export.conftest import MakeSnap


def test_playback_dates() -> None:
    entries = [{"date": "2024-12-08"}, {"date": "2024-12-08"}, {"date": "2025-01-09"},
               {"date": "2026-01-05"}]
    weekly = playback_dates(entries, dt.date(2024, 12, 1), dt.date(2024, 12, 20), "weekly")
    assert weekly == [dt.date(2024, 12, 1), dt.date(2024, 12, 8), dt.date(2024, 12, 15),
                      dt.date(2024, 12, 20)]
    events = playback_dates(entries, dt.date(2024, 12, 1), dt.date(2025, 12, 31), "events")
    assert events == [dt.date(2024, 12, 8), dt.date(2025, 1, 9)]
    many = playback_dates(entries, dt.date(2000, 1, 1), dt.date(2025, 1, 1), "weekly")
    assert len(many) == MAX_FRAMES
    with pytest.raises(ValueError):
        playback_dates(entries, dt.date(2024, 1, 1), dt.date(2024, 2, 1), "daily")  # type: ignore[arg-type]


def test_gif_has_one_frame_per_step_and_changes_with_the_data(snap_of: MakeSnap) -> None:
    snapshot = snap_of({"date": "2024-12-31", "window": "30",
                        "layers": "lines_1974,limitation,golan"})
    days = [dt.date(2024, 11, 17), dt.date(2024, 11, 24), dt.date(2024, 12, 8),
            dt.date(2024, 12, 15)]
    seen: list[int] = []
    gif = Image.open(io.BytesIO(render_gif(snapshot, days,
                                           progress=lambda i, n: seen.append(i))))
    assert gif.n_frames == len(days)
    assert seen == [1, 2, 3, 4]
    box = box_pixels(OUTPUT_PRESETS["small"], "map")
    frames = []
    for index in range(gif.n_frames):
        gif.seek(index)
        assert gif.convert("RGB").size == (800, 500)
        frames.append(np.asarray(gif.convert("RGB").crop(box)).astype(int))
    # Nothing changes between 17 and 24 Nov 2024; 8 Dec 2024 collapses the 1974 lines.
    assert np.abs(frames[1] - frames[0]).sum() == 0
    assert np.abs(frames[2] - frames[1]).sum() > 100_000
    # Each frame carries its date (outside the map, in the title and the stamp).
    gif.seek(0)
    first = np.asarray(gif.convert("RGB")).astype(int)
    gif.seek(1)
    assert np.abs(np.asarray(gif.convert("RGB")).astype(int) - first).sum() > 0


def test_gif_needs_frames(snap: Snapshot) -> None:
    with pytest.raises(ValueError):
        render_gif(snap, [])
