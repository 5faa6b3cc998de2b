"""Every page in the app's navigation loads without a request off this machine: no font, icon
or script from a CDN. Tile servers aside, which only a chosen online basemap asks for (the
default basemap is offline, so none is expected here either). Requests are recorded as the
browser makes them, before the context's routing would abort them."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from geo.core.vocabulary import TILES
from tests.browser.conftest import MAP_FRAME, settled
from tests.harness import is_local

pytestmark = pytest.mark.browser

#: Host names of the tile servers ("{s}." subdomains stripped).
TILE_HOSTS = {str(urlsplit(url).hostname).removeprefix("{s}.") for _, url, _ in TILES.values()}
#: The pages the app had when this test was written; any page in the navigation is loaded.
KNOWN_PAGES = {"/", "/incidents", "/export", "/briefing", "/sources"}


def _outside(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    tile = any(host == h or host.endswith("." + h) for h in TILE_HOSTS)
    return not is_local(url) and not tile


def test_the_detector() -> None:
    assert _outside("https://fonts.gstatic.com/s/i/map/24px.svg")
    assert _outside("http://127.0.0.1.example.com/x")
    assert not _outside("http://127.0.0.1:8501/static/vendor/leaflet.js")
    assert not _outside("http://localhost:8501/_stcore/health")
    assert not _outside("data:image/svg+xml;base64,PHN2Zz4=")
    assert not _outside("https://a.tile.opentopomap.org/10/1/2.png")


def _load(page: Any, url: str) -> None:
    """Open ``url`` and wait until its script has run and every map in it is drawn."""
    page.goto(url)
    page.locator("h1").first.wait_for()
    settled(page)
    maps = page.frame_locator(MAP_FRAME)
    for index in range(page.locator(MAP_FRAME).count()):
        maps.nth(index).locator(".leaflet-container").first.wait_for(state="attached")
    page.wait_for_load_state("networkidle")


def test_every_page_loads_with_no_outside_request(app_url: str, page: Any) -> None:
    requests: list[str] = []
    page.context.on("request", lambda request: requests.append(request.url))
    _load(page, f"{app_url}/?date=2025-09-16")
    links = page.locator("[data-testid=stSidebarNav] a")
    paths = [urlsplit(href).path for href in links.evaluate_all("all => all.map(a => a.href)")]
    assert KNOWN_PAGES <= set(paths), paths
    for path in paths:
        _load(page, f"{app_url}{path}?date=2025-09-16")
    icon = page.locator("link[rel~='icon']").first.get_attribute("href") or ""
    assert requests, "no request was recorded"
    assert [url for url in requests if _outside(url)] == []
    assert icon.startswith("data:image/svg+xml")  # assets/favicon.svg, inlined by Streamlit
