"""Zone classification of incidents: the zones of the analysis and where each incident falls.

:func:`classify` adds, for every incident, the zones it falls in *as of its own date* (a
zone feature counts from its ``valid_from`` and until its ``valid_to``), its governorate and
district, its signed distance to Line A (Alpha) and whether a reported position was within
2 km that day. Everything is vectorised (numpy, shapely 2), each distinct coordinate is
placed once (:mod:`geo.analysis.places`), zones through a grid of cells that leaves only the
points near a boundary to an exact test (:mod:`geo.analysis.cells`), and distances and areas
are computed in UTM zone 36N (EPSG:32636), a metric projection whose scale error here is
under 0.1 %. The projection and the distance to Line A run in a worker thread beside the zone
tests (pyproj, numpy and shapely release the GIL), so a large classification uses two cores.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.analysis.cells import Buckets, CellGrid
from geo.analysis.places import Places, line_distance_m, to_metric

NEAR_POSITION_M: Final[float] = 2_000.0
ALPHA_LINE_ID: Final[str] = "alpha_line_osm"
ISRAELI_HELD_IDS: Final[tuple[str, ...]] = ("country_israel", "golan_osm")
AOL_BANDS: Final[tuple[str, ...]] = ("west_0_10", "west_10_20", "east_0_10", "east_10_20")
PROPOSAL_ZONES: Final[tuple[str, ...]] = ("prop_zone1_plus2km", "prop_sw_zones", "prop_no_fly")
#: Admin features (id prefix) and the word their names end with, for the name columns.
ADMIN_PREFIXES: Final[tuple[tuple[str, str], ...]] = (
    ("gov_", " governorate"), ("district_", " district"),
)

#: Days (since 1970) a place is near a position from: never, or any day (NaT is below both).
_NEVER: Final[int] = np.iinfo(np.int64).max
_ALWAYS: Final[int] = np.iinfo(np.int64).min + 1


@dataclass(frozen=True)
class Zone:
    """A zone of the analysis: the layer feature it comes from and how to select incidents."""

    key: str
    label: str
    feature_id: str
    column: str
    value: Any = True


ZONES: Final[tuple[Zone, ...]] = (
    Zone("aos", "Area of Separation (1974)", "aos_osm", "in_aos"),
    Zone("golan", "Israeli-held Golan", "golan_osm", "in_golan"),
    *(
        Zone(
            f"aol_{band}",
            f"Area of Limitation {band.split('_')[0]} {band.split('_', 1)[1].replace('_', '-')} km",
            f"aol_{band}",
            "aol_band",
            band,
        )
        for band in AOL_BANDS
    ),
    Zone("prop_zone1_plus2km", "Proposal: zone 1 (+2 km)", "prop_zone1_plus2km",
         "in_prop_zone1_plus2km"),
    Zone("prop_sw_zones", "Proposal: zones south-west of Damascus", "prop_sw_zones",
         "in_prop_sw_zones"),
    Zone("prop_no_fly", "Proposal: no-fly area", "prop_no_fly", "in_prop_no_fly"),
    Zone("near_position", "Within 2 km of a reported position", "", "near_position_2km"),
)
ZONE_BY_KEY: Final[dict[str, Zone]] = {z.key: z for z in ZONES}
#: Columns :func:`classify` adds.
CLASS_COLUMNS: Final[tuple[str, ...]] = (
    "in_aos", "in_golan", "aol_band", *(f"in_{p}" for p in PROPOSAL_ZONES),
    "governorate", "district", "alpha_km", "near_position_2km",
)


# ---------------------------------------------------------------------------------------------
# Helpers


def _days(values: Iterable[Any]) -> np.ndarray:
    """ISO date strings (or dates) to numpy days; anything unreadable becomes NaT. Each distinct
    value is parsed once (incidents share their dates)."""
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    codes, uniques = pd.factorize(series.astype(str))
    parsed = pd.to_datetime(pd.Series(uniques, dtype=object), format="%Y-%m-%d", errors="coerce")
    return parsed.to_numpy(dtype="datetime64[D]")[codes]


def _day(value: Any) -> np.datetime64:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value == "":
        return np.datetime64("NaT", "D")
    return np.datetime64(str(value)[:10], "D")


def _holds(days: np.ndarray, valid_from: Any, valid_to: Any) -> np.ndarray:
    """Incidents dated within a feature's validity: valid_from <= day < valid_to (open end)."""
    start, end = _day(valid_from), _day(valid_to)
    mask = days >= start if not np.isnat(start) else ~np.isnat(days)
    if not np.isnat(end):
        mask &= days < end
    return mask


def _features(layers: gpd.GeoDataFrame, ids: list[str]) -> dict[str, pd.Series]:
    """The features ``ids`` (the last of a repeated id), without a row per layer feature."""
    picked = layers[layers["id"].astype(str).isin(ids)] if len(layers) else layers
    return {str(row["id"]): row for _, row in picked.iterrows()}


