"""The terrain view: observer, heights, radius, second observer and profile, as URL parameters.

Kept apart from :class:`geo.core.view.ViewState`, under keys of their own, so that the existing
permalinks keep their meaning and a terrain link still carries the date and layers of the view.
A place is written as a *spec*: ``summit`` (the Hermon summit), a feature id of the data
(``pos_…``, ``place_gn_…``) or ``lat,lon`` in degrees (five decimals, about a metre).

Parsing keeps numbers the analysis will refuse (a radius of 0 or 150 km), so that the page can
say why; only what is not a number, or not a spec at all, falls back to its default.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any, Final
from urllib.parse import urlencode

DEFAULT_OBSERVER_HEIGHT_M: Final[float] = 10.0
DEFAULT_TARGET_HEIGHT_M: Final[float] = 2.0
DEFAULT_RADIUS_KM: Final[float] = 40.0
#: The spec of the Hermon summit observer (the highest terrain cell near the summit point).
SUMMIT: Final[str] = "summit"
#: URL key of each field of :class:`TerrainView`.
KEYS: Final[dict[str, str]] = {
    "observer": "observer", "observer_height_m": "h_obs", "target_height_m": "h_tgt",
    "radius_km": "radius", "versus": "versus", "profile": "profile",
}
#: Points of a drawn profile line kept in a URL.
MAX_PROFILE_POINTS: Final[int] = 50
_ID: Final[re.Pattern[str]] = re.compile(r"[a-z][a-z0-9_]{0,79}")
_POINT: Final[re.Pattern[str]] = re.compile(r"(-?\d{1,2}(?:\.\d+)?),(-?\d{1,3}(?:\.\d+)?)")


@dataclass(frozen=True)
class TerrainView:
    """What the terrain page shows. ``observer``/``versus`` and each point of ``profile`` are
    specs; None or () when not chosen."""

    observer: str | None = None
    observer_height_m: float = DEFAULT_OBSERVER_HEIGHT_M
    target_height_m: float = DEFAULT_TARGET_HEIGHT_M
    radius_km: float = DEFAULT_RADIUS_KM
    versus: str | None = None
    profile: tuple[str, ...] = ()

    def replace(self, **changes: Any) -> TerrainView:
        return replace(self, **changes)


def point_spec(lon: float, lat: float) -> str:
    """The spec of a point: ``lat,lon`` with five decimals."""
    return f"{lat:.5f},{lon:.5f}"


def point_of(spec: str) -> tuple[float, float] | None:
    """(lon, lat) of a ``lat,lon`` spec; None for a named spec."""
    match = _POINT.fullmatch(spec)
    if match is None:
        return None
    lat, lon = float(match.group(1)), float(match.group(2))
    return (lon, lat) if -90 <= lat <= 90 and -180 <= lon <= 180 else None


def is_spec(text: str) -> bool:
    return text == SUMMIT or bool(_ID.fullmatch(text)) or point_of(text) is not None


def _text(params: Mapping[str, Any], key: str) -> str | None:
    value = params.get(key)
    if isinstance(value, list):
        value = value[-1] if value else None
    return None if value is None else str(value).strip()


def _number(params: Mapping[str, Any], key: str, default: float) -> float:
    try:
        number = float(_text(params, key) or "")
    except ValueError:
        return default
    return number if math.isfinite(number) else default


def parse_terrain(params: Mapping[str, Any]) -> TerrainView:
    """The terrain view of query parameters; unreadable values fall back to their defaults."""
    specs = {}
    for field in ("observer", "versus"):
        text = _text(params, KEYS[field])
        specs[field] = text if text and is_spec(text) else None
    profile = tuple((_text(params, KEYS["profile"]) or "").split(";"))
    return TerrainView(
        observer=specs["observer"],
        observer_height_m=_number(params, KEYS["observer_height_m"], DEFAULT_OBSERVER_HEIGHT_M),
        target_height_m=_number(params, KEYS["target_height_m"], DEFAULT_TARGET_HEIGHT_M),
        radius_km=_number(params, KEYS["radius_km"], DEFAULT_RADIUS_KM),
        versus=specs["versus"],
        profile=profile if 2 <= len(profile) <= MAX_PROFILE_POINTS and all(
            is_spec(p) for p in profile) else (),
    )


def serialise_terrain(view: TerrainView) -> dict[str, str]:
    """Query parameters of a terrain view; defaults and empty choices are left out."""
    params: dict[str, str] = {}
    if view.observer:
        params[KEYS["observer"]] = view.observer
    for field, default in (("observer_height_m", DEFAULT_OBSERVER_HEIGHT_M),
                           ("target_height_m", DEFAULT_TARGET_HEIGHT_M),
                           ("radius_km", DEFAULT_RADIUS_KM)):
        value = float(getattr(view, field))
        if value != default:
            params[KEYS[field]] = f"{value:g}"
    if view.versus:
        params[KEYS["versus"]] = view.versus
    if view.profile:
        params[KEYS["profile"]] = ";".join(view.profile)
    return params


def terrain_keys() -> frozenset[str]:
    """Every URL key of the terrain view."""
    return frozenset(KEYS[f.name] for f in fields(TerrainView))


def terrain_link(day: dt.date, view: TerrainView, base_url: str = "") -> str:
    """The permalink of a terrain result: the terrain page at the date (which sets the lines
    drawn for context) with the terrain view; the map's own view is left at its defaults."""
    query = urlencode({"date": day.isoformat(), **serialise_terrain(view)}, safe=",;")
    return f"{base_url.rstrip('/')}/terrain?{query}"
