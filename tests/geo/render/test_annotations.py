"""The user-annotation layer: status styles shared with the built-in data, escaped popups with
the provenance, Arabic text in its own direction, the as-of date, and drawings read back."""

from __future__ import annotations

import datetime as dt
import json

import geopandas as gpd
import shapely

from geo.core import styles
from geo.core.annotation import Annotation, AnnotationSource
from geo.core.view import ViewState
from geo.render.annotations import (
    ANNOTATIONS_LABEL,
    add_draw,
    annotation_feature,
    annotation_popup,
    annotations_on,
    drawn_geometry,
)
from geo.render.assets import localise
from geo.render.map import IncidentLayer, MapSpec, build_map
from geo.render.payloads import feature_collection

SQUARE = shapely.box(35.80, 33.10, 35.82, 33.12)


def annotation(**changes: object) -> Annotation:
    base = Annotation(
        id="checkpoint-1a2b3c4d", name="Checkpoint area <b>", status="reported",
        valid_from=dt.date(2025, 3, 1), valid_to=dt.date(2025, 6, 1),
        sources=(AnnotationSource("Report \"A\"", "https://example.org/a?x=1&y=2"),
                 AnnotationSource("Leaked map", reference="doc <7>"),
                 AnnotationSource("Bad link", "javascript:alert(1)", "ref 9")),
        basis="schematic", confidence="low", note="drawn from <script>x</script>",
        geometry=SQUARE, author="Analyst & co", version=2,
        saved_at=dt.datetime(2025, 7, 1, 9, 30, tzinfo=dt.UTC),
    )
    return Annotation(**{**base.__dict__, **changes})  # type: ignore[arg-type]


def test_the_layer_follows_the_as_of_date() -> None:
    a = annotation()
    open_ended = annotation(id="open-1", valid_to=None)
    assert annotations_on([a, open_ended], dt.date(2025, 2, 28)) == []
    assert annotations_on([a, open_ended], dt.date(2025, 3, 1)) == [a, open_ended]
    # valid_to is the first day it no longer holds, as for the built-in data.
    assert annotations_on([a, open_ended], dt.date(2025, 5, 31)) == [a, open_ended]
    assert annotations_on([a, open_ended], dt.date(2025, 6, 1)) == [open_ended]
    assert annotations_on([a, open_ended], dt.date(2030, 1, 1)) == [open_ended]


def test_status_styles_are_those_of_the_built_in_data() -> None:
    for status in ("reported", "proposed", "demanded", "own_reading"):
        style = annotation_feature(annotation(status=status))["properties"]["style"]
        assert style["color"] == styles.STATUS_STYLES[status]["color"]
        assert f"st-{status}" in style["className"] and "lyr-annotation" in style["className"]
    point = annotation_feature(annotation(geometry=shapely.Point(35.8, 33.1)))
    assert point["properties"]["style"]["radius"] > 0
    assert "Own reading" in styles.STATUS_LABELS["own_reading"]


def test_the_popup_gives_the_provenance_escaped() -> None:
    pop = annotation_popup(annotation())
    assert "Checkpoint area &lt;b&gt;" in pop and "<b>Checkpoint area <b>" not in pop
    assert "&lt;script&gt;" in pop and "<script>" not in pop
    assert 'href="https://example.org/a?x=1&amp;y=2"' in pop
    assert "Report &quot;A&quot;" in pop and "doc &lt;7&gt;" in pop
    assert "javascript:" not in pop  # only http(s) links; the reference is kept
    assert "ref 9" in pop
    assert "Basis: schematic · confidence: low" in pop
    assert "Version 2" in pop and "Analyst &amp; co" in pop and "2025-07-01 09:30" in pop
    assert "Valid: 2025-03-01 – 2025-06-01" in pop


def test_arabic_text_is_set_in_its_own_direction() -> None:
    pop = annotation_popup(annotation(name="حاجز القنيطرة", note="قراءة خاصة"))
    assert "<span dir='auto'>حاجز القنيطرة</span>" in pop
    assert "<span dir='auto'>قراءة خاصة</span>" in pop


def test_drawings_become_geometries() -> None:
    polygon = {"type": "Feature", "properties": {},
               "geometry": {"type": "Polygon", "coordinates": [[[35.8, 33.1], [35.81, 33.1],
                                                                [35.81, 33.11], [35.8, 33.1]]]}}
    assert drawn_geometry(polygon).geom_type == "Polygon"
    assert drawn_geometry({"geometry": {"type": "Point", "coordinates": [35.8, 33.1]}}).x == 35.8
    assert drawn_geometry(None) is None
    assert drawn_geometry({"geometry": {"type": "MultiPoint", "coordinates": []}}) is None


def test_the_map_draws_the_layer_only_for_annotations_on_the_date() -> None:
    empty = IncidentLayer(0, (), False, feature_collection([]))
    none = gpd.GeoDataFrame({"layer": [], "id": [], "geometry": []}, geometry="geometry",
                            crs="EPSG:4326")
    spec = MapSpec(ViewState(date=dt.date(2025, 4, 1)), (33.1, 35.8, 10),
                   annotations=(annotation(),))
    html = build_map(none, empty, spec).get_root().render()
    assert json.dumps(ANNOTATIONS_LABEL)[1:-1] in html
    assert "checkpoint-1a2b3c4d" in html
    later = MapSpec(ViewState(date=dt.date(2025, 7, 1)), (33.1, 35.8, 10),
                    annotations=(annotation(),))
    assert "checkpoint-1a2b3c4d" not in build_map(none, empty, later).get_root().render()
    assert ANNOTATIONS_LABEL not in build_map(none, empty, MapSpec(
        ViewState(date=dt.date(2025, 4, 1)), (33.1, 35.8, 10))).get_root().render()


def test_the_draw_map_has_the_tools_clear_of_the_legend() -> None:
    empty = IncidentLayer(0, (), False, feature_collection([]))
    none = gpd.GeoDataFrame({"layer": [], "id": [], "geometry": []}, geometry="geometry",
                            crs="EPSG:4326")
    fmap = add_draw(build_map(none, empty, MapSpec(ViewState(date=dt.date(2025, 4, 1)),
                                                   (33.1, 35.8, 10))))
    html = localise(fmap).get_root().render()
    # Leaflet.draw comes in the one script of the map, with Leaflet and the other controls.
    assert "/app/static/vendor_js/map_fullscreen_measurecontrol_mouseposition_draw-" in html
    assert "/app/static/vendor/draw/leaflet.draw.css" in html
    assert "map-legend" not in html  # it would cover the drawing tools
    # While drawing, the features take no clicks (their popups would swallow the points).
    assert "draw:drawstart" in html and ".drawing .leaflet-overlay-pane" in html
