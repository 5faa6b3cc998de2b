"""Every page of the app loads without a request off this machine: no font, icon or script from
a CDN. Tile servers aside, which only a chosen online basemap asks for (the default basemap is
offline, so none is expected here either). Requests are recorded as the browser makes them,
before the context's routing would abort them."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from geo.core.vocabulary import TILES
from tests.browser.conftest import ARTIFACTS, map_frame, settled
from tests.harness import is_local

pytestmark = pytest.mark.browser

#: Host names of the tile servers ("{s}." subdomains stripped).
TILE_HOSTS = {str(urlsplit(url).hostname).removeprefix("{s}.") for _, url, _ in TILES.values()}
#: Path of each page, its heading, and whether it draws a Leaflet map in an st_folium frame.
PAGES = [
    ("/", "The frontier as of", True),
    ("/incidents", "Incidents and zones", False),  # its map is in a tab not shown
    ("/export", "Export the view of", False),
    ("/briefing", "", True),  # headed by the first step of the story
    ("/sources", "Sources and data quality", False),
]


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


def test_every_page_loads_with_no_outside_request(app_url: str, page: Any) -> None:
    requests: list[str] = []
    page.context.on("request", lambda request: requests.append(request.url))
    for path, heading, has_map in PAGES:
        page.goto(f"{app_url}{path}?date=2025-09-16")
        page.locator("h1").filter(has_text=heading).first.wait_for()
        if has_map:
            map_frame(page)
        settled(page)
        page.wait_for_load_state("networkidle")
    icon = page.locator("link[rel~='icon']").first.get_attribute("href") or ""
    page.screenshot(path=str(ARTIFACTS / "network-sources.png"))
    assert requests, "no request was recorded"
    assert [url for url in requests if _outside(url)] == []
    assert icon.startswith("data:image/svg+xml")  # assets/favicon.svg, inlined by Streamlit
