"""Terrain on the live map in Chromium: the hillshade image by URL, the elevation under the
cursor (the Hermon summit, the Sea of Galilee, nothing east of 36° E), labelled contours, and
a date change that receives no terrain bytes again."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from geo.core.vocabulary import DEFAULT_LAYERS
from tests.browser.conftest import ARTIFACTS, MAP_FRAME, TIMEOUT_MS, map_frame, settled
from tests.harness import VIEWPORT, is_local

WITH_CONTOURS = ",".join((*DEFAULT_LAYERS, "contours"))
ELEVATION = re.compile(r"elev (-?[\d,]+) m")
TERRAIN_URL = "/app/static/terrain/"


def _hillshade(page: Any) -> Any:
    """The hillshade image, once the browser has decoded it."""
    image = map_frame(page).locator(".leaflet-terrain-pane img.terrain-hillshade")
    image.wait_for()
    expect(image).to_have_attribute("src", re.compile(TERRAIN_URL + r"hillshade-[0-9a-f]{12}\.png"))
    page.wait_for_function(
        """sel => { const f = document.querySelector(sel);
                    const img = f && f.contentDocument.querySelector('img.terrain-hillshade');
                    return img && img.complete && img.naturalWidth > 0; }""", arg=MAP_FRAME)
    return image


def _hover(page: Any, lat: float, lon: float) -> str:
    """Move the mouse over (lat, lon) on the map; the elevation part of the readout."""
    page.locator(MAP_FRAME).scroll_into_view_if_needed()
    frame = page.locator(MAP_FRAME).element_handle().content_frame()
    frame.wait_for_function("() => window.map && window.map._loaded")
    x, y = frame.evaluate(
        """([lat, lon]) => { const p = window.map.latLngToContainerPoint([lat, lon]);
                             const r = window.map.getContainer().getBoundingClientRect();
                             return [r.left + p.x, r.top + p.y]; }""", [lat, lon])
    box = page.locator(MAP_FRAME).bounding_box()
    page.mouse.move(box["x"] + x - 3, box["y"] + y - 3)
    page.mouse.move(box["x"] + x, box["y"] + y, steps=3)
    readout = map_frame(page).locator(".leaflet-control-mouseposition")
    expect(readout).to_have_text(re.compile(r"elev -?[\d,]+ m|no terrain data"))
    return readout.inner_text()


def _metres(text: str) -> int:
    match = ELEVATION.search(text)
    assert match, text
    return int(match.group(1).replace(",", ""))


def test_default_map_shows_the_hillshade_and_the_area_without_terrain(app_url: str,
                                                                      page: Any) -> None:
    page.goto(app_url)
    _hillshade(page)
    frame = map_frame(page)
    expect(frame.locator(".no-terrain-label")).to_have_text("No terrain data east of 36° E")
    assert frame.locator("path.no-terrain").count() == 1
    expect(frame.locator(".leaflet-control-attribution")).to_contain_text("SRTM")
    page.screenshot(path=str(ARTIFACTS / "map-hillshade.png"))


def test_cursor_shows_the_elevation(app_url: str, page: Any) -> None:
    page.goto(f"{app_url}/?lat=33.416&lon=35.857&zoom=12&layers={WITH_CONTOURS}")
    _hillshade(page)
    assert abs(_metres(_hover(page, 33.416, 35.857)) - 2803) <= 20
    frame = map_frame(page)
    expect(frame.locator(".contour-label", has_text="2,000 m").first).to_be_visible()
    assert frame.locator(".leaflet-contours-pane path").count() > 10
    page.screenshot(path=str(ARTIFACTS / "map-hermon-contours.png"))
    page.goto(f"{app_url}/?lat=32.82&lon=35.59&zoom=12")
    _hillshade(page)
    assert abs(_metres(_hover(page, 32.82, 35.59)) - -215) <= 5
    page.goto(f"{app_url}/?lat=33.5&lon=36.3&zoom=11")
    _hillshade(page)
    assert _hover(page, 33.5, 36.3).endswith("no terrain data")


def test_date_change_receives_no_terrain_bytes(app_url: str, browser: Any) -> None:
    # A context without request routing: Playwright's routing turns Chromium's HTTP cache
    # off. Every request is checked to stay on this machine instead.
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    client = context.new_cdp_session(page)
    client.send("Network.enable")
    received: list[dict[str, Any]] = []
    client.on("Network.responseReceived", lambda e: received.append(
        {"url": e["response"]["url"], "status": e["response"]["status"],
         "cached": e["response"].get("fromDiskCache") or e["response"].get("fromPrefetchCache"),
         "id": e["requestId"]}))
    #: Bytes each request received over the network (0 for a cache hit).
    finished: dict[str, float] = {}
    client.on("Network.loadingFinished",
              lambda e: finished.__setitem__(e["requestId"], e["encodedDataLength"]))
    from_cache: set[str] = set()
    client.on("Network.requestServedFromCache", lambda e: from_cache.add(e["requestId"]))

    page.goto(f"{app_url}/?date=2025-10-01&layers={WITH_CONTOURS}")
    _hillshade(page)
    map_frame(page).locator(".contour-label").first.wait_for()
    _hover(page, 33.2, 35.8)
    first = [r for r in received if TERRAIN_URL in r["url"]]
    assert {re.sub(r"-[0-9a-f]{12}\..*", "", r["url"].rsplit("/", 1)[1]) for r in first} == {
        "hillshade", "contours", "elevation"}
    before = len(received)

    page.get_by_role("button", name="Event ▶", exact=True).click()  # key map_next_event
    page.wait_for_url(re.compile(r"date=(?!2025-10-01)"))
    settled(page)
    _hillshade(page)
    map_frame(page).locator(".contour-label").first.wait_for()
    _hover(page, 33.3, 35.9)
    later = [r for r in received[before:] if TERRAIN_URL in r["url"]]
    # Every terrain file was loaded when the readout, image and labels showed: each request
    # has finished. A cache hit (memory or disk) receives no body; a 304 would have none.
    sent = [(r["url"], finished.get(r["id"])) for r in later if r["status"] == 200
            and not r["cached"] and r["id"] not in from_cache
            and finished.get(r["id"], float("inf")) > 1000]
    assert sent == [], f"terrain bytes sent again after a date change: {sent}"
    assert all(is_local(r["url"]) for r in received)
    context.close()
