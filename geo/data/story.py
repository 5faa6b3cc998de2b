"""Briefing mode's story: validated steps built from the negotiation timeline, and their links.

``data/story.json`` lists the steps. Each step points at a timeline entry (``timeline_id``)
and copies its date and sources, so that the story shows only what ``data/`` holds; the
validating loader here refuses any step that drifts from its entry.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlencode

from geo.core.model import LoadResult, check_sources, is_blank, parse_date
from geo.core.view import PRESETS, ViewState, serialise_view
from geo.core.vocabulary import DEFAULT_WINDOW, LAYER_GROUPS, MAX_ZOOM, OFFLINE
from geo.data.loaders import checked_items, read_json_list

STEP_REQUIRED: Final[tuple[str, ...]] = (
    "id", "title", "date", "layers", "view", "caption", "timeline_id", "sources",
)
_STEP_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
MAX_CAPTION: Final[int] = 420
PAGE: Final[str] = "briefing"


@dataclass(frozen=True)
class StoryStep:
    """One step of the story: a dated view with a caption and the sources of its entry."""

    id: str
    title: str
    date: dt.date
    layers: tuple[str, ...]
    lat: float
    lon: float
    zoom: int
    caption: str
    timeline_id: str
    sources: tuple[Mapping[str, Any], ...]
    preset: str | None = None

    def view(self) -> ViewState:
        return ViewState(date=self.date, window=DEFAULT_WINDOW, layers=self.layers,
                         basemap=OFFLINE, lat=self.lat, lon=self.lon, zoom=self.zoom,
                         event=self.timeline_id)


# ---------------------------------------------------------------------------------------------
# Validating loader


def _check_view(view: Any) -> list[str]:
    if not isinstance(view, Mapping):
        return ["view is not an object with lat, lon and zoom"]
    try:
        lat, lon, zoom = float(view["lat"]), float(view["lon"]), view["zoom"]
    except (KeyError, TypeError, ValueError):
        return ["view needs numeric lat, lon and zoom"]
    reasons = []
    if not isinstance(zoom, int) or isinstance(zoom, bool) or not 1 <= zoom <= MAX_ZOOM:
        reasons.append(f"view zoom {zoom!r} is not a whole number from 1 to {MAX_ZOOM}")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        reasons.append("view lat/lon out of range")
    preset = view.get("preset")
    if preset is not None:
        if preset not in PRESETS:
            reasons.append(f"view preset {preset!r} is not one of {', '.join(PRESETS)}")
        elif (lat, lon, zoom) != PRESETS[preset]:
            reasons.append(f"view does not match preset {preset!r} {PRESETS[preset]}")
    return reasons


def check_step(step: Mapping[str, Any], entries: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Reasons a story step is refused (empty when valid). ``entries`` maps timeline ids to
    entries; the step must match its entry's date and carry a copy of its sources."""
    reasons = [f"missing {key}" for key in STEP_REQUIRED
               if key not in step or (key != "sources" and is_blank(step[key]))]
    if reasons:
        return reasons
    if not isinstance(step["id"], str) or not _STEP_ID.match(step["id"]):
        reasons.append("id must be lower-case letters, digits and hyphens (at most 64)")
    for key in ("title", "caption"):
        if not isinstance(step[key], str):
            reasons.append(f"{key} is not text")
    if isinstance(step["caption"], str) and len(step["caption"]) > MAX_CAPTION:
        reasons.append(f"caption is longer than {MAX_CAPTION} characters")
    day = parse_date(step["date"])
    if day is None:
        reasons.append(f"date is not YYYY-MM-DD: {step['date']!r}")
    layers = step["layers"]
    if not isinstance(layers, list) or not layers or not all(isinstance(g, str) for g in layers):
        reasons.append("layers is not a non-empty list of layer groups")
    else:
        unknown = [g for g in layers if g not in LAYER_GROUPS]
        if unknown:
            reasons.append(f"unknown layer groups: {', '.join(unknown)}")
    reasons += _check_view(step["view"])
    reasons += check_sources(step["sources"])
    entry = entries.get(str(step["timeline_id"]))
    if entry is None:
        reasons.append(f"timeline_id {step['timeline_id']!r} is not in the timeline")
    else:
        if day is not None and entry.get("date") != day.isoformat():
            reasons.append(f"date {step['date']} is not the date of {entry['id']} "
                           f"({entry.get('date')})")
        if step["sources"] != entry.get("sources"):
            reasons.append(f"sources are not those of timeline entry {entry['id']}")
    return reasons


def load_story(
    source: str | Path | bytes, dataset: str, entries: Iterable[Mapping[str, Any]]
) -> LoadResult:
    """Load story steps (a JSON list); ``data`` is a list of :class:`StoryStep` in date order
    (file order within a day). Raises DatasetError when the whole file cannot be read."""
    doc = read_json_list(source, dataset, "story steps")
    by_id = {str(e.get("id")): e for e in entries}
    clean, rejected = checked_items(doc, dataset, "step", lambda raw: check_step(raw, by_id))
    steps = [_step(raw) for raw in clean]
    steps.sort(key=lambda s: s.date)
    return LoadResult(steps, rejected)


def _step(raw: Mapping[str, Any]) -> StoryStep:
    """A step that :func:`check_step` accepted."""
    view = raw["view"]
    return StoryStep(
        id=raw["id"], title=raw["title"].strip(), date=parse_date(raw["date"]),  # type: ignore[arg-type]
        layers=tuple(raw["layers"]), lat=float(view["lat"]), lon=float(view["lon"]),
        zoom=int(view["zoom"]), caption=raw["caption"].strip(),
        timeline_id=str(raw["timeline_id"]), sources=tuple(raw["sources"]),
        preset=view.get("preset"),
    )


# ---------------------------------------------------------------------------------------------
# Navigation and links


def step_index(
    steps: Sequence[StoryStep], step_id: str | None, day: dt.date | None = None
) -> int:
    """Index of the step with this id; when the id is unknown, the last step on or before
    ``day`` (the first step when there is none)."""
    for index, step in enumerate(steps):
        if step.id == step_id:
            return index
    earlier = [i for i, step in enumerate(steps) if day is not None and step.date <= day]
    return earlier[-1] if earlier else 0


def step_params(step: StoryStep, presenter: bool = False) -> dict[str, str]:
    """Query parameters of a step: its view (date, layers, centre, zoom, event) and its id."""
    params = {**serialise_view(step.view()), "step": step.id}
    if presenter:
        params["presenter"] = "1"
    return params


def step_permalink(step: StoryStep, base_url: str = "", presenter: bool = False) -> str:
    path = f"{base_url.rstrip('/')}/{PAGE}"
    return f"{path}?{urlencode(step_params(step, presenter))}"
