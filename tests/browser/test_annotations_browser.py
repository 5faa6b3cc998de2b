"""Annotations in Chromium across two replicas sharing one PostGIS: draw a polygon with the
Draw toolbar (mouse clicks on the map), save it with a source on the first server, see it on
the map of the second; edit it, and reopen its permalink on the second to see both versions."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, TIMEOUT_MS, map_frame, settled
from tests.browser.replicas import Replicas, replicas  # noqa: F401 - the fixture
from tests.harness import local_context

pytestmark = pytest.mark.browser
NAME = "Reported checkpoint area near Quneitra"
#: Clicks tried per vertex, and how long each may take to show (ms).
VERTEX_TRIES, VERTEX_WAIT_MS = 5, 5_000


def key(pg: Any, widget_key: str, element: str = "input") -> Any:
    """A widget's element, found by its key (Streamlit marks its container .st-key-<key>)."""
    return pg.locator(f".st-key-{widget_key} {element}").first


def draw_polygon(pg: Any) -> None:
    """Pick the polygon tool and click four corners right of the map's centre (clear of the
    toolbar's Finish/Cancel buttons), each placed before the next, then Finish."""
    frame = map_frame(pg)
    frame.locator("a.leaflet-draw-draw-polygon").click()
    finish = frame.get_by_text("Finish", exact=True)
    expect(finish).to_be_visible()
    box = frame.locator(".leaflet-container").first.bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    vertices = frame.locator(".leaflet-marker-icon.leaflet-editing-icon")
    for n, (dx, dy) in enumerate(((90, -60), (230, -60), (230, 70), (90, 70)), start=1):
        place_vertex(pg, vertices, n, cx + dx, cy + dy)
    finish.click()


def place_vertex(pg: Any, vertices: Any, n: int, x: float, y: float) -> None:
    """Click at (x, y) until the shape has ``n`` vertices: Leaflet.draw ignores a press that
    comes within 50 ms of the last vertex (its guard against double clicks), which a loaded
    machine can turn into a lost click; a click that counted is never repeated."""
    for _ in range(VERTEX_TRIES):
        pg.mouse.click(x, y)
        try:
            expect(vertices).to_have_count(n, timeout=VERTEX_WAIT_MS)
            return
        except AssertionError:
            assert vertices.count() < n, "a vertex was placed twice"
    expect(vertices).to_have_count(n)


def test_draw_save_see_on_the_other_replica_edit_and_reopen(
        replicas: Replicas, browser: Any) -> None:  # noqa: F811
    first = local_context(browser)
    pg = first.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    pg.goto(f"{replicas.first}/annotate?date=2025-09-16")
    pg.get_by_role("heading", name="Annotate the map").wait_for()
    settled(pg)
    draw_polygon(pg)
    pg.get_by_text("Geometry to save: Polygon, 5 points").wait_for()
    settled(pg)
    key(pg, "annotate_name").fill(NAME)
    pg.locator(".st-key-annotate_basis label").filter(has_text="schematic").click()
    key(pg, "annotate_src_title_0").fill("Report on a new checkpoint")
    key(pg, "annotate_src_url_0").fill("https://example.org/report")
    key(pg, "annotate_note", "textarea").fill("Drawn from the report's description")
    key(pg, "annotate_author").fill("Analyst A")
    pg.screenshot(path=str(ARTIFACTS / "annotate-page.png"), full_page=True)
    key(pg, "annotate_save", "button").click()
    pg.get_by_text("as version 1.").wait_for()
    ann = parse_qs(urlsplit(pg.url).query)["ann"][0]

    second = local_context(browser)
    other = second.new_page()
    other.set_default_timeout(TIMEOUT_MS)
    other.goto(f"{replicas.second}/?date=2025-09-16&ann={ann}")
    frame = map_frame(other)
    shape = frame.locator(".leaflet-overlay-pane path.lyr-annotation")
    expect(shape).to_have_count(1)
    shape.click()
    popup = frame.locator(".leaflet-popup-content").first
    expect(popup).to_contain_text(NAME)
    expect(popup).to_contain_text("Version 1 · by Analyst A")
    expect(popup).to_contain_text("Report on a new checkpoint")
    other.screenshot(path=str(ARTIFACTS / "annotation-on-map-replica.png"), full_page=False)

    key(pg, "annotate_note", "textarea").fill("Moved after a second report")
    key(pg, "annotate_author").fill("Analyst B")
    key(pg, "annotate_save", "button").click()
    pg.get_by_text("as version 2.").wait_for()
    link = pg.locator(".stCode").last.inner_text().strip()
    assert f"ann={ann}" in link and link.startswith(replicas.first)

    other.goto(link.replace(replicas.first, replicas.second))
    other.get_by_role("heading", name="Versions (2)").wait_for()
    settled(other)
    expect(key(other, "annotate_note", "textarea")).to_have_value("Moved after a second report")
    panel = other.locator(".st-key-annotate_versions")
    expect(panel).to_contain_text("Analyst A")
    expect(panel).to_contain_text("Analyst B")
    other.get_by_role("heading", name="Versions (2)").scroll_into_view_if_needed()
    other.screenshot(path=str(ARTIFACTS / "annotation-versions.png"), full_page=True)
    first.close()
    second.close()
