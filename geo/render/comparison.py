"""Briefing mode's side-by-side view of the two sides' positions.

It puts Syria's demand and Israel's proposal on two synchronised Leaflet maps (folium's
DualMap, with Leaflet.Sync served locally) and measures their areas in UTM zone 36N. Both are
schematic, so every area is given to two significant figures (geo.core.figures).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from typing import Final

import folium
import geopandas as gpd
import pandas as pd
from folium import plugins

from geo.core.crs import METRIC_CRS, WGS84
from geo.core.figures import cut_note, round_sig
from geo.core.timeline import state_at
from geo.core.view import ViewState
from geo.core.vocabulary import MAX_ZOOM, MIN_ZOOM
from geo.render.assets import children, figure_of, inline_assets
from geo.render.elements import BoxControl
from geo.render.map import MAP_CSS, MapSpec, build_map

#: The features of each side's position (data/layers/proposals.geojson).
SYRIA_DEMAND: Final[tuple[str, ...]] = ("demand_sy_restore_1974",)
ISRAEL_PROPOSAL: Final[tuple[str, ...]] = (
    "prop_zone1_plus2km", "prop_sw_zones", "prop_no_fly", "prop_hermon_outpost",
)
#: Context drawn on both maps: Lines A and B of 1974 (the base outlines come with every map).
#: The Area of Separation itself is left out: Syria's demand is that very area.
COMPARE_CONTEXT: Final[tuple[str, ...]] = ("alpha_line", "bravo_line")


def comparison_day(layers: gpd.GeoDataFrame) -> dt.date:
    """The first day on which both positions are in the data (the later start of the two)."""
    ids = set(SYRIA_DEMAND) | set(ISRAEL_PROPOSAL)
    starts = layers.loc[layers["id"].isin(ids), "valid_from"].astype(str)
    if starts.empty:
        raise ValueError("the data hold neither Syria's demand nor Israel's proposal")
    return dt.date.fromisoformat(starts.max())


def _side(features: gpd.GeoDataFrame, ids: Sequence[str]) -> gpd.GeoDataFrame:
    return features[features["id"].isin(ids)]


def _caveat(row: pd.Series) -> str:
    """"schematic", and where the staged data cut the polygon ("cut at 36.6° E")."""
    cut = row.get("cut_at_lon")
    cut_text = "" if cut is None or pd.isna(cut) else f"; {cut_note(float(cut))}"
    return f"{row['basis']}{cut_text}"


def comparison_table(layers: gpd.GeoDataFrame, day: dt.date) -> pd.DataFrame:
    """Each side's features on ``day``: area in km² (the data's ``area_km2``: two significant
    figures, measured in UTM 36N), how much of it the other side's position covers and how much
    it does not (also to two significant figures), and the caveat (schematic, and where the
    staged data cut the polygon). Points have no area."""
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
            area = geom.area / 1e6
            overlap = geom.intersection(against).area / 1e6 if polygon and against else 0.0
            stored = row.get("area_km2")
            rows.append({
                "side": side, "id": fid, "name": row["name"], "status": row["status_on_date"],
                "basis": row["basis"], "confidence": row["confidence"],
                "area_km2": (int(stored) if stored is not None and not pd.isna(stored)
                             else round_sig(area)) if polygon else None,
                "overlap_km2": round_sig(overlap) if polygon else None,
                "outside_km2": round_sig(area - overlap) if polygon else None,
                "caveat": _caveat(row),
                "inside_other": bool(against is not None and against.contains(geom))
                if not polygon else None,
            })
    table = pd.DataFrame(rows, columns=["side", "id", "name", "status", "basis", "confidence",
                                        "area_km2", "overlap_km2", "outside_km2", "caveat",
                                        "inside_other"])
    # Whole km² (a point's are missing): a float column would print "6300.0".
    return table.astype({c: "Int64" for c in ("area_km2", "overlap_km2", "outside_km2")})


def comparison_changes(table: pd.DataFrame) -> list[str]:
    """Plain sentences on what changes between the two positions, from the table's numbers
    (areas to two significant figures, with "≈", and the caveat)."""
    lines = []
    for row in table.to_dict("records"):
        other = "Israel's proposal" if row["side"] == "Syria" else "the area Syria demands"
        if row["area_km2"] is None or pd.isna(row["area_km2"]):
            where = "inside" if row["inside_other"] else "outside"
            lines.append(f"{row['name']}: a point (no area in the data), {where} {other}.")
        else:
            lines.append(f"{row['name']}: ≈ {int(row['area_km2']):,} km² ({row['caveat']}), of "
                         f"which ≈ {int(row['overlap_km2']):,} km² within {other} and "
                         f"≈ {int(row['outside_km2']):,} km² outside it.")
    return lines


_TITLE_CSS: Final[str] = (
    "<style>.map-title{background:#fff;border:2px solid #111;padding:6px 10px;"
    "font:bold 16px/1.3 sans-serif;color:#111}</style>"
)


def _side_map(features: gpd.GeoDataFrame, ids: Sequence[str], groups: tuple[str, ...],
              view: ViewState) -> folium.Map:
    keep = (features["id"].isin(ids) | features["layer"].isin(COMPARE_CONTEXT)
            | (features["layer"] == "country") | features["id"].str.startswith("gov_"))
    empty = gpd.GeoDataFrame(geometry=[], crs=WGS84)
    side_view = view.replace(layers=("lines_1974", *groups))
    return build_map(features[keep], empty, MapSpec(side_view, (view.lat, view.lon, view.zoom),
                                                    controls=False))


def comparison_html(layers: gpd.GeoDataFrame, day: dt.date, view: ViewState) -> str:
    """Two synchronised maps (DualMap): Syria's demand on the left, Israel's proposal on the
    right, as a standalone HTML page with every asset inlined (works offline)."""
    features = state_at(layers, day)
    dual = plugins.DualMap(location=(view.lat, view.lon), zoom_start=view.zoom, tiles=None,
                           min_zoom=MIN_ZOOM, max_zoom=MAX_ZOOM, control_scale=True)
    sides = ((dual.m1, SYRIA_DEMAND, ("demands",), f"Syria's demand · {day:%d %b %Y}"),
             (dual.m2, ISRAEL_PROPOSAL, ("proposals",), f"Israel's proposal · {day:%d %b %Y}"))
    figure = figure_of(dual)
    for target, ids, groups, title in sides:
        for child in children(_side_map(features, ids, groups, view)):
            if not isinstance(child, folium.TileLayer):
                target.add_child(child)
        target.add_child(BoxControl(html.escape(title, quote=False), "topright", "map-title"))
    figure.header.add_child(folium.Element(MAP_CSS), name="map_css")
    figure.header.add_child(folium.Element(_TITLE_CSS), name="map_title_css")
    return inline_assets(figure)
