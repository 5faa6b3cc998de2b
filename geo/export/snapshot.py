"""What a view shows: the :class:`Snapshot` every export is drawn from (features, incidents,
user annotations, credits, sources), the data version and the file names of the exports."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import pandas as pd

from geo.core.annotation import Annotation
from geo.core.model import is_blank
from geo.core.timeline import incidents_in_window, state_at, window_start
from geo.core.view import MAX_ANN, PRESETS, ViewState, permalink
from geo.core.vocabulary import (
    FALL_OF_ASSAD,
    GROUP_LABELS,
    TERRAIN_GROUPS,
    group_of,
    window_label,
)
from geo.data.coverage import NO_COVERAGE, Coverage, data_through_text
from geo.data.dem import DEM_CREDIT
from geo.export.overlay import Overlay
from geo.render.annotations import ANNOTATIONS_CREDIT
from geo.render.credits import INCIDENT_CREDITS, credits_for

CAVEAT: Final[str] = (
    "Schematic and reported layers are not official maps: see each item's basis and confidence."
)


# ---------------------------------------------------------------------------------------------
# Names and versions


def data_version(data_dir: Path) -> str:
    """First 12 hex digits of a sha256 over every file of ``data_dir`` (sorted relative paths
    and their bytes): changes whenever any data file does."""
    digest = hashlib.sha256()
    for path in sorted(p for p in data_dir.rglob("*") if p.is_file()):
        digest.update(path.relative_to(data_dir).as_posix().encode("utf-8"))
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:12]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def place_slug(view: ViewState) -> str:
    """The preset's name when the view is centred on one, else the centre and zoom."""
    for name, (lat, lon, zoom) in PRESETS.items():
        if (round(view.lat, 4), round(view.lon, 4), view.zoom) == (lat, lon, zoom):
            return slug(name)
    return f"{view.lat:.3f}n-{view.lon:.3f}e-z{view.zoom}"


def export_filename(view: ViewState, kind: str, ext: str) -> str:
    """``frontier_<date>_w<window>_<place>[_<kind>].<ext>``, e.g.
    ``frontier_2025-01-10_w30_area-of-separation.png``."""
    window = f"since-{FALL_OF_ASSAD.isoformat()}" if view.window_days is None else view.window
    suffix = f"_{slug(kind)}" if kind else ""
    stem = f"frontier_{view.date.isoformat()}_w{window}_{place_slug(view)}{suffix}"
    return f"{stem}.{ext.lstrip('.')}"


# ---------------------------------------------------------------------------------------------
# What a view shows


