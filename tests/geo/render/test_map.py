"""Map building: layers as of a date, escaping, local assets, credits."""

from __future__ import annotations

import json
import re

import folium
import geopandas as gpd
import pandas as pd
import pytest

from geo.core.timeline import state_at
from geo.core.view import parse_view
from geo.data.incidents import incident_frame
from geo.data.loaders import load_layers
from geo.render.assets import walk
from geo.render.credits import credits_for
from geo.render.elements import GeoJsonLayer
from geo.render.map import MapSpec, build_map
from geo.render.popups import feature_popup, sources_html
from tests.geo.render import popup_of

HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'><b>'


@pytest.fixture(scope="module")
def layers() -> gpd.GeoDataFrame:
    return load_layers().data


def _incidents(make_incident, **overrides) -> gpd.GeoDataFrame:
    return incident_frame(pd.DataFrame([make_incident(**overrides)]))


def _map(features, incidents, **params):
    view = parse_view({"layers": ",".join(params.pop("layers", [])) or None, **params})
    return build_map(features, incidents, MapSpec(view, (view.lat, view.lon, view.zoom)))


def feature_ids_in(fmap: folium.Map) -> list[str]:
    """Ids of every feature drawn on the map."""
    ids: list[str] = []
    for element in walk(fmap):
        if isinstance(element, GeoJsonLayer) and not element.circles:
            ids += [f["id"] for f in element.data["features"]]
    return ids


def remote_links(fmap: folium.Map) -> list[str]:
    """Every JS/CSS URL the map's elements ask for that is not served locally."""
    links = [url for element in walk(fmap) for key in ("default_js", "default_css")
             for _, url in getattr(element, key, [])]
    return [u for u in links if re.match(r"^(https?:)?//", u)]


def test_date_decides_which_features_reach_the_map(layers, make_incident) -> None:
    empty = _incidents(make_incident).iloc[0:0]
    before = feature_ids_in(_map(state_at(layers, "2025-01-10"), empty, date="2025-01-10"))
    after = feature_ids_in(_map(state_at(layers, "2025-10-01"), empty, date="2025-10-01"))
    assert "prop_no_fly" not in before and "prop_no_fly" in after
    assert "aos_osm" in before and "aos_osm" in after


def test_status_style_follows_date(layers, make_incident) -> None:
    empty = _incidents(make_incident).iloc[0:0]
    for day, status in (("2020-01-01", "in_force"), ("2025-01-10", "collapsed")):
        fmap = _map(state_at(layers, day), empty, date=day)
        html = fmap.get_root().render()
        assert f"lyr-area_of_separation st-{status}" in html


def test_map_asks_for_no_remote_assets(layers, make_incident) -> None:
    fmap = _map(state_at(layers, "2025-01-10"), _incidents(make_incident), date="2025-01-10",
                basemap="osm")
    assert remote_links(fmap) == []
    html = fmap.get_root().render()
    assert "/app/static/vendor/leaflet/leaflet.css" in html
    assert '<script src="/app/static/vendor_js/map_fullscreen_measurecontrol_minimap_' in html


@pytest.mark.parametrize("field", ["notes", "location", "actor1", "source", "source_title"])
def test_incident_strings_are_escaped(layers, make_incident, field) -> None:
    incidents = _incidents(make_incident, **{field: HOSTILE})
    fmap = _map(state_at(layers, "2025-01-15").iloc[0:0], incidents, date="2025-01-15")
    assert "<script>alert(1)" not in fmap.get_root().render()
    marker = next(e for e in walk(fmap) if isinstance(e, GeoJsonLayer) and not e.circles
                  and e.data["features"] and e.data["features"][0]["id"] == "SYR0001")
    popup = popup_of(marker.data, marker.data["features"][0]["properties"])  # as shown
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in popup
    assert "<img" not in popup


def test_feature_strings_are_escaped(make_feature) -> None:
    row = {
        "name": HOSTILE, "name_ar": HOSTILE, "status_on_date": "reported",
        "disputed_on_date": False, "valid_from": "2024-12-08", "valid_to": None,
        "date_precision": "day", "basis": "reported", "confidence": "low", "notes": HOSTILE,
        "status_note": "", "attribution": HOSTILE, "licence": "x",
        "sources": [{"title": HOSTILE, "publisher": HOSTILE, "url": "javascript:alert(1)"}],
    }
    html = feature_popup(row)
    assert "<script" not in html and "<img" not in html
    assert "javascript:" not in html


@pytest.mark.parametrize(
    ("url", "linked"),
    [("https://example.org/a?b=1&c=2", True), ("http://example.org", True),
     ("javascript:alert(1)", False), ("data:text/html,hi", False), ("//evil.example", False)],
)
def test_only_http_sources_become_links(url, linked) -> None:
    html = sources_html([{"title": "t", "publisher": "p", "url": url}])
    assert ("<a href=" in html) is linked


