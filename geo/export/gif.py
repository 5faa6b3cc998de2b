"""The animated playback of a view: one small frame per date, as a GIF."""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Final, Literal

from PIL import Image

from geo.export.png import render_image
from geo.export.snapshot import Snapshot

PlaybackMode = Literal["weekly", "events"]
MAX_FRAMES: Final[int] = 160


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
