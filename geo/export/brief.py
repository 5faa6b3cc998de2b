"""The text pages of the PDF brief, typeset (:mod:`geo.export.typeset`): at a glance, the
result drawn (if any), a table of the zone statistics, a short timeline list around the date
and the user annotations drawn, each citing numbered references, credits, permalink and data
version, and the sources as numbered references (publisher — title — date, URL)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import pandas as pd
from matplotlib.figure import Figure

from geo.analysis.summary import zone_summary
from geo.analysis.zones import classify
from geo.core.annotation import Annotation
from geo.core.figures import approx
from geo.core.model import is_blank, parse_date, safe_url
from geo.core.timeline import entries_near, window_start
from geo.export.layout import OUTPUT_PRESETS
from geo.export.snapshot import CAVEAT, Snapshot
from geo.export.static_map import new_figure
from geo.export.typeset import SMALL, STRONG, Flow, Style
from geo.render.annotations import dates_text, saved_text, status_label

#: Timeline entries listed (the nearest to the date first picked), and references at most.
TIMELINE_ITEMS: Final[int] = 10
MAX_REFERENCES: Final[int] = 30
NEAR_DAYS: Final[int] = 30
TITLE: Final[Style] = Style(size=16, weight="bold", leading=1.2)


def zone_statistics(snap: Snapshot) -> pd.DataFrame:
    """Per-zone incident statistics for the incident window of the view (area, incidents,
    fatalities), from geo.analysis."""
    classified = classify(snap.window_incidents, snap.layers)
    start = window_start(snap.view.date, snap.view.window_days)
    return zone_summary(classified, snap.layers, start, snap.view.date)


@dataclass
class Reference:
    """One source: "publisher — title — date", its links (one, or one per item where each
    item cites its own page of the source, as GeoNames' places do), and how many items of the
    layers and incidents drawn cite it (0: cited by the timeline only)."""

    label: str
    urls: list[str] = field(default_factory=list)
    cited_by: int = 0

    def text(self) -> str:
        link = f" {self.urls[0]}" if self.urls else ""
        if len(self.urls) > 1:
            link += f" and {len(self.urls) - 1} other page{'s' * (len(self.urls) > 2)}"
        count = f" (cited by {self.cited_by} item{'s' * (self.cited_by != 1)})" \
            if self.cited_by else ""
        return f"{self.label}.{link}{count}"


def _label_url(src: Any) -> tuple[str, str | None] | None:
    if not isinstance(src, Mapping):
        return None
    label = " — ".join(str(src[k]).strip() for k in ("publisher", "title", "date")
                       if not is_blank(src.get(k)))
    url = safe_url(src.get("url"))
    return (label or url or "", url) if label or url else None


def _drawn_sources(snap: Snapshot) -> list[Any]:
    """Every source entry of the layers and incidents drawn, once per item citing it."""
    found = [src for frame in (snap.base_features, snap.shown_features)
             for sources in frame["sources"] if isinstance(sources, list) for src in sources]
    for row in snap.shown_incidents.to_dict("records"):
        found.append({"publisher": row.get("source"), "title": row.get("source_title"),
                      "date": row.get("source_date"), "url": row.get("url")})
    return found


def _add(refs: dict[str, Reference], source: Any, cites: int) -> int | None:
    """Count ``source`` in ``refs`` (by its label); its number (from 1), None if it has none."""
    found = _label_url(source)
    if found is None:
        return None
    label, url = found
    ref = refs.setdefault(label, Reference(label))
    if url and url not in ref.urls:
        ref.urls.append(url)
    ref.cited_by += cites
    return list(refs).index(label) + 1


def references(
    snap: Snapshot, entries: Sequence[Mapping[str, Any]]
) -> tuple[list[Reference], list[list[int]], int]:
    """The numbered references: the sources of ``entries`` first (in their order), then those
    of the layers and incidents drawn, most cited first, up to :data:`MAX_REFERENCES`. Returns
    the references, each entry's reference numbers (from 1), and how many were left out."""
    cited_first: dict[str, Reference] = {}
    cited = [[n for n in (_add(cited_first, src, 0) for src in entry.get("sources") or [])
              if n is not None] for entry in entries]
    drawn: dict[str, Reference] = {}
    for src in _drawn_sources(snap):
        _add(drawn, src, 1)
    for label, ref in sorted(drawn.items(), key=lambda kv: -kv[1].cited_by):
        first = cited_first.setdefault(label, Reference(label))
        first.urls += [url for url in ref.urls if url not in first.urls]
        first.cited_by = ref.cited_by
    refs = list(cited_first.values())
    keep = max(MAX_REFERENCES, len({n for numbers in cited for n in numbers}))
    return refs[:keep], cited, max(0, len(refs) - keep)


def annotation_entry(a: Annotation) -> dict[str, Any]:
    """A user annotation as an entry citing its sources (a document reference in brackets)."""
    return {"sources": [{"title": f"{s.title} ({s.reference})" if s.reference else s.title,
                         "url": s.url} for s in a.sources]}


def annotation_line(a: Annotation) -> str:
    return (f"{a.name} · {status_label(a.status)} · valid {dates_text(a)} · basis {a.basis}, "
            f"confidence {a.confidence} · {saved_text(a)}")


def _days(value: Any, day: dt.date) -> int:
    parsed = parse_date(value)
    if parsed is None:
        raise ValueError(f"timeline entry without a date: {value!r}")
    return (parsed - day).days


def zone_rows(stats: pd.DataFrame) -> list[list[str]]:
    """The table's cells: zone, area (two significant figures), incidents, fatalities."""
    rows = []
    for row in stats.to_dict("records"):
        area = row.get("area_km2")
        rows.append([str(row["zone"]), "" if area is None or pd.isna(area) else approx(area),
                     str(row["incidents"]), str(row["fatalities"])])
    return rows


def _page(snap: Snapshot, title: str) -> Figure:
    page = new_figure(OUTPUT_PRESETS["a4"])
    page.text(0.04, 0.95, title, fontsize=TITLE.size, fontweight="bold", va="top",
              parse_math=False)
    page.text(0.04, 0.03, f"{snap.data_through} · Data version {snap.version or 'unknown'} "
              f"(sha256 of data/)", fontsize=SMALL.size, color=SMALL.colour, parse_math=False)
    return page


def brief_pages(snap: Snapshot, stats: pd.DataFrame | None) -> list[Figure]:
    """The brief's text pages. ``stats`` is the table of :func:`zone_statistics` (None: the
    brief says it is not given)."""
    view = snap.view
    title = snap.overlay.title if snap.overlay else f"the frontier as of {view.date:%d %B %Y}"
    count = 0

    def new_page() -> Figure:
        nonlocal count
        count += 1
        return _page(snap, f"Brief: {title}" + (" (continued)" if count > 1 else ""))

    flow = Flow(new_page, [(0.04, 0.475), (0.525, 0.96)], top=0.885, bottom=0.07)
    flow.heading("At a glance")
    flow.items([f"As of {view.date:%d %B %Y} ({view.date.isoformat()})",
                f"Incident window: {snap.window_text()}; "
                f"{len(snap.window_incidents)} incident(s)",
                f"Layers shown: {', '.join(snap.layer_names())}", snap.data_through])
    if snap.overlay is not None:  # the result drawn on the map, its parameters and notes
        flow.heading(snap.overlay.title)
        flow.paragraph(snap.overlay.caption)
        flow.items(list(snap.overlay.notes), style=SMALL)

    flow.heading("Zone statistics")
    if stats is None or stats.empty:
        flow.paragraph("Not available for this view.")
    else:
        flow.paragraph(f"Incidents dated in the window {snap.window_text()}; areas in km² to "
                       "two significant figures.", SMALL)
        flow.table(["Zone", "Area (km²)", "Incidents", "Fatalities"], zone_rows(stats),
                   (0.55, 0.17, 0.14, 0.14), ("left", "right", "right", "right"))

    near = entries_near(snap.entries, view.date, NEAR_DAYS)
    nearest = sorted(near, key=lambda e: abs(_days(e["date"], view.date)))[:TIMELINE_ITEMS]
    listed = sorted(nearest, key=lambda e: str(e["date"]))
    drawn = snap.shown_annotations
    refs, cited, left_out = references(snap, [*listed, *map(annotation_entry, drawn)])
    cited, cited_by_annotations = cited[:len(listed)], cited[len(listed):]
    flow.heading(f"Timeline within {NEAR_DAYS} days of {view.date:%d %b %Y}")
    if not listed:
        flow.paragraph(f"No timeline entry within {NEAR_DAYS} days of this date.")
    flow.items([f"{e['date']} · {str(e['kind']).replace('_', ' ')} · {e['title']} "
                + "".join(f"[{n}]" for n in numbers) for e, numbers in zip(listed, cited,
                                                                          strict=True)])
    if len(near) > len(listed):
        flow.paragraph(f"{len(near) - len(listed)} more entries in these days: the timeline "
                       "on the map page.", SMALL)
    if drawn:
        flow.heading("User annotations")
        flow.items([annotation_line(a) + " " + "".join(f"[{n}]" for n in numbers)
                    for a, numbers in zip(drawn, cited_by_annotations, strict=True)])

    flow.heading("Credits")
    flow.items(snap.credits(), style=SMALL)
    flow.heading("Permalink")
    flow.paragraph(snap.permalink or "(none)", SMALL)
    flow.paragraph(f"Data version {snap.version or 'unknown'} (sha256 of data/). {CAVEAT}",
                   SMALL)

    flow.heading("Sources")
    flow.paragraph("Timeline and annotation sources first, then those of the layers and "
                   "incidents shown, most cited first.", SMALL)
    flow.items([ref.text() for ref in refs], [f"[{i}]" for i in range(1, len(refs) + 1)],
               SMALL)
    if left_out:
        flow.paragraph(f"… and {left_out} more sources: data/SOURCES.md", STRONG)
    return flow.pages
