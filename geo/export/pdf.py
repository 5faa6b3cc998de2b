"""The PDF brief: the static map on an A4 landscape page, then a page of text (timeline around
the date, zone statistics, credits, sources, permalink)."""

from __future__ import annotations

import io
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any, Final

import matplotlib
import pandas as pd
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from geo.analysis.summary import zone_summary
from geo.analysis.zones import classify
from geo.core.figures import approx
from geo.core.model import is_blank, safe_url
from geo.core.timeline import entries_near, window_start
from geo.export.layout import OUTPUT_PRESETS
from geo.export.snapshot import CAVEAT, Snapshot, source_label
from geo.export.static_map import RC, draw_snapshot, new_figure


def zone_statistics(snap: Snapshot) -> pd.DataFrame:
    """Per-zone incident statistics for the incident window of the view (area, incidents,
    fatalities), from geo.analysis."""
    classified = classify(snap.window_incidents, snap.layers)
    start = window_start(snap.view.date, snap.view.window_days)
    return zone_summary(classified, snap.layers, start, snap.view.date)


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
    window, zone statistics, credits, permalink, data version; sources fill what is left).
    ``stats`` is the table of :func:`zone_statistics` (None: the brief says it is not given)."""
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
    ]
    if snap.overlay is not None:  # the result drawn on the map, with its parameters and notes
        facts += [snap.overlay.title, *_wrapped(snap.overlay.caption, width),
                  *[line for note in snap.overlay.notes for line in _wrapped(note, width)], ""]
    facts += ["Zone statistics (incidents in the window)"]
    if stats is None or stats.empty:
        facts.append("   not available for this view")
    else:
        facts.append(f"   {'zone':<43}{'km²':>9}{'incid.':>8}{'fatal.':>8}")
        for row in stats.to_dict("records"):
            area = row.get("area_km2")
            area_text = "" if area is None or pd.isna(area) else approx(float(area))
            facts.append(f"   {str(row.get('zone', ''))[:42]:<43}{area_text:>9}"
                         f"{row.get('incidents', ''):>8}{row.get('fatalities', ''):>8}")
    facts += ["", "Credits (every layer shown)", *[f"   {c}" for c in snap.credits()]]
    facts += ["", "Permalink", *_wrapped(snap.permalink or "(none)", width)]
    facts += ["", *_wrapped(snap.data_through, width, ""),
              f"Data version {snap.version or 'unknown'} (sha256 of data/)",
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
    page = new_figure(OUTPUT_PRESETS["a4"])
    title = snap.overlay.title if snap.overlay else f"the frontier as of {snap.view.date:%d %B %Y}"
    page.text(0.04, 0.95, f"Brief: {title}",
              fontsize=16, fontweight="bold", va="top", parse_math=False)
    timeline, facts = brief_sections(snap, zone_statistics(snap), BRIEF_LINES)
    for x, lines, family in ((0.04, timeline, "DejaVu Sans"), (0.52, facts, "DejaVu Sans Mono")):
        page.text(x, 0.89, "\n".join(lines), fontsize=7.2, va="top", ha="left", family=family,
                  linespacing=1.3, parse_math=False)
    return page


def render_pdf(snap: Snapshot) -> bytes:
    """A two-page A4 landscape brief: the snapshot, then the timeline around the date, zone
    statistics, credits and sources, as real text."""
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
        pdf.savefig(brief_page(snap))
    return buffer.getvalue()
