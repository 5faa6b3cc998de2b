"""Terrain results on the map and in the profile chart: local assets (Leaflet.draw included),
escaped tooltips, a small payload, context layers only, crossings labelled on the chart."""

from __future__ import annotations

import re

import folium
import pytest
from shapely.geometry import box

from geo.analysis.profile import Crossing, elevation_profile
from geo.analysis.sightlines import ViewshedReport, comparison, crossing_lines, places
from geo.analysis.viewshed import ViewshedParams, viewshed
from geo.core.terrain import SUMMIT
from geo.core.timeline import state_at
from geo.core.view import parse_view
from geo.data.loaders import load_all
from geo.render.map import IncidentLayer, MapSpec, build_map
from geo.render.payloads import feature_collection
from geo.render.terrain_charts import (
    comparison_html,
    crossing_marks,
    crossings_text,
    km2,
    observer_text,
    profile_chart,
    sight_text,
)
from geo.render.terrain_layers import (
    COMPARE_COLOURS,
    VIEWSHED_COLOUR,
    add_terrain,
    area_layer,
    context_features,
)


@pytest.fixture(scope="module")
def layers():
    return load_all()["layers"].data


@pytest.fixture(scope="module")
def summit(layers) -> ViewshedReport:
    place = places(layers)[SUMMIT]
    result = viewshed(place.lon, place.lat, ViewshedParams(radius_km=15))
    return ViewshedReport("Hermon <b>summit</b>", result, ((10.0, result.visible_km2),), {})


def rendered(fmap: folium.Map) -> str:
    return fmap.get_root().render()


def test_the_viewshed_layer_is_local_escaped_and_small(summit: ViewshedReport) -> None:
    html = rendered(add_terrain(folium.Map(), report=summit, profile=[(35.8, 33.2),
                                                                       (35.9, 33.1)]))
    # Leaflet.draw comes in the smallest script bundle that holds it.
    assert "/app/static/vendor_js/map_fullscreen_measurecontrol_mouseposition_draw-" in html
    assert "/app/static/vendor/draw/leaflet.draw.css" in html
    assert "cdnjs" not in html and "https://" not in html.split("<body>")[0]
    assert "<b>summit" not in html and "Hermon &lt;b&gt;summit" in html  # HTML-escaped
    assert VIEWSHED_COLOUR in html and '"polygon":false' in html.replace(" ", "")
    assert "L.Control.Draw" in html and "Profile line" in html
    assert len(html) < 400_000  # the 15 km viewshed, simplified and rounded


def test_polygons_are_rounded_to_five_decimals() -> None:
    layer = area_layer(box(35.1234567, 33.1, 35.2, 33.2), "x", "tip", "#000000")
    html = rendered(folium.Map().add_child(layer))
    numbers = re.findall(r"35\.\d+", html)
    assert numbers and all(len(n.split(".")[1]) <= 5 for n in numbers)


def test_a_comparison_draws_three_colours(layers, summit: ViewshedReport) -> None:
    place = places(layers)["pos_hermon_outpost_2400_m"]
    other_view = viewshed(place.lon, place.lat, ViewshedParams(radius_km=15))
    other = ViewshedReport("outpost", other_view, ((10.0, other_view.visible_km2),), {})
    html = rendered(add_terrain(folium.Map(), comparison=comparison(summit, other), draw=False))
    for colour in COMPARE_COLOURS:
        assert colour in html
    assert "Only outpost sees" in html and "Both see" in html and "L.Control.Draw" not in html


def test_context_features_keep_the_lines_and_the_basemap_only(layers) -> None:
    kept = context_features(state_at(layers, "2025-09-16"))
    assert {"aos_osm", "alpha_line_osm", "golan_osm", "hermon_summit", "country_syria",
            "gov_SY14"} <= set(kept["id"])
    assert not set(kept["layer"]) & {"place", "proposal_buffer_zone", "demand_area"}


def test_crossings_close_together_share_a_label() -> None:
    marks = crossing_marks([Crossing("Line B", 5.0, 0, 0), Crossing("Line A", 1.0, 0, 0),
                            Crossing("AoS edge", 1.1, 0, 0), Crossing("AoS edge", 5.05, 0, 0)])
    assert marks == [(1.0, "Line A / AoS edge"), (5.0, "Line B / AoS edge")]


def test_the_profile_chart_marks_line_a_and_line_b(layers) -> None:
    profile = elevation_profile([(35.75, 33.2), (35.95, 33.15)], crossing_lines(layers))
    spec = profile_chart(profile).to_dict()
    assert spec["height"] == 260
    labels = [row["label"] for layer in spec["layer"] if "data" in layer
              for row in spec.get("datasets", {}).get(layer["data"].get("name", ""), [])
              if "label" in row]
    assert any("Line A" in label for label in labels) and any("Line B" in label
                                                              for label in labels)
    text = crossings_text(profile)
    assert text.index("Line A") < text.index("Line B")
    assert "visible from" in sight_text(profile, "start", "end") or "hidden from" in sight_text(
        profile, "start", "end")


def test_areas_are_printed_to_two_significant_figures() -> None:
    assert km2(759.942) == "≈ 760 km²" and km2(433.13) == "≈ 430 km²" and km2(0) == "≈ 0 km²"



def test_the_layer_control_lists_the_terrain_layers_and_the_legend_goes(layers, summit) -> None:
    view = parse_view({"date": "2025-09-16"})
    base = build_map(context_features(state_at(layers, "2025-09-16")),
                     IncidentLayer(0, (), False, feature_collection([])),
                     MapSpec(view, (33.25, 35.85, 10)))
    html = rendered(add_terrain(base, report=summit))
    viewshed_group = html.index('"Viewshed" : feature_group_')
    defined = re.search(r'"Viewshed" : (feature_group_\w+)', html)
    assert defined and html.index(f"var {defined.group(1)} = ") < viewshed_group
    assert "map-legend" not in html  # the status legend would cover the drawing tools


def test_comparison_and_observer_words_are_escaped(layers, summit: ViewshedReport) -> None:
    place = places(layers)["pos_hermon_outpost_2400_m"]
    other_view = viewshed(place.lon, place.lat, ViewshedParams(radius_km=15))
    other = ViewshedReport("<i>outpost</i>", other_view, (), {})
    text = comparison_html(comparison(summit, other))
    assert "&lt;i&gt;outpost&lt;/i&gt;" in text and "<i>" not in text
    assert text.count("km²") == 3 and all(c in text for c in COMPARE_COLOURS)
    assert "33.41329 N, 35.85693 E · ground 2,788 m" in observer_text(summit)
