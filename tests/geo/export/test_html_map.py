"""The standalone HTML map: no external script or style, the view's layers, an escaped info
box; the vendored assets it inlines."""

from __future__ import annotations

import re
from pathlib import Path

from geo.core.view import parse_view
from geo.export.html_map import render_html
from geo.export.snapshot import Snapshot


def test_html_is_standalone(snap: Snapshot) -> None:
    page = render_html(snap)
    assert not re.findall(r'<script[^>]+src="', page)
    assert not re.findall(r'<link[^>]+href="https?:', page)
    assert "L.version" in page or "leaflet" in page.lower()
    assert "prop_no_fly" not in page  # the proposal did not exist on 10 Jan 2025
    assert "aos_osm" in page
    assert "The frontier as of 10 January 2025" in page


def test_html_escapes_the_info_box(data: dict) -> None:
    hostile = Snapshot(parse_view({"date": "2025-01-10"}), data["layers"].data,
                       data["incidents"].data, (), "javascript:alert(1)", "<b>x</b>")
    page = render_html(hostile)
    assert "&lt;b&gt;x&lt;/b&gt;" in page
    assert "javascript:alert" not in page


def test_local_assets_cover_the_sync_plugin(root: Path) -> None:
    from geo.render.assets import LOCAL_ASSETS

    js, _ = LOCAL_ASSETS["DualMap"]
    vendor = (root / "scripts" / "vendor_assets.py").read_text(encoding="utf-8")
    assert all(f'"{path}"' in vendor for path in js)
    assert '"leaflet.sync"' in (root / "package.json").read_text(encoding="utf-8")


def test_html_inlines_the_terrain_it_draws(snap_of) -> None:
    """The live map's terrain is served at /app/static/terrain/..., which a file opened offline
    cannot reach: the standalone page carries the hillshade and the contours as data: URIs,
    leaves the elevation readout (which fetches its grid by URL) out, and says so."""
    from geo.export.html_map import TERRAIN_NOTE, data_uri
    from geo.render.static_files import terrain_manifest

    page = render_html(snap_of({"date": "2025-01-10", "layers": "hillshade,contours"}))
    assert "/app/static" not in page and "static/terrain" not in page
    manifest = terrain_manifest()
    for key, mime in (("hillshade", "image/png"), ("contours", "application/geo+json")):
        uri = data_uri(manifest, key)
        assert uri.startswith(f"data:{mime};base64,") and uri in page
    assert data_uri(manifest, "elevation") not in page
    assert "elev …" not in page  # the readout's script is not on the page
    assert TERRAIN_NOTE in page