def _lonlat(incidents: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    if "longitude" in incidents and "latitude" in incidents:
        return (
            pd.to_numeric(incidents["longitude"], errors="coerce").to_numpy(dtype=float),
            pd.to_numeric(incidents["latitude"], errors="coerce").to_numpy(dtype=float),
        )
    geoms = incidents.geometry.to_numpy()
    return shapely.get_x(geoms), shapely.get_y(geoms)


def _label(name: Any, suffix: str) -> str:
    text = str(name or "")
    return text[: -len(suffix)].strip() if text.lower().endswith(suffix) else text


def _strings(labels: list[str], codes: np.ndarray, index: pd.Index) -> pd.Series:
    """``labels[codes]`` as a string column (-1: the last label), without a Python object per
    row."""
    return pd.Series(pd.array(labels, dtype="str").take(codes), index=index)


def _admin(layers: gpd.GeoDataFrame, prefix: str, suffix: str) -> list[tuple[str, Any]]:
    """The ``prefix*`` admin features in layer order: (name without ``suffix``, geometry)."""
    if not len(layers):
        return []
    admin = layers[layers["id"].astype(str).str.startswith(prefix)]
    names = admin["name"].tolist() if "name" in admin else [None] * len(admin)
    return [(_label(name, suffix), geom) for name, geom in zip(names, admin.geometry, strict=True)]


# ---------------------------------------------------------------------------------------------
# Classification


def classify(
    incidents: pd.DataFrame, layers: gpd.GeoDataFrame, respect_dates: bool = True
) -> gpd.GeoDataFrame:
    """Add the zone columns of :data:`CLASS_COLUMNS` to a copy of ``incidents``.

    * ``in_aos``, ``in_golan`` (Israeli-held Golan, ``golan_osm``), ``aol_band`` (one of
      :data:`AOL_BANDS` or ""), ``in_prop_*`` for each proposal zone: the incident lies in the
      zone and, when ``respect_dates``, the zone holds on the incident's date (a proposal zone
      is False before its ``valid_from``);
    * ``governorate`` and ``district`` (names of the ``gov_*`` and ``district_*`` features);
    * ``alpha_km``: distance to Line A in km, negative on the Israeli-held side (inside the OSM
      Israel outline or the Israeli-held Golan), positive elsewhere; NaN without the line;
    * ``near_position_2km``: a reported position (layer ``position``) holding on the incident's
      date lies within 2 km.

    Each distinct coordinate is placed once: zones and admin units through a grid of cells
    (:class:`geo.analysis.cells.CellGrid`, exact), positions through the places
    in buckets by UTM cell (:class:`geo.analysis.cells.Buckets`).
    """
    out = gpd.GeoDataFrame(incidents.copy()) if not isinstance(incidents, gpd.GeoDataFrame) \
        else incidents.copy()
    x, y = _lonlat(out)
    places = Places.of(x, y)
    zone_ids = ["aos_osm", "golan_osm", *(f"aol_{b}" for b in AOL_BANDS), *PROPOSAL_ZONES,
                *ISRAELI_HELD_IDS]
    features = _features(layers, [*zone_ids, ALPHA_LINE_ID])
    with ThreadPoolExecutor(max_workers=1) as pool:  # metres beside the zones: 2 cores
        measured = pool.submit(_alpha_km, features.get(ALPHA_LINE_ID), places)
        days = _days(out["event_date"] if "event_date" in out else [""] * len(out))
        inside = _zone_columns(out, layers, features, zone_ids, places, days, respect_dates)
        mx, my, alpha_km = measured.result()
    if ALPHA_LINE_ID in features:  # negative on the Israeli-held side
        israeli = inside[ISRAELI_HELD_IDS[0]] | inside[ISRAELI_HELD_IDS[1]]
        alpha_km = np.where(israeli, -alpha_km, alpha_km)
    out["alpha_km"] = places.rows(alpha_km, missing=np.nan)
    out["near_position_2km"] = _near_positions(layers, days, places, mx, my, respect_dates)
    return out


def _zone_columns(out: gpd.GeoDataFrame, layers: gpd.GeoDataFrame,
                  features: dict[str, pd.Series], zone_ids: list[str], places: Places,
                  days: np.ndarray, respect_dates: bool) -> dict[str, np.ndarray]:
    """Add the zone and admin columns to ``out``; return which places lie in each zone."""
    n = len(out)
    rows = [features.get(fid) for fid in zone_ids]
    admins = {prefix: _admin(layers, prefix, suffix) for prefix, suffix in ADMIN_PREFIXES}
    geoms = [None if r is None else r.geometry for r in rows]
    every = [g for g in (*geoms, *(g for a in admins.values() for _, g in a)) if g is not None]
    grid = CellGrid.of(places.x, places.y,
                       shapely.total_bounds(every) if every else (0.0, 0.0, 1.0, 1.0))
    inside = dict(zip(zone_ids, grid.inside(geoms), strict=True))

    def flag(feature_id: str) -> np.ndarray:
        row = features.get(feature_id)
        if row is None:
            return np.zeros(n, dtype=bool)
        hit = places.rows(inside[feature_id])
        return hit & _holds(days, row.get("valid_from"), row.get("valid_to")) if respect_dates \
            else hit

    out["in_aos"] = flag("aos_osm")
    out["in_golan"] = flag("golan_osm")
    band = np.full(n, len(AOL_BANDS))
    for index, name in enumerate(AOL_BANDS):
        band[flag(f"aol_{name}") & (band == len(AOL_BANDS))] = index
    out["aol_band"] = _strings([*AOL_BANDS, ""], band, out.index)
    for zone in PROPOSAL_ZONES:
        out[f"in_{zone}"] = flag(zone)
    for column, (prefix, _) in zip(("governorate", "district"), ADMIN_PREFIXES, strict=True):
        first = places.rows(grid.first([g for _, g in admins[prefix]]), missing=-1)
        out[column] = _strings([*(label for label, _ in admins[prefix]), ""], first, out.index)
    return inside


def _alpha_km(line: pd.Series | None, places: Places
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The places in UTM 36N (x, y) and their distance to Line A in km (NaN without it)."""
    mx, my = places.metric()
    alpha_km = np.full(len(mx), np.nan) if line is None else \
        line_distance_m(to_metric(line.geometry), mx, my) / 1000.0
    return mx, my, alpha_km


def _near_positions(
    layers: gpd.GeoDataFrame, days: np.ndarray, places: Places, mx: np.ndarray, my: np.ndarray,
    respect_dates: bool
) -> np.ndarray:
    """Incidents with a reported position within 2 km (holding on their date). The places are
    put in buckets by UTM cell once; each position tests only those in the cells under its
    box. A place keeps the first day from which a position near it holds without end (most
    do), so the incidents need one comparison; positions that end are kept by validity."""
    near = np.zeros(len(places.code), dtype=bool)
    positions = layers[layers["layer"] == "position"] if len(layers) else layers
    if not len(positions) or not len(places.x):
        return near
    metric = to_metric(positions.geometry.to_numpy())
    reach = NEAR_POSITION_M + 1.0  # a metre more: a superset, whatever the rounding
    west, south, east, north = shapely.total_bounds(metric)
    buckets = Buckets.of(mx, my, (west - reach, south - reach, east + reach,
                                                north + reach))
    since = np.full(len(places.x), _NEVER, dtype=np.int64)
    ended: dict[tuple[Any, Any], np.ndarray] = {}
    spans = zip(*(positions[c].tolist() if respect_dates and c in positions
                  else [None] * len(positions) for c in ("valid_from", "valid_to")), strict=True)
    for geom, (valid_from, valid_to) in zip(metric, spans, strict=True):
        minx, miny, maxx, maxy = geom.bounds
        cand = buckets.around(minx - reach, miny - reach, maxx + reach, maxy + reach)
        if geom.geom_type == "Point":  # as GEOS measures it, without a geometry per place
            dist = np.sqrt((mx[cand] - geom.x) ** 2 + (my[cand] - geom.y) ** 2)
            hit = cand[dist <= NEAR_POSITION_M]
        else:
            hit = cand[shapely.dwithin(
                geom, shapely.points(mx[cand], my[cand]), NEAR_POSITION_M)]
        start, end = _day(valid_from), _day(valid_to)
        if np.isnat(end):
            since[hit] = np.minimum(since[hit], _ALWAYS if np.isnat(start) else start.astype(int))
        else:
            ended.setdefault((valid_from, valid_to), np.zeros(len(places.x), dtype=bool))[hit] = 1
    rows = places.rows(since, missing=_NEVER)
    near = days.view(np.int64) >= rows if respect_dates else rows < _NEVER
    for (valid_from, valid_to), mask in ended.items():
        near |= places.rows(mask) & _holds(days, valid_from, valid_to)
    return near


# ---------------------------------------------------------------------------------------------
# Selection


def zone_mask(classified: pd.DataFrame, key: str) -> np.ndarray:
    """Incidents of a classified frame that fall in zone ``key`` (see :data:`ZONES`)."""
    zone = ZONE_BY_KEY[key]
    if zone.column not in classified:
        return np.zeros(len(classified), dtype=bool)
    values = classified[zone.column]
    if zone.value is True:
        return values.fillna(False).astype(bool).to_numpy()
    return (values == zone.value).to_numpy()
