"""Local assets: a live map's scripts come as one content-hashed file (one request), its
stylesheets one file each, nothing from another host; the offline export keeps one file per
asset; a missing build or an unknown plugin is an error."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import folium
import geopandas as gpd
import pytest
from folium import plugins
from folium.elements import JSCSSMixin

from geo.core.timeline import state_at
from geo.core.view import ViewState, parse_view
from geo.data.loaders import load_layers
from geo.render.annotations import add_draw
from geo.render.assets import (
    BUNDLED,
    COMPONENT_BASE,
    LOCAL_ASSETS,
    VENDOR_DIR,
    bundle_key,
    bundle_source,
    inline_assets,
    localise,
    walk,
    write_js_bundles,
)
from geo.render.live import split_live
from geo.render.map import IncidentLayer, MapSpec, build_map
from geo.render.payloads import feature_collection
from geo.render.static_files import STATIC_DIR, STATIC_URL, StaticBuildMissing, write_bundle
from geo.render.terrain_layers import add_terrain

NO_INCIDENTS = IncidentLayer(0, (), False, feature_collection([]))
#: The Map page's elements with scripts, by basemap (an online one adds the minimap).
MAP_PAGE = {"offline": ("Map", "Fullscreen", "MeasureControl", "MousePosition"),
            "osm": ("Map", "Fullscreen", "MeasureControl", "MiniMap", "MousePosition")}


@pytest.fixture(scope="module")
def features() -> gpd.GeoDataFrame:
    return state_at(load_layers().data, "2025-01-10")


def map_page(features: gpd.GeoDataFrame, basemap: str) -> folium.Map:
    """The map the Map page gives streamlit-folium (the date's layers sent apart)."""
    view = parse_view({"date": "2025-01-10", "basemap": basemap})
    fmap = build_map(features, NO_INCIDENTS, MapSpec(view, (view.lat, view.lon, view.zoom)))
    return split_live(fmap).base


def links(fmap: folium.Map, kind: str) -> list[str]:
    """The component's js_links or css_links, collected as streamlit-folium does: every
    JSCSSMixin element in walk order, duplicates dropped."""
    urls = [url for element in walk(fmap) if isinstance(element, JSCSSMixin)
            for _, url in getattr(element, f"default_{kind}")]
    return list(dict.fromkeys(urls))


def on_disk(url: str) -> Path:
    assert url.startswith(STATIC_URL)
    return STATIC_DIR / url.removeprefix(STATIC_URL)


def vendored(relative: str) -> str:
    return (VENDOR_DIR / relative).read_text(encoding="utf-8")


def assert_holds_in_order(script: str, names: tuple[str, ...]) -> None:
    """The script holds each element's vendored file whole, in this order, Leaflet first."""
    files = [path for name in names for path in LOCAL_ASSETS[name][0]]
    assert files[0] == "leaflet/leaflet.js"
    assert script.startswith(f"/* leaflet/leaflet.js */\n{vendored(files[0])}")
    positions = [script.find(vendored(path)) for path in files]
    assert -1 not in positions and positions == sorted(positions)


@pytest.mark.parametrize("basemap", sorted(MAP_PAGE))
def test_the_map_page_loads_one_script_holding_leaflet_and_its_plugins(
        features: gpd.GeoDataFrame, basemap: str) -> None:
    fmap = map_page(features, basemap)
    scripts = links(fmap, "js")
    assert len(scripts) == 1
    assert scripts[0].startswith(f"{STATIC_URL}vendor_js/{bundle_key(MAP_PAGE[basemap])}-")
    path = on_disk(scripts[0])
    assert path.is_file()
    script = path.read_text(encoding="utf-8")
    assert_holds_in_order(script, MAP_PAGE[basemap])
    # Only what the map adds: no Leaflet.draw on the Map page.
    assert vendored("draw/leaflet.draw.js") not in script


@pytest.mark.parametrize("basemap", sorted(MAP_PAGE))
def test_the_map_page_keeps_each_stylesheet_and_asks_no_other_host(
        features: gpd.GeoDataFrame, basemap: str) -> None:
    fmap = map_page(features, basemap)
    css = [COMPONENT_BASE + path for name in MAP_PAGE[basemap] for path in LOCAL_ASSETS[name][1]]
    assert sorted(links(fmap, "css")) == sorted(css)
    assert all(on_disk(url).is_file() for url in css)
    head = fmap.get_root().render().split("<body>")[0]
    assert not re.search(r'(src|href)="(https?:)?//', head)


def test_drawing_maps_get_the_bundle_with_leaflet_draw(features: gpd.GeoDataFrame) -> None:
    """The annotation map (add_draw, then localise) and the terrain profile map (add_terrain
    localises again a map that build_map localised)."""
    names = ("Map", "Fullscreen", "MeasureControl", "MousePosition", "Draw")
    view = ViewState(date=dt.date(2025, 1, 10))
    for fmap in (localise(add_draw(build_map(features, NO_INCIDENTS, MapSpec(view, (33.1, 35.8,
                                                                                     10))))),
                 add_terrain(build_map(features, NO_INCIDENTS, MapSpec(view, (33.1, 35.8, 10))),
                             profile=[(35.8, 33.2), (35.9, 33.1)], draw=True)):
        scripts = links(fmap, "js")
        assert len(scripts) == 1 and f"/{bundle_key(names)}-" in scripts[0]
        assert_holds_in_order(on_disk(scripts[0]).read_text(encoding="utf-8"), names)
        assert COMPONENT_BASE + "draw/leaflet.draw.css" in links(fmap, "css")


def test_a_map_with_leaflet_alone_keeps_its_file_and_needs_no_bundle(tmp_path: Path) -> None:
    fmap = localise(folium.Map(tiles=None), bundles=tmp_path)  # nothing built there
    assert links(fmap, "js") == [COMPONENT_BASE + "leaflet/leaflet.js"]


def test_a_bundle_not_built_says_to_run_make_setup(tmp_path: Path) -> None:
    fmap = folium.Map(tiles=None)
    plugins.Fullscreen().add_to(fmap)
    with pytest.raises(StaticBuildMissing, match="make setup"):
        localise(fmap, bundles=tmp_path)
    # A build from before this combination was listed: the same.
    write_bundle("vendor_js", {"other": ("other.js", b"x")}, {}, tmp_path)
    with pytest.raises(StaticBuildMissing, match="make setup"):
        localise(fmap, bundles=tmp_path)


def test_a_map_no_bundle_holds_is_an_error() -> None:
    fmap = folium.Map(tiles=None)
    plugins.MarkerCluster().add_to(fmap)
    with pytest.raises(ValueError, match="BUNDLED"):
        localise(fmap)


def test_an_element_with_unknown_assets_is_an_error() -> None:
    fmap = folium.Map(tiles=None)
    plugins.LocateControl().add_to(fmap)
    with pytest.raises(ValueError, match="LocateControl"):
        localise(fmap)


def test_the_offline_export_inlines_each_file_of_a_bundled_map(
        features: gpd.GeoDataFrame) -> None:
    fmap = map_page(features, "osm")
    assert len(links(fmap, "js")) == 1  # bundled for the app first
    html = inline_assets(fmap)
    assert "vendor_js" not in html and COMPONENT_BASE not in html
    for name in MAP_PAGE["osm"]:
        (script,), _ = LOCAL_ASSETS[name]
        body = vendored(script).replace("</script", "<\\/script")
        assert f"<script>{body}</script>" in html


def test_setup_writes_one_script_per_combination(tmp_path: Path) -> None:
    vendor = tmp_path / "vendor"
    for name, (scripts, _) in LOCAL_ASSETS.items():
        for relative in scripts:
            (vendor / relative).parent.mkdir(parents=True, exist_ok=True)
            (vendor / relative).write_text(f"var {name} = 1", encoding="utf-8")
    manifest = write_js_bundles(vendor, tmp_path / "static")
    assert set(manifest.files) == {bundle_key(names) for names in BUNDLED}
    key = bundle_key(MAP_PAGE["offline"])
    assert (tmp_path / "static" / "vendor_js" / manifest.files[key]).read_bytes() == (
        b"/* leaflet/leaflet.js */\nvar Map = 1\n;\n"
        b"/* fullscreen/Control.FullScreen.js */\nvar Fullscreen = 1\n;\n"
        b"/* measure/leaflet-measure.js */\nvar MeasureControl = 1\n;\n"
        b"/* mouseposition/L.Control.MousePosition.js */\nvar MousePosition = 1\n;\n")
    assert bundle_source(MAP_PAGE["offline"], vendor) == bundle_source(
        reversed(MAP_PAGE["offline"]), vendor)  # the order is LOCAL_ASSETS's, not the caller's
