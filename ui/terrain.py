"""Streamlit glue of the terrain page: the terrain view in the URL, cached places, viewsheds and
profiles, the map and what the user clicks or draws on it.

Every result is cached per process (st.cache_resource: shared by sessions, never copied) and
keyed on what the URL holds, so the same observer and parameters again are instant (the
analysis in geo/ computes on every call; only the DEM read is kept there). A bad input raises
geo.data.dem.TerrainInputError, which the page shows; it is never cached.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Final, Literal
from urllib.parse import parse_qsl, urlencode

import folium
import streamlit as st

from geo.analysis import sightlines
from geo.analysis.profile import Profile, elevation_profile
from geo.analysis.sightlines import Comparison, Place, ViewshedReport
from geo.analysis.viewshed import ViewshedParams
from geo.core.terrain import (
    MAX_PROFILE_POINTS,
    SUMMIT,
    TerrainView,
    parse_terrain,
    point_spec,
    serialise_terrain,
    terrain_keys,
    terrain_link,
)
from geo.core.view import ViewState, parse_view, serialise_view
from geo.data.dem import TerrainInputError
from geo.export import terrain as terrain_export
from geo.export.pdf import render_pdf
from geo.export.png import render_png
from geo.export.snapshot import make_snapshot
from geo.export.terrain import framed, viewshed_overlay
from geo.render.map import IncidentLayer, MapSpec, build_map
from geo.render.payloads import feature_collection
from geo.render.terrain_layers import CONTEXT_LAYERS, add_terrain, context_features
from ui import exports, loaders, mapview, state

KEYS: Final[frozenset[str]] = terrain_keys()
#: Where the maps open: the summit and the Golan below it; the profile map a step further out.
MAP_ORIGIN: Final[tuple[float, float, int]] = (33.25, 35.85, 10)
PROFILE_ORIGIN: Final[tuple[float, float, int]] = (33.22, 35.85, 9)
#: Keys of the page's widgets.
OBSERVER_KEY, VERSUS_KEY = "terrain_observer", "terrain_versus"
H_OBS_KEY, H_TGT_KEY, RADIUS_KEY = "terrain_h_obs", "terrain_h_tgt", "terrain_radius"
#: Widget key -> field of the terrain view it shows.
SPEC_KEYS: Final[dict[str, str]] = {OBSERVER_KEY: "observer", VERSUS_KEY: "versus"}
NUMBER_KEYS: Final[dict[str, str]] = {H_OBS_KEY: "observer_height_m",
                                      H_TGT_KEY: "target_height_m", RADIUS_KEY: "radius_km"}
#: Widget keys of the profile's two ends.
END_KEYS: Final[tuple[str, str]] = ("terrain_from", "terrain_to")
_HANDLED: Final[str] = "terrain_map_handled"


# ---------------------------------------------------------------------------------------------
# The terrain view in the URL


_TERRAIN: Final[state.UrlState[TerrainView]] = state.UrlState(
    KEYS, "last_terrain_params", parse_terrain, serialise_terrain)


def current() -> TerrainView:
    """The terrain view of the URL, or the session's last one (after a switch of page)."""
    return _TERRAIN.current()


def update(**changes: Any) -> TerrainView:
    """Apply changes to the terrain view and write it to the URL (the view's keys are kept)."""
    return _TERRAIN.update(**changes)


def show(terrain: TerrainView) -> None:
    """Make the page's keyed widgets show the terrain view (see ui.state.show); the profile's
    ends only when they are listed places (a drawn line has no names)."""
    for key, field in SPEC_KEYS.items():
        state.show(key, getattr(terrain, field) or "")
    for key, field in NUMBER_KEYS.items():
        state.show(key, float(getattr(terrain, field)))
    if terrain.profile:  # without one, a first end picked stays until the second is
        listed = places()
        for key, spec in zip(END_KEYS, (terrain.profile[0], terrain.profile[-1]), strict=True):
            state.show(key, spec if spec in listed else None)


def picked() -> None:
    """The user changed the observers, heights or radius: the URL follows."""
    update(**{f: st.session_state[k] or None for k, f in SPEC_KEYS.items()},
           **{f: st.session_state[k] for k, f in NUMBER_KEYS.items()})


