"""The map in a real browser: Leaflet draws the layers from local assets, with no network."""

from __future__ import annotations

from tests.browser.conftest import ARTIFACTS, map_frame


def test_map_draws_area_of_separation_and_incidents(app_url: str, page) -> None:
    page.goto(f"{app_url}/?date=2025-01-10&window=since")
    frame = map_frame(page)
    # Polygons and lines render as SVG paths in the overlay pane.
    paths = frame.locator(".leaflet-overlay-pane path")
    paths.first.wait_for()
    assert paths.count() > 20
    page.screenshot(path=str(ARTIFACTS / "map.png"), full_page=True)
