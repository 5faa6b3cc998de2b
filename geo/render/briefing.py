"""Briefing mode: story steps built from the negotiation timeline, and the two sides' positions
side by side.

``data/story.json`` lists the steps. Each step points at a timeline entry (``timeline_id``)
and copies its date and sources, so that the story shows only what ``data/`` holds; the
validating loader here refuses any step that drifts from its entry. The side-by-side view puts
Syria's demand and Israel's proposal on two synchronised Leaflet maps (folium's DualMap, with
Leaflet.Sync served locally) and measures their areas in UTM zone 36N.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlencode

import folium
import geopandas as gpd
import pandas as pd
from branca.element import MacroElement
from folium import plugins
from jinja2 import Template

from geo.core.model import LoadResult, Rejected, check_sources, is_blank, parse_date
from geo.core.timeline import state_at
from geo.core.view import PRESETS, ViewState, serialise_view
from geo.core.vocabulary import DEFAULT_WINDOW, LAYER_GROUPS, OFFLINE
from geo.data.loaders import read_json_list
from geo.render.assets import inline_assets
from geo.render.map import MapSpec, build_map

METRIC_CRS: Final[str] = "EPSG:32636"  # UTM zone 36N: areas in m², scale error < 0.1 % here
STEP_REQUIRED: Final[tuple[str, ...]] = (
    "id", "title", "date", "layers", "view", "caption", "timeline_id", "sources",
)
_STEP_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
MAX_CAPTION: Final[int] = 420
PAGE: Final[str] = "briefing"
#: The features of each side's position (data/layers/proposals.geojson).
SYRIA_DEMAND: Final[tuple[str, ...]] = ("demand_sy_restore_1974",)
ISRAEL_PROPOSAL: Final[tuple[str, ...]] = (
    "prop_zone1_plus2km", "prop_sw_zones", "prop_no_fly", "prop_hermon_outpost",
)
#: Context drawn on both maps: Lines A and B of 1974 (the base outlines come with every map).
#: The Area of Separation itself is left out: Syria's demand is that very area.
COMPARE_CONTEXT: Final[tuple[str, ...]] = ("alpha_line", "bravo_line")


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
    if not isinstance(zoom, int) or isinstance(zoom, bool) or not 1 <= zoom <= 18:
        reasons.append(f"view zoom {zoom!r} is not a whole number from 1 to 18")
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
    steps: list[StoryStep] = []
    rejected: list[Rejected] = []
    seen: set[str] = set()
    for index, raw in enumerate(doc):
        if not isinstance(raw, dict):
            rejected.append(Rejected(dataset, f"step {index + 1}", ("not an object",)))
            continue
        label = str(raw.get("id") or f"step {index + 1}")
        reasons = check_step(raw, by_id)
        if label in seen:
            reasons.append(f"duplicate id {label!r}")
        seen.add(label)
        if reasons:
            rejected.append(Rejected(dataset, label, tuple(reasons)))
            continue
        view = raw["view"]
        steps.append(StoryStep(
            id=raw["id"], title=raw["title"].strip(), date=parse_date(raw["date"]),  # type: ignore[arg-type]
            layers=tuple(raw["layers"]), lat=float(view["lat"]), lon=float(view["lon"]),
            zoom=int(view["zoom"]), caption=raw["caption"].strip(),
            timeline_id=str(raw["timeline_id"]), sources=tuple(raw["sources"]),
            preset=view.get("preset"),
        ))
    steps.sort(key=lambda s: s.date)
    return LoadResult(steps, rejected)


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


# ---------------------------------------------------------------------------------------------
# The two positions side by side


def comparison_day(layers: gpd.GeoDataFrame) -> dt.date:
    """The first day on which both positions are in the data (the later start of the two)."""
    ids = set(SYRIA_DEMAND) | set(ISRAEL_PROPOSAL)
    starts = layers.loc[layers["id"].isin(ids), "valid_from"].astype(str)
    if starts.empty:
        raise ValueError("the data hold neither Syria's demand nor Israel's proposal")
    return dt.date.fromisoformat(starts.max())


def _side(features: gpd.GeoDataFrame, ids: Sequence[str]) -> gpd.GeoDataFrame:
    return features[features["id"].isin(ids)]


def comparison_table(layers: gpd.GeoDataFrame, day: dt.date) -> pd.DataFrame:
    """Each side's features on ``day``: area in km² (UTM 36N), and how much of it the other
    side's position covers. Points have no area."""
    features = state_at(layers, day).to_crs(METRIC_CRS)
    syria, israel = _side(features, SYRIA_DEMAND), _side(features, ISRAEL_PROPOSAL)
    other = {"Syria": israel.union_all() if not israel.empty else None,
             "Israel": syria.union_all() if not syria.empty else None}
    rows = []
    for side, frame, ids in (("Syria", syria, SYRIA_DEMAND), ("Israel", israel, ISRAEL_PROPOSAL)):
        for fid in ids:
            match = frame[frame["id"] == fid]
            if match.empty:
                continue
            row = match.iloc[0]
            geom, against = row.geometry, other[side]
            polygon = geom.geom_type in ("Polygon", "MultiPolygon")
            overlap = geom.intersection(against).area / 1e6 if polygon and against else 0.0
            rows.append({
                "side": side, "id": fid, "name": row["name"], "status": row["status_on_date"],
                "basis": row["basis"], "confidence": row["confidence"],
                "area_km2": round(geom.area / 1e6, 1) if polygon else None,
                "overlap_km2": round(overlap, 1) if polygon else None,
                "outside_km2": round(geom.area / 1e6 - overlap, 1) if polygon else None,
                "inside_other": bool(against is not None and against.contains(geom))
                if not polygon else None,
            })
    return pd.DataFrame(rows, columns=["side", "id", "name", "status", "basis", "confidence",
                                       "area_km2", "overlap_km2", "outside_km2", "inside_other"])