def picked_ends() -> None:
    """The user picked (or cleared) a profile's end: with both picked, they are the profile;
    with one, there is none until the other is picked."""
    ends = tuple(st.session_state[key] for key in END_KEYS)
    update(profile=ends if all(ends) else ())


def link(view: ViewState, terrain: TerrainView) -> str:
    """The permalink of the result: the page, the view's date and the terrain view."""
    return terrain_link(view.date, terrain, state.app_url())


# ---------------------------------------------------------------------------------------------
# Cached places and results


@st.cache_resource(show_spinner="Reading the terrain…", max_entries=2)
def _places(folder: str) -> dict[str, Place]:
    return sightlines.places(loaders.layers().data)


def places() -> dict[str, Place]:
    """The summit observer, the reported positions and the named places, by spec."""
    return _places(loaders.data_dir())


def observer_specs() -> list[str]:
    """What the observer list offers: the summit, then every reported position."""
    return [spec for spec in places() if spec == SUMMIT or spec.startswith("pos_")]


def label(spec: str) -> str:
    """The name of a spec, for lists and captions (a spec not known says so)."""
    try:
        return sightlines.resolve(spec, places()).label
    except TerrainInputError:
        return f"{spec} (not known)"


@st.cache_resource(show_spinner=False, max_entries=2)
def _zones(folder: str) -> dict[str, Any]:
    layers = loaders.layers().data
    return {"zones": sightlines.zones(layers), "lines": sightlines.crossing_lines(layers)}


def _params(terrain: TerrainView) -> ViewshedParams:
    return ViewshedParams(terrain.observer_height_m, terrain.target_height_m, terrain.radius_km)


@st.cache_resource(show_spinner="Computing what the observer sees…", max_entries=32)
def _report(folder: str, spec: str, params: ViewshedParams) -> ViewshedReport:
    place = sightlines.resolve(spec, places())
    return sightlines.report(place, params, _zones(folder)["zones"])


def report(spec: str, terrain: TerrainView) -> ViewshedReport:
    """The viewshed from ``spec`` with the terrain view's heights and radius."""
    return _report(loaders.data_dir(), spec, _params(terrain))


@st.cache_resource(show_spinner=False, max_entries=16)
def _comparison(folder: str, first: str, second: str, params: ViewshedParams) -> Comparison:
    return sightlines.comparison(_report(folder, first, params), _report(folder, second, params))


def comparison(terrain: TerrainView) -> Comparison | None:
    """The observer against the second one, when both are chosen."""
    if not (terrain.observer and terrain.versus):
        return None
    return _comparison(loaders.data_dir(), terrain.observer, terrain.versus, _params(terrain))


@st.cache_resource(show_spinner="Reading the profile…", max_entries=32)
def _profile(folder: str, specs: tuple[str, ...], observer_m: float, target_m: float) -> Profile:
    points = [(p.lon, p.lat) for p in (sightlines.resolve(s, places()) for s in specs)]
    return elevation_profile(points, _zones(folder)["lines"], observer_height_m=observer_m,
                             target_height_m=target_m)


def profile(terrain: TerrainView) -> Profile:
    return _profile(loaders.data_dir(), terrain.profile, terrain.observer_height_m,
                    terrain.target_height_m)


@st.cache_data(show_spinner=False, max_entries=16)
def _viewshed_file(folder: str, spec: str, versus: str | None, params: ViewshedParams,
                   fmt: terrain_export.TerrainFormat) -> bytes:
    first = _report(folder, spec, params)
    both = _comparison(folder, spec, versus, params) if versus else None
    return terrain_export.viewshed_file(first, fmt, both)


def viewshed_data(terrain: TerrainView, fmt: terrain_export.TerrainFormat) -> bytes:
    """The viewshed (or the comparison) as a file, cached per result and format. Downloads
    carry their bytes, never a callable (see ui.exports.offer: a file made on click could be
    deleted before the browser fetched it)."""
    return _viewshed_file(loaders.data_dir(), terrain.observer or "", terrain.versus,
                          _params(terrain), fmt)


