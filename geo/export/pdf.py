"""The PDF brief: the static map on an A4 landscape page, then the typeset text pages
(:mod:`geo.export.brief`)."""

from __future__ import annotations

import io

import matplotlib
from matplotlib.backends.backend_pdf import PdfPages

from geo.export.brief import brief_pages, zone_statistics
from geo.export.layout import OUTPUT_PRESETS
from geo.export.snapshot import Snapshot
from geo.export.static_map import RC, draw_snapshot, new_figure


def render_pdf(snap: Snapshot) -> bytes:
    """An A4 landscape brief: the snapshot, then the view at a glance, the zone statistics,
    the timeline around the date, credits and numbered sources, as real text."""
    preset = OUTPUT_PRESETS["a4"]
    buffer = io.BytesIO()
    title = (snap.overlay.title if snap.overlay
             else f"The frontier as of {snap.view.date.isoformat()}")
    metadata = {"Title": title,
                "Subject": f"Data version {snap.version}; {'; '.join(snap.credits())}"}
    with matplotlib.rc_context({**RC, "pdf.fonttype": 42}), \
            PdfPages(buffer, metadata=metadata) as pdf:
        fig = new_figure(preset)
        draw_snapshot(fig, snap, preset)
        pdf.savefig(fig)
        for page in brief_pages(snap, zone_statistics(snap)):
            pdf.savefig(page)
    return buffer.getvalue()
