"""The shareable view: date, incident window, layers, basemap, map centre and zoom, event, label
language.

Pure functions turn URL query parameters into a :class:`ViewState` and back. Invalid values
fall back to defaults, so a hand-edited or stale link still opens.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any, Final
from urllib.parse import urlencode

from geo.core.annotation import NAME_PATTERN
from geo.core.vocabulary import (
    BASEMAPS,
    DEFAULT_LANG,
    DEFAULT_LAYERS,
    DEFAULT_WINDOW,
    LANGUAGES,
    LAYER_GROUPS,
    MAX_ZOOM,
    OFFLINE,
    WINDOWS,
    window_days,
)

#: Preset views: name -> (lat, lon, zoom).
PRESETS: Final[dict[str, tuple[float, float, int]]] = {
    "Area of Separation": (33.05, 35.85, 10),
    "Mount Hermon": (33.39, 35.85, 12),
    "Quneitra": (33.12, 35.84, 12),
    "Damascus to the Golan": (33.25, 36.0, 9),
}
DEFAULT_CENTER: Final[tuple[float, float, int]] = PRESETS["Area of Separation"]
MIN_DATE: Final[dt.date] = dt.date(1974, 5, 31)
#: An annotation in a link: its id, optionally ``@version``; at most MAX_ANN of them.
ANN_REF: Final[re.Pattern[str]] = re.compile(NAME_PATTERN.pattern.rstrip("$")
                                             + r"(@[1-9][0-9]{0,5})?$")
MAX_ANN: Final[int] = 200


def default_date() -> dt.date:
    """The latest date a link may ask for: today."""
    return dt.date.today()


@dataclass(frozen=True)
class ViewState:
    date: dt.date
    window: str = DEFAULT_WINDOW
    layers: tuple[str, ...] = DEFAULT_LAYERS
    basemap: str = OFFLINE
    lat: float = DEFAULT_CENTER[0]
    lon: float = DEFAULT_CENTER[1]
    zoom: int = DEFAULT_CENTER[2]
    event: str | None = None
    #: The language of the map labels (geo.core.vocabulary.LANGUAGES).
    lang: str = DEFAULT_LANG
    #: User annotations shown, by id, each optionally pinned to a version (``id@3``).
    ann: tuple[str, ...] = ()

    def replace(self, **changes: Any) -> ViewState:
        return replace(self, **changes)

    @property
    def window_days(self) -> int | None:
        return window_days(self.window)


def _parse_float(value: Any, low: float, high: float) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


def parse_view(params: Mapping[str, Any], today: dt.date | None = None,
               latest: dt.date | None = None) -> ViewState:
    """Build a view from query parameters; each bad value falls back to its default.

    A link may ask for any date up to ``today``; without one (or with a bad one) the view opens
    on ``latest``, the last day the data covers (today when unknown), so the default view shows
    the most recent record rather than an empty window after it."""
    today = today or default_date()

    def get(key: str) -> str | None:
        value = params.get(key)
        if isinstance(value, list):
            value = value[-1] if value else None
        return None if value is None else str(value)

    date = min(latest, today) if latest else today
    raw_date = get("date")
    if raw_date:
        try:
            parsed = dt.date.fromisoformat(raw_date)
        except ValueError:
            parsed = None
        if parsed is not None and MIN_DATE <= parsed <= today:
            date = parsed
    window = get("window")
    window = window if window in WINDOWS else DEFAULT_WINDOW
    layers = DEFAULT_LAYERS
    raw_layers = get("layers")
    if raw_layers is not None:
        layers = tuple(g for g in raw_layers.split(",") if g in LAYER_GROUPS)
    basemap = get("basemap")
    basemap = basemap if basemap in BASEMAPS else OFFLINE
    lat = _parse_float(get("lat"), -90, 90)
    lon = _parse_float(get("lon"), -180, 180)
    zoom = _parse_float(get("zoom"), 1, MAX_ZOOM)
    event = get("event") or None
    lang = get("lang")
    ann = tuple(dict.fromkeys(a for a in (get("ann") or "").split(",") if ANN_REF.match(a)))
    return ViewState(
        date=date,
        window=window,
        layers=layers,
        basemap=basemap,
        lat=DEFAULT_CENTER[0] if lat is None else lat,
        lon=DEFAULT_CENTER[1] if lon is None else lon,
        zoom=DEFAULT_CENTER[2] if zoom is None else int(zoom),
        event=event[:80] if event else None,
        lang=lang if lang in LANGUAGES else DEFAULT_LANG,
        ann=ann[:MAX_ANN],
    )


def serialise_view(view: ViewState) -> dict[str, str]:
    """Query parameters for a view (stable order, rounded centre)."""
    params = {
        "date": view.date.isoformat(),
        "window": view.window,
        "layers": ",".join(view.layers),
        "basemap": view.basemap,
        "lat": f"{view.lat:.4f}",
        "lon": f"{view.lon:.4f}",
        "zoom": str(view.zoom),
    }
    if view.event:
        params["event"] = view.event
    if view.lang != DEFAULT_LANG:
        params["lang"] = view.lang
    if view.ann:
        params["ann"] = ",".join(view.ann)
    return params


def permalink(view: ViewState, base_url: str = "", page: str = "") -> str:
    """A URL that reopens the view."""
    path = f"{base_url.rstrip('/')}/{page}" if page else base_url
    return f"{path}?{urlencode(serialise_view(view))}"


def field_names() -> tuple[str, ...]:
    return tuple(f.name for f in fields(ViewState))


def annotation_ref(ref: str) -> tuple[str, int | None]:
    """(id, version or None for the latest) of an ``ann`` entry (``id`` or ``id@version``)."""
    name, _, version = ref.partition("@")
    return name, int(version) if version else None