@st.cache_data(show_spinner=False, max_entries=8)
def _image(folder: str, view_query: str, terrain_query: str, link_url: str,
           fmt: Literal["png", "pdf"]) -> bytes:
    view, terrain = parse_view(dict(parse_qsl(view_query))), parse_terrain(
        dict(parse_qsl(terrain_query)))
    result = _report(folder, terrain.observer or "", _params(terrain))
    compared = (_comparison(folder, terrain.observer or "", terrain.versus, _params(terrain))
                if terrain.versus else None)
    overlay = viewshed_overlay(result, compared)
    shown = framed(view.replace(layers=CONTEXT_LAYERS), overlay)
    data = loaders.load_data()
    snap = replace(make_snapshot(shown, data["layers"].data, data["incidents"].data,
                                 data["timeline"].data, "", exports.version(),
                                 data["coverage"].data), permalink=link_url, overlay=overlay)
    return render_png(snap, "slide") if fmt == "png" else render_pdf(snap)


def image_requested(view: ViewState, terrain: TerrainView, fmt: Literal["png", "pdf"],
                    label: str) -> bool:
    """The button that asks for the map image of this result (a second or more of rendering);
    true for this result once pressed."""
    key = f"{urlencode(serialise_view(view))}&{urlencode(serialise_terrain(terrain))}"
    return exports.requested(f"terrain_{fmt}", key, label)


def image_data(view: ViewState, terrain: TerrainView, fmt: Literal["png", "pdf"]) -> bytes:
    """The viewshed (or the comparison) on the static map, as a PNG slide or a PDF brief with
    its parameters in the caption (cached per view, result and format)."""
    return _image(loaders.data_dir(), urlencode(serialise_view(view)),
                  urlencode(serialise_terrain(terrain)), link(view, terrain), fmt)


# ---------------------------------------------------------------------------------------------
# The map and what happens on it


def _base_map(view: ViewState, origin: tuple[float, float, int]) -> folium.Map:
    """The context layers as of the view's date (no incidents)."""
    no_incidents = IncidentLayer(0, (), False, feature_collection([]))
    features = context_features(mapview.features_on(view.date.isoformat()))
    return build_map(features, no_incidents, MapSpec(view.replace(layers=CONTEXT_LAYERS), origin))


def viewshed_map(view: ViewState, result: ViewshedReport | None,
                 compared: Comparison | None) -> folium.Map:
    """The map a click places the observer on, with the viewshed or the comparison."""
    return add_terrain(_base_map(view, MAP_ORIGIN), report=result, comparison=compared,
                       draw=False)


def profile_points(terrain: TerrainView) -> list[tuple[float, float]]:
    """(lon, lat) of the profile's points; TerrainInputError for a place not known."""
    known = places()
    return [(p.lon, p.lat) for p in (sightlines.resolve(s, known) for s in terrain.profile)]


def profile_map(view: ViewState, line: list[tuple[float, float]]) -> folium.Map:
    """The map a line is drawn on (Leaflet.draw, served locally), with the profile's line, on
    which it opens when there is one."""
    origin = PROFILE_ORIGIN
    if line:
        lons, lats = zip(*line, strict=True)
        origin = ((min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2, PROFILE_ORIGIN[2] + 1)
    return add_terrain(_base_map(view, origin), profile=line, draw=True)


def _new(out: dict[str, Any] | None, key: str) -> Any:
    """What the map reports under ``key`` when it differs from what was handled last (a map
    reports its last click or drawing again on every run)."""
    value = (out or {}).get(key)
    handled = st.session_state.setdefault(_HANDLED, {})
    if not value or value == handled.get(key):
        return None
    handled[key] = value
    return value


def clicked(out: dict[str, Any] | None) -> bool:
    """A new click on the viewshed map places the observer there; True when it did."""
    click = _new(out, "last_clicked")
    if click:
        update(observer=point_spec(click["lng"], click["lat"]))
    return bool(click)


def drawn(out: dict[str, Any] | None) -> bool:
    """A new line drawn on the profile map becomes the profile; True when it did."""
    geometry = (_new(out, "last_active_drawing") or {}).get("geometry") or {}
    if geometry.get("type") != "LineString":
        return False
    points = geometry["coordinates"][:MAX_PROFILE_POINTS]
    update(profile=tuple(point_spec(lon, lat) for lon, lat in points))
    return True