def comparison_changes(table: pd.DataFrame) -> list[str]:
    """Plain sentences on what changes between the two positions, from the table's numbers."""
    lines = []
    for row in table.to_dict("records"):
        other = "Israel's proposal" if row["side"] == "Syria" else "the area Syria demands"
        if row["area_km2"] is None or pd.isna(row["area_km2"]):
            where = "inside" if row["inside_other"] else "outside"
            lines.append(f"{row['name']}: a point (no area in the data), {where} {other}.")
        else:
            lines.append(f"{row['name']}: {row['area_km2']:,.1f} km², of which "
                         f"{row['overlap_km2']:,.1f} km² within {other} and "
                         f"{row['outside_km2']:,.1f} km² outside it.")
    return lines


class MapTitle(MacroElement):
    """A title box in the top-right corner of a map (text escaped by Jinja's tojson + DOM)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function() {
            var box = L.control({position: 'topright'});
            box.onAdd = function() {
                var div = L.DomUtil.create('div', 'map-title');
                div.textContent = {{ this.text|tojson }};
                return div;
            };
            box.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
    """)

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "MapTitle"
        self.text = text


_TITLE_CSS: Final[str] = (
    "<style>.map-title{background:#fff;border:2px solid #111;padding:6px 10px;"
    "font:bold 16px/1.3 sans-serif;color:#111}</style>"
)


def _side_map(features: gpd.GeoDataFrame, ids: Sequence[str], groups: tuple[str, ...],
              view: ViewState) -> folium.Map:
    keep = (features["id"].isin(ids) | features["layer"].isin(COMPARE_CONTEXT)
            | (features["layer"] == "country") | features["id"].str.startswith("gov_"))
    empty = gpd.GeoDataFrame(geometry=[], crs="EPSG:4326")
    side_view = view.replace(layers=("lines_1974", *groups))
    return build_map(features[keep], empty, MapSpec(side_view, (view.lat, view.lon, view.zoom),
                                                    controls=False))


def comparison_html(layers: gpd.GeoDataFrame, day: dt.date, view: ViewState) -> str:
    """Two synchronised maps (DualMap): Syria's demand on the left, Israel's proposal on the
    right, as a standalone HTML page with every asset inlined (works offline)."""
    features = state_at(layers, day)
    dual = plugins.DualMap(location=(view.lat, view.lon), zoom_start=view.zoom, tiles=None,
                           min_zoom=6, max_zoom=18, control_scale=True)
    sides = ((dual.m1, SYRIA_DEMAND, ("demands",), f"Syria's demand · {day:%d %b %Y}"),
             (dual.m2, ISRAEL_PROPOSAL, ("proposals",), f"Israel's proposal · {day:%d %b %Y}"))
    figure = dual.get_root()
    for target, ids, groups, title in sides:
        source = _side_map(features, ids, groups, view)
        for name, child in list(source._children.items()):
            if not isinstance(child, folium.TileLayer):
                target.add_child(child, name=name)
        target.add_child(MapTitle(title))
    for name, child in list(source.get_root().header._children.items()):
        if type(child) is folium.Element:  # build_map's own styles (not asset links)
            figure.header.add_child(child, name=name)
    figure.header.add_child(folium.Element(_TITLE_CSS), name="map_title_css")
    return inline_assets(figure)