@dataclass(frozen=True)
class Snapshot:
    """A view plus the data it is drawn from. ``layers``, ``incidents`` and ``entries`` are the
    validated datasets (every date); the state on the view's date is derived here.
    ``coverage`` says how far the record reaches (every export prints its "Data through")."""

    view: ViewState
    layers: gpd.GeoDataFrame
    incidents: gpd.GeoDataFrame
    entries: Sequence[Mapping[str, Any]] = ()
    permalink: str = ""
    version: str = ""
    coverage: Coverage = NO_COVERAGE
    #: A result drawn over the map (a viewshed), with its caption; None for the plain view.
    overlay: Overlay | None = None
    #: User annotations of the view (every date; those that hold on the date are drawn).
    annotations: tuple[Annotation, ...] = ()

    @property
    def data_through(self) -> str:
        """"Data through 28 Jun 2026 (searched to 29 Nov 2026)"."""
        return data_through_text(self.coverage)

    def at(self, day: dt.date) -> Snapshot:
        return replace(self, view=self.view.replace(date=day))

    @cached_property
    def features(self) -> gpd.GeoDataFrame:
        """Every feature that holds on the date, with its status that day."""
        return state_at(self.layers, self.view.date)

    @cached_property
    def shown_features(self) -> gpd.GeoDataFrame:
        """Features of the layer groups the view shows."""
        frame = self.features
        groups = [group_of(layer, fid) for layer, fid in zip(frame["layer"], frame["id"],
                                                              strict=True)]
        return frame.assign(group=groups)[[g in self.view.layers for g in groups]]

    @cached_property
    def window_incidents(self) -> gpd.GeoDataFrame:
        return incidents_in_window(self.incidents, self.view.date, self.view.window_days)

    @cached_property
    def shown_incidents(self) -> gpd.GeoDataFrame:
        if "incidents" not in self.view.layers:
            return self.window_incidents.iloc[0:0]
        return self.window_incidents

    @cached_property
    def shown_annotations(self) -> tuple[Annotation, ...]:
        """The annotations that hold on the view's date, in the order given."""
        return tuple(a for a in self.annotations if a.holds_on(self.view.date))

    @property
    def base_features(self) -> gpd.GeoDataFrame:
        """The offline base: country outlines and governorates (as geo.render.map draws it)."""
        frame = self.features
        return frame[(frame["layer"] == "country") | frame["id"].str.startswith("gov_")]

    def credits(self) -> list[str]:
        """The credit of every layer drawn (base, shown groups, incidents), each once."""
        texts = [*self.base_features["attribution"], *self.shown_features["attribution"]]
        found = credits_for(texts)
        if not self.shown_incidents.empty:
            found += [c for c in INCIDENT_CREDITS if c not in found]
        if any(group in self.view.layers for group in TERRAIN_GROUPS):
            found.append(DEM_CREDIT)
        if self.shown_annotations:
            found.append(ANNOTATIONS_CREDIT)
        if self.overlay is not None and self.overlay.credit and self.overlay.credit not in found:
            found.append(self.overlay.credit)
        return found

    def window_text(self) -> str:
        start = window_start(self.view.date, self.view.window_days)
        span = window_label(self.view.window)
        return f"{start:%d %b %Y} – {self.view.date:%d %b %Y} ({span})"

    def layer_names(self) -> list[str]:
        return [GROUP_LABELS[g] for g in self.view.layers if g in GROUP_LABELS]

    def sources(self) -> list[tuple[str, int]]:
        """Distinct sources of everything drawn (publisher, else title), most cited first."""
        counts: Counter[str] = Counter()
        for frame_sources in (self.base_features["sources"], self.shown_features["sources"]):
            for sources in frame_sources:
                for src in sources if isinstance(sources, list) else []:
                    label = source_label(src)
                    if label:
                        counts[label] += 1
        for publisher in self.shown_incidents.get("source", pd.Series(dtype=str)):
            if not is_blank(publisher):
                counts[str(publisher).strip()] += 1
        for annotation in self.shown_annotations:
            for source in annotation.sources:
                if not is_blank(source.title):
                    counts[source.title.strip()] += 1
        return counts.most_common()


def source_label(src: Any) -> str:
    if not isinstance(src, Mapping):
        return ""
    for key in ("publisher", "title", "document"):
        if not is_blank(src.get(key)):
            return str(src[key]).strip()
    return ""


def make_snapshot(
    view: ViewState,
    layers: gpd.GeoDataFrame,
    incidents: gpd.GeoDataFrame,
    entries: Sequence[Mapping[str, Any]] = (),
    base_url: str = "",
    version: str = "",
    coverage: Coverage = NO_COVERAGE,
    annotations: Sequence[Annotation] = (),
) -> Snapshot:
    """The snapshot of ``view``; its permalink pins the annotations drawn (``id@version``), so
    that it reopens what the export shows (the view's own ``ann`` when there are none, or more
    than a link holds)."""
    pinned = tuple(f"{a.id}@{a.version}" if a.version else a.id for a in annotations)
    linked = view.replace(ann=pinned) if pinned and len(pinned) <= MAX_ANN else view
    return Snapshot(view, layers, incidents, entries, permalink(linked, base_url), version,
                    coverage, annotations=tuple(annotations))