def test_credits_follow_visible_layers(layers, make_incident) -> None:
    features = state_at(layers, "2025-01-10")
    fmap = _map(features, _incidents(make_incident).iloc[0:0], date="2025-01-10")
    credits = [c for e in walk(fmap) for c in getattr(e, "credits", [])]
    assert "© OpenStreetMap contributors (ODbL)" in credits
    assert "UNCS/OCHA via HDX (CC BY 3.0 IGO)" in credits
    places = next(e for e in walk(fmap) if getattr(e, "layer_name", "") == "Place labels")
    assert places.show is True  # on by default (the names a briefer reads), with its credit
    assert any("GeoNames (CC BY 4.0)" in getattr(c, "credits", []) for c in walk(places))
    assert credits_for(["GeoNames (geonames.org), CC BY 4.0"]) == ["GeoNames (CC BY 4.0)"]


def test_incident_markers_carry_size_colour_and_uncertainty(layers, make_incident) -> None:
    incidents = incident_frame(pd.DataFrame([
        make_incident(event_id_cnty="A", fatalities="13", geo_precision="3",
                      event_type="Battles"),
        make_incident(event_id_cnty="B", fatalities="", geo_precision="1"),
    ]))
    fmap = _map(state_at(layers, "2025-01-15").iloc[0:0], incidents, date="2025-01-15")
    layers_ = [e for e in walk(fmap) if isinstance(e, GeoJsonLayer)]
    markers = next(e for e in layers_ if not e.circles and e.data["features"]
                   and e.data["features"][0]["id"] in ("A", "B"))
    table = markers.data["styles"]  # each marker names its style in the collection's table
    styles = {f["id"]: {**f["properties"], "style": table[f["properties"]["s"]]}
              for f in markers.data["features"]}
    assert styles["A"]["style"]["radius"] > styles["B"]["style"]["radius"]
    assert styles["A"]["style"]["fillColor"] != styles["B"]["style"]["fillColor"]
    assert styles["A"]["r_m"] > styles["B"]["r_m"]
    assert any(e.circles for e in layers_)


def test_offline_basemap_is_default_and_tiles_optional(layers, make_incident) -> None:
    features = state_at(layers, "2025-01-10")
    text = _map(features, _incidents(make_incident).iloc[0:0], date="2025-01-10").get_root()
    rendered = text.render()
    assert "Offline (no tiles" in rendered
    assert '"maxZoom": 18' in rendered or "maxZoom" in rendered


def test_feature_payload_is_valid_geojson(layers, make_incident) -> None:
    features = state_at(layers, "2025-01-10")
    fmap = _map(features, _incidents(make_incident), date="2025-01-10")
    for element in walk(fmap):
        if isinstance(element, GeoJsonLayer):
            json.dumps(element.data)
            assert element.data["type"] == "FeatureCollection"


def test_positions_draw_uncertainty_circles_with_their_group(layers, make_incident) -> None:
    features = state_at(layers, "2025-06-01")
    fmap = _map(features, _incidents(make_incident).iloc[0:0], date="2025-06-01")
    group = next(e for e in walk(fmap) if getattr(e, "layer_name", "") ==
                 "Reported Israeli positions")
    drawn = [e for e in walk(group) if isinstance(e, GeoJsonLayer)]
    circles = [e for e in drawn if e.circles]
    markers = [e for e in drawn if not e.circles]
    assert len(circles) == 1 and len(markers) == 1
    assert drawn.index(circles[0]) < drawn.index(markers[0])  # under the markers
    ids = {f["id"] for f in circles[0].data["features"]}
    assert ids <= {f["id"] for f in markers[0].data["features"]}
    places = {(json.dumps(f["geometry"]), f["properties"]["r_m"])
              for f in markers[0].data["features"]}
    assert len(circles[0].data["features"]) == len(places)  # one circle per point and radius
    radius = {f["id"]: f["properties"]["r_m"] for f in circles[0].data["features"]}
    expected = features.set_index("id").loc[list(radius), "geo_precision"]
    assert all(radius[i] == {1: 1000, 2: 5000, 3: 20000}[int(p)] for i, p in expected.items())


def test_legend_explains_the_uncertainty_circles() -> None:
    from geo.render.legend import legend_html

    assert "Location uncertainty: 1 / 5 / 20 km" in legend_html([])


def test_legend_folds_on_small_maps() -> None:
    from geo.render.elements import BoxControl
    from geo.render.legend import LEGEND_FOLD_BELOW_PX, legend_html

    html = legend_html(["Battles"])
    assert html.startswith(f"<details open data-fold-below='{LEGEND_FOLD_BELOW_PX}'>")
    assert html.endswith("</details>") and "<summary>Legend</summary>" in html
    fmap = folium.Map(tiles=None)
    fmap.add_child(BoxControl(html, "bottomleft", "map-legend"))
    assert "map.getSize().y < +fold.dataset.foldBelow) fold.open = false" in (
        fmap.get_root().render())
